"""Re-ingestion admins can trust: plans, replace, prune, remove, crash safety, atomic replace.

The store is real Chroma (embedded, and a real `chroma run` server for the `server` variants);
the embedder is the deterministic fake so that crashes and races can be driven quickly. The
real-model path is covered by test_pipeline_integration.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def doc_text(version: str, n: int = 12) -> str:
    return "\n\n".join(
        f"{i}. In version {version} the helpdesk logged call number {i} about the shortfall."
        for i in range(1, n + 1)
    )


def make_corpus(root: Path, version: str = "one") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "alpha.txt").write_text(doc_text(version), encoding="utf-8")
    (root / "beta.md").write_text("# Beta\n\n" + doc_text("beta", 5), encoding="utf-8")
    (root / "gamma.txt").write_text("Gamma report.\n\n" + doc_text("gamma", 4), encoding="utf-8")
    return root


def check_consistent(a: Assistant, corpus: Path) -> None:
    """Every catalogued document complete and current; no orphan or duplicate chunks."""
    from index.sync import fingerprint

    docs = a.store.documents()
    rows = list(a.store._iter_meta())
    assert len({cid for cid, _ in rows}) == len(rows)
    for cid, meta in rows:
        assert meta["doc_id"] in docs, f"orphan chunk {cid}"
        rec = docs[meta["doc_id"]]
        # the version a document replaced stays for a grace period, never an older one
        assert meta["version"] in (rec.version, rec.previous), f"stale chunk {cid}"
    for rec in docs.values():
        n = sum(1 for _, m in rows if m["doc_id"] == rec.doc_id and m["version"] == rec.version)
        assert n == rec.chunks, f"{rec.source}: {n} chunks stored, catalogue says {rec.chunks}"
        path = corpus / rec.source
        if path.exists():
            assert rec.version == fingerprint(path)[1], f"{rec.source} is not current"


@pytest.fixture(
    params=["embedded", pytest.param("server", marks=[pytest.mark.server, pytest.mark.slow])]
)
def backend(request, tmp_path):
    if request.param == "embedded":
        yield ""
        return
    from chroma_server import ChromaServer

    server = ChromaServer(tmp_path / "chroma-server").start()
    yield server.url
    server.stop()


@pytest.fixture
def make_assistant(tmp_path, backend, fake_embedder):
    def make(home: Path | None = None) -> Assistant:
        s = Settings.from_env(env={}, home=home or tmp_path / "data", chroma_url=backend)
        return Assistant(s, embedder=fake_embedder)

    return make


@pytest.mark.unit
def test_plan_new_changed_unchanged_removed(tmp_path, make_assistant):
    corpus = make_corpus(tmp_path / "corpus")
    a = make_assistant()
    assert a.plan([corpus]).counts()["new"] == 3
    a.ingest([corpus])
    (corpus / "alpha.txt").write_text(doc_text("two"), encoding="utf-8")
    (corpus / "gamma.txt").unlink()
    (corpus / "delta.txt").write_text("Delta.\n\n" + doc_text("delta", 2), encoding="utf-8")
    counts = a.plan([corpus], prune=True).counts()
    assert counts == {"new": 1, "changed": 1, "unchanged": 1, "removed": 1, "failed": 0}
    assert a.plan([corpus]).counts()["removed"] == 0  # without prune nothing is removed
    plan, _ = a.ingest([corpus], prune=True)
    assert {i.source for i in plan.of("removed")} == {"gamma.txt"}
    assert sorted(d.source for d in a.docs()) == ["alpha.txt", "beta.md", "delta.txt"]
    check_consistent(a, corpus)
    texts = [p.text for p in a.search("helpdesk call shortfall", k=30)]
    assert any("version two" in t for t in texts)
    assert not any("version one" in t for t in texts)


@pytest.mark.unit
def test_reingest_unchanged_embeds_nothing_and_changed_reuses(tmp_path, make_assistant):
    corpus = make_corpus(tmp_path / "corpus")
    a = make_assistant()
    _, first = a.ingest([corpus])
    assert first > 0
    plan, again = a.ingest([corpus])
    assert again == 0 and plan.counts()["unchanged"] == 3
    path = corpus / "alpha.txt"
    path.write_text(path.read_text() + "\n\n13. One more paragraph was added.", encoding="utf-8")
    plan, changed = a.ingest([corpus])
    assert plan.counts()["changed"] == 1
    assert 0 < changed < 5  # only the new/altered chunks are embedded
    check_consistent(a, corpus)


@pytest.mark.unit
def test_remove_document_by_source_and_unknown(tmp_path, make_assistant):
    from assistant.errors import NotFound

    corpus = make_corpus(tmp_path / "corpus")
    a = make_assistant()
    a.ingest([corpus])
    rec = a.remove("beta.md").record
    assert rec.source == "beta.md"
    assert "beta.md" not in {d.source for d in a.docs()}
    with pytest.raises(NotFound, match="no indexed document"):
        a.remove("nope.txt")
    check_consistent(a, corpus)


@pytest.mark.unit
def test_second_ingest_is_refused_while_one_runs(tmp_path, make_assistant):
    from index.errors import IndexBusy

    corpus = make_corpus(tmp_path / "corpus")
    a = make_assistant()
    other = make_assistant()  # another process on the same index: its lock is a file in the
    # data directory (embedded) or a record in the Chroma server (server)
    with other.ingest_lock(), pytest.raises(IndexBusy, match="another ingest"):
        a.ingest([corpus])


CRASH_DRIVER = r"""
import os, sys
sys.path[:0] = [{repo!r}, {repo!r} + "/tests"]
from pathlib import Path
from assistant.service import Assistant
from assistant.settings import Settings
from fakes import FakeEmbedder
from index.store import ChunkStore
step, when = {step!r}, {when}
calls = {{"n": 0}}
orig = getattr(ChunkStore, step) if step != "docs_upsert" else None
def die_after(fn):
    def wrapped(*a, **k):
        out = fn(*a, **k)
        calls["n"] += 1
        if calls["n"] >= when:
            os._exit(9)
        return out
    return wrapped
if step == "docs_upsert":
    real_put = ChunkStore.put_document
    def put(self, record, chunks, vectors):
        self.docs.upsert = die_after(self.docs.upsert)
        return real_put(self, record, chunks, vectors)
    ChunkStore.put_document = put
else:
    setattr(ChunkStore, step, die_after(orig))
a = Assistant(Settings.from_env(env={{}}, home=Path({home!r}), chroma_url={url!r}),
              embedder=FakeEmbedder())
a.ingest([Path({corpus!r})], prune=True)
"""


@pytest.mark.unit
@pytest.mark.parametrize(
    "step,when",
    [("_delete_chunks", 1), ("_delete_chunks", 2), ("docs_upsert", 1), ("_delete_chunks", 4)],
)
def test_killed_ingest_then_rerun_is_consistent(tmp_path, make_assistant, backend, step, when):
    corpus = make_corpus(tmp_path / "corpus")
    a = make_assistant()
    a.ingest([corpus])
    (corpus / "alpha.txt").write_text(doc_text("two", 20), encoding="utf-8")
    (corpus / "beta.md").write_text("# Beta\n\n" + doc_text("beta2", 3), encoding="utf-8")
    (corpus / "gamma.txt").unlink()
    code = CRASH_DRIVER.format(
        repo=str(REPO),
        step=step,
        when=when,
        home=str(tmp_path / "data"),
        url=backend,
        corpus=str(corpus),
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.returncode == 9, proc.stderr.decode()[-2000:]
    b = make_assistant()
    b.ingest([corpus], prune=True)
    check_consistent(b, corpus)
    assert sorted(d.source for d in b.docs()) == ["alpha.txt", "beta.md"]


@pytest.mark.unit
def test_queries_during_replacement_see_one_version(tmp_path, make_assistant):
    corpus = make_corpus(tmp_path / "corpus")
    a = make_assistant()
    a.ingest([corpus])
    reader = make_assistant()
    errors, seen, stop = [], [], threading.Event()

    def query_loop():
        while not stop.is_set():
            try:
                ps = reader.search("helpdesk logged call shortfall version", k=40)
                versions = {
                    re.search(r"version (\w+)", p.text).group(1)
                    for p in ps
                    if p.source == "alpha.txt"
                }
                seen.append(versions)
            except Exception as e:  # noqa: BLE001 - any error is a failure here
                errors.append(repr(e))

    t = threading.Thread(target=query_loop)
    t.start()
    try:
        for i in range(60):  # replace the document until enough queries overlapped
            (corpus / "alpha.txt").write_text(doc_text(f"v{i}"), encoding="utf-8")
            a.ingest([corpus])
            if len(seen) >= 15 and i >= 5:
                break
    finally:
        stop.set()
        t.join(30)
    assert not errors, errors[:3]
    assert len(seen) >= 10
    for versions in seen:
        assert len(versions) == 1, f"a query saw {versions}"


@pytest.mark.integration
def test_cli_ingest_reports_and_exit_code(tmp_path, backend):
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf")
    env = {**os.environ, "INQUIRY_HOME": str(tmp_path / "data"), "INQUIRY_CHROMA_URL": backend}
    cmd = [sys.executable, "-m", "ui.cli", "ingest", str(corpus), "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert proc.returncode == 1, proc.stderr
    import json

    summary = json.loads(proc.stdout)
    assert summary["counts"]["new"] == 3 and summary["counts"]["failed"] == 1
    failed = [i for i in summary["items"] if i["action"] == "failed"][0]
    assert failed["source"] == "broken.pdf" and failed["reason"]


@pytest.mark.unit
def test_failed_file_leaves_indexed_version_untouched(tmp_path, make_assistant):
    corpus = make_corpus(tmp_path / "corpus")
    a = make_assistant()
    a.ingest([corpus])
    before = {d.source: (d.version, d.chunks) for d in a.docs()}
    (corpus / "alpha.txt").write_bytes(b"\x00\x01\x02binary garbage\xff\xfe" * 50)
    (corpus / "empty.md").write_text("", encoding="utf-8")
    plan, _ = a.ingest([corpus])
    failed = {i.source: i.reason for i in plan.of("failed")}
    assert set(failed) == {"alpha.txt", "empty.md"}
    assert all(failed.values())
    after = {d.source: (d.version, d.chunks) for d in a.docs()}
    assert after == before  # the old alpha.txt is still there, whole
    assert any("version one" in p.text for p in a.search("helpdesk call shortfall", k=20))
    check_consistent_chunks(a)


def check_consistent_chunks(a: Assistant) -> None:
    docs = a.store.documents()
    for cid, meta in a.store._iter_meta():
        rec = docs[meta["doc_id"]]
        assert meta["version"] in (rec.version, rec.previous), cid


SLOW_DRIVER = r"""
import sys, time
sys.path[:0] = [{repo!r}, {repo!r} + "/tests"]
from pathlib import Path
from assistant.service import Assistant
from assistant.settings import Settings
from fakes import FakeEmbedder

class SlowFake(FakeEmbedder):
    def embed(self, texts):
        time.sleep(0.15)
        return super().embed(texts)

a = Assistant(Settings.from_env(env={{}}, home=Path({home!r}), chroma_url={url!r}),
              embedder=SlowFake())
print("ready", flush=True)
a.ingest([Path({corpus!r})], prune=True)
"""


@pytest.mark.unit
@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_sigkill_during_ingest_then_rerun_is_consistent(tmp_path, make_assistant, backend, delay):
    """SIGKILL from outside at different moments of an ingest that adds, replaces and prunes."""
    import signal
    import time

    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    for i in range(12):
        (corpus / f"extra{i}.txt").write_text(doc_text(f"extra{i}", 6), encoding="utf-8")
    a = make_assistant()
    a.ingest([corpus])
    for i in range(12):
        (corpus / f"extra{i}.txt").write_text(doc_text(f"changed{i}", 7), encoding="utf-8")
    (corpus / "gamma.txt").unlink()
    code = SLOW_DRIVER.format(
        repo=str(REPO), home=str(tmp_path / "data"), url=backend, corpus=str(corpus)
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"ready"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before the kill"
    b = make_assistant()
    b.ingest([corpus], prune=True)
    check_consistent(b, corpus)
    assert len(b.docs()) == 14


@pytest.mark.unit
def test_a_new_parser_version_rereads_every_document_and_reuses_vectors(
    tmp_path, make_assistant, monkeypatch
):
    import index.sync

    corpus = make_corpus(tmp_path / "corpus")
    a = make_assistant()
    _, embedded = a.ingest([corpus])
    assert embedded > 0
    assert a.plan([corpus]).counts()["unchanged"] == 3
    monkeypatch.setattr(index.sync, "PARSER_VERSION", index.sync.PARSER_VERSION + 1)
    assert a.plan([corpus]).counts()["changed"] == 3  # an upgrade reads everything again
    plan, embedded = a.ingest([corpus])
    assert embedded == 0  # same chunk texts: their vectors are reused, nothing re-embedded
    assert len(plan.of("changed")) == 3
    check_consistent(a, corpus)  # one current version of each, complete, no duplicates
    assert a.plan([corpus]).counts()["unchanged"] == 3
