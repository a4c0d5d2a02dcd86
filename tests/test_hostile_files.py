"""Hostile files against the real CLI: compressed bombs, paragraph floods, slow parses, XXE and
file names that spoof the terminal. Each refusal is one line naming the file and the reason,
the exit status is 1, and the index is left exactly as it
was (same documents, versions and chunk counts).

The bombs are kept small by lowering the caps through their settings, as an admin would.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

GOOD_MD = """# Harbour Review

## 1. Findings

1.1 The harbour master did not log the ferry's late departure on 3 March 2020.

1.2 Nobody checked the bow doors before the ferry left the harbour.
"""


def cli(args, home: Path, **env):
    """The real `inquiry` command in a child process."""
    full = {**os.environ, "INQUIRY_HOME": str(home), "HF_HUB_OFFLINE": "1", **env}
    cmd = [sys.executable, "-m", "ui.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=full, cwd=REPO, timeout=300)


def docs_json(home: Path) -> list[dict]:
    proc = cli(["docs", "--json"], home)
    assert proc.returncode == 0, proc.stderr
    rows = [part for r in json.loads(proc.stdout) for part in r["parts"]]  # reports -> files
    return sorted(rows, key=lambda r: r["source"])


def docx_bytes(body_xml: str, extra: dict[str, bytes] | None = None, doctype: str = "") -> bytes:
    """A real DOCX (made by python-docx) whose body is replaced by `body_xml`."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'{doctype}<w:document xmlns:w="{W}"><w:body>{body_xml}</w:body>'
                    "</w:document>"
                ).encode()
            dst.writestr(item, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


@pytest.fixture
def library(tmp_path, real_embedder):
    """A folder with one good report, ingested (in this process, with the model already
    loaded); returns (folder, home, the index as `inquiry docs --json` shows it)."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "harbour-review.md").write_text(GOOD_MD, encoding="utf-8")
    home = tmp_path / "home"
    assistant = Assistant(Settings.from_env(env={}, home=home), embedder=real_embedder)
    plan, _ = assistant.ingest([folder])
    assert not plan.of("failed")
    before = docs_json(home)  # as the CLI shows it, so before and after compare like for like
    assert [d["source"] for d in before] == ["harbour-review.md"]
    return folder, home, before


def failed_line(proc, name: str, reason: str) -> str:
    lines = [ln for ln in proc.stdout.splitlines() if name in ln]
    assert len(lines) == 1, proc.stdout
    assert lines[0].split()[0] == "failed" and reason in lines[0], lines[0]
    return lines[0]


def test_bombs_are_refused_and_the_rest_goes_on(library):
    """One batch: a decompression bomb, two paragraph floods (DOCX and text), a DOCX within
    the caps and a new Markdown report. The three bad files are refused, each with one line;
    the good ones are added; what was indexed before is untouched; exit status 1."""
    folder, home, before = library
    zeros = b"\0" * (3 * 1024 * 1024)  # 3 MB of nothing, a few KB once compressed
    bomb = docx_bytes(para("1.1 A normal paragraph."), {"word/media/image1.bin": zeros})
    assert len(bomb) < 64 * 1024
    (folder / "inflates.docx").write_bytes(bomb)
    (folder / "flood.docx").write_bytes(docx_bytes("".join(para("x") for _ in range(3000))))
    (folder / "flood.txt").write_text("\n\n".join("x" for _ in range(3000)), encoding="utf-8")
    fine = "".join(para(f"{i}.1 Paragraph number {i} of the review.") for i in range(1, 40))
    (folder / "fine.docx").write_bytes(docx_bytes(fine))
    (folder / "second.md").write_text(
        "# Second Review\n\n1.1 The second review found the ferry's logbook incomplete.\n",
        encoding="utf-8",
    )
    proc = cli(
        ["ingest", str(folder)], home, INQUIRY_MAX_UNPACKED_MB="1", INQUIRY_MAX_PARAGRAPHS="1000"
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out
    line = failed_line(proc, "inflates.docx", "limit for decompressed content")
    assert "more than the 1 MB limit" in line and "INQUIRY_MAX_UNPACKED_MB" in line
    line = failed_line(proc, "flood.docx", "too many paragraphs: more than 1,000")
    assert "INQUIRY_MAX_PARAGRAPHS" in line
    failed_line(proc, "flood.txt", "too many paragraphs: more than 1,000")
    after = docs_json(home)
    assert sorted(d["source"] for d in after) == ["fine.docx", "harbour-review.md", "second.md"]
    assert [d for d in after if d["source"] == "harbour-review.md"] == before


def test_slow_parse_is_refused_and_the_index_is_unchanged(library):
    folder, home, before = library
    data = docx_bytes("".join(para(f"{i}.1 Paragraph number {i}.") for i in range(1, 200)))
    (folder / "slow.docx").write_bytes(data)
    proc = cli(["ingest", str(folder)], home, INQUIRY_MAX_PARSE_S="0.000001")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    line = failed_line(proc, "slow.docx", "parsing took longer than the 1e-06 s limit")
    assert "INQUIRY_MAX_PARSE_S" in line
    assert docs_json(home) == before


def test_caps_reach_the_reader_from_settings(tmp_path):
    """The settings tree builds the caps ingest applies (no reader reads the environment)."""
    from assistant.settings import Settings

    s = Settings.from_env(
        env={
            "INQUIRY_MAX_UNPACKED_MB": "2",
            "INQUIRY_MAX_PARAGRAPHS": "7",
            "INQUIRY_MAX_PARSE_S": "3.5",
            "INQUIRY_MAX_FILE_MB": "1",
        }
    )
    lim = s.read_limits()
    assert (lim.max_unpacked_bytes, lim.max_paragraphs, lim.max_parse_s, lim.max_bytes) == (
        2 * 1024 * 1024,
        7,
        3.5,
        1024 * 1024,
    )


def test_xxe_entity_keeps_the_rest_of_its_paragraph(tmp_path):
    from ingest.load import read_document

    doctype = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    body = (
        '<w:p><w:r><w:t xml:space="preserve">1.1 Before the entity &xxe; and after it, '
        "the paragraph goes on.</w:t></w:r></w:p>" + para("1.2 The next paragraph.")
    )
    path = tmp_path / "xxe.docx"
    path.write_bytes(docx_bytes(body, doctype=doctype))
    doc = read_document(path, tmp_path)
    text = "\n".join(b.text for b in doc.blocks)
    assert "and after it, the paragraph goes on." in text
    assert "Before the entity" in text
    assert "root:" not in text  # the entity was not resolved
    assert "1.2 The next paragraph." in text or "The next paragraph." in text


@pytest.mark.parametrize("step", [5, 7, 64, 1 << 20])
def test_paragraph_count_is_exact_across_read_steps(monkeypatch, step):
    """The paragraph count (read in steps, before python-docx inflates the file) finds every
    tag, whichever step boundary cuts it, and stops early past the cap."""
    import ingest.limits as limits

    monkeypatch.setattr(limits, "_READ_STEP", step)
    body = "".join(para(f"{i}") for i in range(250)) + "<w:p/>" * 50 + '<w:p w:rsidR="1"/>' * 7
    with zipfile.ZipFile(io.BytesIO(docx_bytes(body))) as z:
        assert limits._count_paragraphs(z, "word/document.xml", stop_after=10_000) == 307
        assert limits._count_paragraphs(z, "word/document.xml", stop_after=100) <= 100 + step


def test_a_refused_bomb_frees_the_ingest_lock(tmp_path, real_embedder):
    """In one process (as the app runs it): the flood is refused with its reason, and the next
    ingest starts at once, without waiting for a lock."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "flood.docx").write_bytes(docx_bytes("".join(para("x") for _ in range(3000))))
    settings = Settings.from_env(env={}, home=tmp_path / "home", max_paragraphs=1000)
    assistant = Assistant(settings, embedder=real_embedder)
    plan, _ = assistant.ingest([folder], wait_s=0)
    [item] = plan.items
    assert item.action == "failed" and item.reason.startswith("too many paragraphs")
    plan, _ = assistant.ingest([folder], wait_s=0)  # IndexBusy here if the lock were held
    assert [i.action for i in plan.items] == ["failed"]
    assert assistant.docs() == []
