"""OCR of scanned pages: Debian's Tesseract 5 (`tesseract-ocr`, `tesseract-ocr-eng`), offline.

Chosen over RapidOCR (`rapidocr-onnxruntime`, whose models ship in the wheel) after running
both on the sample review's pages rendered at 200 dpi: RapidOCR's Chinese/English model ran
words together ("InMarch2018,whenChildRwas21monthsold") and took 9-11 s a page on the shared
2-core machine; Tesseract read the same pages word for word in 2.3-2.8 s. `make setup`
installs it with apt-get (scripts/install_debian.sh); nothing is downloaded at run time.

A page image goes to `tesseract stdin stdout --psm 4 hocr` (one column of text of varying
sizes: numbered paragraphs keep their number on their first line); the hOCR lines come back
with their words' boxes, baseline and text size, in the image's pixels. One process per page,
one thread each (OMP_THREAD_LIMIT=1), with a timeout; two pages are read at once on a machine
with two cores or more (pdf_ocr.py).
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import MissingDependency

DPI = 200  # render scale for OCR: 200 dpi reads 10-point body text reliably
PAGE_TIMEOUT_S = 120.0
INSTALL_HINT = (
    "reading scanned pages needs Tesseract OCR: run `make ocr` (it runs "
    "`apt-get install tesseract-ocr tesseract-ocr-eng`), or ingest with --no-ocr to skip them"
)
_LINE = re.compile(
    r"<span class='(?:ocr_line|ocr_caption|ocr_header|ocr_textfloat)'[^>]*title=\"([^\"]*)\"[^>]*>"
    r"(.*?</span>)\s*</span>",
    re.S,
)
_WORD = re.compile(r"<span class='ocrx_word'[^>]*title='([^']*)'[^>]*>(.*?)</span>", re.S)
_BBOX = re.compile(r"bbox (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_TAG = re.compile(r"<[^>]+>")
_RULES = frozenset("|¦")  # a ruled line or a table border read as a character


class OcrFailed(Exception):
    """Tesseract could not read one page (crash, timeout); the caller reports the page."""


@dataclass
class OcrWord:
    text: str
    box: tuple[float, float, float, float]  # left, top, right, bottom in image pixels


@dataclass
class OcrLine:
    text: str
    box: tuple[float, float, float, float]  # left, top, right, bottom in image pixels
    baseline: float  # y of the baseline in image pixels
    size: float  # text size (tesseract's x_size) in pixels
    words: list[OcrWord] = field(default_factory=list)


@dataclass
class OcrOptions:
    """What ingest does with pages that have no text layer. `on_page(path, page, pages)` is
    called before each page is read (1-based page index, page count of the file)."""

    enabled: bool = True
    dpi: int = DPI
    page_timeout_s: float = PAGE_TIMEOUT_S
    on_page: Callable[[str, int, int], None] | None = None
    workers: int = field(default_factory=lambda: min(2, os.cpu_count() or 1))


def tesseract() -> str:
    """The tesseract executable, or MissingDependency saying how to install it."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise MissingDependency(INSTALL_HINT)
    return exe


def ocr_image(image, dpi: int = DPI, timeout_s: float = PAGE_TIMEOUT_S) -> list[OcrLine]:
    """The text lines of a PIL image, top to bottom. Raises OcrFailed."""
    buf = io.BytesIO()
    image.convert("L").save(buf, format="PNG")
    cmd = [tesseract(), "stdin", "stdout", "--dpi", str(dpi), "--psm", "4", "-l", "eng", "hocr"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            cmd, input=buf.getvalue(), capture_output=True, timeout=timeout_s, env=env, check=False
        )
    except subprocess.TimeoutExpired as e:
        raise OcrFailed(f"OCR took longer than {timeout_s:g} s") from e
    except OSError as e:
        raise OcrFailed(f"tesseract could not run: {e.strerror or e}") from e
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(f"tesseract failed: {err[-1] if err else done.returncode}")
    return parse_hocr(done.stdout.decode("utf-8", "replace"))


def parse_hocr(text: str) -> list[OcrLine]:
    lines = []
    for m in _LINE.finditer(text):
        title, inner = m.group(1), m.group(2)
        words = []
        for w in _WORD.finditer(inner):
            word = html.unescape(_TAG.sub("", w.group(2))).strip()
            box = _box(w.group(1))
            if word and box and word not in _RULES:
                words.append(OcrWord(word, box))
        box = _box(title)
        if not words or box is None:
            continue
        base = re.search(r"baseline (-?[\d.]+) (-?[\d.]+)", title)
        size = re.search(r"x_size ([\d.]+)", title)
        baseline = box[3] + float(base.group(2)) if base else box[3]
        lines.append(
            OcrLine(
                " ".join(w.text for w in words),
                box,
                baseline,
                float(size.group(1)) if size else box[3] - box[1],
                words,
            )
        )
    return lines


def _box(title: str) -> tuple[float, float, float, float] | None:
    m = _BBOX.search(title)
    return tuple(float(v) for v in m.groups()) if m else None
