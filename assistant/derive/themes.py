"""Themes across reports: a grid of reports × themes, each cell the report's best sentence
about the theme with its citation, or an explicit "not found in this report".

A theme is a list of phrases (patterns.THEMES for the starter set; a free-text theme is its own
words). A sentence is about the theme when it holds every (stemmed) word of one of its phrases.
Candidates come from the BM25 index (chunks holding any of the words, best first); each
report's best sentence is the one matching most phrases, then from the best-ranked chunk.
Nothing is made up: a report with no such sentence gets found=False.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.derive.patterns import THEMES
from assistant.sentences import sentences
from assistant.types import Passage
from index.lexical import tokenize
from ingest import paras

PER_REPORT = 12  # chunks read per report (best BM25 first) when looking for the best sentence
_BLOCK = re.compile(r"\n\s*\n")
_DAY_BEFORE = re.compile(r"(?<!\S)\d{1,2}\s+$")
_MONTH_AT = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


@dataclass
class Cell:
    doc_id: str
    title: str
    source: str
    theme: str
    found: bool
    excerpt: str = ""  # verbatim sentence
    chunk_id: str = ""
    page: int | None = None
    page_label: str | None = None
    para: str | None = None
    section: str | None = None
    mentions: int = 0  # chunks of the report that hold one of the theme's phrases (of those read)
    phrases: list[str] = field(default_factory=list)  # the phrases the excerpt holds

    def citation(self) -> str:
        return Passage(
            chunk_id=self.chunk_id,
            doc_id=self.doc_id,
            source=self.source,
            title=self.title,
            text=self.excerpt,
            page=self.page,
            page_label=self.page_label,
            para=self.para,
        ).citation()

    def to_json(self) -> dict:
        d = dict(self.__dict__)
        d["citation"] = self.citation() if self.found else None
        if not self.found:
            d["note"] = "not found in this report"
        return d


def phrases_of(theme: str) -> tuple[str, ...]:
    return THEMES.get(" ".join(theme.lower().split())) or (theme,)


def grid(lex, theme: str, doc_ids: list[str] | None = None) -> list[Cell]:
    """One cell per document of the index (or of `doc_ids`), in title order."""
    phrases = [(p, frozenset(tokenize(p))) for p in phrases_of(theme)]
    phrases = [(p, s) for p, s in phrases if s]
    docs: dict[str, dict] = {}
    for meta in lex.metas:
        docs.setdefault(meta.get("doc_id") or "", meta)
    wanted = set(doc_ids) if doc_ids else set(docs)
    hits: dict[str, list[int]] = {d: [] for d in wanted}
    if phrases:
        query = " ".join(p for p, _ in phrases)
        for row, _score in lex.search(query, len(lex.ids), allowed=wanted):
            doc = lex.metas[row].get("doc_id")
            terms = lex.row_terms(row)
            if len(hits[doc]) < PER_REPORT and any(s <= terms for _, s in phrases):
                hits[doc].append(row)
    cells = [_cell(lex, docs[d], theme, hits[d], phrases) for d in wanted if d in docs]
    return sorted(cells, key=lambda c: (c.title.lower(), c.source))


def _cell(lex, meta: dict, theme: str, rows: list[int], phrases) -> Cell:
    cell = Cell(
        doc_id=meta.get("doc_id") or "",
        title=meta.get("title") or "",
        source=meta.get("source") or "",
        theme=theme,
        found=False,
        mentions=len(rows),
    )
    best = None
    for rank, row in enumerate(rows):
        text, m = lex.texts[row], lex.metas[row]
        for sent in sentences(text):
            s, e = sent.start, sent.end
            words = frozenset(tokenize(text[s:e]))
            matched = [p for p, stems in phrases if stems <= words]
            if not matched:
                continue
            verbatim = any(p.lower() in text[s:e].lower() for p in matched)
            score = (
                not sent.heading,
                not m.get("footnotes"),
                verbatim,
                len(matched),
                -rank,
                -((e - s) // 400),
            )
            if best is None or score > best[0]:
                best = (score, row, s, e, matched)
    if best is None:
        return cell
    _, row, s, e, matched = best
    m = lex.metas[row]
    text = lex.texts[row]
    day = _DAY_BEFORE.search(text, max(0, s - 4), s)
    if day and _MONTH_AT.match(text, s):  # "16 November 2023": the splitter took 16 for a label
        s = day.start()
    cell.found = True
    cell.excerpt = text[s:e]
    cell.chunk_id = lex.ids[row]
    cell.page = m.get("page")
    cell.page_label = None if m.get("page_label") is None else str(m.get("page_label"))
    cell.para = _para_at(text, s, m.get("para"))
    cell.section = m.get("section")
    cell.phrases = matched
    return cell


def _para_at(text: str, at: int, chunk_para) -> str | None:
    """The label of the paragraph holding offset `at` (the last block before it that starts
    with a label), else the chunk's label(s)."""
    if not chunk_para:
        return None
    label = str(chunk_para)
    if "-" not in label and "," not in label:
        return label
    own = None
    starts = [0] + [m.end() for m in _BLOCK.finditer(text, 0, at)]
    for begin in starts:
        c = paras.candidate(0, text[begin : begin + 40])
        if c:
            own = c.label
    return own or label
