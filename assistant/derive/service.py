"""What the CLI and the app ask of derived knowledge: the recommendations and findings
registers, the timeline and the theme grid, over the documents an Assistant has indexed.

Every read first brings the derived store in step with the index (store.py), so what is
shown is never stale.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from assistant.derive import themes as T
from assistant.derive.chronology import sort_key
from assistant.derive.dates import parse_bound, within
from assistant.derive.items import Item
from assistant.derive.recommendations import Link, similar_across
from assistant.derive.store import DerivedStore, DocItems
from assistant.errors import NotFound
from index.lexical import tokenize


class Derived:
    def __init__(self, assistant):
        self.assistant = assistant

    @cached_property
    def store(self) -> DerivedStore:
        return DerivedStore(Path(self.assistant.settings.home) / "derived")

    def current(self) -> dict[str, DocItems]:
        return self.store.refresh(self.assistant.retriever.lexical())

    def doc_ids(self, refs: list[str] | None) -> list[str] | None:
        """Document ids for references (id, source path or title words; words that several
        titles share name all of them: "Child R" is the review and its briefings); None: all.
        NotFound for a reference that names nothing."""
        if not refs:
            return None
        out: list[str] = []
        for ref in refs:
            try:
                out.append(self.assistant.find_doc(ref).doc_id)
            except NotFound:
                docs = self.assistant.docs()
                hits = [d.doc_id for d in docs if ref.lower() in f"{d.title} {d.source}".lower()]
                if not hits:
                    raise
                out += hits
        return list(dict.fromkeys(out))

    def register(
        self, kind: str, docs: list[str] | None = None, query: str | None = None
    ) -> list[Item]:
        """'recommendations' or 'findings' of the given documents (all: None), in report
        and document order; `query` keeps items holding all its (stemmed) words."""
        wanted = self.doc_ids(docs)
        current = self.current()
        items = [
            i
            for d in sorted(current.values(), key=lambda d: (d.title.lower(), d.source))
            if wanted is None or d.doc_id in wanted
            for i in getattr(d, kind)
        ]
        return filter_items(items, query)

    def links(self, items: list[Item]) -> list[Link]:
        return similar_across(items)

    def timeline(
        self,
        docs: list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        query: str | None = None,
    ) -> list[Item]:
        """Dated events in date order (ValueError for a bound that is not a date)."""
        lo = parse_bound(date_from) if date_from else None
        hi = parse_bound(date_to) if date_to else None
        wanted = self.doc_ids(docs)
        items = [
            i
            for d in self.current().values()
            if wanted is None or d.doc_id in wanted
            for i in d.events
            if within(_key(i), lo, hi)
        ]
        return sorted(filter_items(items, query), key=sort_key)

    def themes(self, theme: str, docs: list[str] | None = None) -> list[T.Cell]:
        return T.grid(self.assistant.retriever.lexical(), theme, self.doc_ids(docs))


def _key(item: Item) -> tuple[int, int, int]:
    parts = [int(x) for x in (item.date or "0").split("-")] + [0, 0]
    return (parts[0], parts[1], parts[2])


def filter_items(items: list[Item], query: str | None) -> list[Item]:
    terms = set(tokenize(query or ""))
    if not terms:
        return items
    return [i for i in items if terms <= set(tokenize(f"{i.text} {i.addressee or ''}"))]
