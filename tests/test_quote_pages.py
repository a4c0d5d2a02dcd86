"""The page of the quote, not of the chunk (assistant/pages.py): KCSIE paragraph 50 is printed
on page 18 while its chunk starts on page 17 with paragraph 49."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.neighbours import merge_neighbours
from assistant.pages import page_at, page_starts, quote_pages
from assistant.retrieve import to_passage
from assistant.types import Citation
from index.store import CHUNK_FIELDS
from ingest.chunking import chunk_document
from ingest.load import read_document

pytestmark = pytest.mark.integration
KCSIE = "dfe-safeguarding-guidance/Keeping_children_safe_in_education_2025.pdf"
QUOTE = "If staff have any concerns about a child’s welfare, they should act on them immediately."


def passage_of(chunk):
    meta = {k: getattr(chunk, k) for k in CHUNK_FIELDS}
    meta.update(doc_id=chunk.doc_id, start=chunk.start, end=chunk.end, ordinal=chunk.ordinal)
    return to_passage(chunk.chunk_id, chunk.text, meta)


@pytest.fixture(scope="module")
def kcsie(shared_corpus):
    doc = read_document(shared_corpus / KCSIE, shared_corpus)
    return chunk_document(doc)


def test_kcsie_paragraph_50_is_cited_on_page_18(kcsie):
    chunk = next(c for c in kcsie if QUOTE in c.text)
    assert chunk.page == 17 and chunk.page_end == 18  # the chunk starts a page earlier
    p = passage_of(chunk)
    assert page_at(p, 0) == (17, "17")
    assert page_at(p, p.text.index(QUOTE)) == (18, "18")
    assert quote_pages(p, QUOTE) == (18, 18, "18")
    cited = Citation(1, p, QUOTE).to_json()
    assert (cited["page"], cited["page_label"], cited["page_end"]) == (18, "18", 18)
    assert cited["quote"] == QUOTE  # still verbatim
    first = p.text.split(". ")[0] + "."
    assert Citation(1, p, first).to_json()["page"] == 17


def test_page_at_walks_the_parts_of_a_merged_passage(kcsie):
    i = next(i for i, c in enumerate(kcsie) if QUOTE in c.text)
    before, chunk = passage_of(kcsie[i - 1]), passage_of(kcsie[i])
    before.rank, chunk.rank = 1, 2
    (merged, *_) = merge_neighbours([before, chunk], lambda p, k: None, window=10, span=3)
    assert len(merged.parts) == 2
    at = merged.text.index(QUOTE)
    assert page_at(merged, at) == (18, "18")
    assert page_at(merged, 0) == page_at(before, 0)
    # a passage without a page map (indexed before this change) keeps its first page
    bare = replace(chunk, pages="")
    assert page_at(bare, bare.text.index(QUOTE)) == (17, "17")


def test_a_page_starts_at_its_first_character_in_every_part(kcsie):
    """Each page start in the chunk map, within a single chunk and within the later part of a
    merged passage: its first character is on that page and the character before it is not."""
    i = next(i for i, c in enumerate(kcsie) if QUOTE in c.text)
    before, chunk = passage_of(kcsie[i - 1]), passage_of(kcsie[i])
    before.rank, chunk.rank = 1, 2
    (merged, *_) = merge_neighbours([before, chunk], lambda p, k: None, window=10, span=3)
    assert len(merged.parts) == 2
    checked = 0
    for part in merged.parts:
        at = merged.text.index(part.text)  # where the part stands in the merged text
        previous = (part.page, part.page_label)
        for start, page, label in page_starts(part):
            if start > 0:
                assert page_at(part, start) == (page, label)
                assert page_at(part, start - 1) == previous != (page, label)
                assert page_at(merged, at + start) == (page, label)
                assert page_at(merged, at + start - 1) == previous
                checked += 1
            previous = (page, label)
    assert checked >= 1  # the quote's chunk starts on page 17 and runs onto page 18


def test_a_quote_over_a_page_break_ends_on_the_next_page(kcsie):
    chunk = next(c for c in kcsie if QUOTE in c.text)
    p = passage_of(chunk)
    end = p.text.index(QUOTE) + len(QUOTE)
    across = p.text[:end]  # from the chunk's start on page 17 to the quote on page 18
    assert quote_pages(p, across) == (17, 18, "17")
    cited = Citation(1, p, across).to_json()
    assert (cited["page"], cited["page_end"]) == (17, 18)
