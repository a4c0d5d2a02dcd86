"""How exports write rows: one CSV writer and one Markdown quoting of verbatim text, shared by
the excerpt exports (ui/export.py) and the derived-item exports (ui/derived_export.py).

Text is written verbatim. One exception, in CSV only: a cell that a spreadsheet would run as
a formula (starting with `=`, `+`, `@`, a tab or a carriage return) is prefixed with an
apostrophe, the usual guard against CSV formula injection.
"""

from __future__ import annotations

import csv
import io


def guard_cell(v) -> str:
    """A CSV cell as text, with an apostrophe before what a spreadsheet would run."""
    s = "" if v is None else str(v)
    return "'" + s if s[:1] in ("=", "+", "@", "\t", "\r") else s


def csv_table(rows: list[dict], fields: list[str]) -> str:
    """A header row of `fields`, then one line per row, every cell guarded (`guard_cell`)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: guard_cell(v) for k, v in r.items()})
    return buf.getvalue()


def md_quote(text: str) -> list[str]:
    """Verbatim text as the lines of a Markdown block quote (a blank line stays inside it)."""
    return [f"> {line}" if line.strip() else ">" for line in text.splitlines()]
