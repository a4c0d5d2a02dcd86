"""DOCX reader (python-docx).

Body paragraphs and tables in document order. Paragraphs styled "Title" or "Heading N" (or with
an outline level) are headings; list-styled paragraphs are list items; numbered paragraphs are
found from their text ("3.41 ...") by structure.py. Word's automatic numbering is not rendered
into the text, so auto-numbered paragraphs carry no label. Table rows become one block each,
cells joined by " | ".

Pages: a DOCX has no fixed pages. Only explicit page breaks (a page-break run or "page break
before") are counted: when there are any, blocks get page 1, 2, ...; otherwise page is None.
Title: the core property "title" when it is meaningful, else the first Title/Heading paragraph.

Hostile files: the archive is checked against the decompressed-size and paragraph caps before
python-docx inflates it (ingest/limits.py), and the parse deadline is checked per block. XML
entities are never resolved; an entity reference (an XXE attempt) is dropped and the text
around it kept.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .errors import IngestError, MissingDependency
from .limits import ReadLimits, check_zip
from .structure import Parsed, RawBlock

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(title|heading\s*\d|subtitle)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"list", re.IGNORECASE)
_PLACEHOLDER_TITLE = re.compile(r"^(untitled|document\d*|microsoft word.*|title)$", re.IGNORECASE)


def read_docx(data: bytes, path: Path, limits: ReadLimits | None = None, deadline=None) -> Parsed:
    try:
        import docx
    except ImportError as e:
        raise MissingDependency("reading DOCX needs python-docx: pip install python-docx") from e
    limits = limits or ReadLimits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            check_zip(z, path, limits)
        document = docx.Document(io.BytesIO(data))
    except IngestError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise IngestError(path, f"corrupt DOCX (cannot open the Word document: {e})") from e
    except Exception as e:  # lxml XMLSyntaxError and python-docx's own errors
        raise IngestError(path, f"corrupt DOCX ({type(e).__name__}: {e})") from e
    _drop_entities(document.element.body)
    paged = _has_page_breaks(document)
    blocks, page = [], 1 if paged else None
    for el in document.element.body.iterchildren():
        if deadline is not None:
            deadline.check(path)
        if el.tag == f"{_W}p":
            block, breaks_before, breaks_after = _paragraph(el, document)
            page = page + breaks_before if paged else None
            if block is not None:
                block.page = page
                blocks.append(block)
            page = page + breaks_after if paged else None
        elif el.tag == f"{_W}tbl":
            blocks.extend(RawBlock(row, kind="text", page=page, detect=False) for row in _rows(el))
    return Parsed(blocks=blocks, title=_title(document, blocks), pages=page)


def _drop_entities(body) -> None:
    """Remove unresolved entity references (`&xxe;`), keeping the text that follows them: lxml
    keeps that text as the entity's tail, which python-docx would not read."""
    from lxml import etree

    for ent in list(body.iter(etree.Entity)):
        parent = ent.getparent()
        tail = ent.tail or ""
        prev = ent.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(ent)


def _has_page_breaks(document) -> bool:
    body = document.element.body
    return bool(body.findall(f".//{_W}br[@{_W}type='page']")) or bool(
        body.findall(f".//{_W}pageBreakBefore")
    )


def _paragraph(el, document) -> tuple[RawBlock | None, int, int]:
    """(block or None, page breaks before its text, page breaks after it)."""
    from docx.text.paragraph import Paragraph

    para = Paragraph(el, document)
    before = 1 if el.find(f"{_W}pPr/{_W}pageBreakBefore") is not None else 0
    breaks = el.findall(f".//{_W}br[@{_W}type='page']")
    text = para.text.strip()
    if not text:
        return None, before, len(breaks)
    # A break before any text moves the paragraph itself to the next page.
    leading = _leading_breaks(el)
    style = (para.style.name if para.style is not None else "") or ""
    outline = el.find(f"{_W}pPr/{_W}outlineLvl")
    if _HEADING_STYLE.match(style.strip()) or outline is not None:
        kind, detect = "heading", False
    elif _LIST_STYLE.search(style) or el.find(f"{_W}pPr/{_W}numPr") is not None:
        kind, detect = "text", bool(re.match(r"\d", text))  # typed numbers only
    else:
        kind, detect = "text", True
    block = RawBlock(para.text, kind=kind, detect=detect)
    return block, before + leading, len(breaks) - leading


def _leading_breaks(el) -> int:
    n = 0
    for node in el.iter(f"{_W}t", f"{_W}br"):
        if node.tag == f"{_W}t" and (node.text or "").strip():
            break
        if node.tag == f"{_W}br" and node.get(f"{_W}type") == "page":
            n += 1
    return n


def _rows(tbl) -> list[str]:
    out = []
    for tr in tbl.iter(f"{_W}tr"):
        cells = []
        for tc in tr.iterchildren(f"{_W}tc"):
            text = " ".join(
                "".join(t.text or "" for t in p.iter(f"{_W}t")) for p in tc.iter(f"{_W}p")
            )
            text = " ".join(text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            out.append(" | ".join(cells))
    return out


def _title(document, blocks: list[RawBlock]) -> str | None:
    title = (document.core_properties.title or "").strip()
    if title and not _PLACEHOLDER_TITLE.match(title) and not re.search(r"\.\w{3,4}$", title):
        return title
    return next((b.text for b in blocks if b.kind == "heading"), None)
