"""A line-based reading of reStructuredText: the structure we need, without rendering.

- section titles: a line underlined (and optionally overlined) with one punctuation character;
- `.. rubric:: Footnotes` is a heading; `.. [1] text` is a footnote (a note block, kept as
  "[1] text"); references like `[1]_` stay in the text verbatim;
- auto-numbered list items `#.` get their number as an explicit label ("1", "2", ...), as the
  rendered document prints them; bullet items, line blocks (`| `) and indented block quotes
  are kept but never taken for numbered paragraphs;
- comments, targets and directives that carry no prose (image, include, contents, ...) are
  skipped; the bodies of other directives (note, admonition, ...) are read as paragraphs.
"""

from __future__ import annotations

import re
import textwrap

from .structure import RawBlock

_ADORN = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1{2,}\s*$")
_FOOTNOTE = re.compile(r"^\.\.\s+\[[^\]]+\]")
_DIRECTIVE = re.compile(r"^\.\.\s+(?:\|[^|]+\|\s+)?([\w:.-]+)::\s*(.*)$")
_BULLET = re.compile(r"^[-*+•]\s+\S")
_AUTO_ENUM = re.compile(r"^#\.\s+\S")
_OPTION = re.compile(r"^\s+:[\w -]+:")
_SKIP_DIRECTIVES = frozenset({
    "image", "figure", "raw", "include", "contents", "sectnum", "section-numbering", "meta",
    "toctree", "target-notes", "header", "footer", "role", "default-role", "class", "index",
    "highlight", "replace", "unicode", "date", "title",
})  # fmt: skip
_TITLED_DIRECTIVES = frozenset({"topic", "sidebar", "admonition"})

Line = tuple[str, "int | None"]


def parse_rst(lines: list[Line]) -> list[RawBlock]:
    return _RstParser(lines).run()


def _is_underline(line: str, title: str) -> bool:
    return bool(_ADORN.match(line)) and len(line.strip()) >= max(3, int(len(title.strip()) * 0.8))


class _RstParser:
    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.out: list[RawBlock] = []
        self.para: list[Line] = []
        self.kind, self.detect, self.label = "auto", True, None
        self.mode: str | None = None  # "skip" | "note" | "body": what indented lines belong to
        self.enum = 0

    def run(self) -> list[RawBlock]:
        i = 0
        while i < len(self.lines):
            i = self._step(i)
        self._flush()
        return self.out

    def _flush(self) -> None:
        if self.para:
            text = textwrap.dedent("\n".join(t for t, _ in self.para))
            self.out.append(
                RawBlock(
                    text, self.kind, page=self.para[0][1], label=self.label, detect=self.detect
                )
            )
        self.para, self.kind, self.detect, self.label = [], "auto", True, None

    def _heading(self, text: str, page: int | None) -> None:
        self._flush()
        self.enum = 0
        if text.strip():
            self.out.append(RawBlock(text.strip(), kind="heading", page=page))

    def _step(self, i: int) -> int:
        line, page = self.lines[i]
        if line == "\f" or not line.strip():
            self._flush()
            return i + 1
        indented = line[:1] in (" ", "\t")
        if self.mode and not indented:
            self.mode = None
        if self.mode == "skip":
            return i + 1
        used = self._title(i) or self._markup(line, page)
        if used:
            return i + used
        self._text(line, page, indented)
        return i + 1

    def _title(self, i: int) -> int:
        """Lines used by a section title (underlined, or over- and underlined), or 0."""
        line, page = self.lines[i]
        nxt = self.lines[i + 1][0] if i + 1 < len(self.lines) else ""
        if self.para or line[:1] in (" ", "\t"):
            return 0
        if not _ADORN.match(line) and _is_underline(nxt, line):
            self._heading(line, page)
            return 2
        if _ADORN.match(line):
            after = self.lines[i + 2][0] if i + 2 < len(self.lines) else ""
            if nxt.strip() and after.strip() == line.strip():
                self._heading(nxt, page)
                return 3
            self._flush()  # a transition
            return 1
        return 0

    def _markup(self, line: str, page: int | None) -> int:
        """Footnotes, directives, comments and list items: 1 when the line was one."""
        stripped = line.strip()
        if _FOOTNOTE.match(line):
            self._flush()
            self.mode = "note"
            self.para, self.kind, self.detect = [(line[3:].lstrip(), page)], "note", False
            return 1
        m = _DIRECTIVE.match(line)
        if m:
            self._directive(m.group(1).lower(), m.group(2), page)
            return 1
        if line.startswith(".."):
            self._flush()
            self.mode = "skip"
            return 1
        if self.mode == "body" and not self.para and _OPTION.match(line):
            return 1
        if _AUTO_ENUM.match(stripped):
            self._flush()
            self.enum += 1
            self.para, self.kind, self.detect = [(stripped, page)], "text", False
            self.label = str(self.enum)
            return 1
        if _BULLET.match(stripped):
            self._flush()
            self.para, self.kind, self.detect = [(stripped, page)], "text", False
            return 1
        return 0

    def _directive(self, name: str, argument: str, page: int | None) -> None:
        self._flush()
        if name == "rubric" or (name in _TITLED_DIRECTIVES and argument):
            self._heading(argument, page)
        self.mode = "skip" if name in _SKIP_DIRECTIVES or name == "rubric" else "body"

    def _text(self, line: str, page: int | None, indented: bool) -> None:
        if not self.para:
            if not indented:
                self.enum = 0
            if self.mode == "note" and indented:
                self.kind, self.detect = "note", False
            elif line.lstrip().startswith("| ") or (indented and self.mode != "body"):
                self.kind, self.detect = "text", False
        self.para.append((line.rstrip(), page))
