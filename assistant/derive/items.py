"""Derived items: a recommendation, a finding or a dated event, each a verbatim span of its
report with the citation handle a reviewer writes down (title, page, paragraph, section)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from assistant.derive.document import DocView, Unit
from assistant.types import Passage

RECOMMENDATION, FINDING, EVENT = "recommendation", "finding", "event"


@dataclass
class Item:
    kind: str  # RECOMMENDATION | FINDING | EVENT
    doc_id: str
    source: str
    title: str
    text: str  # verbatim: the document text from `start` to `end`
    start: int
    end: int
    chunk_id: str  # the chunk the item starts in (its passage in the app)
    chunk_ids: list[str] = field(default_factory=list)
    number: str | None = None  # as printed: "4", "R12"; else None
    page: int | None = None
    page_end: int | None = None
    page_label: str | None = None
    para: str | None = None
    section: str | None = None
    year: int | None = None
    addressee: str | None = None  # recommendations: who the text says should act
    date: str | None = None  # events: "2023-01-12" | "2023-01" | "2023"
    precision: str | None = None  # events: "day" | "month" | "year"
    how: str = ""  # what found it: "role", "numbered", "section", "cue", "opening"
    repeated_at: list[str] = field(default_factory=list)  # paras where the report restates it

    def passage(self) -> Passage:
        return Passage(
            chunk_id=self.chunk_id,
            doc_id=self.doc_id,
            source=self.source,
            title=self.title,
            text=self.text,
            page=self.page,
            page_end=self.page_end,
            page_label=self.page_label,
            para=self.para,
            section=self.section,
            year=self.year,
        )

    def citation(self) -> str:
        """The one citation format of the project: 'Title, para 7.2, p. 12'."""
        return self.passage().citation()

    def page_text(self) -> str:
        if self.page_label:
            return self.page_label
        if self.page and self.page_end and self.page_end != self.page:
            return f"{self.page}-{self.page_end}"
        return "" if self.page is None else str(self.page)

    def to_json(self) -> dict:
        d = asdict(self)
        d["citation"] = self.citation()
        return d

    @classmethod
    def from_json(cls, d: dict) -> Item:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def make_item(kind: str, view: DocView, units: list[Unit], start: int, end: int, **kw) -> Item:
    """An item spanning document text [start, end) over `units` (in order)."""
    first = units[0]
    text = view.span(start, end)
    # a para label like "7.2" carried by every unit of the paragraph: the first one's
    labels = list(dict.fromkeys(u.para for u in units if u.para))
    chunk_ids = list(dict.fromkeys(u.chunk_id for u in units))
    pages = [u.page for u in units if u.page is not None]
    return Item(
        kind=kind,
        doc_id=view.doc_id,
        source=view.source,
        title=view.title,
        text=text,
        start=start,
        end=end,
        chunk_id=first.chunk_id,
        chunk_ids=chunk_ids,
        page=first.page,
        page_end=max(pages) if pages else None,
        page_label=first.page_label,
        para=_range(labels),
        section=first.section,
        year=view.year,
        **kw,
    )


def _range(labels: list[str]) -> str | None:
    from ingest.paras import range_label

    return range_label(labels)
