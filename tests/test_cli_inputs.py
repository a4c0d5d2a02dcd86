"""Bad CLI input (issue 16.4): one line naming the input and the reason, the right exit status
(2: a bad argument, 1: anything else), no traceback, and the index exactly as it was. A store
that is read-only or damaged says what is wrong and what to do; commands that only read write
nothing to the store."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def run(args: list, home: Path | str, timeout: int = 600, **env) -> subprocess.CompletedProcess:
    full = {**os.environ, "INQUIRY_HOME": str(home), "PYTHONPATH": str(REPO), **env}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        capture_output=True,
        env=full,
        cwd=REPO,
        timeout=timeout,
    )


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def state(home: Path) -> tuple:
    """What the index holds: each document's id, version and chunk count, the chunks stored,
    and the write stamp (any write by our code changes it). Chroma itself may compact its
    files when a process opens them, so the bytes are not compared."""
    from index.store import STAMP_ID

    a = Assistant(Settings.from_env(env={}, home=home), embedder=_NAMED, read_only=True)
    docs = sorted((d.doc_id, d.version, d.chunks) for d in a.docs())
    stamp = a.store.docs.get(ids=[STAMP_ID], include=["metadatas"])["metadatas"]
    return docs, a.store.count(), stamp


class _Named:
    """Only the embedder's name is needed to find the collections."""

    name = "all-MiniLM-L6-v2"


_NAMED = _Named()


def one_line(proc) -> str:
    err = proc.stderr.decode()
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("inquiry: error: ")
    return lines[0]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, real_embedder) -> Path:
    """A home holding two small reports (2019 and 2021), ingested with the real model."""
    root = tmp_path_factory.mktemp("cli-inputs")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "alpha.md").write_text("# Alpha review\n\n1.1 The helpdesk logged 40 calls.\n")
    (corpus / "alpha.md.meta.json").write_text('{"year": 2019}')
    (corpus / "beta.md").write_text("# Beta review\n\n2.1 The audit found the error late.\n")
    (corpus / "beta.md.meta.json").write_text('{"year": 2021}')
    home = root / "data"
    a = Assistant(Settings.from_env(env={}, home=home), embedder=real_embedder)
    a.ingest([corpus])
    a.retriever.lexical()
    return home


BAD_ARGUMENTS = [
    (["ask", "--k", "0", "q"], "argument --k: must be a whole number from 1 to 100, not '0'"),
    (["ask", "--k", "-1", "q"], "argument --k: must be a whole number from 1 to 100, not '-1'"),
    (["search", "--k", "ten", "q"], "argument --k: must be a whole number from 1 to 100"),
    (["ask", "--year", "abc", "q"], "argument --year: must be a four-digit year, not 'abc'"),
    (["ask", ""], "argument question: the question is empty"),
    (["search", "   "], "argument query: the query is empty"),
    (
        ["ask", b"caf\xe9 \xff question"],
        "argument question: the question is not valid UTF-8 text (byte 0xe9 at character 4)",
    ),
    (["ingest", "x", "--wait", "-3"], "argument --wait: must be seconds from 0 to 86400"),
    (["remove", "x", "--wait", "nan"], "argument --wait: must be seconds from 0 to 86400"),
    (["serve", "--port", "70000"], "argument --port: must be a whole number from 1 to 65535"),
]


@pytest.mark.integration
@pytest.mark.parametrize("args,message", BAD_ARGUMENTS, ids=[str(a[:3]) for a, _ in BAD_ARGUMENTS])
def test_bad_argument_is_one_line_exit_2_and_index_untouched(indexed, args, message):
    before = state(indexed)
    proc = run(args, indexed)
    assert proc.returncode == 2
    assert one_line(proc) == f"inquiry: error: {message}" or message in one_line(proc)
    assert state(indexed) == before


@pytest.mark.integration
def test_year_nothing_matches_is_not_nothing_indexed(indexed):
    before = state(indexed)
    proc = run(["ask", "--year", "1850", "How many calls?"], indexed)
    assert proc.returncode == 1
    assert one_line(proc) == (
        "inquiry: error: --year 1850: no indexed document is from 1850 (years indexed: 2019, 2021)"
    )
    proc = run(["search", "--doc", "alpha.md", "--year", "2021", "calls"], indexed)
    assert proc.returncode == 1
    assert "the documents chosen with --doc are not from 2021 (their years: 2019)" in one_line(proc)
    assert state(indexed) == before


@pytest.mark.integration
def test_empty_home_variable_creates_nothing(tmp_path):
    proc = run(["docs"], "", timeout=120)
    assert proc.returncode == 1
    assert one_line(proc) == (
        "inquiry: error: INQUIRY_HOME is set but empty: set it to a folder, or unset it"
    )
    assert not (REPO / "chroma").exists()


@pytest.mark.integration
def test_read_commands_on_a_fresh_home_create_nothing(tmp_path):
    home = tmp_path / "fresh"
    docs = run(["docs", "--json"], home)
    assert docs.returncode == 0 and docs.stdout.decode().strip() == "[]"
    ask = run(["ask", "anything"], home)
    assert ask.returncode == 1
    assert one_line(ask) == (
        f"inquiry: error: nothing is indexed in {home} yet: run `inquiry ingest FOLDER` first"
    )
    assert not home.exists()


@pytest.mark.integration
def test_reading_commands_write_nothing_to_the_store(indexed):
    before = state(indexed)
    assert before[0] and before[2]  # two documents, a stamp
    for args in (["docs"], ["search", "helpdesk calls"], ["ask", "How many calls were logged?"]):
        proc = run(args, indexed)
        assert proc.returncode == 0, proc.stderr.decode()[-1500:]
        assert state(indexed) == before, args


@pytest.mark.integration
def test_damaged_store_says_restore_or_reingest(indexed, tmp_path):
    home = tmp_path / "damaged"
    shutil.copytree(indexed, home)
    db = home / "chroma" / "chroma.sqlite3"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    for args in (["docs"], ["ask", "How many calls?"]):
        proc = run(args, home)
        assert proc.returncode == 1
        line = one_line(proc)
        assert f"the index at {home / 'chroma'} is damaged (database disk image is malformed)" in (
            line
        )
        assert "restore that folder from a backup" in line and "ingest the reports again" in line


@pytest.mark.integration
def test_read_only_store_says_what_to_do(indexed, tmp_path):
    """Run as a user who may not write the store: root bypasses permissions, so the CLI runs
    in a user namespace (`unshare --user`), where it does not."""
    if not shutil.which("unshare"):
        pytest.fail("unshare (util-linux) is needed to run a command without write access")
    home = tmp_path / "readonly"
    shutil.copytree(indexed, home)
    for p in [home, *home.rglob("*")]:
        p.chmod(p.stat().st_mode & ~0o222)
    try:
        before = snapshot(home)
        for args in (["docs"], ["search", "calls"]):
            full = {**os.environ, "INQUIRY_HOME": str(home), "PYTHONPATH": str(REPO)}
            proc = subprocess.run(
                ["unshare", "--user", sys.executable, "-m", "ui.cli", *args],
                capture_output=True,
                env=full,
                cwd=REPO,
                timeout=300,
            )
            assert proc.returncode == 1
            line = one_line(proc)
            assert f"the index at {home / 'chroma'} cannot be opened by this user" in line
            assert "make it writable, or copy it to a writable folder" in line
        assert snapshot(home) == before
    finally:
        for p in [home, *home.rglob("*")]:
            p.chmod(p.stat().st_mode | 0o200)
