"""Readers stay right while another process writes (issue 16.1).

One process answers questions in a bounded loop while a second process (its own Python, the
real embedding model) replaces, removes, re-adds and garbage-collects documents in the same
store: embedded Chroma under one data directory, and a real `chroma run` server. Every question
must be answered (no error) and no answer may mix two versions of a document.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_reingest import doc_text, make_corpus

from assistant.service import Assistant
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CYCLES = 4

WRITER = r"""
import sys
sys.path[:0] = [{repo!r}]
from pathlib import Path
from assistant.service import Assistant
from assistant.settings import Settings, apply_offline_env
apply_offline_env()
corpus = Path({corpus!r})
a = Assistant(Settings.from_env(env={{}}, home=Path({home!r}), chroma_url={url!r}))
a.embedder.embed(["warm up"])
print("ready", flush=True)
text = {text!r}
for i in range({cycles}):
    (corpus / "alpha.txt").write_text(text.replace("VERSION", f"w{{i}}"), encoding="utf-8")
    a.ingest([corpus])                      # replace alpha
    a.remove("beta.md")                     # remove beta ...
    a.ingest([corpus])                      # ... and add it back
    a.store.collect_garbage(grace_s=0)      # drop replaced versions at once
    print("cycle", i, flush=True)
"""


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def backend(request, tmp_path):
    if request.param == "embedded":
        yield ""
        return
    from chroma_server import ChromaServer

    server = ChromaServer(tmp_path / "chroma-server").start()
    yield server.url
    server.stop()


def _versions(passages) -> dict[str, set[str]]:
    """doc_id -> the versions (chunk id prefixes) the passages come from."""
    out: dict[str, set[str]] = {}
    for p in passages:
        for cid in p.chunk_ids:
            doc_id, version, _ = cid.split(":")
            out.setdefault(doc_id, set()).add(version)
    return out


@pytest.mark.integration
def test_questions_stay_answered_while_another_process_writes(tmp_path, backend, real_embedder):
    corpus = make_corpus(tmp_path / "corpus")
    home = tmp_path / "data"
    reader = Assistant(
        Settings.from_env(env={}, home=home, chroma_url=backend), embedder=real_embedder
    )
    reader.ingest([corpus])
    question = "How many calls did the helpdesk log about the shortfall?"
    assert reader.ask(question).passages  # answered before anyone else writes
    code = WRITER.format(
        repo=str(REPO),
        corpus=str(corpus),
        home=str(home),
        url=backend,
        text=doc_text("VERSION"),
        cycles=CYCLES,
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()[-2000:]
        failures, mixed, asked, alpha_versions = [], [], 0, set()
        while writer.poll() is None and asked < 400:
            try:
                answer = reader.ask(question)
            except Exception as e:  # noqa: BLE001 - any error is a failed question
                failures.append(repr(e))
                continue
            finally:
                asked += 1
            for doc_id, versions in _versions(answer.passages).items():
                if len(versions) > 1:
                    mixed.append((doc_id, versions))
            said = {
                m
                for p in answer.passages
                if p.source == "alpha.txt"
                for m in re.findall(r"version (\w+)", p.text)
            }
            if len(said) > 1:
                mixed.append(("alpha.txt", said))
            alpha_versions |= said
        out, err = writer.communicate(timeout=600)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == 0, err[-2000:]
    assert out.count("cycle") == CYCLES
    assert failures == [], f"{len(failures)} of {asked} questions failed: {failures[:3]}"
    assert mixed == [], mixed[:3]
    assert asked >= 5  # the questions overlapped the writes
    assert len(alpha_versions) >= 2  # ... and saw the document change
    # after the writer: the reader sees the final state by itself
    final = reader.ask(question)
    assert {p.source for p in final.passages} >= {"beta.md"}
    assert all(
        m == f"w{CYCLES - 1}"
        for p in final.passages
        if p.source == "alpha.txt"
        for m in re.findall(r"version (\w+)", p.text)
    )
