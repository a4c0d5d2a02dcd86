"""Plain text, Markdown and reStructuredText readers.

Shared by all three: page markers. A form feed starts a new page (text before the first one is
page 1); a line `%%page 12%%` sets the page of what follows. Marker lines are not document text,
and a marker always ends the paragraph before it.

Text is kept as written (line breaks inside a paragraph included); only markup that is not
content is removed: `#` and underlines of headings, `> ` of quotations, front matter, directives.
"""

from __future__ import annotations

import re
from pathlib import Path

from .paras import candidate
from .rst import parse_rst
from .structure import Parsed, RawBlock
from .titles import front_matter_year

_PAGE_MARK = re.compile(r"^\s*%%\s*page\s+(\d+)\s*%%\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s{0,3}[-*+•▪●◦–]\s+\S")
_ORDERED = re.compile(r"^\s{0,3}\d{1,3}[.)]\s+\S")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HRULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]]+\]:")
_SKIP_LINE = re.compile(r"^\s*(\{:.*\}|<!--.*-->)\s*$")
LONG_LINE = 150  # a text whose lines are this long has one paragraph per line

Line = tuple[str, "int | None"]


def paged_lines(text: str) -> list[Line]:
    """Lines with their page; marker lines become ("\\f", page) sentinels (a paragraph break)."""
    page: int | None = 1 if "\f" in text else None
    out: list[Line] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        pieces = raw.split("\f")
        for n, piece in enumerate(pieces):
            if n:
                page = (page or 1) + 1
                out.append(("\f", page))
            m = _PAGE_MARK.match(piece)
            if m:
                page = int(m.group(1))
                out.append(("\f", page))
            elif piece or n == 0:
                out.append((piece, page))
    return out


def read_text(text: str, path: Path) -> Parsed:
    """Plain text: paragraphs split on blank lines, on numbered-paragraph and bullet lines, and
    on every line break when the lines are long (one paragraph per line)."""
    blocks: list[RawBlock] = []
    for group in _groups(paged_lines(text)):
        long = max(len(line) for line, _ in group) >= LONG_LINE
        para: list[Line] = []
        for line, page in group:
            if para and (long or candidate(0, line) or _BULLET.match(line)):
                blocks.append(_block(para))
                para = []
            para.append((line, page))
        if para:
            blocks.append(_block(para))
    return Parsed(blocks=blocks)


def _groups(lines: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines (a page marker ends a run)."""
    groups, cur = [], []
    for line, page in lines:
        if line == "\f" or not line.strip():
            if cur:
                groups.append(cur)
            cur = []
        else:
            cur.append((line, page))
    if cur:
        groups.append(cur)
    return groups


def _block(lines: list[Line], kind: str = "auto", detect: bool = True) -> RawBlock:
    return RawBlock("\n".join(t for t, _ in lines), kind=kind, page=lines[0][1], detect=detect)


def read_markdown(text: str, path: Path) -> Parsed:
    lines = paged_lines(text)
    fields, lines = _front_matter(lines)
    title = fields.get("title", "").strip("\"'").strip() or None
    parsed = Parsed(blocks=_MarkdownParser().parse(lines), title=title)
    parsed.year = front_matter_year(fields)
    return parsed


def read_restructuredtext(text: str, path: Path) -> Parsed:
    return Parsed(blocks=parse_rst(paged_lines(text)))


def _front_matter(lines: list[Line]) -> tuple[dict[str, str], list[Line]]:
    """YAML front matter (`---` ... `---`): its top-level `key: value` fields, and the lines
    after it."""
    if not lines or lines[0][0].strip() != "---":
        return {}, lines
    for i in range(1, min(len(lines), 200)):
        if lines[i][0].strip() in ("---", "..."):
            fields = {}
            for line, _ in lines[1:i]:
                m = re.match(r"^(\w+)\s*:\s*(.+?)\s*$", line)
                if m:
                    fields.setdefault(m.group(1).lower(), m.group(2).strip().strip("\"'"))
            return fields, lines[i + 1 :]
    return {}, lines


class _MarkdownParser:
    """A line-based reading of Markdown: enough structure for blocks, not a renderer."""

    def parse(self, lines: list[Line]) -> list[RawBlock]:
        self.out: list[RawBlock] = []
        self.para: list[Line] = []
        self.kind, self.detect = "auto", True
        self.fence: str | None = None
        for line, page in lines:
            self._line(line, page)
        self._flush()
        return self.out

    def _flush(self) -> None:
        if self.para:
            self.out.append(_block(self.para, self.kind, self.detect))
        self.para, self.kind, self.detect = [], "auto", True

    def _start(self, line: str, page: int | None, kind: str, detect: bool) -> None:
        self._flush()
        self.para, self.kind, self.detect = [(line, page)], kind, detect

    def _line(self, line: str, page: int | None) -> None:
        if self.fence is not None:
            self.para.append((line, page))
            if line.strip().startswith(self.fence):
                self.fence = None
                self._flush()
            return
        if line == "\f" or not line.strip():
            self._flush()
            return
        if _SKIP_LINE.match(line):
            return
        if self._structural(line, page):
            return
        quoted = re.match(r"^\s{0,3}>\s?(.*)$", line)
        if quoted:
            if self.para and self.detect:
                self._flush()
            if not self.para:
                self.kind, self.detect = "text", False
            self.para.append((quoted.group(1), page))
            return
        self.para.append((line, page))

    def _structural(self, line: str, page: int | None) -> bool:
        """Headings, fences, rules, list items and footnotes; True when the line was used."""
        m = _ATX.match(line)
        if m:
            self._flush()
            if m.group(2):
                self.out.append(
                    RawBlock(m.group(2), kind="heading", page=page, level=len(m.group(1)))
                )
            return True
        if _SETEXT.match(line) and len(self.para) == 1 and self.kind == "auto":
            self.kind = "heading"
            self._flush()
            return True
        if _HRULE.match(line):
            self._flush()
            return True
        m = _FENCE.match(line)
        if m:
            self._start(line, page, "text", False)
            self.fence = m.group(1)
            return True
        if _FOOTNOTE_DEF.match(line):
            self._start(line, page, "note", False)
            return True
        if _BULLET.match(line):
            self._start(line, page, "text", False)
            return True
        if _ORDERED.match(line):
            self._start(line, page, "auto", True)
            return True
        return False
