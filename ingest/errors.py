"""The base of every domain exception, the errors every layer may raise (configuration, a
missing optional dependency) and the ingest layer's own (a file that cannot be read).

Each layer keeps its own errors beside it: index/errors.py (store, lock), assistant/errors.py
(not found, LLM). Lower layers raise them; only the CLI and the app turn them into one clear
line for the user.
"""

from __future__ import annotations


class InquiryError(Exception):
    """Base class for every error a user can cause or needs to act on."""


class IngestError(InquiryError):
    """A file could not be read. Always names the file and the reason."""

    def __init__(self, path: object, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFormat(IngestError):
    """The file's content is not a format we can read."""


class MissingDependency(InquiryError):
    """An optional parser or backend is not installed; the message says what to install."""


class ConfigError(InquiryError):
    """A setting is invalid (bad path, unknown backend, malformed value)."""
