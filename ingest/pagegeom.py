"""Where a quote stands on a PDF page: the page as an image and the quote's boxes on it.

One page is opened and rendered (pypdfium2 reads the file lazily, so page 480 of a 500-page
report costs one page). The quote is found in the page's text layer, compared letters and
digits only, case-folded and NFKC-normalised, so line breaks, end-of-line hyphens, ligatures
and spacing that differ between the stored text and the text layer don't matter; failing that,
without digits (a footnote number the reader dropped), then by its first and last 30 letters
(the quote runs on from or onto another page, or a word in the middle differs). The boxes of
its characters, merged line by line, are in the image's pixels (FPDF_PageToDevice, so rotated
and offset pages map right). A page without a text layer is read by OCR (ocr.py) for the
boxes of its words.
"""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IngestError

SCALE = 1.5  # 108 dpi: an A4 page is 893 x 1263 pixels
ANCHOR = 30  # letters of the quote's head and tail matched when the whole does not match
Box = tuple[float, float, float, float]  # left, top, right, bottom in image pixels


@dataclass
class PageShot:
    image: object  # PIL.Image, RGB, unmarked
    page: int  # 1-based
    pages: int
    label: str  # the printed page label (the page number when the PDF defines none)
    boxes: list[Box] = field(default_factory=list)
    placed: str = ""  # "all" | "part" | "none" (not found) | "" (no quote asked)
    ocr: bool = False  # no text layer: the boxes come from OCR of the page image


def render_page(path: Path, page: int, quote: str | None, scale: float = SCALE) -> PageShot:
    """Page `page` (1-based) of the PDF at `path`, rendered, with `quote`'s boxes. Raises
    IngestError naming the file for an unreadable file or a page out of range."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as e:
        raise IngestError(path, f"cannot open the PDF: {e}") from e
    try:
        if not 1 <= page <= len(pdf):
            raise IngestError(path, f"no page {page}: the PDF has {len(pdf)} pages")
        label = pdf.get_page_label(page - 1) or str(page)
        pg = pdf[page - 1]
        try:
            image = pg.render(scale=scale).to_pil().convert("RGB")
            shot = PageShot(image, page, len(pdf), label)
            if quote and quote.strip():
                _place(pdfium, pg, shot, quote, scale)
        finally:
            pg.close()
    finally:
        pdf.close()
    return shot


def _place(pdfium, page, shot: PageShot, quote: str, scale: float) -> None:
    from .pdf import page_text

    textpage = page.get_textpage()
    try:
        text = page_text(pdfium, textpage)
        if text.strip():
            spans, shot.placed = locate(text, quote)
            size = shot.image.size
            boxes = [
                _to_device(pdfium, page, size, textpage.get_charbox(i, loose=True))
                for a, b in spans
                for i in range(a, b)
                if not text[i].isspace()
            ]
            shot.boxes = merge_lines(boxes)
            return
    finally:
        textpage.close()
    shot.ocr = True
    shot.boxes, shot.placed = _ocr_boxes(page, quote, scale)


def _ocr_boxes(page, quote: str, scale: float) -> tuple[list[Box], str]:
    from .ocr import DPI, OcrFailed, ocr_image

    factor = scale / (DPI / 72)
    try:
        lines = ocr_image(page.render(scale=DPI / 72, grayscale=True).to_pil(), DPI)
    except OcrFailed:
        return [], "none"
    words = [w for ln in lines for w in ln.words]
    text, owner = "", []
    for k, w in enumerate(words):
        text += w.text + " "
        owner += [k] * (len(w.text) + 1)
    spans, placed = locate(text, quote)
    hit = sorted({owner[i] for a, b in spans for i in range(a, b)})
    boxes = [tuple(v * factor for v in words[k].box) for k in hit]
    return merge_lines(boxes), placed


def _to_device(pdfium, page, size, box) -> Box:
    """A PDF-space box (left, bottom, right, top) in the pixels of the rendered image."""
    left, bottom, right, top = box
    xs, ys = [], []
    for x, y in ((left, top), (right, bottom)):
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium.raw.FPDF_PageToDevice(
            page.raw, 0, 0, size[0], size[1], 0, x, y, ctypes.byref(dx), ctypes.byref(dy)
        )
        xs.append(dx.value)
        ys.append(dy.value)
    return (min(xs), min(ys), max(xs), max(ys))


def merge_lines(boxes: list[Box]) -> list[Box]:
    """Consecutive boxes on one line (their middles within half a line's height) as one."""
    out: list[list[float]] = []
    for left, top, right, bottom in boxes:
        if right <= left or bottom <= top:
            continue
        if out:
            cur = out[-1]
            height = max(cur[3] - cur[1], bottom - top)
            same = abs((cur[1] + cur[3]) / 2 - (top + bottom) / 2) < height / 2
            if same and left >= cur[0] - height:
                cur[:] = [
                    min(cur[0], left),
                    min(cur[1], top),
                    max(cur[2], right),
                    max(cur[3], bottom),
                ]
                continue
        out.append([left, top, right, bottom])
    return [tuple(b) for b in out]


def locate(text: str, quote: str) -> tuple[list[tuple[int, int]], str]:
    """Spans of `text` (character offsets, end exclusive) that hold `quote`, and how much of
    it: "all", "part" (its head or tail only: it runs on from or onto another page) or
    "none"."""
    for skip_digits in (False, True):
        hay, index = _fold(text, skip_digits)
        needle, _ = _fold(quote, skip_digits)
        if not needle or not hay:
            return [], "none"
        at = hay.find(needle)
        if at >= 0:
            return [(index[at], index[at + len(needle) - 1] + 1)], "all"
    k = min(ANCHOR, len(needle))
    head, tail = hay.find(needle[:k]), hay.rfind(needle[-k:])
    end = tail + k
    if head >= 0 and tail >= head and abs((end - head) - len(needle)) <= 0.2 * len(needle):
        return [(index[head], index[end - 1] + 1)], "all"  # a word or two differ inside
    if head >= 0 and len(hay) - head < len(needle):
        return [(index[head], index[-1] + 1)], "part"  # runs onto the next page
    if tail >= 0 and end < len(needle):
        return [(index[0], index[end - 1] + 1)], "part"  # begins on the page before
    return [], "none"


def _fold(text: str, skip_digits: bool) -> tuple[str, list[int]]:
    """Letters and digits only, lower case, NFKC ("ﬁ" -> "fi"), with each one's offset."""
    chars, index = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if c.isalnum() and not (skip_digits and c.isdigit()):
                chars.append(c.lower())
                index.append(i)
    return "".join(chars), index
