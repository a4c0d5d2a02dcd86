"""One builder for every format: raw blocks from a reader -> a Document.

Readers only split a file into `RawBlock`s (text, page, a kind hint, an explicit paragraph label
where the markup has one). This module decides the rest, the same way for every format:

- headings: the reader's own (Markdown `#`, HTML `<h2>`, bold PDF lines), plus, for blocks the
  reader marks "auto", short title-case or upper-case lines without final punctuation;
- numbered paragraphs (see paras.py): `kind="para"` and `label="3.41"` on the block that starts
  the paragraph; the label text stays in the block text;
- the blocks that follow a numbered paragraph up to the next paragraph or heading (its list
  items, quotations, its continuation on the next page or after a footnote) carry its label with
  `kind="text"`; footnotes (`kind="note"`) carry none and do not interrupt it: a footnote that
  the page order puts in the middle of a sentence moves to after the text it interrupts;
- `section`: the nearest heading above (a heading's own section is itself);
- `Document.text`: the blocks joined by a blank line, so `text[b.start:b.end] == b.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import paras, roles
from .model import Block, Document, doc_id_for

SEPARATOR = "\n\n"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NUMBERED_HEADING = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[A-Z]\.|[IVXL]{1,6}\.|"
    r"(?:part|chapter|section|annex|appendix|schedule)\b)\s*",
    re.IGNORECASE,
)
_GENERIC_TITLE = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:introduction|contents|table of contents|foreword|preface|"
    r"summary|chapter\b.*|part\b.*|section\b.*)$",
    re.IGNORECASE,
)


@dataclass
class RawBlock:
    """What a reader found, before structure detection.

    kind: "heading" (certain), "text" (not a heading), "auto" (decide by its look), "note"
    (a footnote: never a paragraph, does not interrupt one). `detect=False` turns off
    paragraph-number detection (list items, quotations). `label`: explicit label from markup.
    """

    text: str
    kind: str = "text"
    page: int | None = None
    page_label: str | None = None
    label: str | None = None
    detect: bool = True
    level: int | None = None  # heading level where the markup gives one (Markdown #, <h2>)
    ocr: bool = False  # read by OCR from a page image (a scanned PDF page)


@dataclass
class Parsed:
    """A reader's result."""

    blocks: list[RawBlock] = field(default_factory=list)
    title: str | None = None
    pages: int | None = None
    year: int | None = None  # publication year the reader found (front matter, PDF metadata)
    notes: list[str] = field(default_factory=list)  # what the reader wants said (OCR pages)


def clean_text(text: str) -> str:
    """Strip control characters and trailing spaces on each line; keep the words as they are."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def one_line(text: str, limit: int = 200) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Footnote references at the end of a line: Markdown "[^12]", reStructuredText "[12]_",
# bracketed "[12]". They follow the punctuation that ends a sentence ("Mr Hale: Yes.[^71]").
_TRAILING_NOTES = re.compile(r"(?:\s*\[\^?[\w-]+\]_?)+$")


def looks_like_heading(text: str) -> bool:
    """A short line without final punctuation (footnote references aside), in title case,
    upper case or numbered; not one closing a quotation it did not open (the end of a
    quoted letter: 'Yours, Tom"')."""
    bare = _TRAILING_NOTES.sub("", text)
    if "\n" in text or len(text) > 100 or bare.rstrip("”\"’')]")[-1:] in tuple(".,;:!?"):
        return False
    if bare.count('"') % 2 or bare.count("”") > bare.count("“"):
        return False
    words = text.split()
    if len(words) > 12 or not (text[0].isupper() or text[0].isdigit()):
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return False
    if all(c.isupper() for c in letters):
        return True
    number = _NUMBERED_HEADING.match(text)
    significant = [w for w in text[number.end() if number else 0 :].split() if len(w) > 3]
    significant = [w for w in significant if w[0].isalpha()]
    capitals = sum(1 for w in significant if w[0].isupper())
    return not significant or capitals / len(significant) >= 0.6


def pretty_stem(path: Path) -> str:
    stem = path.name.split(".")[0] or path.name
    words = re.sub(r"[_\-\s]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def build_document(
    parsed: Parsed,
    *,
    source: str,
    fmt: str,
    content_hash: str,
    metadata: dict | None = None,
    fallback_title: str | None = None,
) -> Document:
    raws = [replace(r, text=clean_text(r.text)) for r in parsed.blocks]
    raws = _run_on_headings([r for r in raws if r.text])
    kinds = _classify(raws)
    labels = _assign_labels(raws, kinds)
    raws, kinds, labels = _notes_after_sentence(raws, kinds, labels)
    blocks = _make_blocks(raws, kinds, labels)
    roles.assign(blocks, [r.level for r in raws], paged=any(b.page is not None for b in blocks))
    text = SEPARATOR.join(b.text for b in blocks)
    title = _title(parsed.title, blocks, source, fallback_title)
    return Document(
        doc_id=doc_id_for(source),
        source=source,
        title=title,
        text=text,
        blocks=blocks,
        content_hash=content_hash,
        format=fmt,
        pages=parsed.pages,
        metadata=dict(metadata or {}),
        notes=list(parsed.notes),
    )


_OPEN_END = re.compile(r"[.:;?!)\]\"”’]\s*$")
# "Shoddy Lending Practices. WaMu and its affiliate, Long Beach Mortgage": a run-in title, then
# the opening of a sentence (five words or more, two of them in lower case: not initials or a
# line of capitals such as "ELISE J. BEAN" or "IMPACT. HAS CAUSED LOCAL").
# The title ends in a word of three letters or more: not a number ("6. Engagement with the
# public"), initials ("U.S."), or a title ("Mrs").
_RUN_IN = re.compile(r"(?<=[A-Za-z]{3})(?<!\bMrs)\.\s+([A-Z].*)$")


def _continued(heading: str, following: str) -> bool:
    """Whether `heading` is a sentence's start that `following` completes: the next block goes
    on in lower case after a heading ending in a lower-case word or holding a run-in title
    ("... should" | "safeguard taxpayer dollars"), or the heading opens a sentence after its
    run-in title (five words or more, two in lower case)."""
    m = _RUN_IN.search(heading)
    if following[:1].islower() and (m or heading.split()[-1][:1].islower()):
        return True
    words = m.group(1).split() if m else []
    return len(words) >= 5 and sum(w[:1].islower() for w in words) >= 2


# A heading line cannot end on these: a converter that wrapped a long heading put the rest of it
# on the next line ("Planning for the handover, March 2002 to" | "June 2003"). Words that only
# join or lead into what follows (articles, prepositions, conjunctions), and a dash.
_OPEN_HEADING = re.compile(
    r"(?:\b(?:a|an|the|to|of|and|or|in|on|for|with|from|by|at|into|between)|[–—-])\s*$"
)


def _wrapped(heading: RawBlock, following: RawBlock) -> bool:
    """`following` is the second line of `heading`, wrapped by a converter: the heading ends on
    a word that leads into more, and the next block is a short line that ends no sentence. A
    line in lower case after a sentence's start is left to `_continued` (a paragraph)."""
    return (
        heading.kind == "heading"
        and following.kind in ("text", "auto")
        and bool(_OPEN_HEADING.search(heading.text))
        and not _RUN_IN.search(heading.text)
        and not following.text[:1].islower()
        and len(following.text.split()) <= 8
        and not _OPEN_END.search(following.text)
    )


def _run_on_headings(raws: list[RawBlock]) -> list[RawBlock]:
    """A "heading" that stops mid-sentence and is continued by the next block (in lower case,
    or after a run-in title) is the start of a paragraph that a converter marked up as a
    heading ("### Help Investors Hold CRAs Accountable. The SEC should use its regulatory" |
    "authority to facilitate ..."): one text block. Four words at least: a short heading over
    a paragraph that happens to start in lower case is left alone."""
    out: list[RawBlock] = []
    for r in raws:
        prev = out[-1] if out else None
        if prev is not None and _wrapped(prev, r):
            out[-1] = replace(prev, text=f"{prev.text} {r.text}")  # still a heading, its level
            continue
        if (
            prev is not None
            and prev.kind == "heading"
            and r.kind in ("text", "auto")
            and _continued(prev.text, r.text)
            and len(prev.text.split()) >= 4
            and not _OPEN_END.search(prev.text)
        ):
            text = f"{prev.text} {r.text}"
            out[-1] = replace(r, text=text, page=prev.page, page_label=prev.page_label, level=None)
            continue
        out.append(r)
    return out


def _classify(raws: list[RawBlock]) -> list[str]:
    kinds = []
    for r in raws:
        if r.kind in ("heading", "note"):
            kinds.append(r.kind)
        elif r.kind == "auto" and r.label is None and looks_like_heading(r.text):
            kinds.append("heading")
        else:
            kinds.append("text")
    return kinds


def _assign_labels(raws: list[RawBlock], kinds: list[str]) -> list[str | None]:
    """Labels per block; sets kinds[i] = "para" on paragraph starts, "text" on notes."""
    cands, after_heading, prev = [], set(), None
    for i, (r, kind) in enumerate(zip(raws, kinds)):
        if kind == "text" and r.label is None and r.detect:
            c = paras.candidate(i, r.text)
            if c:
                cands.append(c)
        if prev == "heading":
            after_heading.add(i)
        if kind != "note":
            prev = kind
    accepted, off_style = paras.select(cands, after_heading)
    found = {c.index: c.label for c in cands if c.index in accepted}
    labels: list[str | None] = [None] * len(raws)
    current = None
    for i, r in enumerate(raws):
        label = r.label if r.label is not None else found.get(i)
        if kinds[i] == "heading":
            current = None
        elif label is not None:
            kinds[i], labels[i], current = "para", label, label
        elif kinds[i] == "note":
            pass
        elif i in off_style:
            kinds[i] = "text"
        else:
            labels[i] = current
    return labels


def _notes_after_sentence(raws, kinds, labels):
    """Footnotes that PDF page order puts in the middle of a sentence ("... should decide",
    footnotes of that page, "on whether ...") move to after the text they interrupt, so a
    paragraph's text stays whole for chunking, search and quotation."""
    out, notes, last_body = [], [], None
    for i in range(len(raws)):
        if kinds[i] == "note":
            notes.append(i)
            continue
        continues = (
            notes
            and last_body is not None
            and kinds[i] == "text"
            and not paras.SENTENCE_DONE.search(raws[last_body].text)
        )
        if notes and not continues:
            out.extend(notes)
            notes = []
        out.append(i)
        if continues:
            out.extend(notes)
            notes = []
        last_body = i
    out.extend(notes)
    return [raws[i] for i in out], [kinds[i] for i in out], [labels[i] for i in out]


def _make_blocks(raws: list[RawBlock], kinds: list[str], labels: list[str | None]) -> list[Block]:
    blocks, pos, section = [], 0, None
    for r, kind, label in zip(raws, kinds, labels):
        if kind == "heading":
            section = one_line(r.text)
        page_label = r.page_label if r.page_label is not None else _str(r.page)
        blocks.append(
            Block(
                text=r.text,
                kind=kind,
                page=r.page,
                page_label=page_label,
                label=label,
                section=section,
                start=pos,
                end=pos + len(r.text),
                ocr=r.ocr,
            )
        )
        pos += len(r.text) + len(SEPARATOR)
    return blocks


def _str(page: int | None) -> str | None:
    return None if page is None else str(page)


def _title(given: str | None, blocks: list[Block], source: str, fallback: str | None) -> str:
    """The reader's title; the first heading unless generic ("1. Introduction"); the folder
    note's title (`fallback`, see titles.py); the file name."""
    if given and given.strip():
        return one_line(given)
    for b in blocks:
        if b.kind == "heading":
            if not _GENERIC_TITLE.match(one_line(b.text)):
                return one_line(b.text)
            break
    return one_line(fallback) if fallback else pretty_stem(Path(source))
