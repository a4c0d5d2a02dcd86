"""Documents by what a user calls them: an id, a source path, a title, or a report
made of several files ("Leveson" for its 79 chapters); and the reports a question calls by
name among the chunks retrieved for it."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import NotFound
from assistant.sentences import name_terms
from assistant.types import Passage
from index.lexical import name_words


def find_doc(docs: dict, ref: str):
    """A document of `docs` (doc_id -> DocRecord) by id, source path or (unique) title
    substring; NotFound naming `ref` when none or several match."""
    if ref in docs:
        return docs[ref]
    where = str(Path(ref).resolve()) if Path(ref).exists() else ref
    by_source = [r for r in docs.values() if r.source == ref or r.path in (ref, where)]
    if not by_source:
        by_source = [r for r in docs.values() if ref.lower() in r.title.lower()]
    if len(by_source) == 1:
        return by_source[0]
    if not by_source:
        raise NotFound(f"no indexed document matches {ref!r} (see `inquiry docs`)")
    names = ", ".join(r.source for r in by_source[:5])
    raise NotFound(f"{ref!r} matches several documents: {names}; give the id or source")


def find_docs(docs: dict, ref: str) -> list:
    """The documents `ref` stands for: a report's id or title (all its parts: "Leveson",
    "The Leveson Report"), else one document as `find_doc` finds it."""
    reports: dict[str, list] = {}
    for r in docs.values():
        if r.report:
            reports.setdefault(r.report, []).append(r)
    low = ref.strip().lower()
    exact = [p for rid, p in reports.items() if low in (rid.lower(), p[0].report_title.lower())]
    if exact:
        return exact[0]
    try:
        return [find_doc(docs, ref)]
    except NotFound:
        partial = [p for p in reports.values() if low in p[0].report_title.lower()]
        if len(partial) == 1:
            return partial[0]
        raise


def called_docs(chunks: list[Passage]) -> list[str]:
    """The reports among `chunks` that the question calls by name, as retrieval decided (its
    `named` stage: assistant/retrieve.py `_docs_called`), in rank order."""
    docs: list[str] = []
    for c in chunks:
        if c.stages.get("named") and c.doc_id not in docs:
            docs.append(c.doc_id)
    return docs


def named_docs(question: str, chunks: list[Passage]) -> list[str]:
    """The reports the question calls by name, when it names two or more: each gets its part
    of the answer. Reports called by the same words are one name, answered by the first
    ('Child R' in the titles of a review and of its briefing names the case, not two
    reports)."""
    names = name_terms(question)
    by_name: dict[frozenset[str], str] = {}  # the question's words a report is called by
    for c in chunks:
        called = frozenset(names & name_words(c.title, c.source))
        if called and c.doc_id not in by_name.values():
            by_name.setdefault(called, c.doc_id)
    return list(by_name.values()) if len(by_name) > 1 else []
