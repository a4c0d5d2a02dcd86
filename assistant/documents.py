"""Documents by what a user calls them: an id, a source path, a title, or a report
made of several files ("Leveson" for its 79 chapters)."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import NotFound


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
