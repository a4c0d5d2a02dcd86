"""Reports made of several files: which report a document belongs to, and its part in it.

A report is the unit users see; a file is one of its parts when
- a `_meta.json` in its folder or an ancestor folder (below the ingested folder) holds a
  `"report"` object: `{"report": {"title": "The Leveson Report", "year": 2012, "kind":
  "inquiry"}}` (the nearest wins; its folder is the report), or the file's own sidecar says
  `"report": "The Leveson Report"` (and optionally `"part": "Part F, Chapter 2"`); or
- it lies in a folder of chapter folders: the highest folder below the ingested one whose
  documents sit in at least two of its sub-folders (`leveson-report-2012/html/F/chapter2/
  index.html`), widened to its parent while the parent holds no other documents.

The report's title: the `_meta.json` report object; else the title of its top document (the
shallowest, e.g. the report's `index.html`) up to the first " | " and without a trailing
parenthesis ("The Leveson Report (As it should be) | Part F" -> "The Leveson Report"); else the
report folder's note (see titles.py); else the folder name. Its year: the report object, the
folder note, the folder name. A part's name is the rest of its own title after the report's
("Part F | Chapter 2" -> "Part F, Chapter 2"), or its whole title when it does not start so; the
document's title becomes "The Leveson Report, Part F, Chapter 2".
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import titles
from .structure import pretty_stem

_SEPARATOR = re.compile(r"\s+(?:\||::|»)\s+")
FOLDER_META = "_meta.json"


@dataclass
class ReportRef:
    report_id: str  # the report folder, relative to the ingested folder ("leveson-report-2012")
    title: str
    year: int | None = None
    meta: dict | None = None  # organisation, kind from the report object
    top: Path | None = None  # the report's top document (its index page)


def absolute(path: Path | str) -> Path:
    """`path` absolute and normalised ("/a/main/../corpus" -> "/a/corpus"), symlinks kept: paths
    given as "../corpus" and roots stored resolved must compare as folders."""
    return Path(os.path.abspath(path))


def placed(path: Path | str, root: Path | str) -> tuple[Path, Path]:
    """`path` and `root` in one form where the root holds the path: normalised, else with
    symlinks resolved (a corpus reached through a link, its root stored resolved)."""
    a, r = absolute(path), absolute(root)
    if r == a or r in a.parents:
        return a, r
    return Path(path).resolve(), Path(root).resolve()


def find_report(path: Path, root: Path, sidecar: dict) -> ReportRef | None:
    """The report `path` is a part of, or None when the file is a report on its own."""
    path, root = placed(path, root)
    ancestors = [p for p in path.parents if root in p.parents]  # strictly below root
    for folder in ancestors:
        obj = _report_object(folder / FOLDER_META)
        if obj is not None:
            return _ref(folder, root, obj)
    if sidecar.get("report"):
        title = str(sidecar["report"])
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        return ReportRef(report_id=slug, title=title)
    chaptered = [a for a in ancestors if _chapter_tree(a)]
    if not chaptered:
        return None
    folder = chaptered[-1]
    while root in folder.parent.parents and not _other_documents(folder.parent, folder):
        folder = folder.parent
    return _ref(folder, root, {})


def part_of(report: ReportRef, own_title: str | None, path: Path) -> str:
    """The document's place in the report: its title parts after the report's own."""
    own = (own_title or "").strip()
    parts = _SEPARATOR.split(own) if own else []
    if (
        parts
        and titles.strip_parenthesis(parts[0]).lower() == report.title.lower()
        or parts
        and report.top is not None
        and _top_title(report.top) == parts[0]
    ):
        parts = parts[1:]
    if parts:
        return ", ".join(p.strip() for p in parts if p.strip())
    return "" if own else pretty_stem(path)  # "": the report's own page (its index)


def _ref(folder: Path, root: Path, obj: dict) -> ReportRef:
    top = _top_document(folder)
    title = str(obj.get("title") or "").strip()
    if not title and top is not None:
        own = _top_title(top)
        title = titles.strip_parenthesis(_SEPARATOR.split(own)[0]) if own else ""
    note_title, note_year = titles.folder_note(folder)
    title = title or note_title or pretty_stem(folder)
    year = obj.get("year")
    try:
        year = int(str(year)[:4]) if year not in (None, "") else None
    except ValueError:
        year = None
    year = year or note_year or titles.name_year(folder, root)
    meta = {k: str(obj[k]) for k in ("organisation", "kind") if obj.get(k)}
    return ReportRef(folder.relative_to(root).as_posix(), title, year, meta, top)


def _report_object(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None  # load.read_sidecar reports a broken _meta.json for the file itself
    obj = value.get("report") if isinstance(value, dict) else None
    return obj if isinstance(obj, dict) else None


def _documents(folder: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if _is_document(name):
                out.append(Path(dirpath) / name)
    return out


def _is_document(name: str) -> bool:
    return not (
        name.startswith((".", "~$"))
        or name.endswith(".meta.json")
        or name == FOLDER_META
        or titles.is_note(name)
    )


def _chapter_tree(folder: Path) -> bool:
    children = set()
    for doc in _documents(folder):
        rel = doc.relative_to(folder).parts
        if len(rel) > 1:
            children.add(rel[0])
    return len(children) >= 2


def _other_documents(parent: Path, child: Path) -> bool:
    return any(child not in d.parents for d in _documents(parent))


def _top_document(folder: Path) -> Path | None:
    docs = _documents(folder)
    if not docs:
        return None
    return min(docs, key=lambda d: (len(d.relative_to(folder).parts), d.name != "index.html", d))


def _top_title(top: Path) -> str:
    """The reader's own title of the report's top document (the HTML <title>, front matter)."""
    from .errors import IngestError
    from .load import parse_file

    try:
        parsed = parse_file(top)
    except (IngestError, OSError):
        return ""
    return (parsed.title or "").strip()
