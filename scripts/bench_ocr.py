"""OCR speed at ingest: `python scripts/bench_ocr.py [PDF] [--pages N]`.

Renders the first N pages (default 6) of a text PDF (default the sample review in corpus/) to
images at 150 dpi, saves them as an image-only PDF, as a scanner makes it, reads it with the
ingest reader (Tesseract, ingest/ocr.py) and prints pages/s. Nothing is indexed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", default=str(REPO / "corpus" / "northmoor-scr-child-r.pdf"))
    ap.add_argument("--pages", type=int, default=6)
    args = ap.parse_args()

    import pypdfium2 as pdfium

    from ingest.load import read_document

    src = pdfium.PdfDocument(args.pdf)
    try:
        n = min(args.pages, len(src))
        images = [src[i].render(scale=150 / 72).to_pil().convert("RGB") for i in range(n)]
    finally:
        src.close()
    with tempfile.TemporaryDirectory() as tmp:
        scan = Path(tmp) / "scan.pdf"
        images[0].save(scan, "PDF", save_all=True, append_images=images[1:], resolution=150)
        t0 = time.perf_counter()
        doc = read_document(scan, Path(tmp))
        seconds = time.perf_counter() - t0
    print(f"{n} scanned pages read in {seconds:.1f} s: {n / seconds:.2f} pages/s ({doc.notes})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
