"""Remove means one thing (issue 14.5): the document leaves the index; its file stays unless
deletion is asked for (`inquiry remove --delete-file`, the app's Remove), and the message says
what happened to the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def _corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "alpha.md").write_text("# Alpha\n\n1.1 The helpdesk logged the shortfall.\n")
    (root / "beta.md").write_text("# Beta\n\n2.1 The audit found the error late.\n")
    return root


@pytest.fixture
def assistant(tmp_path, fake_embedder):
    a = Assistant(Settings.from_env(env={}, home=tmp_path / "data"), embedder=fake_embedder)
    a.ingest([_corpus(tmp_path / "corpus")])
    return a


@pytest.mark.unit
def test_remove_keeps_the_file_and_says_ingest_brings_it_back(tmp_path, assistant):
    done = assistant.remove("alpha.md")
    assert done.file == "kept"
    assert (tmp_path / "corpus" / "alpha.md").is_file()
    assert "was kept" in done.message() and "adds it back" in done.message()
    assert [d.source for d in assistant.docs()] == ["beta.md"]
    plan, _ = assistant.ingest([tmp_path / "corpus"])
    assert [i.source for i in plan.of("new")] == ["alpha.md"]  # as the message said


@pytest.mark.unit
def test_remove_with_delete_file_deletes_it(tmp_path, assistant):
    done = assistant.remove("alpha.md", delete_file=True)
    assert done.file == "deleted" and "was deleted" in done.message()
    assert not (tmp_path / "corpus" / "alpha.md").exists()
    plan, _ = assistant.ingest([tmp_path / "corpus"])
    assert plan.counts()["new"] == 0


@pytest.mark.unit
def test_delete_file_spares_a_file_changed_since_ingest(tmp_path, assistant):
    path = tmp_path / "corpus" / "alpha.md"
    path.write_text("# Alpha\n\n1.1 An edit made after the ingest.\n")
    done = assistant.remove("alpha.md", delete_file=True)
    assert done.file == "not_deleted"
    assert "changed since it was ingested" in done.message()
    assert path.read_text().endswith("after the ingest.\n")
    assert [d.source for d in assistant.docs()] == ["beta.md"]


@pytest.mark.unit
def test_remove_by_file_path(tmp_path, assistant):
    done = assistant.remove(str(tmp_path / "corpus" / "beta.md"))
    assert done.record.source == "beta.md"


@pytest.mark.integration
def test_cli_remove_prints_what_happened_to_the_file(tmp_path, real_embedder):
    corpus = _corpus(tmp_path / "corpus")
    home = tmp_path / "data"
    Assistant(Settings.from_env(env={}, home=home), embedder=real_embedder).ingest([corpus])
    env = {**os.environ, "INQUIRY_HOME": str(home), "PYTHONPATH": str(REPO)}
    cli = [sys.executable, "-m", "ui.cli", "remove"]

    def run(*args):
        return subprocess.run(
            [*cli, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=300
        )

    kept = run("alpha.md")
    assert kept.returncode == 0, kept.stderr
    assert f"Its file {corpus.resolve() / 'alpha.md'} was kept" in kept.stdout
    assert "--delete-file" in kept.stdout and (corpus / "alpha.md").is_file()
    deleted = run("beta.md", "--delete-file")
    assert deleted.returncode == 0, deleted.stderr
    assert "was deleted" in deleted.stdout and not (corpus / "beta.md").exists()
    missing = run("nope.md")
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        "inquiry: error: no indexed document matches 'nope.md' (see `inquiry docs`)"
    ]
