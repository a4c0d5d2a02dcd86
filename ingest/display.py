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
- dotted leaders ("Losses ........ 23" -> "Losses 23");
- line breaks inside a sentence (a single newline, or a blank line between a block that does
  not end a sentence and one starting in lower case) become a space; runs of spaces one space.

`is_noise(text)` tells character-spaced OCR text ("a n i f o t"), which is never quoted.
"""

from __future__ import annotations

import re

from .roles import NOISE_SHARE, spaced_share

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
# Pass 1: markup and footnote markers. Pass 2 (on its result): leaders, hyphens, breaks.
_MARKUP = re.compile(
    r"(?P<link>`(?P<words>[^`<>]+?)\s*<[^<>`]+>`__?)"
    r"|(?P<rstfn>[^\S\n]?\[(?:\d{1,4}|#\w*|\*)\]_)"
    r"|(?P<mdfn>[^\S\n]?\[\^[^\]\s]{1,12}\])"
    r"|(?P<htmlfn>(?<=[\w.,;:)”’\"])\[\d{1,4}\](?!\())"
    rf"|(?P<datefn>\b{_MONTH} (?:\d{{1,2}},? )?(?:19|20)\d\d)(?P<fnum>\d{{1,3}})\b"
    r"|(?P<emph>\*\*|__)"
)
_LAYOUT = re.compile(
    r"(?P<leader>[^\S\n]*(?:\.[^\S\n]?){5,}[^\S\n]*|[^\S\n]*…{2,}[^\S\n]*)"
    r"|(?<=[A-Za-z])(?P<hyph>-[^\S\n]*\n?[^\S\n]+|-\n)(?=[a-z])"
    r"|(?P<para>[^\S\n]*\n(?:[^\S\n]*\n)+[^\S\n]*)"
    r"|(?P<nl>[^\S\n]*\n[^\S\n]*)"
    r"|(?P<spaces>[^\S\n]{2,})"
)
_LONG_SPACED = re.compile(r"(?<!\S)(?:\w ){5,}\w(?!\S)")
_SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*$")
_ITEM_START = re.compile(r"(?:[-*+•▪●◦–]|\(?(?:[a-z]|[ivx]{1,4}|\d{1,3})[.)])\s")


def display(text: str) -> tuple[str, list[int]]:
    """(clean text, offsets): offsets[i] is the index in `text` of clean[i]; one more entry at
    the end holds len(text), so a clean span [a, b) is text[offsets[a]:offsets[b - 1] + 1]."""
    plain, first = _apply(text, _MARKUP, _markup)
    clean, second = _apply(plain, _LAYOUT, _layout)
    return clean, [first[i] for i in second]


def _apply(text: str, pattern: re.Pattern, handle) -> tuple[str, list[int]]:
    out: list[str] = []
    offs: list[int] = []

    def keep(a: int, b: int) -> None:
        out.append(text[a:b])
        offs.extend(range(a, b))

    def put(s: str, at: int) -> None:
        out.append(s)
        offs.extend([at] * len(s))

    pos = 0
    for m in pattern.finditer(text):
        keep(pos, m.start())
        pos = m.end()
        handle(m, text, out, keep, put)
    keep(pos, len(text))
    offs.append(len(text))
    return "".join(out), offs


def _markup(m: re.Match, text: str, out, keep, put) -> None:
    if m.group("link"):
        keep(m.start("words"), m.end("words"))
    elif m.group("fnum"):
        keep(m.start("datefn"), m.end("datefn"))
    # emphasis markers and footnote references: dropped


def _layout(m: re.Match, text: str, out, keep, put) -> None:
    kind = m.lastgroup
    if kind == "hyph":
        left = re.search(r"[A-Za-z]+$", text[: m.start()])
        if left and left.group().lower() in _KEEP_HYPHEN:
            put("-", m.start())
    elif kind == "para":
        tail = "".join(out[-4:])
        before = tail.rstrip()
        after = text[m.end() : m.end() + 4].lstrip("> ")[:1]
        joins = before and not _SENTENCE_END.search(before) and after.islower()
        if not joins:
            put("\n\n", m.start())
        elif not tail.endswith(" "):
            put(" ", m.start())
    elif kind == "nl":
        after = text[m.end() : m.end() + 6]
        put("\n" if _ITEM_START.match(after) else " ", m.start())
    else:  # spaces, leader
        tail = "".join(out[-2:])
        if not tail.endswith((" ", "\n")):
            put(" ", m.start())


def display_text(text: str) -> str:
    return display(text)[0]


def source_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of `text` that the display span [start, end) of display(text) came from."""
    _, offs = display(text)
    if end <= start:
        return offs[start], offs[start]
    return offs[start], offs[end - 1] + 1


def is_noise(text: str) -> bool:
    """Character-spaced OCR text: over NOISE_SHARE of its letters in runs like "a n i f o t",
    or one run of six or more spaced letters."""
    return spaced_share(text) > NOISE_SHARE or bool(_LONG_SPACED.search(text))
