"""Neighbouring passages merge into one: the excerpt a reader would want.

A long paragraph is split at sentence boundaries into chunks, and a question often finds two
chunks of one paragraph, or two consecutive paragraphs, among its first results. Shown apart,
they take two places in the ranking and cut the text where the chunker did; merged, they are
one contiguous excerpt at the better rank (a chunk between them is taken in, so the text stays
whole). This is the "auto-merging" idea, limited to a few chunks so passages stay quotable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from assistant.types import Passage

# fetch(passage, offset) -> the chunk `offset` places after `passage` in its document, or None;
# a fetched chunk was not ranked (rank 0, score 0)
Fetch = Callable[[Passage, int], Passage | None]


def merge_neighbours(ranked: list[Passage], fetch: Fetch, window: int, span: int) -> list[Passage]:
    """`ranked` with passages among the first `window` that lie within `span` consecutive
    chunks of one document merged into the better-ranked one. Order is otherwise kept."""
    groups: list[list[Passage]] = []
    for p in ranked[:window]:
        host = next((g for g in groups if _fits(g, p, span)), None)
        if host is None:
            groups.append([p])
        else:
            host.append(p)
    merged = [m for g in groups for m in _merge(g, fetch)]
    covered = {cid for p in merged for cid in p.chunk_ids}
    rest = [replace(p, parts=(p,)) for p in ranked[window:] if p.chunk_id not in covered]
    return merged + rest


def _fits(group: list[Passage], p: Passage, span: int) -> bool:
    if p.doc_id != group[0].doc_id:
        return False
    ords = [q.ordinal for q in group] + [p.ordinal]
    return max(ords) - min(ords) < span


def _merge(group: list[Passage], fetch: Fetch) -> list[Passage]:
    """One passage for the chunks from the group's first to its last ordinal, with the best
    member's score and chunk_id (the focus when shown in context). `parts` keeps the members
    as ranked (a chunk taken in between has rank 0), so an answerer can still weigh them."""
    best = group[0]
    if len(group) == 1:
        return [replace(best, parts=(best,))]
    lo = min(p.ordinal for p in group)
    hi = max(p.ordinal for p in group)
    ranked = {p.ordinal: p for p in group}
    parts = [ranked.get(o) or fetch(best, o - best.ordinal) for o in range(lo, hi + 1)]
    if any(p is None for p in parts):
        return [replace(p, parts=(p,)) for p in group]  # the document changed meanwhile
    return [_assembled(best, parts)]


def whole_blocks(ranked: list[Passage], fetch: Fetch, window: int, most: int) -> list[Passage]:
    """`ranked` with each of the first `window` passages that ends inside a block (paragraph,
    list item) given the rest of it, up to `most` chunks: the chunker splits a long block at a
    sentence, and what the paragraph concludes may lie in the part the question did not find
    ("The inquiry did not examine the sale of the hall. ..." | "... for want of the records").
    The parts are one character apart in the document (ingest/model.py one_block). A chunk
    taken in has rank 0, as one
    merged in between, so an answerer weighs it after the ranked ones. Passages further down
    made only of chunks taken in leave the ranking."""
    out: list[Passage] = []
    for i, p in enumerate(ranked):
        parts = list(p.parts or (p,))
        while i < window and len(parts) < most:
            after = fetch(parts[-1], 1)
            if after is None or not parts[-1].continued_by(after):
                break
            parts.append(after)  # fetched: rank 0
        out.append(p if len(parts) == len(p.parts or (p,)) else _assembled(p, parts))
    seen: set[str] = set()
    kept = []
    for p in out:
        if not set(p.chunk_ids) <= seen:
            kept.append(p)
        seen.update(p.chunk_ids)
    return kept


def _assembled(best: Passage, parts: list[Passage]) -> Passage:
    """One passage of `parts` (consecutive chunks of one document), with `best`'s score,
    rank and chunk_id."""
    pages = [x for p in parts for x in (p.page, p.page_end) if x is not None]
    return replace(
        best,
        text=_joined(parts),
        parts=tuple(parts),
        footnotes=all(p.footnotes for p in parts),
        ocr=",".join(dict.fromkeys(x for p in parts for x in p.ocr.split(",") if x)),
        para=_span_label([p.para for p in parts if p.para]),
        page=min(pages) if pages else None,
        page_end=max(pages) if pages else None,
        page_label=_span_label([p.page_label for p in parts if p.page_label]),
    )


def _joined(parts: list[Passage]) -> str:
    """The texts as in the document: the halves of a paragraph split at a sentence rejoin
    with a space (they were one character apart), other chunks with a blank line."""
    out = parts[0].text
    for a, b in zip(parts, parts[1:]):
        out += (" " if a.continued_by(b) else "\n\n") + b.text
    return out


def _span_label(labels: list[str]) -> str | None:
    """The labels of the merged chunks as one: '220' + '220-222' -> '220-222' when they run
    on, else listed ('1.2, 3.1-3.4, 6.2'), so every paragraph in the passage is named."""
    pieces = list(dict.fromkeys(x.strip() for label in labels for x in label.split(",")))
    if not pieces:
        return None
    ends = [(re.split(r"\s*[-–]\s*", x)[0], re.split(r"\s*[-–]\s*", x)[-1]) for x in pieces]
    if all(_runs_on(a[1], b[0]) for a, b in zip(ends, ends[1:])):
        lo, hi = ends[0][0], ends[-1][1]
        return lo if lo == hi else f"{lo}-{hi}"
    return ", ".join(pieces)


def _runs_on(a: str, b: str) -> bool:
    """b is a or the label after it ('3.41' -> '3.41' | '3.42'; '64' -> '65')."""
    if a == b:
        return True
    if not re.fullmatch(r"\d+(?:\.\d+)*", a) or not re.fullmatch(r"\d+(?:\.\d+)*", b):
        return False
    x, y = a.split("."), b.split(".")
    return len(x) == len(y) and x[:-1] == y[:-1] and int(y[-1]) == int(x[-1]) + 1
