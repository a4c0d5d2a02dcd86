"""A document's identity is its folder and its path in it (issue 16.2): one file name in two
folders, or in two corpora ingested into one home, is two documents; `source` stays the path
relative to the folder ingested (scorers match on it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def _report(folder: Path, words: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.md"
    path.write_text(f"# Report {words}\n\n1.1 The panel found that {words} was late.\n")
    return path


@pytest.fixture
def assistant(tmp_path, fake_embedder):
    return Assistant(Settings.from_env(env={}, home=tmp_path / "data"), embedder=fake_embedder)


@pytest.mark.unit
def test_same_name_in_two_folders_is_two_documents(tmp_path, assistant):
    _report(tmp_path / "A", "alpha")
    _report(tmp_path / "B", "bravo")
    plan, _ = assistant.ingest([tmp_path / "A", tmp_path / "B"])
    assert plan.counts()["new"] == 2
    docs = assistant.docs()
    assert [d.source for d in docs] == ["report.md", "report.md"]
    assert len({d.doc_id for d in docs}) == 2
    assert {d.root for d in docs} == {str((tmp_path / x).resolve()) for x in "AB"}
    # re-ingesting A after a change replaces A's, never B's
    _report(tmp_path / "A", "alpha two")
    plan, _ = assistant.ingest([tmp_path / "A"])
    assert plan.counts() == {"new": 0, "changed": 1, "unchanged": 0, "removed": 0, "failed": 0}
    texts = sorted(p.text for p in assistant.search("panel found late", k=10))
    assert any("bravo" in t for t in texts) and any("alpha two" in t for t in texts)
    assert len(assistant.docs()) == 2


@pytest.mark.unit
def test_two_corpora_in_one_home_keep_their_documents(tmp_path, assistant):
    _report(tmp_path / "one" / "vol", "first corpus")
    _report(tmp_path / "two" / "vol", "second corpus")
    assistant.ingest([tmp_path / "one"], prune=True)
    assistant.ingest([tmp_path / "two"], prune=True)
    assert sorted(d.source for d in assistant.docs()) == ["vol/report.md", "vol/report.md"]
    # pruning one corpus leaves the other alone
    (tmp_path / "one" / "vol" / "report.md").unlink()
    plan, _ = assistant.ingest([tmp_path / "one"], prune=True)
    assert plan.counts()["removed"] == 1
    assert [d.root for d in assistant.docs()] == [str((tmp_path / "two").resolve())]


@pytest.mark.unit
def test_a_catalogue_keyed_by_source_alone_is_rekeyed_without_embedding(tmp_path, assistant):
    """A store written before ids held the folder: the next ingest re-keys each document,
    reusing its vectors, and leaves one record per file."""
    from index.store import DocRecord
    from index.sync import fingerprint
    from ingest.chunking import chunk_document
    from ingest.load import read_document
    from ingest.model import doc_id_for

    folder = tmp_path / "A"
    path = _report(folder, "alpha")
    doc = read_document(path, folder)
    chunks = chunk_document(doc, max_tokens=200, count_tokens=assistant.embedder.count_tokens)
    old = DocRecord(
        doc_id=doc_id_for("report.md"),
        source="report.md",
        title=doc.title,
        version=fingerprint(path)[1],
        content_hash=doc.content_hash,
        root=str(folder.resolve()),
        path=str(path.resolve()),
    )
    vectors = assistant.embedder.embed([c.embed_text for c in chunks])
    assistant.store.put_document(old, chunks, vectors)
    plan, embedded = assistant.ingest([folder])
    assert [i.replaces for i in plan.items] == [old.doc_id]
    assert embedded == 0
    docs = assistant.docs()
    assert len(docs) == 1 and docs[0].doc_id != old.doc_id and docs[0].source == "report.md"
    assert {m["doc_id"] for _, m in assistant.store._iter_meta()} == {docs[0].doc_id}
    plan, _ = assistant.ingest([folder])
    assert plan.counts()["unchanged"] == 1


@pytest.mark.integration
def test_cli_ingest_two_folders_lists_both(tmp_path):
    _report(tmp_path / "A", "alpha")
    _report(tmp_path / "B", "bravo")
    env = {**os.environ, "INQUIRY_HOME": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
    run = [sys.executable, "-m", "ui.cli"]
    proc = subprocess.run(
        [*run, "ingest", str(tmp_path / "A"), str(tmp_path / "B"), "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["counts"]["new"] == 2
    proc = subprocess.run(
        [*run, "docs", "--json"], capture_output=True, text=True, env=env, cwd=REPO, timeout=300
    )
    docs = [part for r in json.loads(proc.stdout) for part in r["parts"]]  # reports -> files
    assert [d["source"] for d in docs] == ["report.md", "report.md"]
    assert len({d["doc_id"] for d in docs}) == 2
