"""The sample corpus (corpus/) end to end: real model, real Chroma, real PDF/DOCX/HTML/MD/TXT.

Two promises are checked here on real retrieval, in full:
- every sentence of an extractive answer carries `[n]`, and each citation's quote is verbatim
  in the passage it cites (and in the document);
- printed page labels: the sample PDF numbers its front matter i-iii and its body from 1, so
  page index and page label differ on every page; `page_label` must be the printed one in the
  JSON, in the app's citation labels and in the exports.
The questions are written for the sample corpus (a fictional case), not taken from any
evaluation set.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[1]
PDF_NAME = "northmoor-scr-child-r.pdf"
MARKER = re.compile(r" \[(\d+)\]$")
QUESTIONS = [
    "What did the school do after the first concern about Child R?",
    "Why was the police notification of January 2023 not matched to Child R?",
    "How did Child R's attendance change over the period of the review?",
    "What happened when Mr T took Child R to the urgent treatment centre?",
    "What are the findings of the review about information sharing?",
    "What was the independent reviewer's connection to Northmoor agencies?",
    "When was Child Q born?",
    "What does the briefing say schools should do about hunger?",
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory, real_embedder):
    from assistant.service import Assistant
    from assistant.settings import Settings

    root = tmp_path_factory.mktemp("sample")
    corpus = root / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    a = Assistant(
        Settings.from_env(env={}, home=root / "data", corpus=corpus), embedder=real_embedder
    )
    plan, embedded = a.ingest([corpus])
    assert plan.counts()["new"] == 5 and not plan.of("failed"), plan.to_json()
    assert embedded > 100
    return a, corpus


def _document_text(corpus: Path, source: str) -> str:
    from ingest.load import read_document

    return read_document(corpus / source, corpus).text


def _answer_parts(answer: str) -> list[tuple[str, int]]:
    """Each answer sentence (blocks separated by a blank line) with the [n] it ends with;
    n = 0 when it carries none."""
    out = []
    for block in answer.split("\n\n"):
        block = block.strip()
        m = MARKER.search(block)
        out.append((block[: m.start()] if m else block, int(m.group(1)) if m else 0))
    return out


def check_cited_verbatim(a, corpus: Path | None = None) -> list[tuple[str, int]]:
    """Every sentence of an extractive answer carries [n] of a listed citation, its text is
    that citation's quote as a reader is shown it (ingest/display.py: no markup, no line
    breaks inside a sentence), and every quote is verbatim, in full, in its passage (and in the
    document when `corpus` is given). Returns the answer's sentences."""
    from ingest.display import display_text

    assert a.status == "answered", a.answer
    cites = {c.n: c for c in a.citations}
    assert sorted(cites) == list(range(1, len(cites) + 1))
    parts = _answer_parts(a.answer)
    for text, n in parts:
        assert n in cites, f"sentence without a citation: {text!r} in {a.answer!r}"
        shown = display_text(cites[n].quote)
        assert text.strip() and text in shown, (text, cites[n].quote)
        assert "**" not in text and "\n" not in text.strip(), text
        assert "[" not in text or not re.search(r"\[\d+\]", text), text  # one marker, at its end
    for c in a.citations:
        assert c.quote.strip() and c.quote in c.passage.text  # the whole quote, not its start
        assert f"[{c.n}]" in a.answer  # no citation is listed without being used
        if corpus is not None:
            assert c.quote in _document_text(corpus, c.passage.source)
    js = a.to_json()
    assert [c["quote"] for c in js["citations"]] == [c.quote for c in a.citations]
    return parts


def test_every_answer_sentence_is_cited_and_verbatim(sample):
    a, corpus = sample
    sentences = 0
    several = 0
    for q in QUESTIONS:
        got = a.ask(q)
        parts = check_cited_verbatim(got, corpus)
        sentences += len(parts)
        several += len(parts) > 1
    # the check above means something only if answers have more than one sentence
    assert several >= len(QUESTIONS) // 2 and sentences >= 2 * len(QUESTIONS), sentences


# -- page labels -------------------------------------------------------------------------------
def _printed_labels() -> list[str]:
    from pypdf import PdfReader

    return list(PdfReader(REPO / "corpus" / PDF_NAME).page_labels)


def test_pdf_passages_carry_the_printed_page_label(sample):
    a, _ = sample
    labels = _printed_labels()
    seen = set()
    for q in (
        "Child R's weight fell below the 0.4th centile",
        "Recommendation 1 MASH procedures police notifications",
        "purpose of the review lines of enquiry",
        "Finding 5 exact name match systems",
    ):
        for p in a.search(q, k=10):
            if p.source != PDF_NAME:
                continue
            assert p.page is not None and p.page_label == labels[p.page - 1], p.to_json()
            assert p.page_label != str(p.page)  # they differ on every page of this PDF
            js = p.to_json()
            assert js["page"] == p.page and js["page_label"] == labels[p.page - 1]
            seen.add(p.page_label)
    assert len(seen) >= 3, seen


def test_answer_json_app_and_exports_show_the_printed_label(sample):
    from ui.common import cite_label
    from ui.export import to_csv, to_markdown

    a, _ = sample
    labels = _printed_labels()
    got = a.ask("What does Recommendation 1 say about MASH procedures?")
    js = json.loads(json.dumps(got.to_json()))
    pdf = [c for c in js["citations"] if c["source"] == PDF_NAME]
    assert pdf, js["citations"]
    for c in pdf:
        assert c["page_label"] == labels[c["page"] - 1] != str(c["page"])
    for c in got.citations:
        if c.passage.source == PDF_NAME:
            shown = cite_label(c.n, c.passage)  # what the Ask tab's source buttons say
            assert f"p. {c.passage.page_label}" in shown and f"p. {c.passage.page}" not in shown
    passages = [p for p in got.passages if p.source == PDF_NAME]
    assert passages
    rows = list(csv.DictReader(io.StringIO(to_csv(passages))))
    for row, p in zip(rows, passages):
        assert f"p. {labels[p.page - 1]}" in row["citation"]
        assert p.page_label in row.values()
    md = to_markdown(passages, "Recommendation 1")
    assert all(f"p. {labels[p.page - 1]}" in md for p in passages)


def test_a_page_asked_by_its_printed_number(sample):
    a, _ = sample
    labels = _printed_labels()
    body = labels.index("1")
    printed = labels[body + 2]  # a body page: printed "3", the PDF's page body + 3
    ps = a.search(f"page {printed} of the serious case review", k=5)
    hits = [p for p in ps if p.source == PDF_NAME]
    assert hits and hits[0].page_label == printed and hits[0].page == body + 3


def test_what_went_wrong_and_what_was_recommended_gets_findings_and_recommendations(sample):
    a, corpus = sample
    got = a.ask("What went wrong, and what was recommended?")
    parts = check_cited_verbatim(got, corpus)
    assert len(parts) >= 3, got.answer
    roles = {c.passage.role for c in got.citations}
    assert roles <= {"finding", "recommendation"} and len(roles) == 2, roles
    role_of = {c.n: c.passage.role for c in got.citations}
    heard = [role_of[n] for _, n in parts]
    # both kinds are heard more than once: the answer is shared out between them
    assert heard.count("finding") >= 2 and heard.count("recommendation") >= 2, heard
