"""A citation's page as printed: the PDF page rendered with the quote highlighted, cached.

`page_view` takes the passage (chunk) and its document's catalogue record, finds the page the
quote lies on (pages.py), renders that page alone (ingest/pagegeom.py) and tints the quote's
boxes. When the quote cannot be placed, a banner on the image says so. PNGs are cached under
`cache_dir/<content hash>/` by page, scale and quote, so opening a citation again, or a
neighbouring page, costs a file read; the file itself is read only to render a page not yet
cached, after checking it is still the file that was ingested (same content hash).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.pages import quote_pages
from ingest.errors import InquiryError
from ingest.model import sha256

TINT = (255, 200, 0, 110)  # translucent yellow over the quote's boxes
EDGE = (230, 150, 0, 255)
BANNER = {"none": (185, 28, 28), "part": (180, 83, 9)}
PAD = 2  # pixels around each box
LOOK = 1  # bump when the drawing changes (tint, banner, scale): cached pages are drawn again


class NoPageImage(InquiryError):
    """The passage has no page to render (not a PDF), or its file is gone or changed."""


@dataclass
class PageView:
    png: str  # path of the cached PNG
    chunk_id: str
    page: int
    pages: int
    label: str  # printed page label
    quote_page: int  # the page the quote lies on
    placed: str  # "all" | "part" | "none" | "" (no quote)
    ocr: bool  # the page has no text layer; the highlight comes from OCR
    boxes: list  # highlighted boxes, pixels (left, top, right, bottom)
    message: str  # one line for a caption

    def caption(self) -> str:
        return f"Page {self.page} of {self.pages} (printed page {self.label}). {self.message}"


def page_view(
    passage, record, cache_dir: Path, quote: str | None = None, page: int | None = None
) -> PageView:
    """The page of `passage`'s quote (or `page`), rendered with `quote` highlighted; `quote`
    defaults to the passage's text. Raises NoPageImage, or IngestError for a bad page."""
    if (record.format or "") != "pdf":
        kind = (record.format or "this").upper()
        raise NoPageImage(
            f"{passage.chunk_id}: page images are only for PDF documents; "
            f"{record.source} is {kind} (read the passage in its section instead)"
        )
    quote = quote if quote and quote.strip() else passage.text
    quote_page = quote_pages(passage, quote)[0] or passage.page or 1
    page = quote_page if page is None else int(page)
    folder = Path(cache_dir) / record.content_hash[:20]
    stem = f"p{page:05d}-{sha256(f'{LOOK}:{quote}')[:12]}"
    png, meta = folder / f"{stem}.png", folder / f"{stem}.json"
    if png.is_file() and meta.is_file():
        return PageView(**{**json.loads(meta.read_text()), "png": str(png)})
    path = _current_file(record)
    from ingest.pagegeom import render_page

    shot = render_page(path, page, quote)
    message = _message(shot, page, quote_page)
    image = _draw(shot, message if shot.placed in BANNER and page == quote_page else "")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = png.with_suffix(".tmp")
    image.save(tmp, format="PNG", optimize=False)
    tmp.replace(png)
    view = PageView(
        str(png),
        passage.chunk_id,
        page,
        shot.pages,
        shot.label,
        quote_page,
        shot.placed,
        shot.ocr,
        [list(b) for b in shot.boxes],
        message,
    )
    meta.write_text(json.dumps({k: v for k, v in asdict(view).items() if k != "png"}))
    return view


def _current_file(record) -> Path:
    path = Path(record.path or "")
    if not record.path or not path.is_file():
        raise NoPageImage(
            f"{record.source}: the file {record.path or '(unknown)'} is no longer there; "
            "ingest it again to see its pages"
        )
    if sha256(path.read_bytes()) != record.content_hash:
        raise NoPageImage(
            f"{record.source}: the file changed since it was ingested; ingest it again "
            "to see its pages as they are now"
        )
    return path


def _message(shot, page: int, quote_page: int) -> str:
    how = " (read by OCR)" if shot.ocr else ""
    if shot.placed == "all":
        return f"The quote is highlighted{how}."
    if shot.placed == "part":
        return f"Part of the quote is highlighted{how}: the rest is on another page."
    if page != quote_page:
        return f"The quote is on page {quote_page}."
    if shot.placed == "none":
        layer = "the OCR of this page" if shot.ocr else "this page's text layer"
        return f"Highlight not placed: the quote was not found in {layer}."
    return ""


def _draw(shot, banner: str):
    """The page with translucent boxes over the quote, and a banner when asked."""
    from PIL import Image, ImageDraw

    base = shot.image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for left, top, right, bottom in shot.boxes:
        box = (left - PAD, top - PAD, right + PAD, bottom + PAD)
        draw.rectangle(box, fill=TINT)
        draw.line([(box[0] - 3, box[1]), (box[0] - 3, box[3])], fill=EDGE, width=2)
    out = Image.alpha_composite(base, layer).convert("RGB")
    if banner:
        _banner(out, banner, BANNER.get(shot.placed, BANNER["none"]))
    return out


def _banner(image, text: str, colour) -> None:
    from PIL import ImageDraw, ImageFont

    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(12, image.size[0] // 55))
    height = int(font.size * 2)
    draw.rectangle((0, 0, image.size[0], height), fill=colour)
    draw.text((10, height // 4), text, fill=(255, 255, 255), font=font)


def prune_pages(cache_dir: Path, content_hashes) -> list[str]:
    """Remove the cached pages of files no longer indexed (removed, or changed and ingested
    again): every folder of `cache_dir` not named for one of `content_hashes`. Returns the
    names removed."""
    import shutil

    keep = {h[:20] for h in content_hashes if h}
    cache_dir = Path(cache_dir)
    if not cache_dir.is_dir():
        return []
    gone = [d for d in cache_dir.iterdir() if d.is_dir() and d.name not in keep]
    for d in gone:
        shutil.rmtree(d, ignore_errors=True)
    return [d.name for d in gone]
