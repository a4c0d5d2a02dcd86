"""Scanned PDFs read by OCR (Tesseract), on PDFs made here: pages of a text PDF rendered to
images with no text layer, a mixed PDF (a text page and a scanned page) and a blank scanned
page that OCR cannot read. Ingested by the real CLI, asked with the real model: the answer
cites the right page, and the passage and citation JSON say the text came from OCR."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from test_cli_inputs import run
from ui_helpers import make_pdf, scanned_pdf

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[1]
SCR = REPO / "corpus" / "northmoor-scr-child-r.pdf"
POLICE = "When did police attend the family home after a neighbour reported a disturbance?"
JACKETS = "How many faulty life jackets did the ferry inspector find on the Saltmarsh crossing?"
TEXT_PAGE = [
    "1.1 The Harbour Board commissioned this review of the Saltmarsh ferry in March 2024.",
    "1.2 The review panel met 11 times and visited the slipway at Dunwick twice.",
]
SCANNED_PAGE = [
    "2.1 The ferry inspector found 14 faulty life jackets on the Saltmarsh crossing.",
    "2.2 None of the crew had been trained to launch the rescue boat in darkness.",
]


def mixed_pdf(tmp: Path, out: Path) -> Path:
    """Page 1 with a text layer, page 2 scanned (an image only)."""
    make_pdf(tmp / "text.pdf", "Saltmarsh Ferry Review", TEXT_PAGE)
    make_pdf(tmp / "second.pdf", "Findings", SCANNED_PAGE)
    scanned_pdf(tmp / "second.pdf", tmp / "second-scan.pdf")
    pdf = pdfium.PdfDocument(str(tmp / "text.pdf"))
    scan = pdfium.PdfDocument(str(tmp / "second-scan.pdf"))
    pdf.import_pages(scan)
    pdf.save(str(out))
    pdf.close()
    scan.close()
    return out


@pytest.fixture(scope="module")
def ocr_home(tmp_path_factory, real_embedder):
    """The CLI ingests a scanned review (pages 1-3 of the sample SCR's body, then a blank
    scanned page) and a mixed PDF; returns (Assistant on that home, CLI output, seconds)."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    root = tmp_path_factory.mktemp("ocr")
    corpus, work = root / "corpus", root / "work"
    corpus.mkdir()
    work.mkdir()
    scanned_pdf(SCR, corpus / "scr-scan.pdf", pages=[3, 4, 5], blank=1)
    mixed_pdf(work, corpus / "ferry-mixed.pdf")
    t0 = time.perf_counter()
    proc = run(["ingest", str(corpus)], root / "data")
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    a = Assistant(Settings.from_env(env={}, home=root / "data"), embedder=real_embedder)
    return a, proc.stdout.decode(), proc.stderr.decode(), seconds, root


def test_ingest_reports_ocr_per_page_and_the_unreadable_page(ocr_home):
    _, out, err, seconds, _ = ocr_home
    for page in (1, 2, 3, 4):
        assert f"OCR scr-scan.pdf: page {page} of 4" in err, err[-1500:]
    assert "OCR ferry-mixed.pdf: page 2 of 2" in err
    assert "OCR ferry-mixed.pdf: page 1 of" not in err  # it has a text layer
    line = next(ln for ln in out.splitlines() if "scr-scan.pdf" in ln)
    assert "OCR read 3 scanned pages" in line
    assert "page 4: OCR could not read it" in line  # the blank page, by number
    print(f"\ningest of 6 pages (5 by OCR) with embedding: {seconds:.1f} s")


def test_question_about_scanned_text_cites_the_right_page_as_ocr(ocr_home):
    a = ocr_home[0]
    answer = a.ask(POLICE).to_json()
    assert answer["status"] == "answered", answer
    cite = answer["citations"][0]
    assert "police attended the family home" in cite["quote"]
    assert cite["source"] == "scr-scan.pdf" and cite["page"] == 2  # the SCR's page index 4
    assert cite["ocr"] is True
    first = next(p for p in answer["passages"] if p["chunk_id"] == cite["chunk_id"])
    assert first["ocr"] is True


def test_mixed_pdf_is_read_page_by_page(ocr_home):
    a = ocr_home[0]
    answer = a.ask(JACKETS).to_json()
    cite = answer["citations"][0]
    assert "14 faulty life jackets" in cite["quote"], answer["answer"]
    assert (cite["source"], cite["page"], cite["ocr"]) == ("ferry-mixed.pdf", 2, True)
    passage = next(p for p in answer["passages"] if p["chunk_id"] == cite["chunk_id"])
    assert passage["ocr"] is True and passage["ocr_pages"] == [2]
    text_page = a.ask("When did the Harbour Board commission the Saltmarsh ferry review?").to_json()
    cite = text_page["citations"][0]
    assert "in March 2024" in cite["quote"], text_page["answer"]
    assert (cite["source"], cite["page"], cite["ocr"]) == ("ferry-mixed.pdf", 1, False)


def test_cli_show_says_ocr_and_highlights_the_scanned_page(ocr_home, tmp_path):
    a, root = ocr_home[0], ocr_home[4]
    c = a.ask(POLICE).citations[0]
    proc = run(["show", c.passage.chunk_ids[0]], root / "data")
    assert proc.returncode == 0 and "read by OCR" in proc.stdout.decode()
    out = tmp_path / "page.png"
    quote = "police attended the family home"
    chunk = next(p for p in c.passage.parts or (c.passage,) if quote in p.text)
    proc = run(["show", chunk.chunk_id, "--quote", quote, "--png", str(out)], root / "data")
    assert proc.returncode == 0, proc.stderr.decode()
    said = proc.stdout.decode()
    assert "Page 2 of 4" in said and "highlighted (read by OCR)" in said, said


def test_no_ocr_keeps_refusing_scanned_pdfs(ocr_home, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ocr_home[4] / "corpus" / "scr-scan.pdf", corpus)
    proc = run(["ingest", str(corpus), "--no-ocr", "--json"], tmp_path / "data")
    assert proc.returncode == 1
    item = json.loads(proc.stdout)["items"][0]
    assert item["action"] == "failed" and re.search("no text layer.*--no-ocr", item["reason"])
    assert "OCR scr-scan.pdf" not in proc.stderr.decode()


def test_six_scanned_pages_are_read(tmp_path):
    """(Speed: scripts/bench_ocr.py prints pages/s; a benchmark, not a test.)"""
    from ingest.load import read_document

    path = scanned_pdf(SCR, tmp_path / "scan.pdf", pages=[3, 4, 5, 6, 7, 8])
    doc = read_document(path, tmp_path)
    assert doc.notes == ["OCR read 6 scanned pages"]
    assert "The case was closed." in doc.text


def test_without_tesseract_a_scanned_pdf_fails_saying_how_to_install(tmp_path, monkeypatch):
    from ingest.errors import MissingDependency
    from ingest.load import read_document

    path = scanned_pdf(SCR, tmp_path / "scan.pdf", pages=[3])
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on it
    with pytest.raises(MissingDependency, match="make ocr.*tesseract-ocr.*--no-ocr"):
        read_document(path, tmp_path)
