"""The page of a quote: where in a passage a given character lies, not where its chunk starts.

Each chunk carries `pages`, a JSON list of [offset, page, label] where each page starts within
its text (ingest/chunking.py). A passage merged from neighbouring chunks (neighbours.py) holds
its chunks in `parts`, joined by one or two characters; `page_at` walks them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.types import Passage


def page_starts(passage: Passage) -> list[tuple[int, int, str | None]]:
    """[(offset, page, label)] of one chunk's passage; its first page when the map is missing."""
    try:
        raw = json.loads(passage.pages) if passage.pages else []
    except (TypeError, ValueError):
        raw = []
    starts = [(int(o), int(p), None if lab is None else str(lab)) for o, p, lab in raw]
    if not starts and passage.page is not None:
        starts = [(0, passage.page, passage.page_label)]
    return starts


def page_at(passage: Passage, offset: int) -> tuple[int | None, str | None]:
    """(page, printed label) of the character at `offset` in `passage.text`."""
    parts = passage.parts if len(passage.parts) > 1 else (passage,)
    base = 0
    for i, part in enumerate(parts):
        end = base + len(part.text)
        if offset < end or i == len(parts) - 1:
            return _in_chunk(part, max(0, offset - base))
        nxt = parts[i + 1]
        near = part.continued_by(nxt)
        base = end + (1 if near else 2)
        if offset < base:  # the separator: the page of what follows
            return _in_chunk(nxt, 0)
    return passage.page, passage.page_label


def quote_pages(passage: Passage, quote: str) -> tuple[int | None, int | None, str | None]:
    """(page, page_end, label) of `quote` within the passage; the passage's own when the quote
    is not found verbatim."""
    at = passage.text.find(quote) if quote else -1
    if at < 0:
        return passage.page, passage.page_end, passage.page_label
    page, label = page_at(passage, at)
    end, _ = page_at(passage, at + max(len(quote) - 1, 0))
    return page, end, label


def _in_chunk(chunk: Passage, offset: int) -> tuple[int | None, str | None]:
    found = (chunk.page, chunk.page_label)
    for start, page, label in page_starts(chunk):
        if start > offset:
            break
        found = (page, label)
    return found
