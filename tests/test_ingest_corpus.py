"""Readers and chunker on the real reports in ../shared/corpus (no model, no store)."""

from __future__ import annotations

import re
import unicodedata

import pytest

from ingest.chunking import chunk_document, estimate_tokens
from ingest.load import discover, read_document

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def corpus(shared_corpus) -> dict:
    """source -> (Document, chunks) for every corpus file (INDEX.md, SOURCE.md left out)."""
    out = {}
    for path, root in discover([shared_corpus], exclude=["INDEX.md", "SOURCE.md"]):
        doc = read_document(path, root)
        out[doc.source] = (doc, chunk_document(doc))
    return out


def block_with(corpus, source: str, snippet: str):
    doc, _ = corpus[source]
    found = [b for b in doc.blocks if snippet in b.text]
    assert found, f"{snippet!r} not found in {source}"
    return found[0]


def test_every_document_is_read(corpus):
    tops = {s.split("/")[0] for s in corpus}
    assert tops == {
        "articles",
        "challenger-house-report-1986",
        "chilcot-executive-summary-2016",
        "dfe-safeguarding-guidance",
        "leveson-report-2012",
        "pohi-vol1",
        "us-senate-psi-wall-street-2011",
    }
    assert sum(1 for s in corpus if s.startswith("leveson-report-2012/")) == 79
    assert not any(s.endswith(("INDEX.md", "SOURCE.md")) for s in corpus)


def test_chunks_and_blocks_are_verbatim_and_within_budget(corpus):
    for source, (doc, chunks) in corpus.items():
        assert chunks, source
        for b in doc.blocks:
            assert doc.text[b.start : b.end] == b.text, source
        for c in chunks:
            assert doc.text[c.start : c.end] == c.text, (source, c.chunk_id)
            assert estimate_tokens(c.embed_text) <= 200, (source, c.chunk_id)
        assert [c.start for c in chunks] == sorted(c.start for c in chunks)


POHI = "pohi-vol1/volume-1-full.rst"
CHILCOT = "chilcot-executive-summary-2016/executive-summary.md"
LEVESON_A1 = "leveson-report-2012/html/A/chapter1/index.html"


@pytest.mark.parametrize(
    ("source", "snippet", "label"),
    [
        (POHI, "Between 2000 and the autumn of 2013 the Post Office prosecuted", "1.7"),
        (POHI, "approximately 1,000 persons were prosecuted", "3.24"),
        (POHI, "shall provide written responses to my recommendations", "1"),
        (CHILCOT, "entirely driven by the US", "16"),
        (CHILCOT, "paradoxical and absurd if 250,000", "168"),
        (CHILCOT, "I will be with you, whatever. But", "94"),
        (LEVESON_A1, "the Prime Minister made a statement", "1.1"),
    ],
)
def test_known_paragraph_labels(corpus, source, snippet, label):
    assert block_with(corpus, source, snippet).label == label


KCSIE = "dfe-safeguarding-guidance/Keeping_children_safe_in_education_2025.pdf"


@pytest.mark.parametrize(
    ("snippet", "label", "page"),
    [
        ("Within one working day of a referral being made", "62", 20),
        ("Areas that may be concerning and lead to further probing", "231", 62),
        ("implication that adults and children are equal", "231", 62),
        ("Staff can call 0800 028 0285", "74", 23),
    ],
)
def test_kcsie_paragraphs_and_pages(corpus, snippet, label, page):
    block = block_with(corpus, KCSIE, snippet)
    assert (block.label, block.page, block.page_label) == (label, page, str(page))


def test_kcsie_structure(corpus):
    doc, _ = corpus[KCSIE]
    assert doc.title == "Keeping children safe in education 2025" and doc.pages == 187
    para = block_with(corpus, KCSIE, "Within one working day")
    assert para.kind == "para" and para.text.startswith("62. Within one working day")
    assert para.section == "What will the local authority do?"
    assert "multi-agency" in doc.text and "\ufffe" not in doc.text


CHALLENGER = "challenger-house-report-1986/full.md"


@pytest.mark.parametrize(
    ("snippet", "page"),
    [
        ("NASA's drive to achieve a launch schedule of 24 flights", 2),
        ("At seven different times in the Shuttle Program", 50),
        ("HELP! The seal task force is constantly being delayed", 59),
    ],
)
def test_challenger_page_markers(corpus, snippet, page):
    assert block_with(corpus, CHALLENGER, snippet).page == page


def test_leveson_navigation_is_dropped(corpus):
    doc, _ = corpus[LEVESON_A1]
    assert "How to use this site" not in doc.text and "Back to the top" not in doc.text
    assert "Telephone orders" not in doc.text


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).replace("\u00ad", "")
    s = re.sub(r"-\s*\n\s*", "", s)
    for a, b in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        s = s.replace(a, b)
    return re.sub(r"\s+", " ", s).strip().lower()


def test_short_numbered_paragraphs_lie_in_one_chunk_with_their_label(corpus):
    """Each chunk is whole paragraphs: a numbered paragraph short enough for one chunk is
    inside one, and that chunk's label names it (page too). Checked on every document."""
    checked = 0
    for source, (doc, chunks) in corpus.items():
        for b in doc.blocks:
            if b.kind != "para" or not b.label or len(b.text.split()) > 100:
                continue
            home = [c for c in chunks if c.start <= b.start and b.end <= c.end]
            assert home, f"{source}: paragraph {b.label} is split across chunks"
            c = home[0]
            assert b.label in _expand(c.para), (source, b.label, c.para)
            if b.page is not None:
                assert c.page <= b.page <= (c.page_end or c.page), (source, b.label)
            checked += 1
    assert checked > 1000, checked


def _expand(para: str | None) -> set[str]:
    out = set()
    for part in re.split(r",\s*", para or ""):
        m = re.fullmatch(r"((?:\d+\.)*)(\d+)-\1(\d+)", part)
        if m:
            out |= {f"{m.group(1)}{i}" for i in range(int(m.group(2)), int(m.group(3)) + 1)}
        elif part:
            out.add(part)
    return out
