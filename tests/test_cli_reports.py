"""`inquiry docs --json` lists reports with their parts; passages carry role and report.

Real model and embedded Chroma, through the CLI, on a copy of part of the Leveson report (its
folder of chapter files) and the Baby Peter article from ../shared/corpus."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[1]
PARTS = (
    "A/index.html",
    "A/chapter1/index.html",
    "B/index.html",
    "B/chapter1/index.html",
)


def cli(args, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "INQUIRY_HOME": str(home), "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "ui.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=1200)


def test_docs_json_lists_reports_with_parts(tmp_path, shared_corpus):
    corpus = tmp_path / "corpus"
    for rel in PARTS:
        dest = corpus / "leveson-report-2012" / "html" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared_corpus / "leveson-report-2012" / "html" / rel, dest)
    shutil.copy(shared_corpus / "leveson-report-2012" / "SOURCE.md", corpus / "leveson-report-2012")
    (corpus / "articles").mkdir()
    shutil.copy(shared_corpus / "articles" / "baby-peter-parole-2024.txt", corpus / "articles")
    shutil.copy(shared_corpus / "articles" / "SOURCE.md", corpus / "articles")
    home = tmp_path / "data"
    # the folder as a user may type it, through "..": reports are still found
    done = cli(["ingest", str(corpus / "articles" / ".."), "--exclude", "SOURCE.md"], home)
    assert done.returncode == 0, done.stderr

    proc = cli(["docs", "--json"], home)
    assert proc.returncode == 0, proc.stderr
    reports = json.loads(proc.stdout)
    assert len(reports) == 2
    leveson = next(r for r in reports if r["report"] == "leveson-report-2012")
    assert (leveson["title"], leveson["year"]) == ("The Leveson Report", 2012)
    parts = {p["part"]: p["source"] for p in leveson["parts"]}
    assert parts == {
        "Part A": "leveson-report-2012/html/A/index.html",
        "Part A, Chapter 1": "leveson-report-2012/html/A/chapter1/index.html",
        "Part B": "leveson-report-2012/html/B/index.html",
        "Part B, Chapter 1": "leveson-report-2012/html/B/chapter1/index.html",
    }
    article = next(r for r in reports if r is not leveson)
    assert article["title"].startswith("News article: Baby Peter") and article["year"] == 2024

    proc = cli(["search", "press freedom and the culture of the press", "--json", "--k", "5"], home)
    assert proc.returncode == 0, proc.stderr
    passages = json.loads(proc.stdout)
    assert passages and all("role" in p for p in passages)
    lev = [p for p in passages if p["source"].startswith("leveson-report-2012/")]
    assert lev and all(p["report"] == "leveson-report-2012" for p in lev)
    assert all(p["title"].startswith("The Leveson Report") for p in lev)

    # a report of several files is scoped by its name: every part, nothing else
    proc = cli(["search", "press", "--json", "--doc", "Leveson", "--k", "8"], home)
    assert proc.returncode == 0, proc.stderr
    scoped = json.loads(proc.stdout)
    assert scoped and all(p["report"] == "leveson-report-2012" for p in scoped)
    assert len({p["source"] for p in scoped}) > 1
