"""Typed results shared by retrieval, answerers, the CLI, the app and `eval`.

`Answer.to_json()` is the JSON contract documented in the README (`ask --json`, `eval --out`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ingest.model import one_block

ANSWERED = "answered"
INSUFFICIENT = "insufficient_evidence"


@dataclass
class Passage:
    """A retrieved chunk: verbatim text with its citation handle, rank and score."""

    chunk_id: str
    doc_id: str
    source: str
    title: str
    text: str  # verbatim document text
    page: int | None = None
    page_end: int | None = None
    page_label: str | None = None
    para: str | None = None
    section: str | None = None
    ordinal: int = 0
    score: float = 0.0
    rank: int = 0
    year: int | None = None
    dense: float | None = None  # cosine similarity to the query
    lexical: float | None = None  # BM25 score relative to the best lexical hit
    footnotes: bool = False  # the chunk is footnotes only (references, rarely an answer)
    ocr: str = ""  # pages read by OCR from a scanned image, "2,3" (may hold misreadings)
    # What each retrieval stage added to `score` (assistant/stages.py): score is their sum.
    stages: dict[str, float] = field(default_factory=dict, compare=False)
    role: str = "body"  # dominant block role (ingest/roles.py): "body", "contents", "finding" ...
    roles: str = ""  # all roles of its blocks, comma-separated ("noise" when OCR noise is in it)
    report: str = ""  # report id when the document is one part of a multi-file report
    report_title: str = ""
    part: str = ""  # "Part F, Chapter 2"
    pages: str = field(default="", repr=False, compare=False)  # JSON page starts: pages.py
    span: tuple[int, int] | None = field(default=None, repr=False, compare=False)  # offsets
    # The chunks this passage is made of, in document order, as they were ranked before
    # neighbours merged (assistant/neighbours.py); () for a single chunk as retrieved.
    parts: tuple[Passage, ...] = field(default=(), repr=False, compare=False)

    def continued_by(self, nxt: Passage) -> bool:
        """`nxt` goes on with the block this passage's text ends in (ingest/model.py
        one_block): the two halves of a paragraph the chunker split."""
        return one_block(self.span and self.span[1], nxt.span and nxt.span[0])

    @property
    def ocr_pages(self) -> list[int]:
        return [int(x) for x in self.ocr.split(",") if x.strip().isdigit()]

    @property
    def chunk_ids(self) -> tuple[str, ...]:
        return tuple(p.chunk_id for p in self.parts) or (self.chunk_id,)

    def citation_parts(self) -> list[str]:
        """The one citation format, in parts: title (else source), 'para 3.41', 'p. 12'.
        The CLI, exports and prompts join them with commas, the app with dots."""
        parts = [self.title or self.source]
        if self.para:
            parts.append(f"para {self.para}")
        if self.page_label or self.page:
            parts.append(f"p. {self.page_label or self.page}")
        return parts

    def citation(self, sep: str = ", ") -> str:
        """The handle a reviewer writes down: 'Title, para 3.41, p. 12'."""
        return sep.join(self.citation_parts())

    def to_json(self) -> dict:
        return {
            "rank": self.rank,
            "source": self.source,
            "title": self.title,
            "page": self.page,
            "page_end": self.page_end,
            "page_label": self.page_label,
            "para": self.para,
            "section": self.section,
            "text": self.text,
            "score": round(float(self.score), 4),
            "stages": {k: round(float(v), 4) for k, v in self.stages.items()},
            "chunk_id": self.chunk_id,
            "chunk_ids": list(self.chunk_ids),
            "doc_id": self.doc_id,
            "role": self.role,
            "ocr": bool(self.ocr_pages),  # some of the text was read by OCR
            "ocr_pages": self.ocr_pages,
            "report": self.report or None,
            "part": self.part or None,
        }


@dataclass
class Citation:
    """`[n]` in the answer text -> the passage it quotes and the verbatim quote."""

    n: int
    passage: Passage
    quote: str  # verbatim substring of passage.text

    def to_json(self) -> dict:
        from assistant.pages import quote_pages
        from ingest.display import display_text

        p = self.passage
        page, page_end, page_label = quote_pages(p, self.quote)  # the quote's page, not the chunk's
        return {
            "n": self.n,
            "source": p.source,
            "title": p.title,
            "page": page,
            "page_end": page_end,
            "page_label": page_label,
            "para": p.para,
            "section": p.section,
            "quote": self.quote,
            # the quote as a reader pastes it: markup, footnote markers, line breaks inside
            # sentences and end-of-line hyphenation removed (ingest/display.py)
            "display": display_text(self.quote),
            "chunk_id": p.chunk_id,
            # the quote's page was scanned: its text was read by OCR
            "ocr": any(page <= x <= (page_end or page) for x in p.ocr_pages) if page else False,
        }


@dataclass
class Answer:
    question: str
    status: str  # ANSWERED | INSUFFICIENT
    answer: str  # text with [n] markers
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    timings_ms: dict = field(default_factory=dict)
    mode: str = "extractive"  # "extractive" | "generative"
    verified: bool = True  # every sentence checked against its cited passages
    dropped: list[dict] = field(default_factory=list)  # generative sentences removed, and why
    notes: list[str] = field(
        default_factory=list
    )  # e.g. "LLM unreachable: fell back to extractive"

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "status": self.status,
            "answer": self.answer,
            "citations": [c.to_json() for c in self.citations],
            "passages": [p.to_json() for p in self.passages],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "mode": self.mode,
            "verified": self.verified,
            "dropped": self.dropped,
            "notes": self.notes,
        }


class Answerer(Protocol):
    """Turns a question and ranked passages into an Answer. Pluggable: extractive or generative."""

    def answer(self, question: str, passages: list[Passage]) -> Answer: ...


def to_passage(cid: str, text: str, meta: dict, score: float = 0.0) -> Passage:
    return Passage(
        chunk_id=cid,
        doc_id=meta.get("doc_id") or "",
        source=meta.get("source") or "",
        title=meta.get("title") or "",
        text=text,
        page=meta.get("page"),
        page_end=meta.get("page_end"),
        page_label=None if meta.get("page_label") is None else str(meta.get("page_label")),
        para=None if meta.get("para") is None else str(meta.get("para")),
        section=meta.get("section"),
        ordinal=int(meta.get("ordinal") or 0),
        score=score,
        year=meta.get("year"),
        footnotes=bool(meta.get("footnotes")),
        ocr=str(meta.get("ocr") or ""),
        role=meta.get("role") or "body",
        **{k: meta.get(k) or "" for k in ("roles", "report", "report_title", "part", "pages")},
        span=(meta["start"], meta["end"]) if "start" in meta and "end" in meta else None,
    )
