"""PDF reader: pypdfium2 (PDFium, BSD/Apache) for text, geometry and page labels.

Chosen over pypdf after measuring both on the DfE PDFs (pypdfium2 ~15x faster, and pypdf split
words such as "c hild"); PyMuPDF is excluded by its AGPL licence.

Paragraphs are rebuilt from text lines, using each line's position, letter height and weight:
a new block starts at a blank gap, a change of font size or weight, a line that starts a
numbered paragraph ("62. ") or a bullet, after a short line that ends a sentence, and where a
list item's text returns to the left margin. Wrapped lines are joined with a space; a line-end
hyphen is kept ("multi-agency") unless the joined word occurs elsewhere in the document
("compa-ny" -> "company"). Running headers/footers (lines repeated at the top or bottom of many
pages) and bare page numbers are dropped. Small-print blocks (footnotes) become notes; bold or
larger short blocks become headings.

Scanned pages (no text layer, an image) are read by OCR page by page (pdf_ocr.py, ocr.py)
unless `ocr.enabled` is off; their blocks are marked `ocr`, their layout measured on their own.

Pages: `page` is the 1-based page index; `page_label` the printed label where the PDF defines
/PageLabels, else str(page index). Title: the /Title metadata when meaningful, else the largest
text on the first page.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import IngestError, MissingDependency
from .ocr import OcrOptions
from .paras import candidate
from .structure import Parsed, RawBlock, one_line

_BULLET = re.compile(r"^(?:[•●▪■◦○‣∙·\-–*➢✓]|o(?=\s))\s*\S")
_LIST_MARK = re.compile(r"^(\(?[a-z]\)|\(?[ivx]{1,4}\)|[a-z]\.)\s+\S")
_PAGE_NUMBER = re.compile(
    r"(?i)(page\s+)?\d{1,4}(\s*(/|of)\s*\d{1,4})?|[ivxlc]{1,6}|-\s*\d{1,4}\s*-"
)
_SUPERSCRIPT = re.compile(r"(?<!\d)(?<!\d[.,])\d{1,3}(?!\d)(?![.,]\d)")
_SOFT_HYPHEN = re.compile(r"(\w+)[\ufffe\x02](\w+)")
_BAD_TITLE = re.compile(
    r"^(untitled|microsoft word.*|powerpoint presentation|slide \d+)$|\.\w{3,4}$", re.I
)
NO_TEXT = "no text layer: the PDF is scanned images and OCR is off (ingest without --no-ocr)"
NO_OCR_TEXT = "no text layer, and OCR found no text on any page"
NO_IMAGE = "no text layer, and no page holds an image for OCR to read"


@dataclass
class Line:
    text: str
    x0: float  # left of the first character
    x1: float  # right of the last character
    y: float  # bottom of the first letter (PDF units, up is larger)
    y_end: float  # bottom of the last letter (differs when PDFium merged a hyphenated line)
    height: float  # loose height of the first letter: the font size, roughly
    bold: bool
    lead: int = 0  # length of a superscript number starting the line (kept in `text`)


@dataclass
class Layout:
    """Typical body text: letter height, line pitch, left and right margins."""

    height: float
    pitch: float
    left: float
    right: float

    @classmethod
    def measure(cls, pages: list[list[Line]]) -> Layout:
        lines = [ln for page in pages for ln in page]
        heights = Counter(round(ln.height * 2) / 2 for ln in lines if len(ln.text) > 30)
        height = heights.most_common(1)[0][0] if heights else 10.0
        gaps = Counter()
        for page in pages:
            for a, b in zip(page, page[1:]):
                gap = a.y_end - b.y
                if abs(a.height - height) < 0.5 and 0 < gap < 3 * height:
                    gaps[round(gap * 2) / 2] += 1
        pitch = gaps.most_common(1)[0][0] if gaps else height * 1.2
        body = sorted(ln.x1 for ln in lines if abs(ln.height - height) < 0.5) or [0.0]
        lefts = sorted(ln.x0 for ln in lines if abs(ln.height - height) < 0.5) or [0.0]
        return cls(height, pitch, lefts[len(lefts) // 10], body[int(len(body) * 0.9)])


def read_pdf(data: bytes, path: Path, deadline=None, ocr: OcrOptions | None = None) -> Parsed:
    """`deadline` (ingest/limits.py), when given, is checked after each page is read; `ocr`
    says whether (and with what progress callback) scanned pages are read by OCR."""
    try:
        import pypdfium2 as pdfium
    except ImportError as e:
        raise MissingDependency("reading PDF needs pypdfium2: pip install pypdfium2") from e
    if b"%%EOF" not in data.rstrip(b"\x00 \t\r\n")[-1024:]:
        raise IngestError(path, "truncated PDF (no %%EOF at the end): the file is incomplete")
    pages, labels, title, scanned = _extract(pdfium, data, path, deadline, ocr or OcrOptions())
    text_layer = [p for i, p in enumerate(pages) if i not in scanned.pages]
    layouts = (Layout.measure(text_layer), Layout.measure([pages[i] for i in scanned.pages]))
    furniture = _furniture(pages)
    vocab = _vocabulary(pages)
    blocks = []
    for i, lines in enumerate(pages):
        layout = layouts[i in scanned.pages]
        body = [ln for ln in lines if id(ln) not in furniture[i]]
        body = [ln for ln in body if not _PAGE_NUMBER.fullmatch(ln.text)]
        for group in _paragraphs(body, layout):
            kind = _kind(group, layout)
            text = _join(group, vocab)
            blocks.append(
                RawBlock(text, kind, page=i + 1, page_label=labels[i], ocr=i in scanned.pages)
            )
    if title is None:
        title = _largest_on_first_page(pages, vocab)
    return Parsed(blocks=blocks, title=title, pages=len(pages), notes=scanned.notes())


def _extract(pdfium, data: bytes, path: Path, deadline, ocr: OcrOptions):
    """(lines of each page, printed page labels, metadata title, what OCR read)."""
    from .pdf_ocr import OcrResult, read_scanned

    pdf = _open(pdfium, data, path)
    scanned = OcrResult()
    try:
        read = []
        for i in range(len(pdf)):
            read.append(_page_lines(pdfium, pdf, i))
            if deadline is not None:
                deadline.check(path)
        labels = [pdf.get_page_label(i) or str(i + 1) for i in range(len(pdf))]
        title = _meta_title(pdf)
        if read and all(p is None for p in read):
            raise IngestError(path, "corrupt PDF: no page could be read")
        pages = [p if p is not None else [] for p in read]
        blank = [i for i, p in enumerate(read) if p == []]  # readable, no text layer
        if ocr.enabled and blank:
            scanned = read_scanned(pdfium, pdf, pages, blank, path, ocr, deadline)
    finally:
        pdf.close()
    if not any(pages):
        raise IngestError(path, _nothing_read(scanned, ocr))
    return pages, labels, title, scanned


def _nothing_read(scanned, ocr: OcrOptions) -> str:
    if not ocr.enabled:
        return NO_TEXT
    if scanned.unreadable:
        pages = ", ".join(str(i + 1) for i in sorted(scanned.unreadable))
        why = next(iter(scanned.unreadable.values()))
        return f"{NO_OCR_TEXT} (pages {pages}: {why})"
    return NO_IMAGE


def _open(pdfium, data: bytes, path: Path):
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise IngestError(
                path, "the PDF is password-protected (encrypted); save an unprotected copy first"
            ) from e
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise IngestError(
                path, "the PDF is encrypted with an unsupported security handler"
            ) from e
        raise IngestError(path, f"corrupt or truncated PDF: {e}") from e


def _page_lines(pdfium, pdf, index: int) -> list[Line] | None:
    """The text lines of a page; None when the page is damaged (the others are kept)."""
    try:
        page = pdf[index]
        textpage = page.get_textpage()
    except pdfium.PdfiumError:
        return None
    try:
        text = page_text(pdfium, textpage)
        return [
            ln for m in re.finditer(r"[^\r\n]+", text) if (ln := _line(pdfium, textpage, text, m))
        ]
    finally:
        textpage.close()
        page.close()


def page_text(pdfium, textpage) -> str:
    """The text of a page, one character per PDFium character index (so offsets in it are
    the indexes `get_charbox` takes)."""
    n = textpage.count_chars()
    text = textpage.get_text_range()
    if len(text) != n:  # characters outside the BMP: map index by index
        text = "".join(chr(pdfium.raw.FPDFText_GetUnicode(textpage.raw, k)) for k in range(n))
    return text


def _line(pdfium, textpage, text: str, m: re.Match) -> Line | None:
    s = m.group()
    i0 = m.start() + len(s) - len(s.lstrip())
    i1 = m.start() + len(s.rstrip()) - 1
    if i1 < i0:
        return None
    letters = [k for k in range(i0, i1) if text[k].isalpha() and text[k + 1].isalpha()]
    first, last = (letters[0], letters[-1]) if letters else (i0, i1)
    box = textpage.get_charbox(first, loose=True)
    end = textpage.get_charbox(last, loose=True)
    runs = _superscripts(textpage, text, i0, i1, box)
    lead = runs[0][1] - i0 if runs and runs[0][0] == i0 else 0
    pieces, pos = [], i0
    for a, b in runs:
        pieces.append(text[pos:a] if a > i0 else text[a:b])
        if a > i0 and b <= i1 and text[b].isalpha():
            pieces.append(" ")  # "child²and" -> "child and"
        pos = b
    pieces.append(text[pos : i1 + 1])
    line = re.sub(r"  +", " ", "".join(pieces)).strip()
    if not line:
        return None
    left = textpage.get_charbox(i0, loose=True)
    right = textpage.get_charbox(i1, loose=True)
    bold = _bold(pdfium, textpage, first) and _bold(pdfium, textpage, last)
    return Line(line, left[0], right[2], box[1], end[1], box[3] - box[1], bold, lead)


def _bold(pdfium, textpage, index: int) -> bool:
    """Font weight >= 600, or a font named bold/black/heavy (standard fonts carry no weight)."""
    raw = pdfium.raw
    if raw.FPDFText_GetFontWeight(textpage.raw, index) >= 600:
        return True
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int(0)
    n = raw.FPDFText_GetFontInfo(textpage.raw, index, buf, 128, ctypes.byref(flags))
    return bool(re.search(rb"bold|black|heavy", buf.raw[: max(n - 1, 0)], re.IGNORECASE))


def _superscripts(textpage, text: str, i0: int, i1: int, base) -> list[tuple[int, int]]:
    """Spans of footnote reference numbers: digits set smaller and raised above the text."""
    height = base[3] - base[1]
    out = []
    for m in _SUPERSCRIPT.finditer(text, i0, i1 + 1):
        b = textpage.get_charbox(m.start(), loose=True)
        if b[3] - b[1] < 0.85 * height and b[1] > base[1] + 0.2 * height:
            out.append(m.span())
    return out


def _furniture(pages: list[list[Line]]) -> list[set[int]]:
    """Per page, the id() of lines that are running headers or footers."""
    edges = []
    for lines in pages:
        ordered = sorted(lines, key=lambda ln: -ln.y)
        edges.append(ordered[:2] + ordered[-2:] if len(ordered) > 4 else ordered)
    counts = Counter(key for page in edges for key in {_edge_key(ln) for ln in page})
    threshold = max(3, 0.4 * len(pages))
    repeated = {k for k, c in counts.items() if c >= threshold}
    return [{id(ln) for ln in page if _edge_key(ln) in repeated} for page in edges]


def _edge_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower())


def _vocabulary(pages: list[list[Line]]) -> set[str]:
    words = set()
    for lines in pages:
        for ln in lines:
            words.update(w.lower() for w in re.findall(r"\w+(?:-\w+)*", ln.text))
    return words


def _starts_item(text: str) -> bool:
    return bool(_BULLET.match(text) or _LIST_MARK.match(text) or candidate(0, text))


def _paragraphs(lines: list[Line], layout: Layout) -> list[list[Line]]:
    groups: list[list[Line]] = []
    for ln in lines:
        if groups and _same_line(groups[-1][-1], ln, layout):
            ln.text = ln.text[ln.lead :].lstrip() or ln.text  # a reference mark mid-line
            groups[-1].append(ln)
        elif groups and not _breaks(groups[-1], ln, layout):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def _same_line(prev: Line, cur: Line, layout: Layout) -> bool:
    """The rest of the same printed line (PDFium breaks lines at superscripts, tab stops)."""
    aligned = abs(prev.y_end - cur.y) < 0.3 * layout.height
    return aligned and cur.x0 >= prev.x1 - 1 and not _BULLET.match(cur.text)


def _breaks(group: list[Line], cur: Line, layout: Layout) -> bool:
    prev = group[-1]
    gap = prev.y_end - cur.y
    if _starts_item(cur.text) or gap > layout.pitch * 1.35 + 1 or gap < -layout.height * 0.5:
        return True
    continues = cur.text[:1].islower() and prev.text[-1] not in ".!?:"
    if not continues and (
        prev.bold != cur.bold or abs(prev.height - cur.height) > 0.15 * prev.height
    ):
        return True
    width = max(layout.right - layout.left, 1)
    if prev.text[-1] in '.!?:”"' and prev.x1 < layout.right - 0.15 * width:
        return True
    return _starts_item(group[0].text) and cur.x0 < group[0].x0 - 5


def _kind(group: list[Line], layout: Layout) -> str:
    height = sum(ln.height for ln in group) / len(group)
    words = sum(len(ln.text.split()) for ln in group)
    last = group[-1].text
    if height < layout.height * 0.88:
        return "note"
    short = words <= 20 and len(group) <= 3 and last[-1] not in ".,;:"
    short = short and not _starts_item(group[0].text)
    if short and (all(ln.bold for ln in group) or height > layout.height * 1.15):
        return "heading"
    return "auto" if len(group) == 1 and height >= layout.height - 0.5 else "text"


def _join(group: list[Line], vocab: set[str]) -> str:
    out = ""
    for ln in group:
        text = _SOFT_HYPHEN.sub(lambda m: _hyphen(m.group(1), m.group(2), vocab), ln.text)
        if not out:
            out = text
        elif out.endswith("-") and not out.endswith(" -") and text[:1].isalnum():
            left = re.search(r"(\w+)-$", out)
            right = re.match(r"\w+", text)
            joined = _hyphen(left.group(1), right.group(), vocab) if left and right else None
            out = out[: left.start()] + joined + text[right.end() :] if joined else out + text
        else:
            out = f"{out} {text}"
    return out


def _hyphen(left: str, right: str, vocab: set[str]) -> str:
    """A word broken at a line end: drop the hyphen only if the whole word is used elsewhere."""
    whole = f"{left}{right}"
    if whole.lower() in vocab and f"{left}-{right}".lower() not in vocab:
        return whole
    return f"{left}-{right}"


def _meta_title(pdf) -> str | None:
    try:
        title = one_line(pdf.get_metadata_value("Title") or "")
    except Exception:  # damaged metadata must not stop reading
        return None
    if len(title) < 4 or _BAD_TITLE.search(title) or not re.search(r"[A-Za-z]{3}", title):
        return None
    return title


def _largest_on_first_page(pages: list[list[Line]], vocab: set[str]) -> str | None:
    first = next((p for p in pages if p), [])
    if not first:
        return None
    top = max(ln.height for ln in first)
    group = [ln for ln in first if ln.height >= top - 0.5][:4]
    return one_line(_join(group, vocab)) or None
