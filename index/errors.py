"""The index layer's errors: the store and the ingest lock."""

from __future__ import annotations

from ingest.errors import InquiryError


class IndexBusy(InquiryError):
    """Another ingest holds the index lock."""


class StoreError(InquiryError):
    """The vector store cannot be reached or is inconsistent."""


class NotIndexed(StoreError):
    """Nothing has been ingested into the store a command reads."""
