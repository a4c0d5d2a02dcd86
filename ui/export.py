"""Excerpt exports for reviewers: CSV and Markdown, each row with its full citation string.

The excerpt text is exported verbatim. One exception, in CSV only: a cell that a spreadsheet
would run as a formula (starting with `=`, `+`, `@`, a tab or a carriage return) is prefixed
with an apostrophe, the usual guard against CSV formula injection (ui/tables.py, which writes
the CSV and quotes the Markdown for every export).
"""

from __future__ import annotations

from datetime import datetime, timezone

from ui.tables import csv_table, md_quote

CSV_FIELDS = [
    "n",
    "citation",
    "title",
    "source",
    "page",
    "paragraph",
    "section",
    "score",
    "excerpt",
]


def citation_of(p) -> str:
    """The full citation string: 'Title, para 3.41, p. 12' (Passage.citation())."""
    return p.citation()


def page_of(p) -> str:
    if p.page_label:
        return str(p.page_label)
    if p.page and p.page_end and p.page_end != p.page:
        return f"{p.page}-{p.page_end}"
    return "" if p.page is None else str(p.page)


def rows(passages) -> list[dict]:
    return [
        {
            "n": i,
            "citation": citation_of(p),
            "title": p.title,
            "source": p.source,
            "page": page_of(p),
            "paragraph": p.para or "",
            "section": p.section or "",
            "score": f"{float(p.score):.3f}",
            "excerpt": p.text,
        }
        for i, p in enumerate(passages, 1)
    ]


def to_csv(passages) -> str:
    return csv_table(rows(passages), CSV_FIELDS)


def to_markdown(passages, query: str = "", when: datetime | None = None) -> str:
    when = when or datetime.now(timezone.utc)
    out = ["# Excerpts", ""]
    if query:
        out += [f"Search: {query}", ""]
    out += [f"Exported {when:%Y-%m-%d %H:%M} UTC; {len(passages)} excerpt(s).", ""]
    for r in rows(passages):
        out.append(f"## {r['n']}. {r['citation']}")
        out.append("")
        out += md_quote(r["excerpt"])
        out.append("")
        meta = [f"Source: {r['citation']}"]
        if r["section"]:
            meta.append(f"Section: {r['section']}")
        meta.append(f"File: {r['source']}")
        meta.append(f"Score: {r['score']}")
        out.append(" · ".join(meta))
        out.append("")
    return "\n".join(out)
