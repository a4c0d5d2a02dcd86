"""The `inquiry` command's contract, run as a user runs it: real model, real Chroma.

Most commands run through `ui.cli.main` in this process (argument parsing, output and exit
status are the CLI's own; only the interpreter start-up is saved); `ask --json` and `serve`
run as separate processes. Each test has its own data folder and documents: no test depends
on another's state.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[1]

DOCS = {
    "kiln.md": "# Kiln Street Bridge Review\n\n"
    "1.1 The Kiln Street bridge was closed in May 2019 after inspectors found corroded cables.\n\n"
    "1.2 The council had deferred the cable survey three times because of its cost.\n\n"
    "2.1 The review recommends that every bridge survey is funded before the budget is set.\n",
    "ferry.txt": "Harbour Ferry Collision Report\n\n"
    "3.1 The two ferries collided in fog because the radar on the smaller vessel was switched off.\n\n"
    "3.2 The master of the smaller ferry had worked eleven hours without a break.\n",
    "orchard.md": "# Orchard School Heating Inquiry\n\n"
    "4.1 The school boiler failed on 12 January 2021 and pupils were sent home for nine days.\n\n"
    "4.2 Maintenance records showed that the boiler had not been serviced since 2016.\n",
}
META = {"kiln.md": {"title": "Kiln Street Bridge Review", "year": 2020}}


def make_docs(folder: Path, docs: dict = DOCS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, meta in META.items():
        if name in docs:
            (folder / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """`cli(*args)` -> (exit status, stdout, stderr) with INQUIRY_HOME in tmp_path."""
    from ui.cli import main

    monkeypatch.setenv("INQUIRY_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("INQUIRY_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.delenv("INQUIRY_USERS", raising=False)
    monkeypatch.delenv("INQUIRY_CHROMA_URL", raising=False)

    def run(*args):
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def docs_json(cli) -> list[dict]:
    """The documents of `docs --json`, which lists reports, each with its parts (files)."""
    code, out, _ = cli("docs", "--json")
    assert code == 0
    reports = json.loads(out)
    assert all(r["report"] and r["title"] and r["parts"] for r in reports)
    return [part for r in reports for part in r["parts"]]


def test_dry_run_changes_nothing_then_ingest_and_docs(cli, tmp_path):
    corpus = make_docs(tmp_path / "corpus")
    code, out, _ = cli("ingest", corpus, "--dry-run", "--json")
    assert code == 0 and json.loads(out)["counts"]["new"] == 3
    assert docs_json(cli) == []  # nothing was indexed by the dry run

    code, out, _ = cli("ingest", corpus, "--json")
    summary = json.loads(out)
    assert code == 0 and summary["counts"] == {
        "new": 3,
        "changed": 0,
        "unchanged": 0,
        "removed": 0,
        "failed": 0,
    }
    assert summary["embedded"] >= 3
    docs = {d["source"]: d for d in docs_json(cli)}
    assert set(docs) == set(DOCS)
    for d in docs.values():
        assert d["doc_id"] and d["chunks"] >= 1 and d["ingested_at"] and d["content_hash"]
    assert (
        docs["kiln.md"]["title"] == "Kiln Street Bridge Review" and docs["kiln.md"]["year"] == 2020
    )

    # change one, add one, delete one: the dry run reports it and the index stays as it was
    (corpus / "ferry.txt").write_text(DOCS["ferry.txt"] + "\n3.3 A new finding.\n", "utf-8")
    (corpus / "quay.md").write_text("# Quay Wall Note\n\n5.1 The quay wall moved.\n", "utf-8")
    (corpus / "orchard.md").unlink()
    before = docs_json(cli)
    code, out, _ = cli("ingest", corpus, "--prune", "--dry-run")
    assert code == 0
    assert "changed   ferry.txt" in out and "new       quay.md" in out
    assert "removed   orchard.md" in out and "unchanged kiln.md" in out
    assert "dry run: nothing changed" in out
    assert docs_json(cli) == before

    code, out, _ = cli("sync", corpus, "--json")
    assert code == 0
    assert json.loads(out)["counts"] == {
        "new": 1,
        "changed": 1,
        "unchanged": 1,
        "removed": 1,
        "failed": 0,
    }
    assert {d["source"] for d in docs_json(cli)} == {"kiln.md", "ferry.txt", "quay.md"}


def test_without_prune_deleted_files_stay_and_prune_keeps_other_folders(cli, tmp_path):
    a = make_docs(tmp_path / "a", {"kiln.md": DOCS["kiln.md"], "ferry.txt": DOCS["ferry.txt"]})
    b = make_docs(tmp_path / "b", {"orchard.md": DOCS["orchard.md"]})
    assert cli("ingest", a, b)[0] == 0
    (a / "ferry.txt").unlink()
    assert cli("ingest", a)[0] == 0
    assert {d["source"] for d in docs_json(cli)} == {"kiln.md", "ferry.txt", "orchard.md"}
    code, out, _ = cli("ingest", a, "--prune", "--json")
    assert code == 0 and json.loads(out)["counts"]["removed"] == 1
    assert {d["source"] for d in docs_json(cli)} == {"kiln.md", "orchard.md"}  # b untouched


def test_exclude_and_ignore_file(cli, tmp_path):
    corpus = make_docs(tmp_path / "corpus")
    assert cli("ingest", corpus, "--exclude", "*.txt")[0] == 0
    assert {d["source"] for d in docs_json(cli)} == {"kiln.md", "orchard.md"}
    (corpus / ".inquiryignore").write_text("orchard.*\n", encoding="utf-8")
    code, out, _ = cli("sync", corpus, "--json")
    counts = json.loads(out)["counts"]
    assert code == 0 and counts["new"] == 1 and counts["removed"] == 1
    assert {d["source"] for d in docs_json(cli)} == {"kiln.md", "ferry.txt"}


def test_remove_by_id_title_and_source(cli, tmp_path):
    corpus = make_docs(tmp_path / "corpus")
    assert cli("ingest", corpus)[0] == 0
    docs = {d["source"]: d for d in docs_json(cli)}
    code, out, _ = cli("remove", docs["ferry.txt"]["doc_id"])
    assert code == 0 and "removed" in out and "ferry.txt" in out
    code, out, _ = cli("remove", "Kiln Street Bridge Review")
    assert code == 0 and "Kiln Street Bridge Review" in out
    assert [d["source"] for d in docs_json(cli)] == ["orchard.md"]
    code, _, err = cli("remove", "Kiln Street Bridge Review")  # gone already
    assert code == 1 and "no indexed document matches" in err
    assert cli("remove", "orchard.md")[0] == 0
    assert docs_json(cli) == []
    code, out, err = cli("search", "boiler", "--json")  # nothing of a removed document is found:
    assert code == 1 and "nothing is indexed" in err and not out.strip()  # the index is empty


def test_a_failed_file_sets_exit_status_and_the_rest_goes_on(cli, tmp_path):
    corpus = make_docs(tmp_path / "corpus")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n this is no pdf at all")
    code, out, _ = cli("ingest", corpus, "--json")
    summary = json.loads(out)
    assert code == 1 and summary["counts"]["new"] == 3 and summary["counts"]["failed"] == 1
    failed = [i for i in summary["items"] if i["action"] == "failed"]
    assert failed[0]["source"] == "broken.pdf" and failed[0]["reason"]
    assert len(docs_json(cli)) == 3


def test_a_second_ingest_stops_or_waits_for_the_lock(cli, tmp_path):
    corpus = make_docs(tmp_path / "corpus")
    home = tmp_path / "data"
    home.mkdir()
    fd = os.open(home / "ingest.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as another ingest would (README: data/ingest.lock)
    try:
        code, _, err = cli("ingest", corpus)
        assert code == 1 and "another ingest" in err and "--wait" in err
        assert docs_json(cli) == []
        release = threading.Timer(1.0, lambda: fcntl.flock(fd, fcntl.LOCK_UN))
        release.start()
        code, _, err = cli("ingest", corpus, "--wait", "600")
        release.join()
        assert code == 0, err
    finally:
        os.close(fd)
    assert len(docs_json(cli)) == 3


def test_ask_and_search_json_contract(cli, tmp_path):
    """`inquiry ask --json` in its own process: every field the README documents."""
    corpus = make_docs(tmp_path / "corpus")
    env = {**os.environ, "INQUIRY_HOME": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}

    def inquiry(*args):
        if args[0] != "ask":
            code, out, err = cli(*args)
            assert code == 0, err
            return out
        proc = subprocess.run(
            [sys.executable, "-m", "ui.cli", *map(str, args)],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=900,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    inquiry("ingest", corpus)
    got = json.loads(inquiry("ask", "Why was the Kiln Street bridge closed?", "--json"))
    assert set(got) >= {
        "question",
        "status",
        "answer",
        "citations",
        "passages",
        "timings_ms",
        "mode",
        "verified",
        "dropped",
        "notes",
    }
    assert got["status"] == "answered" and got["mode"] == "extractive"
    assert got["verified"] is True and got["dropped"] == [] and isinstance(got["notes"], list)
    assert {"retrieve_ms", "answer_ms", "total_ms"} <= set(got["timings_ms"])
    assert all(isinstance(v, (int, float)) and v >= 0 for v in got["timings_ms"].values())
    assert "corroded cables" in got["answer"]
    for c in got["citations"]:
        assert set(c) >= {
            "n",
            "source",
            "title",
            "page",
            "page_end",
            "page_label",
            "para",
            "section",
            "quote",
            "chunk_id",
        }
        assert f"[{c['n']}]" in got["answer"]
        assert c["quote"] in (corpus / c["source"]).read_text(encoding="utf-8")
    kiln = next(c for c in got["citations"] if c["source"] == "kiln.md")
    assert kiln["title"] == "Kiln Street Bridge Review" and kiln["para"].startswith("1.")
    total_chunks = 3  # one chunk per small document at least; fewer than 10 in all
    assert len(got["passages"]) >= total_chunks
    for p in got["passages"]:
        assert set(p) >= {
            "rank",
            "source",
            "title",
            "page",
            "page_end",
            "page_label",
            "para",
            "section",
            "text",
            "score",
            "chunk_id",
            "chunk_ids",
            "doc_id",
        }
        assert p["text"] in (corpus / p["source"]).read_text(encoding="utf-8")
    assert [p["rank"] for p in got["passages"]] == list(range(1, len(got["passages"]) + 1))

    code, out, _ = cli("ask", "What colour was the royal yacht in 1900?", "--json")
    refused = json.loads(out)
    assert refused["status"] == "insufficient_evidence"
    assert refused["citations"] == [] and refused["passages"]

    found = json.loads(inquiry("search", "boiler servicing", "--json", "--year", "2020"))
    assert found and {p["source"] for p in found} == {"kiln.md"}  # the only one from 2020
    found = json.loads(inquiry("search", "boiler servicing", "--json", "--doc", "orchard.md"))
    assert found and {p["source"] for p in found} == {"orchard.md"}


def test_eval_runs_a_question_set_and_writes_results(cli, tmp_path):
    corpus = make_docs(tmp_path / "corpus")
    assert cli("ingest", corpus)[0] == 0
    questions = tmp_path / "q.jsonl"
    rows = [
        {
            "id": "t1",
            "kind": "fact",
            "question": "How long were pupils sent home when the Orchard School boiler failed?",
            "evidence": ["pupils were sent home for nine days"],
            "para": ["4.1"],
            "page": [],
            "answer_keys": ["nine days"],
        },
        {
            "id": "t2",
            "kind": "why",
            "question": "Why did the two harbour ferries collide?",
            "evidence": ["the radar on the smaller vessel was switched off"],
            "para": ["3.1"],
            "page": [],
            "answer_keys": ["radar"],
        },
        {
            "id": "t3",
            "kind": "unanswerable",
            "question": "Who designed the royal yacht's sails in 1890?",
            "evidence": [],
            "para": [],
            "page": [],
            "answer_keys": [],
        },
    ]
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "results.jsonl"
    code, text, err = cli("eval", questions, "--out", out)
    assert code == 0, err
    figures = dict(line.split(": ", 1) for line in text.strip().splitlines() if ": " in line)
    assert figures["questions"] == "3"
    assert figures["hit@5"] == "1.0" and figures["refusal_accuracy"] == "1.0"
    assert figures["citation_quotes_verbatim"] == "1.0" and figures["label_accuracy"] == "1.0"
    results = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in results] == ["t1", "t2", "t3"]
    assert [r["status"] for r in results] == ["answered", "answered", "insufficient_evidence"]


def test_users_adds_hashed_logins(cli, tmp_path):
    f = tmp_path / "users.txt"
    code, out, _ = cli(
        "users", "bea", "--role", "reviewer", "--password", "bea-password-1", "--file", f
    )
    assert code == 0 and "bea" in out and "bea-password-1" not in out
    assert (
        cli("users", "cal", "--role", "admin", "--password", "cal-password-1", "--file", f)[0] == 0
    )
    lines = [x for x in f.read_text().splitlines() if x and not x.startswith("#")]
    assert [x.split(":")[:2] for x in lines] == [["bea", "reviewer"], ["cal", "admin"]]
    assert all(x.split(":", 2)[2].startswith("$2") for x in lines)
    assert "password" not in f.read_text()
    code, _, err = cli("users", "dot", "--role", "trainee", "--password", "short", "--file", f)
    assert code == 1 and "too short" in err
    from ui.auth import UserStore

    store = UserStore(f)
    assert store.authenticate("bea", "bea-password-1") and store.role_of("cal") == "admin"
    assert store.role_of("dot") is None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_ingest_if_empty_ingests_once_then_serves(tmp_path):
    """What `make run` does: an empty library is filled from INQUIRY_CORPUS, then served."""
    corpus = make_docs(tmp_path / "corpus")
    env = {
        **os.environ,
        "INQUIRY_HOME": str(tmp_path / "data"),
        "INQUIRY_CORPUS": str(corpus),
        "PYTHONPATH": str(REPO),
    }
    env.pop("INQUIRY_USERS", None)

    def serve() -> str:
        port = _free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "serve", "--port", str(port), "--ingest-if-empty"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=REPO,
        )
        lines = []
        try:
            for line in proc.stdout:  # until the app says where it listens
                lines.append(line)
                if f"127.0.0.1:{port}" in line:
                    break
            page = None
            while page is None and proc.poll() is None:  # a readiness wait, not a time limit
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as r:
                        page = r.read().decode("utf-8", "replace")
                except OSError:
                    time.sleep(0.5)
            assert page is not None and "<html" in page.lower(), "".join(lines)
        finally:
            proc.terminate()
            proc.wait(60)
        return "".join(lines)

    first = serve()
    assert "The library is empty: ingesting" in first and "3 added, 0 failed" in first
    second = serve()
    assert "ingesting" not in second  # not empty any more: nothing re-ingested
