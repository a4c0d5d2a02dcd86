"""Finding files and reading one file into a Document.

`discover` turns the paths a user gave into (file, root) pairs; `read_document` sniffs a file's
content, runs the matching reader and builds the Document with structure.py, then applies
sidecar metadata.

Sidecar metadata (optional), for `report.pdf`:
- `report.pdf.meta.json` or `report.meta.json` next to it, or
- `_meta.json` in the same folder, mapping file names to such objects,
each with any of {"title", "year", "organisation", "kind"}. The file's own sidecar wins over
the folder's. `title` replaces the detected title; the rest goes to `Document.metadata`.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from pathlib import Path, PurePosixPath

from .errors import ConfigError, IngestError
from .limits import ReadLimits, check_paragraphs
from .model import Document, sha256
from .ocr import OcrOptions
from .reports import absolute, find_report, part_of, placed
from .sniff import sniff
from .structure import Parsed, build_document
from .titles import folder_note, guess_kind, is_note, name_year, title_page_year

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 100 * MB
IGNORE_FILE = ".inquiryignore"
FOLDER_META = "_meta.json"
META_KEYS = ("title", "year", "organisation", "kind", "report", "part")


def discover(paths: list[Path], exclude: list[str] = ()) -> list[tuple[Path, Path]]:
    """Files under `paths` as sorted (file, root) pairs; root is the folder given, or a given
    file's parent. Skipped: hidden files and folders, sidecar metadata, Office lock files
    (`~$x.docx`), and files matching a glob of `exclude` or of `root/.inquiryignore` (matched
    against the file name, the path relative to root, and each folder on that path)."""
    found: dict[Path, tuple[Path, Path]] = {}
    for given in paths:
        given = Path(given)
        if given.is_file():
            root = given.parent
            candidates = [given] if not _skipped_name(given.name) else []
        elif given.is_dir():
            root = given
            candidates = _walk(given)
        else:
            raise ConfigError(f"{given}: no such file or folder")
        patterns = list(exclude) + _ignore_patterns(root)
        for f in candidates:
            rel = PurePosixPath(f.relative_to(root).as_posix())
            if not _matches(rel, patterns):
                found.setdefault(f.resolve(), (f, root))
    return sorted(found.values(), key=lambda fr: (str(fr[1]), fr[0].relative_to(fr[1]).as_posix()))


def _walk(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(Path(dirpath) / n for n in sorted(filenames) if not _skipped_name(n))
    return out


def _skipped_name(name: str) -> bool:
    return (
        name.startswith(".")
        or name.startswith("~$")
        or name.endswith(".meta.json")
        or name == FOLDER_META
    )


def _ignore_patterns(root: Path) -> list[str]:
    path = root / IGNORE_FILE
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]


def _matches(rel: PurePosixPath, patterns: list[str]) -> bool:
    for pattern in patterns:
        p = pattern.strip().lstrip("/").rstrip("/")
        if not p:
            continue
        if fnmatch.fnmatchcase(rel.name, p) or fnmatch.fnmatchcase(str(rel), p):
            return True
        parents = [PurePosixPath(*rel.parts[: i + 1]) for i in range(len(rel.parts) - 1)]
        if any(fnmatch.fnmatchcase(d.name, p) or fnmatch.fnmatchcase(str(d), p) for d in parents):
            return True
    return False


def read_document(
    path: Path,
    root: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: ReadLimits | None = None,
    ocr: OcrOptions | None = None,
) -> Document:
    """Read one file into a Document. Raises IngestError (and its subclass UnsupportedFormat)
    naming the file and the reason, or MissingDependency when a parser is not installed.
    `limits` caps size, decompressed size, paragraphs and parse time (limits.py); without it
    only `max_bytes` is given and the other caps keep their defaults. `ocr`: whether scanned
    PDF pages are read by OCR (default: yes), with a per-page progress callback."""
    path, root = Path(path), Path(root)
    limits = limits or ReadLimits(max_bytes=max_bytes)
    max_bytes = limits.max_bytes
    source = _source(path, root)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                path,
                f"file is {size / MB:.1f} MB, larger than the {max_bytes / MB:g} MB limit; "
                "set INQUIRY_MAX_FILE_MB to raise it",
            )
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(path, f"cannot read: {e.strerror or e}") from e
    if not data:
        raise IngestError(path, "empty file (0 bytes)")
    metadata = read_sidecar(path)
    title = metadata.pop("title", None)
    fmt, text = sniff(data, path)
    deadline = limits.deadline()
    parsed = _parse(fmt, data, text, path, limits, deadline, ocr)
    check_paragraphs(len(parsed.blocks), path, limits)
    deadline.check(path)
    report = find_report(path, root, metadata)
    part = metadata.pop("part", None)
    metadata.pop("report", None)
    if report is not None:
        own = parsed.title or next((b.text for b in parsed.blocks if b.kind == "heading"), None)
        part = part if part is not None else part_of(report, own, path)
        parsed.title = f"{report.title}, {part}" if part else report.title
        for key, value in (report.meta or {}).items():
            metadata.setdefault(key, value)
        if report.year:
            metadata.setdefault("year", report.year)
    if title:
        parsed.title = title
    note_title, note_year = _single_document_note(path, root)
    doc = build_document(
        parsed,
        source=source,
        fmt=fmt,
        content_hash=sha256(data),
        metadata=metadata,
        fallback_title=note_title,
    )
    if not doc.blocks:
        raise IngestError(path, f"no text could be extracted from this {fmt.upper()} file")
    if report is not None:
        doc.report, doc.report_title, doc.part = report.report_id, report.title, part or ""
    year = (
        parsed.year
        or title_page_year(doc.title, doc.blocks)
        or note_year
        or name_year(*placed(path, root))
    )
    if year:
        doc.metadata.setdefault("year", year)
    kind = guess_kind(doc.report_title or doc.title, doc.blocks)
    if kind:
        doc.metadata.setdefault("kind", kind)  # a sidecar's or the report object's kind wins
    return doc


def parse_file(path: Path, limits: ReadLimits | None = None) -> Parsed:
    """Sniff and read one file into raw blocks (no structure): for a report's top document.
    Under the same caps as any other file (limits.py)."""
    limits = limits or ReadLimits()
    data = Path(path).read_bytes()
    fmt, text = sniff(data, path)
    return _parse(fmt, data, text, path, limits, limits.deadline())


def _single_document_note(path: Path, root: Path) -> tuple[str | None, int | None]:
    """The folder note's (title, year) when the file is the only document of its folder."""
    path, root = placed(path, root)
    folder = path.parent
    if folder != root and root not in folder.parents:
        return None, None
    try:
        names = [n for n in os.listdir(folder) if (folder / n).is_file()]
    except OSError:
        return None, None
    docs = [n for n in names if not _skipped_name(n) and not is_note(n)]
    return folder_note(folder) if docs == [path.name] else (None, None)


def _source(path: Path, root: Path) -> str:
    for p, r in (
        (absolute(path), absolute(root)),
        (path, root),
        (path.resolve(), root.resolve()),
    ):
        try:
            return p.relative_to(r).as_posix()
        except ValueError:
            continue
    return path.name


def _parse(
    fmt: str, data: bytes, text: str | None, path: Path, limits, deadline, ocr=None
) -> Parsed:
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, path, deadline, ocr)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(data, path, limits, deadline)
    if fmt == "html":
        from .html import read_html

        return read_html(text or "", path, data)
    from .text import read_markdown, read_restructuredtext, read_text

    reader = {"md": read_markdown, "rst": read_restructuredtext}.get(fmt, read_text)
    return reader(text or "", path)


def read_sidecar(path: Path) -> dict:
    """Metadata for `path` from its sidecar files (see module docstring); {} when none."""
    meta: dict = {}
    folder = path.parent / FOLDER_META
    if folder.is_file():
        table = _load_json(folder)
        entry = table.get(path.name, {})
        if not isinstance(entry, dict):
            raise IngestError(folder, f"the entry for {path.name!r} must be a JSON object")
        meta.update(_clean_meta(entry, folder))
    for cand in (path.with_name(path.name + ".meta.json"), path.with_suffix(".meta.json")):
        if cand.is_file():
            meta.update(_clean_meta(_load_json(cand), cand))
            break
    return meta


def write_sidecar(path: Path, *, title: str = "", year="", kind: str = "") -> Path | None:
    """Write `path`'s own sidecar (`report.pdf.meta.json`) from what an upload form gave; None
    when nothing was given. Raises IngestError naming the sidecar for a year that is not one
    (nothing is written then)."""
    sidecar = path.with_name(path.name + ".meta.json")
    raw = {"title": str(title or "").strip(), "year": str(year or "").strip(), "kind": kind}
    if raw["year"] and not re.fullmatch(r"[12]\d{3}", raw["year"]):
        raise IngestError(sidecar, f"invalid year {raw['year']!r}: give four digits, e.g. 2012")
    meta = _clean_meta({k: v for k, v in raw.items() if v}, sidecar)
    if not meta:
        return None
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return sidecar


def _load_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise IngestError(path, f"invalid sidecar metadata (not valid JSON): {e}") from e
    if not isinstance(value, dict):
        raise IngestError(path, "invalid sidecar metadata: expected a JSON object {...}")
    return value


def _clean_meta(raw: dict, where: Path) -> dict:
    out = {}
    for key, value in raw.items():
        key = "organisation" if key == "organization" else key
        if key not in META_KEYS or value in (None, ""):
            continue
        if key == "year":
            try:
                value = int(str(value).strip()[:4])
            except ValueError as e:
                raise IngestError(where, f"invalid sidecar metadata: year {value!r}") from e
        out[key] = value if key == "year" else str(value).strip()
    return out
