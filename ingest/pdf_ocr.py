"""Scanned pages of a PDF: a page with no text layer but an image is rendered and read by OCR
(ingest/ocr.py), page by page, so a PDF with some scanned pages reads its text layer where it
has one. The OCR lines become the same `Line`s the text layer gives (PDF units, y up), so
paragraphs, headers and footers are found the same way; their blocks are marked `ocr`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .ocr import OcrFailed, OcrLine, OcrOptions, ocr_image


@dataclass
class OcrResult:
    """Which pages (0-based) were read by OCR, and which OCR could not read (with why)."""

    pages: set[int] = field(default_factory=set)
    unreadable: dict[int, str] = field(default_factory=dict)

    def notes(self) -> list[str]:
        out = []
        if self.pages:
            n = len(self.pages)
            out.append(f"OCR read {n} scanned page{'s' if n != 1 else ''}")
        for i, why in sorted(self.unreadable.items()):
            out.append(f"page {i + 1}: OCR could not read it ({why})")
        return out


def is_scanned(pdfium, pdf, index: int) -> bool:
    """The page holds an image (and, the caller knows, no text): worth reading by OCR."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return False
    try:
        image = pdfium.raw.FPDF_PAGEOBJ_IMAGE
        return next(iter(page.get_objects(filter=[image], max_depth=3)), None) is not None
    finally:
        page.close()


def render(pdf, index: int, dpi: int):
    """(PIL image of the page at `dpi`, scale, page height in PDF units)."""
    page = pdf[index]
    try:
        scale = dpi / 72
        image = page.render(scale=scale, grayscale=True).to_pil()
        return image, scale, page.get_height()
    finally:
        page.close()


def read_scanned(
    pdfium, pdf, pages: list, blank: list[int], path: Path, options: OcrOptions, deadline=None
) -> OcrResult:
    """Fill `pages[i]` with OCR lines for each page of `blank` (no text layer) that holds an
    image. Pages are rendered here, one at a time, and read by `options.workers` Tesseract
    processes at once (PDFium stays on this thread); at most that many images are held."""
    from concurrent.futures import ThreadPoolExecutor

    result = OcrResult()
    todo = [i for i in blank if is_scanned(pdfium, pdf, i)]
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        running: list = []
        for i in todo:
            if options.on_page:
                options.on_page(str(path), i + 1, len(pages))
            image, scale, height = render(pdf, i, options.dpi)
            read = pool.submit(ocr_image, image, options.dpi, options.page_timeout_s)
            running.append((i, scale, height, read))
            if len(running) >= options.workers:
                _collect(running.pop(0), pages, result)
        for job in running:
            _collect(job, pages, result)
    if deadline is not None:
        deadline.extend(time.monotonic() - t0)  # OCR has its own per-page timeout
    return result


def _collect(job, pages: list, result: OcrResult) -> None:
    from .pdf import Line

    i, scale, height, read = job
    try:
        lines = read.result()
    except OcrFailed as e:
        result.unreadable[i] = str(e)
        return
    pages[i] = [_line(Line, ln, scale, height) for ln in lines]
    if pages[i]:
        result.pages.add(i)
    else:
        result.unreadable[i] = "no text found on the page image"


def _line(Line, ln: OcrLine, scale: float, height: float):
    left, top, right, bottom = ln.box
    y = height - ln.baseline / scale
    return Line(ln.text, left / scale, right / scale, y, y, ln.size / scale, False)
