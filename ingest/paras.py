"""Numbered-paragraph labels: which blocks start paragraph "3.41" or "64".

A candidate is a block that starts with a number (`3.41.`, `3.41 `, `64.`, `64 `) followed by a
capital letter, a quote or an opening bracket. Candidates become labels only if they fit the
document's numbering:

- style: where one style (with or without a final dot) dominates at a depth, the other is taken
  for footnotes ("62 UN Security Council, ..." between paragraphs "168." and "169.");
- sequence: a label must follow the previous one of its depth (next number within a small gap,
  or a new chapter "4.1" after "3.57"); numbering may restart at 1 after a heading; two
  consecutive numbers resynchronise after a large forward jump (an excerpt starting at 45).

Guards against dates ("13 July 2011"), years (4 digits never match) and headings ("3. Findings"
is classified as a heading before labels are looked for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GAP = 10  # largest forward step between consecutive labels of one depth
# A block's text ends a sentence (or a clause a colon or semicolon closes), perhaps with a
# closing quote or bracket and a footnote mark after it: one that does not is cut mid-sentence
# (by a page break, or by a footnote that page order put in the middle).
SENTENCE_DONE = re.compile(r"[.!?:;][\"”’')\]]*(?:\[\d+\]_?)?$")
_NUM = re.compile(
    r"(?P<label>\d{1,3}(?:\.\d{1,3}){0,3})(?P<dot>\.?)(?=\s)[^\S\n]*\n?[^\S\n]*"
    r"[*_]{0,2}(?P<next>[A-Z“\"‘'(\[]|\d(?=[\d,.%]*\s))"
)
_MONTH_AFTER = re.compile(
    r"\s+(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    index: int  # position of the block in the document
    key: tuple[int, ...]
    dot: bool
    label: str


def candidate(index: int, text: str) -> Candidate | None:
    """The label a block's text starts with, if it looks like a paragraph number."""
    m = _NUM.match(text)
    if not m or (m.group("next").isdigit() and not m.group("dot")):
        return None
    label = m.group("label")
    if not m.group("dot") and _MONTH_AFTER.match(text, m.end("label")):
        return None  # "13 July 2011 ..."
    key = tuple(int(x) for x in label.split("."))
    if key[-1] == 0 or key[0] == 0:
        return None
    return Candidate(index, key, bool(m.group("dot")), label)


def select(cands: list[Candidate], after_heading: set[int]) -> tuple[set[int], set[int]]:
    """(indices accepted as paragraph starts, indices rejected by style: footnote-like)."""
    allowed = _dominant_styles(cands)
    accepted: set[int] = set()
    off_style: set[int] = set()
    last: dict[int, tuple[int, ...]] = {}
    seen: dict[int, int] = {}  # depth -> labels accepted
    pending: dict[int, Candidate] = {}
    for c in cands:
        depth = len(c.key)
        if c.dot not in allowed[depth]:
            off_style.add(c.index)
            continue
        prev = last.get(depth)
        other = any(n >= 3 for d, n in seen.items() if d != depth)
        ok = _follows(prev, c.key, other) or (c.key[-1] == 1 and c.index in after_heading)
        p = pending.pop(depth, None)
        forward = (not other) if prev is None else prev < c.key
        resync = p is not None and _next(p.key, c.key) and forward
        if not ok and resync:
            accepted.add(p.index)
            seen[depth] = seen.get(depth, 0) + 1
            ok = True
        if ok:
            accepted.add(c.index)
            last[depth] = c.key
            seen[depth] = seen.get(depth, 0) + 1
        else:
            pending[depth] = c
    return accepted, off_style


def _dominant_styles(cands: list[Candidate]) -> dict[int, set[bool]]:
    out: dict[int, set[bool]] = {d: {True, False} for d in range(1, 5)}
    for depth in out:
        dots = sum(1 for c in cands if len(c.key) == depth and c.dot)
        plain = sum(1 for c in cands if len(c.key) == depth and not c.dot)
        if dots >= 3 and dots >= 2 * plain:
            out[depth] = {True}
        elif plain >= 3 and plain >= 2 * dots:
            out[depth] = {False}
    return out


def _follows(prev: tuple[int, ...] | None, key: tuple[int, ...], other: bool) -> bool:
    """Can `key` follow `prev` (the last label of its depth)? `other`: another depth's
    numbering is established, so this depth must start at 1 (a list quoted in a paragraph
    "2. ... 3. ..." is not a second numbering)."""
    if prev is None:
        if other:
            return key[-1] == 1
        return key[-1] <= GAP and (len(key) == 1 or key[0] <= GAP)
    if prev[:-1] == key[:-1]:
        return prev[-1] < key[-1] <= prev[-1] + GAP
    return key[:-1] > prev[:-1] and key[0] <= prev[0] + GAP and key[-1] <= 3


def _next(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return a[:-1] == b[:-1] and b[-1] == a[-1] + 1


def range_label(labels: list[str]) -> str | None:
    """ "64" | "64-65" | "3.41-3.43" for consecutive labels, else "3.41, 3.44"."""
    uniq = list(dict.fromkeys(labels))
    if not uniq:
        return None
    if len(uniq) == 1:
        return uniq[0]
    if not all(re.fullmatch(r"\d+(?:\.\d+)*", s) for s in uniq):
        return ", ".join(uniq)
    keys = [tuple(int(x) for x in s.split(".")) for s in uniq]
    same_prefix = all(k[:-1] == keys[0][:-1] for k in keys)
    consecutive = all(b[-1] == a[-1] + 1 for a, b in zip(keys, keys[1:]))
    if same_prefix and consecutive:
        return f"{uniq[0]}-{uniq[-1]}"
    return ", ".join(uniq)
