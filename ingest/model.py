"""The nouns of the pipeline: Document, Block, Chunk.

A reader turns a file into a Document made of Blocks; the chunker groups Blocks into Chunks.
Every Chunk carries its citation handle: title, page (index and printed label), paragraph
label(s), section, character offsets into the document text and a content hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

# Bump when a reader or the chunker changes what a file becomes: every document then counts as
# changed on the next ingest and is read again; chunks whose text did not change keep their
# vectors (reused by content hash), so the upgrade costs only what really changed.
# 16: a heading a converter wrapped onto a second line ending "... March 2002 to" is joined
# 15: ... and when it stays, the sentence's end (its continuation's first sentence) joins it
# 14: ... and a block that fits one chunk is not split for it: it moves whole, or stays
# 13: a sentence cut by a page break is kept whole in one chunk (ingest/chunking.py)
# 12: a line ending in punctuation before its footnote reference is no heading
# 11: a numbered heading ("6. Engagement with the public") is no run-in title
# 10: run-in headings
PARSER_VERSION = 16


def one_block(end: int | None, start: int | None) -> bool:
    """Whether a chunk ending at offset `end` and the next starting at `start` are parts of one
    block that the chunker split at a sentence: such parts are one character (a space) apart,
    while blocks are two apart (ingest/structure.py SEPARATOR)."""
    return end is not None and start is not None and start - end == 1


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass
class Block:
    """A unit a reader found: a numbered paragraph, a heading, a list item or plain text.

    `text` is verbatim document text and equals `Document.text[start:end]`.
    """

    text: str
    kind: str = "text"  # "para" (numbered paragraph) | "heading" | "text"
    page: int | None = None  # 1-based page index (PDF page, or %%page N%% marker)
    page_label: str | None = None  # printed page label where the document defines one
    label: str | None = None  # numbered-paragraph label as printed, e.g. "3.41", "64"
    section: str | None = None  # nearest heading above this block
    start: int = 0
    end: int = 0
    role: str = "body"  # what the block is for a reader (see roles.py): "contents", "front" ...
    noise: bool = False  # holds character-spaced OCR noise ("R E P O R T"): never quoted
    ocr: bool = False  # read by OCR from a scanned page image, not from a text layer


@dataclass
class Document:
    """One source file, read."""

    doc_id: str  # stable: derived from `source`
    source: str  # path relative to the folder given to ingest (posix separators)
    title: str
    text: str  # the document text; every Block is a slice of it
    blocks: list[Block]
    content_hash: str  # sha256 of the file bytes
    format: str  # "pdf" | "html" | "docx" | "md" | "rst" | "txt"
    pages: int | None = None  # number of pages, where the format has pages
    metadata: dict = field(default_factory=dict)  # year, organisation, kind (from a sidecar)
    report: str = ""  # report id when the document is one part of a multi-file report
    report_title: str = ""
    part: str = ""  # "Part F, Chapter 2"
    notes: list[str] = field(default_factory=list)  # said at ingest: "OCR read 3 pages" ...


@dataclass
class Chunk:
    """One or more whole blocks, small enough for the embedding window. The unit of retrieval."""

    chunk_id: str
    doc_id: str
    source: str
    title: str
    text: str  # verbatim: Document.text[start:end]
    embed_text: str  # what is embedded: a context header (title > section) plus `text`
    ordinal: int  # position of the chunk in its document
    start: int
    end: int
    page: int | None = None
    page_end: int | None = None
    page_label: str | None = None
    para: str | None = None  # "3.41", or "3.41-3.43" when several paragraphs share a chunk
    section: str | None = None
    content_hash: str = ""  # sha256 of embed_text: equal hashes share one embedding
    footnotes: bool = False  # the chunk is footnotes only (reference apparatus, not body text)
    role: str = "body"  # dominant role of its blocks by length (roles.py)
    roles: str = "body"  # every role of its blocks, comma-separated, plus "noise" when any has it
    pages: str = ""  # JSON [[offset, page, label], ...]: where each page starts within `text`
    report: str = ""  # id of the report the document is part of (reports.py); "" = its own
    report_title: str = ""  # that report's title
    part: str = ""  # the document's place in the report: "Part F, Chapter 2"; "" = whole
    ocr: str = ""  # pages whose text was read by OCR from a scanned image: "2,3"; "" = none

    def to_dict(self) -> dict:
        return asdict(self)


def doc_id_for(source: str) -> str:
    """A stable id from the source path: readable, unique, safe as a Chroma id prefix."""
    return sha256(source)[:16]
