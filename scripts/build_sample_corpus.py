"""Build the binary documents of the sample corpus (PDF and DOCX) from plain-text sources.

Build-time tool only. It needs reportlab, which is NOT a runtime dependency of
inquiry-assistant; install it into the venv before running:

    .venv/bin/pip install reportlab
    .venv/bin/python scripts/build_sample_corpus.py            # rewrite corpus/*.pdf, *.docx
    .venv/bin/python scripts/build_sample_corpus.py --check    # exit 1 if corpus/ is stale

python-docx (already a runtime dependency) writes the DOCX.

Sources live in scripts/sample_corpus_src/ (outside corpus/, so they are never ingested).
The Markdown, HTML and plain-text documents in corpus/ and every *.meta.json sidecar are
written by hand and are not touched by this script.

Output is byte-stable for a given reportlab / python-docx / zlib: reportlab runs in
invariant mode with SOURCE_DATE_EPOCH fixed to the publication date (so /CreationDate,
/ModDate and the document /ID are constant), and the DOCX zip is re-packed with fixed
member order and timestamps and fixed core properties. Committed files were built with
reportlab 5.1.0 and python-docx 1.2.0; another version may change bytes, not text.

Source markup (one block per line or paragraph; a blank line ends a paragraph):
    %% comment                 ignored
    @name text                 directive block: notice, org, title, subtitle, meta,
                               coverpara, page (page break), toc, body (start of the
                               arabic-numbered body, forces a page break)
    # 1. Heading               numbered section heading (PDF contents entry, Heading 1)
    ## Heading                 sub-heading (Heading 2)
    - text                     bullet (one line)
    | a | b | c |              table row; the first row of a table is its header
    3.4 text...                numbered paragraph (starts a new paragraph)
    anything else              paragraph text; consecutive lines are joined
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRC = Path(__file__).resolve().parent / "sample_corpus_src"
CORPUS = REPO / "corpus"

ORGANISATION = "Northmoor Safeguarding Children Partnership (fictional)"
PUBLISHED = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)
SOURCE_DATE_EPOCH = str(int(PUBLISHED.timestamp()))

# (source file, output file, document title). Titles match the *.meta.json sidecars.
PDF_DOC = ("scr-child-r.txt", "northmoor-scr-child-r.pdf", "Serious Case Review: Child R")
DOCX_DOC = (
    "school-safeguarding-lessons.txt",
    "northmoor-school-safeguarding-lessons.docx",
    "Safeguarding lessons for schools from the Child R review",
)
FRONT_MATTER_PAGES = 3  # i, ii, iii

NUMBERED = re.compile(r"^(\d+\.\d+)\s+(.*)$")


# --------------------------------------------------------------------------- parsing


@dataclass
class Block:
    kind: str  # directive name, "h1", "h2", "bullet", "para", "numpara", "table"
    text: str = ""
    number: str = ""
    rows: list[list[str]] = field(default_factory=list)


def parse(path: Path) -> list[Block]:
    """Parse the small markup described in the module docstring."""
    raw = path.read_text(encoding="utf-8")
    bad = sorted({c for c in raw if ord(c) > 126})
    if bad:
        raise ValueError(f"{path.name}: non-ASCII characters {bad!r}; use plain ASCII")
    blocks: list[Block] = []
    open_block: Block | None = None  # a paragraph-like block that may continue

    def close() -> None:
        nonlocal open_block
        open_block = None

    for line in raw.splitlines():
        line = line.rstrip()
        if line.startswith("%%"):
            continue
        if not line:
            close()
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if blocks and blocks[-1].kind == "table" and open_block is blocks[-1]:
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
                open_block = blocks[-1]
            continue
        if line.startswith("@"):
            name, _, text = line[1:].partition(" ")
            blocks.append(Block(name, text.strip()))
            open_block = blocks[-1] if text.strip() else None
            if name in ("page", "toc", "body"):
                close()
            continue
        if line.startswith("## "):
            blocks.append(Block("h2", line[3:].strip()))
            close()
            continue
        if line.startswith("# "):
            blocks.append(Block("h1", line[2:].strip()))
            close()
            continue
        if line.startswith("- "):
            blocks.append(Block("bullet", line[2:].strip()))
            close()
            continue
        m = NUMBERED.match(line)
        if m:
            blocks.append(Block("numpara", m.group(2), number=m.group(1)))
            open_block = blocks[-1]
            continue
        if open_block is not None and open_block.kind != "table":
            open_block.text += " " + line.strip()
        else:
            blocks.append(Block("para", line.strip()))
            open_block = blocks[-1]
    return blocks


# --------------------------------------------------------------------------- PDF


def roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out += numeral
            n -= value
    return out


def build_pdf(blocks: list[Block], out: Path, title: str) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    teal = colors.HexColor("#1f5f6b")
    grey = colors.HexColor("#555555")
    base = ParagraphStyle("Body", fontName="Helvetica", fontSize=10.5, leading=14.5, spaceAfter=7)
    styles = {
        "body": base,
        "numpara": ParagraphStyle(
            "NumPara",
            parent=base,
            leftIndent=11 * mm,
            bulletIndent=0,
            bulletFontName="Helvetica-Bold",
        ),
        "bullet": ParagraphStyle(
            "Bullet", parent=base, leftIndent=17 * mm, bulletIndent=12 * mm, spaceAfter=3
        ),
        "h1": ParagraphStyle(
            "H1",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=15,
            leading=19,
            textColor=teal,
            spaceBefore=10,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "H2",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=11.5,
            leading=15,
            textColor=teal,
            spaceBefore=6,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "notice": ParagraphStyle(
            "Notice",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=10,
            leading=13,
            textColor=colors.HexColor("#7a1f1f"),
            backColor=colors.HexColor("#fbf3d5"),
            borderColor=colors.HexColor("#c9a227"),
            borderWidth=0.8,
            borderPadding=6,
            spaceAfter=30,
        ),
        "org": ParagraphStyle(
            "Org",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=13,
            textColor=teal,
            spaceAfter=40,
        ),
        "title": ParagraphStyle(
            "Title", parent=base, fontName="Helvetica-Bold", fontSize=30, leading=36, textColor=teal
        ),
        "subtitle": ParagraphStyle(
            "Subtitle",
            parent=base,
            fontName="Helvetica",
            fontSize=14,
            leading=18,
            textColor=grey,
            spaceBefore=14,
            spaceAfter=60,
        ),
        "meta": ParagraphStyle("Meta", parent=base, fontSize=10.5, textColor=grey, spaceAfter=3),
        "coverpara": ParagraphStyle(
            "CoverPara", parent=base, fontSize=9, leading=12, textColor=grey, spaceBefore=90
        ),
        "cell": ParagraphStyle("Cell", parent=base, fontSize=9.5, leading=12.5, spaceAfter=0),
    }
    toc_style = ParagraphStyle("TOC1", parent=base, fontSize=11, leading=15, spaceAfter=0)
    toc_num = ParagraphStyle("TOCNum", parent=toc_style, alignment=2)  # right-aligned

    def contents_table(entries: list[tuple[str, str]]):
        rows = [[Paragraph(escape(t), toc_style), Paragraph(n, toc_num)] for t, n in entries]
        t = Table(rows, colWidths=[130 * mm, 20 * mm], hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#cccccc")),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                ]
            )
        )
        return t

    class ReviewDoc(BaseDocTemplate):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.body_start: int | None = None  # 1-based physical page of printed page 1
            self.sections: list[tuple[str, str]] = []  # (heading, printed page label)
            frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="main")
            self.addPageTemplates(
                [
                    PageTemplate(
                        id="page", frames=[frame], onPage=self._page_top, onPageEnd=self._footer
                    )
                ]
            )

        def label(self, page: int) -> str:
            if self.body_start is None or page < self.body_start:
                return roman(page)
            return str(page - self.body_start + 1)

        def handle_documentBegin(self):
            self.body_start = None
            super().handle_documentBegin()

        def _page_top(self, canv, doc):
            if doc.page == 1:  # coloured band on the cover
                canv.saveState()
                canv.setFillColor(teal)
                canv.rect(0, A4[1] - 22 * mm, A4[0], 22 * mm, stroke=0, fill=1)
                canv.restoreState()

        def _footer(self, canv, doc):
            label = self.label(doc.page)
            if doc.page == 1:
                canv.addPageLabel(0, style="ROMAN_LOWER", start=1)
            if self.body_start == doc.page:
                canv.addPageLabel(doc.page - 1, style="ARABIC", start=1)
            canv.saveState()
            canv.setStrokeColor(colors.HexColor("#999999"))
            canv.setLineWidth(0.5)
            y = 14 * mm
            canv.line(self.leftMargin, y + 4 * mm, A4[0] - self.rightMargin, y + 4 * mm)
            canv.setFont("Helvetica", 8.5)
            canv.setFillColor(grey)
            canv.drawString(
                self.leftMargin,
                y,
                "Northmoor Safeguarding Children Partnership - Serious Case Review: Child R",
            )
            canv.setFont("Helvetica-Bold", 9)
            canv.drawRightString(A4[0] - self.rightMargin, y, label)
            canv.restoreState()

        def afterFlowable(self, flowable):
            if getattr(flowable, "_body_start", False) and self.body_start is None:
                self.body_start = self.page
            kind = getattr(flowable, "_toc_text", None)
            if kind:
                key = f"sec{self.seq.nextf('sec')}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(kind, key, level=0)
                self.sections.append((kind, self.label(self.page)))

    def make_story(toc_entries: list[tuple[str, str]]) -> list:
        story: list = []
        body_started = False
        for b in blocks:
            k = b.kind
            text = escape(b.text)
            if k == "page":
                story.append(PageBreak())
            elif k == "body":
                story.append(PageBreak())
                body_started = True
            elif k == "toc":
                story.append(contents_table(toc_entries))
            elif k == "title":
                story.append(Paragraph(text, styles["title"]))
            elif k in ("notice", "org", "subtitle", "meta", "coverpara"):
                story.append(Paragraph(text, styles[k]))
            elif k in ("h1", "h2"):
                p = Paragraph(text, styles[k])
                if k == "h1" and body_started:
                    p._toc_text = b.text
                    if not any(getattr(f, "_body_start", False) for f in story):
                        p._body_start = True
                story.append(p)
            elif k == "numpara":
                story.append(Paragraph(text, styles["numpara"], bulletText=b.number))
            elif k == "bullet":
                story.append(Paragraph(text, styles["bullet"], bulletText="-"))
            elif k == "para":
                story.append(Paragraph(text, styles["body"]))
            elif k == "table":
                data = [[Paragraph(escape(c), styles["cell"]) for c in row] for row in b.rows]
                t = Table(data, repeatRows=1, hAlign="LEFT")
                t.setStyle(
                    TableStyle(
                        [
                            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3eef0")),
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ]
                    )
                )
                story.append(t)
                story.append(Spacer(1, 6))
            else:
                raise ValueError(f"unknown block kind {k!r}")
        return story

    def render(target, toc_entries: list[tuple[str, str]]) -> ReviewDoc:
        doc = ReviewDoc(
            target,
            pagesize=A4,
            leftMargin=22 * mm,
            rightMargin=22 * mm,
            topMargin=20 * mm,
            bottomMargin=25 * mm,
            title=title,
            author=ORGANISATION,
            subject="Illustrative training material: a fictional case. Not a real case.",
            creator="inquiry-assistant scripts/build_sample_corpus.py",
            producer="ReportLab",
            keywords="fictional, training, serious case review, child protection",
            invariant=1,
            lang="en-GB",
        )
        doc.build(make_story(toc_entries))
        return doc

    n_sections = sum(1 for b in blocks if b.kind == "h1")
    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    try:
        # Pass 1 lays out the document with placeholder page numbers in the contents
        # (same row count, so the same pagination); pass 2 prints the real labels.
        first = render(io.BytesIO(), [("x", "0")] * n_sections)
        doc = render(str(out), first.sections)
        if doc.sections != first.sections:
            raise RuntimeError("pagination changed between passes")
    finally:
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch
    if doc.body_start != FRONT_MATTER_PAGES + 1:
        raise RuntimeError(
            f"front matter took {doc.body_start - 1 if doc.body_start else '?'} pages, "
            f"expected {FRONT_MATTER_PAGES}: shorten the front-matter text"
        )


# --------------------------------------------------------------------------- DOCX

# Fixed zip timestamp for every member (zip cannot store dates before 1980).
ZIP_DATE = (2025, 3, 1, 0, 0, 0)


def build_docx(blocks: list[Block], out: Path, title: str) -> None:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt, RGBColor

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)

    for b in blocks:
        k = b.kind
        if k == "notice":
            p = d.add_paragraph()
            r = p.add_run(b.text)
            r.bold = True
            r.font.color.rgb = RGBColor(0x7A, 0x1F, 0x1F)
        elif k == "title":
            d.add_paragraph(b.text, style="Title")
        elif k == "subtitle":
            d.add_paragraph(b.text, style="Subtitle")
        elif k in ("org", "meta", "coverpara", "para"):
            d.add_paragraph(b.text)
        elif k == "h1":
            d.add_heading(b.text, level=1)
        elif k == "h2":
            d.add_heading(b.text, level=2)
        elif k == "bullet":
            d.add_paragraph(b.text, style="List Bullet")
        elif k == "numpara":
            p = d.add_paragraph()
            p.add_run(b.number).bold = True
            p.add_run(" " + b.text)
        elif k == "table":
            header, *rows = b.rows
            t = d.add_table(rows=1, cols=len(header))
            t.style = "Table Grid"
            for cell, text in zip(t.rows[0].cells, header, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            for row in rows:
                cells = t.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
            d.add_paragraph()
        elif k in ("page", "body"):
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif k == "toc":
            pass
        else:
            raise ValueError(f"unknown block kind {k!r}")

    cp = d.core_properties
    cp.title = title
    cp.author = ORGANISATION
    cp.last_modified_by = ORGANISATION
    cp.subject = "Illustrative training material: a fictional case. Not a real case."
    cp.keywords = "fictional, training, designated safeguarding lead, schools"
    cp.comments = "Generated by scripts/build_sample_corpus.py"
    cp.language = "en-GB"
    cp.revision = 1
    naive = PUBLISHED.replace(tzinfo=None)
    cp.created = naive
    cp.modified = naive
    cp.last_printed = naive

    buf = io.BytesIO()
    d.save(buf)
    out.write_bytes(_restamp_zip(buf.getvalue()))


def _restamp_zip(data: bytes) -> bytes:
    """Re-pack a zip with sorted-by-original-order members and fixed metadata."""
    src = zipfile.ZipFile(io.BytesIO(data))
    dst_buf = io.BytesIO()
    with zipfile.ZipFile(dst_buf, "w") as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            new.create_system = 0
            dst.writestr(new, src.read(info.filename), compresslevel=9)
    return dst_buf.getvalue()


# --------------------------------------------------------------------------- main


def build_all(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    src, name, title = PDF_DOC
    build_pdf(parse(SRC / src), out_dir / name, title)
    dsrc, dname, dtitle = DOCX_DOC
    build_docx(parse(SRC / dsrc), out_dir / dname, dtitle)
    return [out_dir / name, out_dir / dname]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=CORPUS, help="where to write (default corpus/)")
    ap.add_argument(
        "--check",
        action="store_true",
        help="build into a temporary folder and compare bytes with corpus/ (exit 1 if different)",
    )
    args = ap.parse_args(argv)
    if not args.check:
        for p in build_all(args.out_dir):
            print(f"wrote {p} ({p.stat().st_size} bytes)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = []
        for p in build_all(Path(tmp)):
            committed = CORPUS / p.name
            same = committed.exists() and committed.read_bytes() == p.read_bytes()
            print(f"{'ok   ' if same else 'STALE'} {committed.relative_to(REPO)}")
            if not same:
                stale.append(p.name)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
