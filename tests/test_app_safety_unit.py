"""Unit tests (no server) for the app's file and sign-in safety: the one sniffer behind
uploads, names shown safely, the lockout rules, and the status lines of long jobs."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.unit
REPO = Path(__file__).resolve().parents[1]


def _docx() -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("1.1 A paragraph.")
    d.save(buf)
    return buf.getvalue()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "x")
    return buf.getvalue()


CASES = [
    ("report.pdf", b"%PDF-1.7\n...", "report.pdf"),
    ("page.html", b"<!DOCTYPE html><html><body>x</body></html>", "page.html"),
    ("notes.md", b"# Title\n\nSome *markdown*.", "notes.md"),
    ("plain.txt", "Plain UTF-8 text: café, naïve".encode(), "plain.txt"),
    ("windows.txt", "Windows text: caf\u00e9 \u201cquoted\u201d".encode("cp1252"), "windows.txt"),
    ("wide.txt", "UTF-16 text: caf\u00e9".encode("utf-16"), "wide.txt"),
    ("noext", b"Just some words.", "noext.txt"),
    ("photo.pdf", b"\x89PNG\r\n\x1a\n\x00\x00", None),
    ("tool.txt", b"MZ\x90\x00\x03\x00", None),
    ("bin.txt", b"binary\x00\x01\x02\x03control", None),
    ("archive.docx", _zip(), None),
    ("real.bin", _docx(), "real.bin.docx"),
]


@pytest.mark.parametrize("name, data, stored", CASES, ids=[c[0] for c in CASES])
def test_uploads_are_judged_by_the_ingest_sniffer(tmp_path, name, data, stored):
    """The app accepts exactly what `inquiry ingest` accepts (one sniffer, ingest/sniff.py)."""
    from ingest.errors import IngestError
    from ingest.sniff import sniff
    from ui.library import check_upload

    path = tmp_path / "upload.bin"  # Gradio's temporary name says nothing
    path.write_bytes(data)
    got, reason = check_upload(path, name, max_bytes=1024 * 1024)
    assert got == stored, reason
    try:
        sniff(data, Path(name))
        ingest_accepts = True
    except IngestError:
        ingest_accepts = False
    assert ingest_accepts == (stored is not None)
    if stored is None:
        assert "checked by content" in reason


def test_upload_size_and_empty(tmp_path):
    from ui.library import check_upload

    empty = tmp_path / "e"
    empty.write_bytes(b"")
    assert check_upload(empty, "e.txt", 100) == (None, "the file is empty")
    big = tmp_path / "b"
    big.write_bytes(b"a" * 2048)
    name, reason = check_upload(big, "b.txt", 1024)
    assert name is None and reason.startswith("too large")


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("report\u202efdp.exe", "report\\u202efdp.exe"),
        ("a\x1b[31mred", "a\\x1b[31mred"),
        ("line\nbreak\ttab", "line\\x0abreak\\x09tab"),
        ("iso\u2066late\u2069", "iso\\u2066late\\u2069"),
        ("تقرير اللجنة.pdf", "تقرير اللجنة.pdf"),  # right-to-left letters are fine as they are
        ("Café report.pdf", "Café report.pdf"),
    ],
)
def test_printable_names(raw, shown):
    from ui.safety import printable

    assert printable(raw) == shown


def _doc(title: str, source: str):
    return SimpleNamespace(
        doc_id="d1",
        title=title,
        source=source,
        pages=3,
        chunks=4,
        year=2020,
        ingested_at="2026-12-02T01:00:00",
        content_hash="abc" * 10,
    )


def test_library_and_cli_show_spoofing_names_escaped():
    from ui.common import doc_choices
    from ui.library import doc_rows
    from ui.reporting import format_docs, print_plan

    d = _doc("Title\u202eevil", "harbour\u202efdp.md")
    shown = [str(x) for x in doc_rows([d])[0]] + [label for label, _ in doc_choices([d])]
    shown.append(format_docs([d]))
    item = SimpleNamespace(action="new", source="harbour\u202efdp.md", reason="")
    plan = SimpleNamespace(items=[item], counts=lambda: {"new": 1})
    shown.append(print_plan(plan))
    for text in shown:
        assert "\u202e" not in text
    assert "harbour\\u202efdp.md" in doc_rows([d])[0]
    assert "harbour\\u202efdp.md" in format_docs([d])


def test_cli_error_line_escapes_control_characters(tmp_path):
    env = {**os.environ, "INQUIRY_HOME": str(tmp_path / "data")}
    cmd = [sys.executable, "-m", "ui.cli", "ingest", "/no/such/\x1b[2Jfolder"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stderr
    assert "/no/such/\\x1b[2Jfolder: no such file or folder" in proc.stderr


# -- lockout -----------------------------------------------------------------------------------
LOCK_S = 2.0  # longer than a few bcrypt checks on a busy machine, so failures make a run


@pytest.fixture
def store(tmp_path):
    import ui.auth as auth

    path = tmp_path / "u.txt"
    user = auth.User("al", "admin", auth.hash_password("right-password", rounds=4))
    path.write_text(auth.format_users({"al": user}), encoding="utf-8")
    return auth.UserStore(path, max_failures=3, lockout_s=LOCK_S)


def test_lockout_is_per_name_and_source(store):
    from ui.auth import AccountLocked

    for _ in range(3):
        assert store.check("al", "wrong-password", "10.0.0.1") is False
    with pytest.raises(AccountLocked, match="temporarily locked"):
        store.check("al", "right-password", "10.0.0.1")
    assert store.authenticate("al", "right-password", "10.0.0.1") is False  # locked: False
    assert store.check("al", "right-password", "10.0.0.2") is True  # another address
    assert store.locked_for("al", "10.0.0.2") == 0
    time.sleep(LOCK_S + 0.1)
    assert store.check("al", "right-password", "10.0.0.1") is True  # the lock expired


def test_a_right_password_ends_the_run_and_slow_failures_do_not_lock(store):
    for _ in range(2):
        assert not store.check("al", "wrong-password", "a")
    assert store.check("al", "right-password", "a")
    for _ in range(2):
        assert not store.check("al", "wrong-password", "a")
    assert store.locked_for("al", "a") == 0
    time.sleep(LOCK_S + 0.1)  # longer than lockout_s since the last failure: a new run starts
    assert not store.check("al", "wrong-password", "a")
    assert store.locked_for("al", "a") == 0


def test_unknown_names_lock_too_and_log_no_password(store, caplog):
    from ui.auth import AccountLocked

    caplog.set_level("WARNING", logger="inquiry.auth")
    for _ in range(3):
        assert not store.check("nobody", "secret-guess-1", "b")
    with pytest.raises(AccountLocked):
        store.check("nobody", "secret-guess-1", "b")
    text = caplog.text
    assert "failed sign-in for 'nobody' from b" in text and "secret-guess-1" not in text


# -- status lines ------------------------------------------------------------------------------
def test_ingest_status_says_step_and_progress():
    from ui.progress import IngestStatus

    st = IngestStatus("/lib")
    assert st.text(2).startswith("Comparing the library folder (/lib) with the index")
    items = [
        SimpleNamespace(action=a, source=f"f{i}") for i, a in enumerate(["new", "new", "unchanged"])
    ]
    st.update(("plan", SimpleNamespace(items=items)))
    assert st.text(3).startswith("Indexing file 1 of 2 (1 unchanged)")
    st.update(("embed", 32))
    st.update(("item", SimpleNamespace(action="new", source="f0")))
    assert st.text(5).startswith("Indexing file 2 of 2 (1 unchanged); 32 passage(s) embedded")
    assert "last: f0 (added)" in st.text(5)
    st.update(("step", "keywords"))
    assert st.text(9) == (
        "All 2 file(s) indexed; rebuilding the keyword search index over the library… 9 s"
    )


def test_ingest_status_says_which_scanned_page_ocr_reads():
    from ui.progress import IngestStatus

    st = IngestStatus("/lib")
    st.update(("plan", SimpleNamespace(items=[SimpleNamespace(action="new", source="scan.pdf")])))
    st.update(("ocr", ("scan.pdf", 3, 12)))
    assert "reading scanned pages by OCR: scan.pdf, page 3 of 12" in st.text(4)
    st.update(("item", SimpleNamespace(action="new", source="scan.pdf")))
    assert "OCR" not in st.text(5)


def test_remove_status_steps():
    from ui.progress import RemoveStatus

    st = RemoveStatus("Harbour", "h.md", 12)
    assert "waiting for the index" in st.text(0)
    st.update("removing")
    assert (
        st.text(1)
        == "Removing “Harbour” (h.md, 12 passages), step 1 of 2: deleting its passages… 1 s"
    )
    st.update("keywords")
    assert "step 2 of 2" in st.text(4) and "keyword search index" in st.text(4)
