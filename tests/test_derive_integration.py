"""Derived knowledge end to end: the sample corpus (real model, real Chroma) through the
`inquiry` commands, a re-ingested report whose register changes, and a shared-corpus report
(the Horizon volume, whose 19 numbered recommendations must all be found)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from assistant.derive.service import Derived
from assistant.service import Assistant
from assistant.settings import Settings
from ui.cli import main

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample(real_embedder, tmp_path_factory):
    home = tmp_path_factory.mktemp("derive-sample")
    settings = Settings.from_env(env={}, home=home / "data", corpus=REPO / "corpus")
    a = Assistant(settings, embedder=real_embedder)
    a.ingest([REPO / "corpus"])
    return a


def cli(monkeypatch, capsys, home: Path, *args) -> tuple[int, str, str]:
    monkeypatch.setenv("INQUIRY_HOME", str(home))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_child_r_recommendations_1_to_12_whole_with_paragraph_and_page(sample, monkeypatch, capsys):
    code, out, _ = cli(
        monkeypatch, capsys, sample.settings.home, "recommendations", "--doc", "Child R", "--json"
    )
    assert code == 0
    items = [i for i in json.loads(out) if i["source"] == "northmoor-scr-child-r.pdf"]
    assert [i["number"] for i in items] == [str(n) for n in range(1, 13)]
    assert [i["para"] for i in items] == [f"7.{n}" for n in range(2, 14)]
    chunks = {cid: t for cid, t, _ in sample.store.all_chunks()}
    for i in items:
        assert i["page"] and i["page_label"]
        assert i["text"].startswith(f"{i['para']} Recommendation {i['number']}:")
        assert i["text"] in chunks[i["chunk_id"]]  # verbatim, whole
        assert i["text"].rstrip().endswith(".")
        assert i["citation"].startswith("Serious Case Review: Child R, para 7.")
    assert items[3]["addressee"] == "The NSCP"


def test_recommendations_text_and_csv_outputs(sample, monkeypatch, capsys):
    code, out, _ = cli(
        monkeypatch, capsys, sample.settings.home, "recommendations", "--doc", "Child R"
    )
    assert code == 0 and "Recommendation 12 · para 7.13" in out
    code, out, _ = cli(
        monkeypatch,
        capsys,
        sample.settings.home,
        "recommendations",
        "--doc",
        "northmoor-scr-child-r.pdf",
        "--csv",
    )
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("kind,number,date,precision,citation")
    assert len([ln for ln in lines if ln.startswith("recommendation,")]) == 12


def test_timeline_orders_the_chronology_with_citations(sample, monkeypatch, capsys):
    code, out, _ = cli(monkeypatch, capsys, sample.settings.home, "timeline", "--json")
    assert code == 0
    events = json.loads(out)
    keys = [tuple(int(x) for x in (e["date"] + "-0-0").split("-")[:3]) for e in events]
    assert keys == sorted(keys)
    scr = [e for e in events if e["source"] == "northmoor-scr-child-r.pdf"]
    assert len(scr) >= 30
    first = next(e for e in scr if e["date"] == "2023-01-12")
    assert first["para"] == "3.5" and first["precision"] == "day"
    assert first["text"].startswith("At 23:10 on 12 January 2023 police attended")
    assert all(e["citation"] and e["text"] for e in events)
    code, out, _ = cli(
        monkeypatch,
        capsys,
        sample.settings.home,
        "timeline",
        "--from",
        "2023-10",
        "--to",
        "2023-10-31",
        "--json",
    )
    assert code == 0
    assert {e["date"][:7] for e in json.loads(out)} == {"2023-10"}


def test_themes_cover_every_report(sample, monkeypatch, capsys):
    code, out, _ = cli(
        monkeypatch, capsys, sample.settings.home, "themes", "information sharing", "--json"
    )
    assert code == 0
    cells = json.loads(out)
    assert len(cells) == len(sample.docs())
    for c in cells:
        if c["found"]:
            assert re.search(r"shar|exchang|pass", c["excerpt"], re.I) and c["citation"]
        else:
            assert c["note"] == "not found in this report"
    assert any(c["found"] for c in cells)


@pytest.mark.parametrize(
    "args,message",
    [
        (["timeline", "--from", "someday"], "'someday' is not a date"),
        (["recommendations", "--doc", "No Such Report"], "no indexed document matches"),
    ],
)
def test_bad_input_is_one_clear_line(sample, monkeypatch, capsys, args, message):
    code, out, err = cli(monkeypatch, capsys, sample.settings.home, *args)
    assert code == 1 and message in err and err.startswith("inquiry: error:")


REPORT = """# Review of the Quayside Youth Club

## 1. Findings

1.1 Finding 1: Volunteers were not vetted.

## 2. Recommendations

2.1 Recommendation 1: The trustees should vet every volunteer before they start.

2.2 Recommendation 2: The council should inspect the club every year.
"""


def test_a_reingested_report_updates_its_register_and_removal_clears_it(real_embedder, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "quayside.md").write_text(REPORT, encoding="utf-8")
    a = Assistant(Settings.from_env(env={}, home=tmp_path / "data"), embedder=real_embedder)
    a.ingest([corpus])
    derived = Derived(a)
    assert [i.number for i in derived.register("recommendations")] == ["1", "2"]
    changed = REPORT.replace(
        "2.2 Recommendation 2: The council should inspect the club every year.",
        "2.2 Recommendation 2: The council should inspect the club twice a year.\n\n"
        "2.3 Recommendation 3: The club should publish its safeguarding policy.",
    )
    (corpus / "quayside.md").write_text(changed, encoding="utf-8")
    a.ingest([corpus])
    # ingest itself re-derived the report: its file is current before anyone reads it
    saved = list((tmp_path / "data" / "derived").glob("*.json"))
    assert len(saved) == 1 and "twice a year" in saved[0].read_text()
    assert "Recommendation 3" in saved[0].read_text()
    fresh = Derived(Assistant(a.settings, embedder=real_embedder))
    recs = fresh.register("recommendations")
    assert [i.number for i in recs] == ["1", "2", "3"]
    assert "twice a year" in recs[1].text
    a.remove("quayside.md")
    assert not list((tmp_path / "data" / "derived").glob("*.json"))  # removed with it
    assert fresh.register("recommendations") == []


@pytest.fixture(scope="module")
def horizon(shared_corpus, tmp_path_factory):
    """The Horizon volume alone. Derivation reads only chunk text and metadata, so the
    deterministic embedder stands in here (the sample corpus above runs the real model)."""
    from fakes import FakeEmbedder

    root = tmp_path_factory.mktemp("derive-horizon")
    shutil.copytree(
        shared_corpus / "pohi-vol1", root / "pohi-vol1", ignore=shutil.ignore_patterns("SOURCE.md")
    )
    a = Assistant(Settings.from_env(env={}, home=root / "data"), embedder=FakeEmbedder())
    a.ingest([root])
    return Derived(a)


def test_horizon_numbered_recommendations_all_found(horizon, shared_corpus):
    source = shared_corpus / "pohi-vol1" / "volume-1-full.rst"
    lines = source.read_text(encoding="utf-8").split("\n")
    start = lines.index("2. Recommendations")
    listed = []
    for line in lines[start + 2 :]:
        if line.startswith("a. Introduction"):
            break
        if line.startswith("#. "):
            listed.append(" ".join(line[3:].split()))
    assert len(listed) == 19
    recs = horizon.register("recommendations")
    texts = [" ".join(r.text.split()) for r in recs]
    for n, want in enumerate(listed, 1):
        assert any(want in t for t in texts), f"recommendation {n} not found: {want[:60]}"
    numbered = {r.number: r for r in recs if r.section and "Recommendations" in r.section}
    assert set(numbered) >= {str(n) for n in range(1, 20)}
