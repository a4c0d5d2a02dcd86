"""Exports of derived items (recommendations, findings, events) and theme cells: CSV and
Markdown, every row with its full citation string and the verbatim text (CSV cells that a
spreadsheet would run as a formula are guarded, as for every export: ui/tables.py)."""

from __future__ import annotations

from datetime import datetime, timezone

from ui.tables import csv_table, md_quote

ITEM_FIELDS = [
    "kind",
    "number",
    "date",
    "precision",
    "citation",
    "title",
    "source",
    "page",
    "paragraph",
    "section",
    "addressee",
    "text",
]
CELL_FIELDS = ["theme", "title", "source", "found", "citation", "page", "paragraph", "excerpt"]


def item_rows(items) -> list[dict]:
    return [
        {
            "kind": i.kind,
            "number": i.number or "",
            "date": i.date or "",
            "precision": i.precision or "",
            "citation": i.citation(),
            "title": i.title,
            "source": i.source,
            "page": i.page_text(),
            "paragraph": i.para or "",
            "section": i.section or "",
            "addressee": i.addressee or "",
            "text": i.text,
        }
        for i in items
    ]


def cell_rows(cells) -> list[dict]:
    return [
        {
            "theme": c.theme,
            "title": c.title,
            "source": c.source,
            "found": "yes" if c.found else "not found in this report",
            "citation": c.citation() if c.found else "",
            "page": c.page_label or (c.page or ""),
            "paragraph": c.para or "",
            "excerpt": c.excerpt,
        }
        for c in cells
    ]


def items_csv(items) -> str:
    return csv_table(item_rows(items), ITEM_FIELDS)


def cells_csv(cells) -> str:
    return csv_table(cell_rows(cells), CELL_FIELDS)


def items_markdown(items, heading: str, when: datetime | None = None) -> str:
    when = when or datetime.now(timezone.utc)
    out = [f"# {heading}", "", f"Exported {when:%Y-%m-%d %H:%M} UTC; {len(items)} item(s).", ""]
    for n, r in enumerate(item_rows(items), 1):
        label = r["date"] or (f"{r['kind'].title()} {r['number']}" if r["number"] else "")
        out.append(f"## {n}. {label + ' · ' if label else ''}{r['citation']}")
        out.append("")
        out += md_quote(r["text"])
        out.append("")
        meta = [f"Source: {r['citation']}"]
        if r["section"]:
            meta.append(f"Section: {r['section']}")
        if r["addressee"]:
            meta.append(f"Addressed to: {r['addressee']}")
        meta.append(f"File: {r['source']}")
        out += [" · ".join(meta), ""]
    return "\n".join(out)
