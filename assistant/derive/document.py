"""A document recovered from its indexed chunks: verbatim text, blocks, paragraphs, sections.

Chunks hold `Document.text[start:end]` with their offsets, and the reader joined blocks with a
blank line (ingest/structure.py), so placing each chunk's text at its offset gives back the
document text (a gap between two chunks is the blank line between blocks, or the space between
two sentences of a long block). Each chunk's text splits into its blocks at blank lines; a
block that starts with one of the chunk's paragraph labels starts that paragraph, a block
without one continues the paragraph before it, and a short unpunctuated line is a heading.
Lines repeated on many pages (running headers and footers) are furniture, not text.

Everything derived (recommendations, findings, events) is a span of this text, so it is
verbatim even when it runs across a chunk or page break.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest import paras
from ingest.structure import SEPARATOR, looks_like_heading

_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}\.?|[A-Z]\.|[IVX]{1,5}\.)\s+[A-Z][^\n.!?]{1,80}$")
_FURNITURE_KEY = re.compile(r"[\divxlc]+\s*$", re.I)


@dataclass
class Unit:
    """One block: a paragraph start, its continuation, a list item or a heading."""

    start: int
    end: int
    chunk_id: str
    page: int | None = None
    page_end: int | None = None
    page_label: str | None = None
    label: str | None = None  # the paragraph label this block starts
    para: str | None = None  # the paragraph label it belongs to (its own, or carried on)
    section: str | None = None  # the nearest heading above (or the chunk's section)
    heading: bool = False
    role: str | None = None  # block role from the chunk metadata, when ingest set one
    footnotes: bool = False
    continued: bool = False  # the rest of the block before it (a long block split in two)


@dataclass
class Paragraph:
    """Consecutive units of one paragraph (one unit for an unnumbered block)."""

    units: list[Unit]

    @property
    def start(self) -> int:
        return self.units[0].start

    @property
    def end(self) -> int:
        return self.units[-1].end

    @property
    def first(self) -> Unit:
        return self.units[0]


@dataclass
class DocView:
    doc_id: str
    version: str
    source: str
    title: str
    year: int | None
    text: str
    units: list[Unit] = field(default_factory=list)

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]

    def paragraphs(self) -> list[Paragraph]:
        """Units grouped into paragraphs: a block without a label of its own that carries the
        label of the block before it continues that paragraph; headings stand alone."""
        out: list[Paragraph] = []
        prev: Unit | None = None
        for u in self.units:
            joins = (prev is not None and u.continued) or (
                prev is not None
                and not u.heading
                and not prev.heading
                and u.label is None
                and u.para is not None
                and u.para == prev.para
            )
            if joins:
                out[-1].units.append(u)
            else:
                out.append(Paragraph([u]))
            prev = u
        return out


def expand_labels(para: str | None) -> set[tuple[int, ...]] | None:
    """The labels a chunk's `para` names: "3.41" | "3.41-3.43" | "4.14, 5.1" (None: any)."""
    if not para:
        return set()
    keys: set[tuple[int, ...]] = set()
    for part in str(para).split(","):
        part = part.strip()
        if "-" in part:
            a, _, b = part.partition("-")
            try:
                ka, kb = _key(a), _key(b)
            except ValueError:
                return None
            if ka[:-1] == kb[:-1]:
                keys.update(ka[:-1] + (i,) for i in range(ka[-1], kb[-1] + 1))
            else:
                keys.update((ka, kb))
        else:
            try:
                keys.add(_key(part))
            except ValueError:
                return None
    return keys


def _key(label: str) -> tuple[int, ...]:
    return tuple(int(x) for x in label.strip().rstrip(".").split("."))


def _is_heading(text: str) -> bool:
    if "\n" in text.strip():
        return False
    return looks_like_heading(text) or bool(_NUMBERED_HEADING.match(text.strip()))


def _short_line(text: str) -> bool:
    """One short line without sentence punctuation at its end: a heading's shape."""
    t = text.strip()
    return "\n" not in t and len(t.split()) <= 14 and t[-1:].isalnum()


def build_view(rows: list[tuple[str, str, dict]]) -> DocView:
    """A DocView from one document version's chunks (id, verbatim text, metadata)."""
    rows = sorted(rows, key=lambda r: int(r[2].get("ordinal") or 0))
    meta0 = rows[0][2] if rows else {}
    parts: list[str] = []
    pos = 0
    pieces: list[tuple[int, int, str, dict, bool]] = []  # (start, end, chunk, meta, continued)
    for cid, text, meta in rows:
        start = int(meta.get("start") or 0)
        if start > pos:
            gap = start - pos
            parts.append(SEPARATOR if gap == len(SEPARATOR) else " " * gap)
        elif start < pos:  # overlapping offsets: trust the text, shift what follows
            start = pos
        continued = pieces and 0 < start - pos != len(SEPARATOR)
        parts.append(text)
        pos = start + len(text)
        off = 0
        for block in text.split(SEPARATOR):
            s = start + off + (len(block) - len(block.lstrip()))
            e = start + off + len(block.rstrip())
            if e > s:
                pieces.append((s, e, cid, meta, bool(continued) and off == 0))
            off += len(block) + len(SEPARATOR)
    doc_text = "".join(parts)
    view = DocView(
        doc_id=meta0.get("doc_id") or "",
        version=meta0.get("version") or "",
        source=meta0.get("source") or "",
        title=meta0.get("title") or "",
        year=meta0.get("year"),
        text=doc_text,
    )
    furniture = _furniture(doc_text, pieces)
    carried: str | None = None
    section: str | None = None
    last_chunk, last_section = None, None
    for s, e, cid, meta, continued in pieces:
        block = doc_text[s:e]
        first_in_chunk = cid != last_chunk
        if first_in_chunk:
            leading = True  # a chunk starts with its headings (ingest/chunking.py)
            labels = expand_labels(meta.get("para"))
            if meta.get("section") and meta.get("section") != last_section:
                section = last_section = meta.get("section")
            last_chunk = cid
        if _FURNITURE_KEY.sub("", block).strip() in furniture:
            continue
        unit = Unit(
            start=s,
            end=e,
            chunk_id=cid,
            page=meta.get("page"),
            page_end=meta.get("page_end"),
            page_label=None if meta.get("page_label") is None else str(meta.get("page_label")),
            role=meta.get("role"),
            footnotes=bool(meta.get("footnotes")),
            continued=continued,
        )
        cand = None if continued else paras.candidate(0, block)
        if continued:
            unit.para = carried
        elif cand and (labels is None or cand.key in labels):
            unit.label = unit.para = carried = cand.label
        elif (
            _is_heading(block)
            or (first_in_chunk and " ".join(block.split()) == section)
            or (leading and _short_line(block))
        ):
            unit.heading = True
            carried = None
            section = " ".join(block.split())
        else:
            if not meta.get("para"):
                carried = None
            unit.para = carried
        leading = leading and unit.heading
        unit.section = section if section is not None else meta.get("section")
        view.units.append(unit)
    return view


def _furniture(text: str, pieces: list[tuple]) -> set[str]:
    """Running headers and footers: short lines (page numbers aside) seen on 3+ pages."""
    seen: Counter[str] = Counter()
    pages: dict[str, set] = {}
    for s, e, _cid, meta, _c in pieces:
        block = text[s:e]
        if "\n" in block or len(block) > 160:
            continue
        key = _FURNITURE_KEY.sub("", block).strip()
        if len(key) < 8:
            continue
        seen[key] += 1
        pages.setdefault(key, set()).add(meta.get("page"))
    return {k for k, n in seen.items() if n >= 3 and len(pages[k]) >= 3 and None not in pages[k]}
