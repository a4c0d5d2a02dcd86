"""The assistant layer's errors: what the user named is missing, the LLM failed."""

from __future__ import annotations

from ingest.errors import InquiryError


class NotFound(InquiryError):
    """A document or passage the user named does not exist."""


class LLMError(InquiryError):
    """A generative backend failed (unreachable, timed out, missing model file)."""
