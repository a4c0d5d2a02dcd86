"""Starter questions built from whole section titles of the real reports: never a cut heading,
never a contents page or a title page, one turn per report however many files it has."""

from __future__ import annotations

import re

import pytest

from ingest.chunking import chunk_document
from ingest.load import discover, read_document
from ui.common import short_title, starter_questions

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def indexed(shared_corpus):
    metas, titles, sections = [], {}, set()
    for path, root in discover([shared_corpus], exclude=["INDEX.md", "SOURCE.md"]):
        doc = read_document(path, root)
        titles[doc.doc_id] = doc.report_title or doc.title
        sections.update(b.section.lower() for b in doc.blocks if b.kind == "heading")
        for c in chunk_document(doc):
            metas.append({"doc_id": c.doc_id, "section": c.section, "roles": c.roles})
    return metas, titles, sections


def test_starters_are_whole_headings_and_every_report_gets_a_turn(indexed):
    metas, titles, sections = indexed
    qs = starter_questions(metas, titles, 24)
    assert len(qs) == 24 and len(set(qs)) == 24
    for q in qs:
        assert q.endswith("?") and "…" not in q, q
        m = re.match(r"What does (.+) say about (.+)\?$", q)
        if m:
            topic = m.group(2).lower()
            assert any(s.endswith(topic) for s in sections), q  # a whole heading
            assert not re.search(r"\b(and|of|for|the|to)$", topic), q
    firsts = qs[:9]  # nine reports, one question each before any repeats (the article has no
    # sections: it gets the general question)
    reports = {short_title(t) for t in titles.values()}
    assert len(reports) == 9
    assert all(any(r in q for q in firsts) for r in reports), firsts


def test_cut_headings_contents_and_title_pages_make_no_questions():
    titles = {"c": "Investigation of the Challenger Accident"}
    metas = [
        {
            "doc_id": "c",
            "section": "scope ments for Standards Related to Rubber and",
            "roles": "body",
        },
        {"doc_id": "c", "section": "Again, I want", "roles": "body"},
        {"doc_id": "c", "section": "Flight Readiness Review", "roles": "contents"},
        {"doc_id": "c", "section": "Committee on Science and Technology", "roles": "front"},
        {"doc_id": "c", "section": "Pressure in the Field Joint", "roles": "body,noise"},
        {"doc_id": "c", "section": "Issue 2", "roles": "body"},
        {"doc_id": "c", "section": "Launch decision process", "roles": "finding"},
    ]
    assert starter_questions(metas, titles, 3) == [
        "What does Investigation of the Challenger Accident say about launch decision process?",
        "What are the main findings of Investigation of the Challenger Accident?",
    ]
