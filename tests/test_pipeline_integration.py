"""End to end with the real model and real Chroma on real reports from ../shared/corpus.

One module-scoped index over a slice of the shared corpus (rst, txt, md with page markers, PDF,
HTML) keeps the embedding cost to about a minute.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from assistant.service import Assistant
from assistant.settings import Settings

pytestmark = pytest.mark.integration


def _challenger_slice(src, dst, last_page: int = 70):
    """The Challenger report up to page `last_page`: real text, real %%page N%% markers."""
    text = src.read_text(encoding="utf-8")
    cut = re.search(rf"^%%page {last_page}%%$", text, re.M)
    dst.write_text(text[: cut.start()] if cut else text, encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(shared_corpus, tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    for rel in (
        "pohi-vol1/volume-1-full.rst",
        "articles/baby-peter-parole-2024.txt",
        "dfe-safeguarding-guidance/Info_sharing_advice_content_May_2024.pdf",
        "leveson-report-2012/html/A/chapter1/index.html",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared_corpus / rel, root / rel)
    (root / "challenger-house-report-1986").mkdir()
    _challenger_slice(
        shared_corpus / "challenger-house-report-1986/full.md",
        root / "challenger-house-report-1986/full.md",
    )
    return root


@pytest.fixture(scope="module")
def assistant(corpus, real_embedder, tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    a = Assistant(Settings.from_env(env={}, home=home), embedder=real_embedder)
    plan, embedded = a.ingest([corpus])
    assert not plan.of("failed"), [(i.source, i.reason) for i in plan.of("failed")]
    assert embedded > 100
    return a


def _hit(passages, snippet: str):
    from assistant.evaluate import contains

    return next((p for p in passages if contains(p.text, snippet)), None)


def test_rst_paragraph_label(assistant):
    ps = assistant.search("In which year was Legacy Horizon replaced by Horizon Online?", k=10)
    p = _hit(ps, "In 2010, Legacy Horizon was replaced by the version of Horizon")
    assert p is not None and p.source == "pohi-vol1/volume-1-full.rst"
    part = next(x for x in p.parts or (p,) if "In 2010, Legacy Horizon was replaced" in x.text)
    assert part.para == "1.5"  # the chunk holding it carries exactly its label


def _marker_page(text: str, offset: int) -> int | None:
    """The page a %%page N%% marker before `offset` puts that point of the text on."""
    found = list(re.finditer(r"^%%page (\d+)%%$", text[:offset], re.M))
    return int(found[-1].group(1)) if found else None


def test_md_page_markers(assistant, corpus):
    ps = assistant.search("O-ring seal erosion in cold temperatures at the field joint", k=10)
    md = [p for p in ps if p.source.endswith("full.md")]
    assert md
    text = (corpus / md[0].source).read_text(encoding="utf-8")
    for p in md:
        for part in p.parts or (p,):
            # the reader drops page-marker lines and quote marks ("> ") from the text, so the
            # chunk is found in the file by its first and last line
            first, last = part.text.splitlines()[0], part.text.splitlines()[-1]
            start = text.index(first)
            end = text.index(last, start) + len(last)
            assert part.page == _marker_page(text, start + 1), part.chunk_id
            assert (part.page_end or part.page) == _marker_page(text, end), part.chunk_id


def test_pdf_page_numbers(assistant):
    ps = assistant.search("information sharing data protection", k=10)
    pdf = [p for p in ps if p.source.endswith(".pdf")]
    assert pdf, "the PDF should be among the results"
    assert all(1 <= p.page <= 28 for p in pdf)


def test_answer_citations_are_verbatim(assistant, corpus):
    from test_sample_corpus_e2e import check_cited_verbatim

    a = assistant.ask("Why was Tracey Connelly recalled to prison in 2015?")
    assert "violating the terms" in a.answer
    check_cited_verbatim(a, corpus)  # every sentence cited; every quote whole in its document
    data = a.to_json()
    assert len(data["passages"]) >= 10
    json.dumps(data)


def test_passage_text_is_verbatim_in_document(assistant):
    from pathlib import Path

    from ingest.load import read_document

    docs = assistant.store.documents()
    ps = assistant.search("Post Office Horizon prosecutions shuttle booster joint", k=10)
    assert ps
    for p in ps:
        rec = docs[p.doc_id]
        doc = read_document(Path(rec.path), Path(rec.root))
        for part in p.parts or (p,):
            assert part.text in doc.text  # every chunk verbatim
        # a passage merged from neighbours is the document's text from its first chunk to
        # its last (joined by the whitespace between them)
        first, last = p.parts[0].span, p.parts[-1].span
        assert " ".join(p.text.split()) == " ".join(doc.text[first[0] : last[1]].split())


def test_unanswerable_is_refused(assistant):
    a = assistant.ask("What did the Hillsborough Independent Panel conclude in 2012?")
    assert a.status == "insufficient_evidence"
    assert a.passages


def test_a_near_miss_is_refused_and_the_stated_fact_answered(assistant):
    # the article names Connelly's jailing in 2009 but never her sentence
    near = assistant.ask("What sentence did Tracey Connelly receive in 2009 for Peter's death?")
    assert near.status == "insufficient_evidence", near.answer
    assert ("sentence" in near.answer or "penalty" in near.answer) and near.passages
    stated = assistant.ask("What sentence was Ms Powell given after she was convicted?")
    assert stated.status == "answered" and "18 months" in stated.answer


def test_reingest_unchanged_embeds_nothing(assistant, corpus):
    before = assistant.store.count()
    plan, embedded = assistant.ingest([corpus])
    assert embedded == 0
    assert plan.counts()["unchanged"] == len(plan.items)
    assert assistant.store.count() == before


def test_named_paragraph_goes_straight_to_it(assistant):
    ps = assistant.search("What does paragraph 3.24 of the Horizon report say?", k=5)
    assert ps[0].source == "pohi-vol1/volume-1-full.rst"
    assert "3.24" in (ps[0].para or "")
    assert all(len(p.chunk_ids) == 1 for p in ps)  # the paragraph as it is, not merged
    pdf = assistant.search("page 5 of the information sharing advice", k=5)
    assert pdf[0].page_label == "5" or pdf[0].page == 5


def test_a_question_about_two_reports_gets_passages_from_each(assistant):
    q = (
        "According to the Baby Peter parole article, why was Connelly recalled to prison, "
        "and what did the Challenger House report say about the O-ring seals?"
    )
    top = {p.source for p in assistant.search(q, k=2)}
    assert top == {
        "articles/baby-peter-parole-2024.txt",
        "challenger-house-report-1986/full.md",
    }
    a = assistant.ask(q)
    assert a.status == "answered"
    assert {c.passage.source for c in a.citations} == top  # the answer quotes both


def test_neighbouring_chunks_come_as_one_passage(assistant):
    q = "Why was Tracey Connelly recalled to prison in 2015?"
    ps = assistant.search(q, k=10)
    merged = [p for p in ps if len(p.chunk_ids) > 1]
    assert merged, [p.chunk_ids for p in ps]
    ids = [cid for p in ps for cid in p.chunk_ids]
    assert len(ids) == len(set(ids))  # no chunk twice
    for p in merged:
        ords = [part.ordinal for part in p.parts]
        assert ords == list(range(ords[0], ords[0] + len(ords)))  # consecutive, whole
    a = assistant.ask(q)
    assert a.status == "answered" and "2015" in a.answer
    shown = {cid for p in a.passages for cid in p.chunk_ids}
    assert {c.passage.chunk_id for c in a.citations} <= shown  # every cited chunk is listed
    assert all(len(c.passage.chunk_ids) == 1 for c in a.citations)  # cited precisely


def test_a_follow_up_is_judged_as_the_question_it_stands_for(assistant):
    first = "What version of Horizon replaced Legacy Horizon?"
    a1 = assistant.ask(first)
    assert a1.status == "answered" and "Horizon Online" in a1.answer
    alone = assistant.ask("When did that happen?")
    assert alone.status == "insufficient_evidence"  # alone, "when did that happen?" says nothing
    a2 = assistant.ask("When did that happen?", history=[(first, a1.answer)])
    assert a2.status == "answered", a2.answer
    assert "2010" in a2.answer and a2.question == "When did that happen?"
