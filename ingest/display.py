"""Display text: what a reader is shown of verbatim text, mapped back to the source offsets.

Stored chunk text stays verbatim (quotes are verified against it). `display(text)` gives the
readable form and, for every character of it, the offset in `text` it comes from, so a quote
chosen in the display form is found in the source (`source_span`) and the reverse.

Removed or rewritten:
- Markdown/rst emphasis markers `**`, `__`; rst links `` `words <url>`_ `` keep their words;
- footnote markers: rst `[30]_`, Markdown `[^1222]`, HTML references written "[12]" right
  after a word or punctuation, and a footnote number run into a year after a month
  ("December 2002218" -> "December 2002");
- end-of-line hyphenation: "deci- sion-making" -> "decision-making" (the hyphen is kept after
  a prefix such as "multi-", "non-", "co-");
- line breaks inside a sentence (a single newline, or a blank line between a block that does
  not end a sentence and one starting in lower case) become a space; runs of spaces one space.

`is_noise(text)` tells character-spaced OCR text ("a n i f o t"), which is never quoted.
"""

from __future__ import annotations

import re

from .roles import SPACED

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
_KEEP_HYPHEN = frozenset(
    [
        "anti",
        "co",
        "counter",
        "cross",
        "inter",
        "intra",
        "multi",
        "non",
        "post",
        "pre",
        "pro",
        "re",
        "self",
        "semi",
        "sub",
        "super",
        "ex",
        "well",
        "long",
        "short",
        "half",
        "part",
        "full",
    ]
)
_PATTERN = re.compile(
    r"(?P<link>`(?P<words>[^`<>]+?)\s*<[^<>`]+>`__?)"
    r"|(?P<rstfn>[^\S\n]?\[(?:\d{1,4}|#\w*|\*)\]_)"
    r"|(?P<mdfn>[^\S\n]?\[\^[^\]\s]{1,12}\])"
    r"|(?P<htmlfn>(?<=[\w.,;:)”’\"])\[\d{1,4}\](?!\())"
    rf"|(?P<datefn>\b{_MONTH} (?:\d{{1,2}},? )?(?:19|20)\d\d)(?P<fnum>\d{{1,3}})\b"
    r"|(?P<emph>\*\*|__)"
    r"|(?<=[A-Za-z])(?P<hyph>-[^\S\n]*\n?[^\S\n]+|-\n)(?=[a-z])"
    r"|(?P<para>[^\S\n]*\n(?:[^\S\n]*\n)+[^\S\n]*)"
    r"|(?P<nl>[^\S\n]*\n[^\S\n]*)"
    r"|(?P<spaces>[^\S\n]{2,})"
)
_SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*$")
_ITEM_START = re.compile(r"(?:[-*+•▪●◦–]|\(?[a-z0-9ivx]{1,4}[.)])\s")


def display(text: str) -> tuple[str, list[int]]:
    """(clean text, offsets): offsets[i] is the index in `text` of clean[i]; one more entry at
    the end holds len(text), so a clean span [a, b) is text[offsets[a]:offsets[b - 1] + 1]."""
    out: list[str] = []
    offs: list[int] = []

    def keep(a: int, b: int) -> None:
        out.append(text[a:b])
        offs.extend(range(a, b))

    def put(s: str, at: int) -> None:
        out.append(s)
        offs.extend([at] * len(s))

    pos = 0
    for m in _PATTERN.finditer(text):
        keep(pos, m.start())
        pos = m.end()
        kind = m.lastgroup
        if kind == "words" or m.group("link"):
            keep(m.start("words"), m.end("words"))
        elif kind == "fnum":
            keep(m.start("datefn"), m.end("datefn"))
        elif kind == "hyph":
            left = re.search(r"[A-Za-z]+$", text[: m.start()])
            word = left.group().lower() if left else ""
            if word in _KEEP_HYPHEN:
                put("-", m.start())
        elif kind == "para":
            before, after = text[: m.start()].rstrip(), text[m.end() : m.end() + 1]
            joins = before and not _SENTENCE_END.search(before) and after.islower()
            put(" " if joins else "\n\n", m.start())
        elif kind == "nl":
            after = text[m.end() : m.end() + 6]
            put("\n" if _ITEM_START.match(after) else " ", m.start())
        elif kind == "spaces":
            put(" ", m.start())
        # emph, rstfn, mdfn, htmlfn: dropped
    keep(pos, len(text))
    clean = "".join(out)
    offs.append(len(text))
    return clean, offs


def display_text(text: str) -> str:
    return display(text)[0]


def source_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of `text` that the display span [start, end) of display(text) came from."""
    _, offs = display(text)
    if end <= start:
        return offs[start], offs[start]
    return offs[start], offs[end - 1] + 1


def is_noise(text: str, share: float = 0.3) -> bool:
    """Character-spaced OCR text: over `share` of its letters in runs like "a n i f o t"."""
    letters = sum(1 for c in text if not c.isspace())
    if not letters:
        return False
    spaced = sum(len(m.group().replace(" ", "")) for m in SPACED.finditer(text))
    return spaced / letters > share or bool(re.search(r"(?<!\S)(?:\w ){5,}\w(?!\S)", text))
