"""discover(), content sniffing, decoding, sidecar metadata and read_document's errors."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from ingest.errors import ConfigError, IngestError, UnsupportedFormat
from ingest.load import discover, read_document
from ingest.model import doc_id_for, sha256

pytestmark = pytest.mark.unit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def put(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def rels(pairs) -> list[str]:
    return [f.relative_to(root).as_posix() for f, root in pairs]


def test_discover_walks_folders_and_skips_hidden_sidecars_and_ignored(tmp_path):
    root = tmp_path / "corpus"
    for name in [
        "b.md",
        "a.txt",
        "sub/c.pdf",
        "sub/c.pdf.meta.json",
        "sub/c.meta.json",
        "sub/_meta.json",
        ".hidden.md",
        ".git/config",
        "drafts/x.md",
        "notes/skip-me.txt",
        "sub/~$lock.docx",
    ]:
        put(root / name, "x")
    put(root / ".inquiryignore", "# comment\ndrafts/\n*skip-me*\n")
    pairs = discover([root])
    assert rels(pairs) == ["a.txt", "b.md", "sub/c.pdf"]
    assert all(r == root for _, r in pairs)
    assert rels(discover([root], exclude=["*.md", "sub/*"])) == ["a.txt"]


def test_discover_file_given_directly_has_its_parent_as_root(tmp_path):
    f = put(tmp_path / "d" / "one.md", "# One")
    assert discover([f]) == [(f, f.parent)]
    assert len(discover([f, tmp_path / "d"])) == 1  # no duplicates


def test_discover_missing_path(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        discover([tmp_path / "nope"])


def test_read_document_identity_fields(tmp_path):
    f = put(tmp_path / "reports" / "a b.md", "# Title here\n\nSome text.\n")
    doc = read_document(f, tmp_path)
    assert doc.source == "reports/a b.md"
    assert doc.doc_id == doc_id_for("reports/a b.md")
    assert doc.content_hash == sha256(f.read_bytes())
    assert doc.format == "md" and doc.title == "Title here"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n \t\n", "no text could be extracted"),
        ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no text could"),
        ("image.pdf", PNG, "extension says .pdf but the content is PNG image"),
        ("image.txt", PNG, "extension says .txt but the content is PNG image"),
        ("noext", PNG, "content is PNG image"),
        ("prog.exe", b"MZ\x90\x00" + b"\x00" * 60, "Windows executable"),
        ("fake.docx", b"this is plain text", "extension says .docx but the content is not"),
        ("binary.txt", bytes(range(256)) * 4, "not UTF-8 text (looks binary"),
        ("nonul.txt", bytes(range(1, 256)) * 4, "not UTF-8 text (looks binary"),
        ("controls.txt", b"ab\x01\x02\x03\x04cd\xe9" * 100, "not UTF-8 text (looks binary"),
    ],
)
def test_read_errors_name_the_file_and_reason(tmp_path, name, data, reason):
    path = put(tmp_path / name, data)
    with pytest.raises(IngestError) as e:
        read_document(path, tmp_path)
    assert e.value.path == str(path)
    assert reason in e.value.reason
    assert str(path) in str(e.value)


def test_unsupported_binary_is_unsupported_format(tmp_path):
    path = put(tmp_path / "x.pdf", PNG)
    with pytest.raises(UnsupportedFormat):
        read_document(path, tmp_path)


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedFormat, match="Excel spreadsheet"):
        read_document(path, tmp_path)


def test_too_large_says_limit_and_how_to_raise_it(tmp_path):
    path = put(tmp_path / "big.txt", "word " * 1000)
    with pytest.raises(IngestError) as e:
        read_document(path, tmp_path, max_bytes=1024)
    assert "limit" in e.value.reason and "INQUIRY_MAX_FILE_MB" in e.value.reason


def test_text_encodings(tmp_path):
    utf16 = put(tmp_path / "u16.txt", "Café report\n\nThe inquiry’s findings.".encode("utf-16"))
    assert "Café" in read_document(utf16, tmp_path).text
    bom = put(tmp_path / "bom.txt", b"\xef\xbb\xbfHello there, world.")
    assert read_document(bom, tmp_path).text == "Hello there, world."
    legacy = put(tmp_path / "cp.txt", "The inquiry’s café report – final.".encode("cp1252"))
    assert read_document(legacy, tmp_path).text == "The inquiry’s café report – final."


def test_html_saved_as_txt_is_read_as_html(tmp_path):
    path = put(
        tmp_path / "page.txt", "<!DOCTYPE html><html><body><p>Hello world.</p></body></html>"
    )
    doc = read_document(path, tmp_path)
    assert doc.format == "html" and doc.text == "Hello world."


def test_text_named_pdf_is_read_as_text(tmp_path):
    path = put(tmp_path / "notes.pdf", "Just some notes.\n")
    assert read_document(path, tmp_path).format == "txt"


def test_sidecar_metadata(tmp_path):
    f = put(tmp_path / "report.md", "# Detected title\n\nText.\n")
    put(tmp_path / "report.md.meta.json", json.dumps({"title": "Given title", "year": "2016"}))
    doc = read_document(f, tmp_path)
    assert doc.title == "Given title"
    assert doc.metadata == {"year": 2016}


def test_short_sidecar_name_and_folder_table(tmp_path):
    f = put(tmp_path / "a.txt", "Some text.")
    g = put(tmp_path / "b.txt", "Other text.")
    put(tmp_path / "a.meta.json", json.dumps({"kind": "article", "organisation": "BBC"}))
    table = {"a.txt": {"kind": "report", "year": 2011}, "b.txt": {"organization": "HMG"}}
    put(tmp_path / "_meta.json", json.dumps(table))
    assert read_document(f, tmp_path).metadata == {
        "kind": "article",
        "year": 2011,
        "organisation": "BBC",
    }
    assert read_document(g, tmp_path).metadata == {"organisation": "HMG"}


def test_invalid_sidecar_json_names_the_sidecar(tmp_path):
    f = put(tmp_path / "r.txt", "Some text.")
    side = put(tmp_path / "r.txt.meta.json", "{not json")
    with pytest.raises(IngestError) as e:
        read_document(f, tmp_path)
    assert e.value.path == str(side) and "JSON" in e.value.reason
