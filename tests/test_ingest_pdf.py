"""PDF reader on small PDFs written here byte by byte (no PDF library needed to make them)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.load import read_document

pytestmark = pytest.mark.unit

BODY = 11


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(pages: list[list[tuple]], *, title: str | None = None) -> bytes:
    """pages: for each page, lines (x, y, size, text[, bold]). Helvetica, WinAnsi encoding."""
    objects: list[bytes] = []
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    for name in ("Helvetica", "Helvetica-Bold"):
        objects.append(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>".encode()
        )
    for i, lines in enumerate(pages):
        stream = b""
        for line in lines:
            x, y, size, text, *rest = line
            font = "F2" if rest and rest[0] else "F1"
            stream += f"BT /{font} {size} Tf {x} {y} Td (".encode() + _escape(text) + b") Tj ET\n"
        if not lines:
            stream = b"0 0 m 300 300 l S\n"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {6 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"endstream")
    info = None
    if title:
        objects.append(b"<< /Title (" + _escape(title) + b") >>")
        info = len(objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R" + (f" /Info {info} 0 R" if info else "")
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def page_of(paragraphs: list[str], *, top: int = 760, header: str | None = None, number=None):
    """Lay paragraphs out as wrapped lines of ~80 characters, a blank line between them."""
    lines, y = [], top
    if header:
        lines.append((72, 815, 9, header))
    for para in paragraphs:
        size, bold = (14, True) if para.startswith("#") else (BODY, False)
        words, cur = para.lstrip("# ").split(), ""
        for w in words:
            if len(cur) + len(w) > 80:
                lines.append((72, y, size, cur, bold))
                y -= 14
                cur = ""
            cur = f"{cur} {w}".strip()
        lines.append((72, y, size, cur, bold))
        y -= 28
    if number is not None:
        lines.append((290, 40, 9, str(number)))
    return lines


LOREM = (
    "Safeguarding and promoting the welfare of children is everyone's responsibility and "
    "everyone who comes into contact with children and their families has a role to play."
)


def sample_pages() -> list[list[tuple]]:
    pages = [
        page_of(
            [
                "# Part one: what staff should know",
                f"61. {LOREM} Staff should know the systems in their school.",
                f"62. Within one working day of a referral being made, a local authority "
                f"social worker should acknowledge its receipt. {LOREM}",
            ],
            header="Keeping children safe in tests 2025",
            number=1,
        ),
        page_of(
            [
                f"continues the paragraph from the previous page. {LOREM}",
                "# Record keeping",
                f"63. All concerns, discussions and decisions made should be recorded in writing. {LOREM}",
            ],
            header="Keeping children safe in tests 2025",
            number=2,
        ),
        page_of(
            [f"64. The referrer should follow up if this information is not forthcoming. {LOREM}"],
            header="Keeping children safe in tests 2025",
            number=3,
        ),
    ]
    pages[0].append((72, 60, 8, "17 Working Together to Safeguard Children sets out the process."))
    return pages


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_paragraph_labels_pages_and_running_headers(tmp_path):
    path = write(tmp_path, "guide.pdf", make_pdf(sample_pages(), title="Keeping children safe"))
    doc = read_document(path, tmp_path)
    assert doc.format == "pdf" and doc.pages == 3
    assert doc.title == "Keeping children safe"
    by_label = {b.label: b for b in doc.blocks if b.kind == "para"}
    assert sorted(by_label) == ["61", "62", "63", "64"]
    assert by_label["62"].page == 1 and by_label["62"].page_label == "1"
    assert by_label["64"].page == 3
    assert by_label["62"].text.startswith("62. Within one working day")
    assert "Keeping children safe in tests" not in doc.text  # running header dropped
    assert not any(b.text.strip().isdigit() for b in doc.blocks)  # page numbers dropped
    cont = next(b for b in doc.blocks if b.text.startswith("continues the paragraph"))
    assert cont.label == "62" and cont.page == 2  # a paragraph carried over the page break
    note = next(b for b in doc.blocks if "Working Together to Safeguard" in b.text)
    assert note.label is None and note.kind == "note"  # small print: a footnote, not para 17
    heading = next(b for b in doc.blocks if b.kind == "heading" and "Record" in b.text)
    assert heading.text == "Record keeping"
    assert by_label["63"].section == "Record keeping"
    for b in doc.blocks:
        assert doc.text[b.start : b.end] == b.text


def test_wrapped_lines_are_joined_into_one_paragraph(tmp_path):
    path = write(tmp_path, "wrap.pdf", make_pdf(sample_pages()))
    doc = read_document(path, tmp_path)
    para = next(b for b in doc.blocks if b.label == "61" and b.kind == "para")
    assert "\n" not in para.text
    assert "Staff should know the systems in their school." in para.text


def test_line_end_hyphens(tmp_path):
    lines = [
        (72, 780, BODY, "Children need a multi-"),
        (72, 766, BODY, "agency response and the local authority should co-"),
        (72, 752, BODY, "ordinate the compa-"),
        (72, 738, BODY, "ny that handles the case; every company keeps coordinate records."),
    ]
    doc = read_document(write(tmp_path, "h.pdf", make_pdf([lines])), tmp_path)
    assert "multi-agency" in doc.text
    assert "the company that" in doc.text  # "company" is used elsewhere: a broken word


def test_printed_page_labels(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(make_pdf(sample_pages())))
    writer.set_page_label(0, 0, style="/r")
    writer.set_page_label(1, 2, style="/D", start=7)
    buf = io.BytesIO()
    writer.write(buf)
    doc = read_document(write(tmp_path, "labels.pdf", buf.getvalue()), tmp_path)
    by_label = {b.label: b for b in doc.blocks if b.kind == "para"}
    assert (by_label["62"].page, by_label["62"].page_label) == (1, "i")
    assert (by_label["63"].page, by_label["63"].page_label) == (2, "7")
    assert (by_label["64"].page, by_label["64"].page_label) == (3, "8")


def test_title_from_largest_text_without_metadata(tmp_path):
    pages = sample_pages()
    pages[0].insert(0, (72, 785, 24, "Guidance for Tests", True))
    doc = read_document(write(tmp_path, "t.pdf", make_pdf(pages)), tmp_path)
    assert doc.title == "Guidance for Tests"


def test_placeholder_metadata_title_is_ignored(tmp_path):
    pages = sample_pages()
    pages[0].insert(0, (72, 785, 24, "Guidance for Tests", True))
    data = make_pdf(pages, title="Microsoft Word - draft v3.docx")
    assert read_document(write(tmp_path, "m.pdf", data), tmp_path).title == "Guidance for Tests"


def test_encrypted_pdf_is_refused_with_reason(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(make_pdf(sample_pages())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    path = write(tmp_path, "locked.pdf", buf.getvalue())
    with pytest.raises(IngestError, match="password-protected") as e:
        read_document(path, tmp_path)
    assert e.value.path == str(path)


def test_truncated_pdf(tmp_path):
    data = make_pdf(sample_pages())
    path = write(tmp_path, "cut.pdf", data[: len(data) // 2])
    with pytest.raises(IngestError, match="truncated") as e:
        read_document(path, tmp_path)
    assert "cut.pdf" in str(e.value)


def test_corrupt_pdf(tmp_path):
    path = write(tmp_path, "bad.pdf", b"%PDF-1.4\n" + b"garbage " * 50 + b"\n%%EOF\n")
    with pytest.raises(IngestError, match="corrupt") as e:
        read_document(path, tmp_path)
    assert "bad.pdf" in str(e.value)


def test_scanned_pdf_without_text_layer(tmp_path):
    path = write(tmp_path, "scan.pdf", make_pdf([[], []]))
    with pytest.raises(IngestError, match="no text layer") as e:
        read_document(path, tmp_path)
    assert "scan.pdf" in str(e.value)


def test_pdf_content_wins_over_extension(tmp_path):
    path = write(tmp_path, "really-a-pdf.txt", make_pdf(sample_pages()))
    assert read_document(path, tmp_path).format == "pdf"
