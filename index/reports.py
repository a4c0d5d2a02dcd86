"""The catalogue seen as reports: documents of one multi-file report grouped under it.

A document whose record has a `report` id (ingest/reports.py) is a part of that report; any
other document is a report on its own. `inquiry docs --json` lists these reports.
"""

from __future__ import annotations

from collections.abc import Iterable


def group_reports(records: Iterable) -> list[dict]:
    """[{report, title, year, organisation, kind, parts: [record fields...]}], in source order
    of each report's first part; a single-document report has one part."""
    out: dict[str, dict] = {}
    for rec in sorted(records, key=lambda r: r.source):
        key = rec.report or f"doc:{rec.doc_id}"
        entry = out.get(key)
        if entry is None:
            entry = out[key] = {
                "report": rec.report or rec.doc_id,
                "title": rec.report_title or rec.title,
                "year": rec.year,
                "organisation": rec.organisation,
                "kind": rec.kind,
                "parts": [],
            }
        for field in ("year", "organisation", "kind"):
            entry[field] = entry[field] or getattr(rec, field)
        entry["parts"].append({**rec.to_meta(), "doc_id": rec.doc_id, "part": rec.part or None})
    return list(out.values())
