"""The page view (ingest/pagegeom.py, assistant/pageview.py, `inquiry show`): real PDFs (KCSIE,
the sample SCR), real PDFium, real index. The pixel checks compare the highlighted render with
the plain one: inside the quote's boxes every pixel is tinted, far from them none changed; the
boxes are checked against PDFium's own search for the quote's words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from test_cli_inputs import one_line, run

from assistant.pageview import _draw
from ingest.pagegeom import SCALE, locate, render_page

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[1]
KCSIE = "dfe-safeguarding-guidance/Keeping_children_safe_in_education_2025.pdf"
K_QUOTE = "If staff have any concerns about a child’s welfare, they should act on them immediately."
SCR = REPO / "corpus" / "northmoor-scr-child-r.pdf"
POLICE = "police attended the family home after a neighbour reported a disturbance"


def test_locate_ignores_line_breaks_hyphens_ligatures_and_footnote_numbers():
    text = "50. If staff have any con-\r\ncerns about a child’s wel-\r\nfare,15 they should act on them"
    spans, placed = locate(text, "If staff have any concerns about a child’s welfare, they should")
    assert placed == "all" and text[spans[0][0] : spans[0][1]].startswith("If staff")
    assert text[spans[0][0] : spans[0][1]].endswith("should")
    assert locate("the ﬁnal report", "the final report")[1] == "all"
    head = "7.1 The review found that the school had not"
    assert locate(head, "The review found that the school had not shared its concerns")[1] == "part"
    assert locate("Nothing of the sort is printed here.", "police attended the home") == (
        [],
        "none",
    )


def pdfium_boxes(path: Path, page: int, words: str) -> list[tuple]:
    """PDFium's own search for `words` on the page, as pixel boxes of the render at SCALE."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    pg = pdf[page - 1]
    tp = pg.get_textpage()
    searcher = tp.search(words, match_case=False)
    start, count = searcher.get_next()
    height = pg.get_height()
    out = []
    for i in range(start, start + count):
        left, bottom, right, top = tp.get_charbox(i)
        if right > left and top - bottom > 1:  # a printed character, not a generated space
            out.append(
                (left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE)
            )
    searcher.close()
    tp.close()
    pg.close()
    pdf.close()
    return out


def inside(box, boxes, pad: float = 3) -> bool:
    return any(
        b[0] - pad <= box[0]
        and box[2] <= b[2] + pad
        and b[1] - pad <= box[1]
        and box[3] <= b[3] + pad
        for b in boxes
    )


def assert_tinted_only_in(marked: Image.Image, plain: Image.Image, boxes) -> None:
    diff = ImageChops.difference(marked.convert("RGB"), plain.convert("RGB")).convert("L")
    px = diff.load()
    for left, top, right, bottom in boxes:  # every pixel of every box changed
        pts = [
            (x, y)
            for x in range(int(left) + 1, int(right) - 1, 3)
            for y in range(int(top) + 1, int(bottom) - 1, 3)
        ]
        assert pts and all(px[x, y] > 0 for x, y in pts), (left, top, right, bottom)
    lowest = max(b[3] for b in boxes)
    w, h = diff.size
    far = [(x, y) for y in range(int(lowest) + 60, h, 7) for x in range(0, w, 7)]
    assert far and not any(px[x, y] for x, y in far), "pixels far from the quote changed"


def test_kcsie_paragraph_50_is_highlighted_where_pdfium_finds_it(shared_corpus):
    path = shared_corpus / KCSIE
    shot = render_page(path, 18, K_QUOTE)
    assert (shot.page, shot.pages, shot.label, shot.placed) == (18, 187, "18", "all")
    plain = render_page(path, 18, None)
    assert plain.boxes == [] and plain.placed == ""
    marked = _draw(shot, "")
    assert_tinted_only_in(marked, plain.image, shot.boxes)
    truth = pdfium_boxes(path, 18, "act on them immediately")
    assert truth and all(inside(b, shot.boxes) for b in truth)


def test_a_quote_not_on_the_page_is_said_on_the_image(shared_corpus):
    from assistant.pageview import BANNER, _message

    shot = render_page(shared_corpus / KCSIE, 17, "words that are printed nowhere on this page")
    assert shot.placed == "none" and shot.boxes == []
    message = _message(shot, 17, 17)
    assert message.startswith("Highlight not placed")
    image = _draw(shot, message)
    assert image.getpixel((3, 3)) == BANNER["none"]  # the red banner across the top


def test_bad_page_is_one_error_naming_the_file(shared_corpus):
    from ingest.errors import IngestError

    with pytest.raises(IngestError, match=r"Keeping_children.*no page 999: the PDF has 187 pages"):
        render_page(shared_corpus / KCSIE, 999, None)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, real_embedder):
    """The sample SCR (PDF) and its briefing (Markdown), ingested with the real model."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    root = tmp_path_factory.mktemp("show")
    corpus = root / "corpus"
    corpus.mkdir()
    for f in (REPO / "corpus").glob("northmoor-scr-child-r*"):
        shutil.copy(f, corpus / f.name)
    a = Assistant(Settings.from_env(env={}, home=root / "data"), embedder=real_embedder)
    plan, _ = a.ingest([corpus])
    assert not plan.of("failed"), plan.to_json()
    return a, root / "data"


def _chunk(a, words: str, source_end: str):
    return next(
        p for p in a.search(words, k=10) if words in p.text and p.source.endswith(source_end)
    )


def test_inquiry_show_png_highlights_the_quote(indexed, tmp_path):
    a, home = indexed
    p = _chunk(a, POLICE, ".pdf")
    out = tmp_path / "page.png"
    proc = run(["show", p.chunk_id, "--quote", POLICE, "--png", str(out)], home)
    assert proc.returncode == 0, proc.stderr.decode()
    said = proc.stdout.decode()
    assert "Page 5 of 13 (printed page 2). The quote is highlighted." in said, said
    shot = render_page(SCR, 5, POLICE)
    plain = render_page(SCR, 5, None).image
    assert_tinted_only_in(Image.open(out), plain, shot.boxes)
    truth = pdfium_boxes(SCR, 5, "neighbour reported a disturbance")
    assert truth and all(inside(b, shot.boxes) for b in truth)
    # lazy and cached: one page rendered, for this document only
    assert len(list((home / "pages").rglob("*.png"))) == 1
    # without --png: the passage and its citation
    proc = run(["show", p.chunk_id], home)
    assert proc.returncode == 0 and POLICE in proc.stdout.decode()
    assert "Serious Case Review: Child R" in proc.stdout.decode()


def test_inquiry_show_says_when_the_quote_cannot_be_placed(indexed, tmp_path):
    a, home = indexed
    p = _chunk(a, POLICE, ".pdf")
    out = tmp_path / "page.png"
    proc = run(
        ["show", p.chunk_id, "--quote", "a sentence the page never printed", "--png", str(out)],
        home,
    )
    assert proc.returncode == 0
    assert "Highlight not placed" in proc.stdout.decode()
    assert "inquiry: note: Highlight not placed" in proc.stderr.decode()
    assert Image.open(out).convert("RGB").getpixel((3, 3)) == (185, 28, 28)


@pytest.mark.parametrize(
    "args, expected",
    [
        (["show", "no-such-chunk", "--png", "x.png"], "no passage 'no-such-chunk' in the index"),
        (["show", "{md}", "--png", "x.png"], "page images are only for PDF documents"),
        (["show", "{pdf}", "--png", "x.png", "--page", "999"], "no page 999: the PDF has 13 pages"),
    ],
)
def test_inquiry_show_bad_input_is_one_line(indexed, tmp_path, args, expected):
    a, home = indexed
    ids = {
        "{md}": _chunk(a, "hunger", ".md").chunk_id,
        "{pdf}": _chunk(a, POLICE, ".pdf").chunk_id,
    }
    args = [ids.get(x, x) for x in args]
    args = [str(tmp_path / x) if x == "x.png" else x for x in args]
    proc = run(args, home)
    assert proc.returncode == 1
    line = one_line(proc)
    assert expected in line, line
    assert not (tmp_path / "x.png").exists()


@pytest.mark.integration
def test_cached_pages_go_with_their_file(real_embedder, tmp_path):
    """A page drawn for a citation is cached; removing the file (or changing it) takes its
    cached pages away, and the other file's stay."""
    from ui_helpers import ingested, make_pdf

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "depot.pdf", "Depot Review", ["1. The yard gates were left open at night."])
    make_pdf(corpus / "ward.pdf", "Ward Review", ["1. The ward charts were not completed."])
    a = ingested(real_embedder, tmp_path / "home", corpus)
    pages = tmp_path / "home" / "pages"
    for query in ("yard gates left open", "ward charts not completed"):
        hit = a.search(query, k=1)[0]
        assert Path(a.page_view(hit.chunk_id).png).is_file()
    folders = {d.name for d in pages.iterdir()}
    assert len(folders) == 2
    a.remove("depot.pdf")
    ward = a.find_doc("ward.pdf").content_hash[:20]
    assert {d.name for d in pages.iterdir()} == {ward}
    make_pdf(corpus / "ward.pdf", "Ward Review", ["1. The ward charts were completed late."])
    a.ingest([corpus])
    assert not (pages / ward).exists()  # the old version's pages went with it
