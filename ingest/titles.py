"""Title and year of a document when no sidecar gives them, found in the document itself.

Order (the first that answers wins; a sidecar or the upload form always comes first):

title: the reader's own title (Markdown/YAML front matter `title:`, the HTML `<title>` without
the site name, PDF /Title metadata or else the largest text of the first page, a DOCX Title
style); the first heading that is not a generic one ("Introduction", "Contents", "Part 2");
the first heading of a folder note (`SOURCE.md`, `README.md`, `ABOUT.md` beside a folder's only
document), without a trailing parenthesis; the file name.

year: front matter `published_at:` / `date:` / `year:`; a date on the title page ("July 2025",
"Ordered by the House of Commons to be printed on 8 July 2025", "dated 6 July 2016", or a year
in the title); the year in the folder note's heading ("(HC 1119, 8 July 2025)"); a year in the
file or folder name ("leveson-report-2012").
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import Block

NOTE_NAMES = ("SOURCE.md", "README.md", "ABOUT.md", "README.txt", "README")
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
_DATED = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTHS},?\s+(?:\d{{1,2}},?\s+)?((?:19|20)\d\d)\b"
)
_YEAR = re.compile(r"(?<![\d.,/-])((?:19|20)\d\d)(?![\d/-]|,\d)")
_NAME_YEAR = re.compile(r"(?:^|[^0-9])((?:19|20)\d\d)(?:[^0-9]|$)")
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
TITLE_PAGE_BLOCKS = 15  # without any front matter found, the first blocks read as the title page


def front_matter_year(fields: dict[str, str]) -> int | None:
    for key in ("published_at", "published", "date", "year"):
        if key in fields:
            year = year_in(fields[key])
            if year:
                return year
    return None


def year_in(text: str) -> int | None:
    m = _DATED.search(text) or _YEAR.search(text)
    return int(m.group(1)) if m else None


def title_page_year(title: str, blocks: list[Block]) -> int | None:
    """A publication date on the title page (blocks whose role is `front`), else a year in
    the title."""
    front = [b for b in blocks if b.role == "front"]
    for b in front:
        m = _DATED.search(b.text)
        if m:
            return int(m.group(1))
    m = _YEAR.search(title)
    return int(m.group(1)) if m else None


def name_year(path: Path, root: Path | None = None) -> int | None:
    """A year in the file name, or else in the name of a folder between it and root."""
    names = [path.name.split(".")[0]]
    for parent in path.parents:
        if root is not None and (parent == root or root not in parent.parents):
            break
        names.append(parent.name)
    for name in names:
        m = _NAME_YEAR.search(name)
        if m:
            return int(m.group(1))
    return None


def folder_note(folder: Path) -> tuple[str | None, int | None]:
    """(title, year) from the first heading of a folder note in `folder`, if there is one."""
    for name in NOTE_NAMES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[:40]
        except OSError:
            return None, None
        for line in lines:
            m = _HEADING.match(line)
            if m:
                heading = m.group(1).strip()
                title = strip_parenthesis(heading)
                return title or None, year_in(heading)
        return None, None
    return None, None


def strip_parenthesis(title: str) -> str:
    """'The Leveson Report (As it should be)' -> 'The Leveson Report'."""
    stripped = _TRAILING_PAREN.sub("", title).strip()
    return stripped if len(stripped) >= 4 else title.strip()


def is_note(name: str) -> bool:
    return name in NOTE_NAMES or name == "INDEX.md"


# What kind of report a document is, when no sidecar or upload form says: the first kind whose
# cue appears in its title, else in its first blocks (title page and front matter). Data, with
# the reason for the order: a serious case review is often "published by the safeguarding
# partnership" and mentions an inquiry; a committee's report names the committee on its title
# page; guidance says "statutory guidance" or "advice" there.
KIND_CUES = (
    (
        "serious case review",
        re.compile(
            r"\bserious case review\b|\b(?:child|local child|adult) safeguarding practice review\b|"
            r"\bsafeguarding adults? review\b|\bdomestic homicide review\b",
            re.I,
        ),
    ),
    (
        "article",
        re.compile(r"\bnews article\b|\bby our \w+ correspondent\b|\bopinion piece\b", re.I),
    ),
    ("inquiry", re.compile(r"\binquiry\b|\binquest\b|\broyal commission\b", re.I)),
    (
        "committee report",
        re.compile(
            r"\b(?:sub)?committee on\b|\bhouse of (?:commons|lords|representatives)\b.{0,80}"
            r"\bcommittee\b|\bpermanent subcommittee\b|\bselect committee\b",
            re.I | re.S,
        ),
    ),
    (
        "guidance",
        re.compile(
            r"\bstatutory guidance\b|\bnon[- ]statutory (?:guidance|advice)\b|\bguidance for\b|"
            r"\badvice for practitioners\b|\bnational framework\b",
            re.I,
        ),
    ),
)
KIND_BLOCKS = 40  # the first blocks read for a kind: title page and front matter


def guess_kind(title: str, blocks: list[Block]) -> str | None:
    """The kind of report (KIND_CUES) from its title, else from its first blocks."""
    front = " ".join(b.text for b in blocks[:KIND_BLOCKS])
    for text in (title or "", front):
        for kind, cue in KIND_CUES:
            if cue.search(text):
                return kind
    return None
