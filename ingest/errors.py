"""Domain exceptions shared by every layer.

Lower layers raise these; only the CLI and the app turn them into one clear line for the user.
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


class IndexBusy(InquiryError):
    """Another ingest holds the index lock."""


class StoreError(InquiryError):
    """The vector store cannot be reached or is inconsistent."""


class NotFound(InquiryError):
    """A document or passage the user named does not exist."""


class LLMError(InquiryError):
    """A generative backend failed (unreachable, timed out, missing model file)."""
