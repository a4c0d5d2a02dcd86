"""DOCX reader on documents written with python-docx."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx  # noqa: E402
import pytest

from ingest.errors import IngestError
from ingest.load import read_document

pytestmark = pytest.mark.unit


def build(path: Path, *, page_break: bool = False, title: str | None = None) -> Path:
    d = docx.Document()
    if title:
        d.core_properties.title = title
    d.add_heading("Serious Case Review: Child P", level=0)
    d.add_heading("Findings", level=1)
    d.add_paragraph("3.41 The agencies did not share what they knew about the family.")
    d.add_paragraph("the health visitor", style="List Bullet")
    if page_break:
        d.add_page_break()
    d.add_paragraph("3.42 Managers did not review the case often enough.")
    d.add_paragraph("2013 was the year the review was published.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Agency", "Contacts"
    table.cell(1, 0).text, table.cell(1, 1).text = "Police", "4"
    d.save(str(path))
    return path


def test_headings_paragraphs_tables(tmp_path):
    doc = read_document(build(tmp_path / "review.docx"), tmp_path)
    assert doc.format == "docx" and doc.pages is None
    assert doc.title == "Serious Case Review: Child P"
    for b in doc.blocks:
        assert doc.text[b.start : b.end] == b.text
        assert b.page is None
    paras = {b.label: b for b in doc.blocks if b.kind == "para"}
    assert sorted(paras) == ["3.41", "3.42"]
    assert paras["3.41"].section == "Findings"
    bullet = next(b for b in doc.blocks if b.text == "the health visitor")
    assert bullet.label == "3.41"
    year = next(b for b in doc.blocks if b.text.startswith("2013"))
    assert year.kind == "text"
    assert "Agency | Contacts" in doc.text and "Police | 4" in doc.text


def test_core_title_and_explicit_page_breaks(tmp_path):
    path = build(tmp_path / "paged.docx", page_break=True, title="Child P review (final)")
    doc = read_document(path, tmp_path)
    assert doc.title == "Child P review (final)"
    paras = {b.label: b for b in doc.blocks if b.kind == "para"}
    assert (paras["3.41"].page, paras["3.42"].page) == (1, 2)
    assert doc.pages == 2


def test_corrupt_docx(tmp_path):
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(IngestError, match="corrupt DOCX") as e:
        read_document(path, tmp_path)
    assert e.value.path == str(path)
