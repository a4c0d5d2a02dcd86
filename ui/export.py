"""Excerpt exports for reviewers: CSV and Markdown, each row with its full citation string.

The excerpt text is exported verbatim. One exception, in CSV only: a cell that a spreadsheet
would run as a formula (starting with `=`, `+`, `@`, a tab or a carriage return) is prefixed
with an apostrophe, the usual guard against CSV formula injection.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

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


def _cell(v) -> str:
    s = "" if v is None else str(v)
    return "'" + s if s[:1] in ("=", "+", "@", "\t", "\r") else s


def to_csv(passages) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writeheader()
    for r in rows(passages):
        w.writerow({k: _cell(v) for k, v in r.items()})
    return buf.getvalue()


def to_markdown(passages, query: str = "", when: datetime | None = None) -> str:
    when = when or datetime.now(timezone.utc)
    out = ["# Excerpts", ""]
    if query:
        out += [f"Search: {query}", ""]
    out += [f"Exported {when:%Y-%m-%d %H:%M} UTC; {len(passages)} excerpt(s).", ""]
    for r in rows(passages):
        out.append(f"## {r['n']}. {r['citation']}")
        out.append("")
        out += [f"> {line}" if line.strip() else ">" for line in r["excerpt"].splitlines()]
        out.append("")
        meta = [f"Source: {r['citation']}"]
        if r["section"]:
            meta.append(f"Section: {r['section']}")
        meta.append(f"File: {r['source']}")
        meta.append(f"Score: {r['score']}")
        out.append(" · ".join(meta))
        out.append("")
    return "\n".join(out)
