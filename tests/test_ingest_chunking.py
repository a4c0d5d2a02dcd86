"""chunk_document: whole blocks, verbatim text, paragraph rules, the token budget."""

from __future__ import annotations

import pytest

from ingest.chunking import chunk_document, estimate_tokens
from ingest.model import sha256
from ingest.structure import Parsed, RawBlock, build_document

pytestmark = pytest.mark.unit


def words(n: int, prefix: str = "word") -> str:
    """Capitalised words, "Word0 word1 ...", so that "1. Word0 ..." is a numbered paragraph."""
    return (" ".join(f"{prefix}{i}" for i in range(n)) + ".").capitalize()


def doc_of(*blocks: RawBlock | str, title: str = "Report"):
    raws = [b if isinstance(b, RawBlock) else RawBlock(b) for b in blocks]
    return build_document(
        Parsed(blocks=raws, title=title), source="r.txt", fmt="txt", content_hash="h"
    )


def heading(text: str) -> RawBlock:
    return RawBlock(text, kind="heading")


def check(doc, chunks, max_tokens, count=estimate_tokens):
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert count(c.embed_text) <= max_tokens
        assert c.content_hash == sha256(c.embed_text)
        assert c.chunk_id == f"{doc.doc_id}-{c.ordinal:05d}"
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_heading_merges_with_following_paragraph_and_header_format():
    doc = doc_of(heading("Findings"), "1. The council failed to act on warnings.", title="Review")
    [chunk] = chunk_document(doc)
    assert chunk.text == "Findings\n\n1. The council failed to act on warnings."
    assert chunk.embed_text == "Review > Findings\n" + chunk.text
    assert (chunk.para, chunk.section, chunk.title, chunk.source) == (
        "1",
        "Findings",
        "Review",
        "r.txt",
    )
    check(doc, [chunk], 200)


def test_no_section_header_omits_it():
    [chunk] = chunk_document(doc_of("Just one paragraph."))
    assert chunk.embed_text == "Report\nJust one paragraph."


def test_short_paragraphs_share_a_chunk_with_a_range():
    doc = doc_of("64. Short one.", "65. Short two.", "66. Short three.")
    [chunk] = chunk_document(doc)
    assert chunk.para == "64-66"


def test_long_paragraphs_do_not_share_the_start_of_another():
    doc = doc_of(f"1. {words(68)}", f"2. {words(68)}", "3. Tiny.")  # 2 x 90 tokens fit in 200
    chunks = chunk_document(doc)
    assert [c.para for c in chunks] == ["1", "2", "3"]
    check(doc, chunks, 200)


def test_list_items_join_their_paragraph():
    doc = doc_of(
        "231. Areas that may be concerning include:",
        RawBlock("• implication that adults and children are equal", detect=False),
        RawBlock("• lack of recognition of the vulnerability of children", detect=False),
        "232. Any information about past disciplinary action should be considered.",
    )
    chunks = chunk_document(doc)
    assert "implication that adults" in chunks[0].text and "lack of recognition" in chunks[0].text
    assert chunks[0].para.startswith("231")


def test_sections_are_not_mixed():
    doc = doc_of(heading("A"), "Text in A.", heading("B"), "Text in B.")
    chunks = chunk_document(doc)
    assert [(c.section, c.text) for c in chunks] == [
        ("A", "A\n\nText in A."),
        ("B", "B\n\nText in B."),
    ]


def test_long_block_is_split_at_sentences_and_keeps_its_label():
    sentences = " ".join(f"Sentence {i} says something about the case file." for i in range(60))
    doc = doc_of(heading("Case history"), RawBlock(f"3.1. {sentences}", page=7, page_label="vii"))
    chunks = chunk_document(doc, max_tokens=60)
    assert len(chunks) > 5
    assert chunks[0].text.startswith("Case history\n\n3.1. Sentence 0")
    assert all(c.para == "3.1" for c in chunks)
    assert all(c.page == 7 and c.page_label == "vii" for c in chunks[1:])
    assert all(c.text.endswith("case file.") for c in chunks)
    check(doc, chunks, 60)
    joined = " ".join(c.text for c in chunks)
    assert joined.replace("Case history\n\n", "") == doc.blocks[1].text


def test_sentence_longer_than_budget_is_cut_at_spaces():
    doc = doc_of(words(400, "w"))
    chunks = chunk_document(doc, max_tokens=50)
    check(doc, chunks, 50)
    assert " ".join(c.text for c in chunks) == doc.blocks[0].text


def test_pages_span_and_custom_counter():
    doc = doc_of(
        RawBlock("10. Starts on one page and", page=4),
        RawBlock("continues on the next.", page=5),
    )
    calls = []

    def count(text: str) -> int:
        calls.append(text)
        return len(text) // 4 + 2  # a counter with a fixed overhead, like [CLS]/[SEP]

    [chunk] = chunk_document(doc, max_tokens=40, count_tokens=count)
    assert (chunk.page, chunk.page_end, chunk.para) == (4, 5, "10")
    assert count(chunk.embed_text) <= 40
    assert "" in calls  # the overhead is measured once


def test_every_chunk_respects_a_strict_counter():
    blocks = [heading("A long section title that takes tokens")]
    blocks += [f"{i}. {words(7 * i)}" for i in range(1, 25)]
    doc = doc_of(*blocks, title="A title of some length for the header")

    def strict(text: str) -> int:
        return len(text.split()) * 2 + 2

    chunks = chunk_document(doc, max_tokens=120, count_tokens=strict)
    check(doc, chunks, 120, strict)
    covered = " ".join(doc.text[c.start : c.end] for c in chunks)
    assert covered.split() == doc.text.split()  # nothing lost, nothing repeated
    assert [c.para for c in chunks][:2] == ["1-2", "3"]


def test_footnotes_never_share_a_chunk_with_body_text():
    doc = doc_of(
        "1. The audit found a shortfall.",
        RawBlock("12 See the audit report of 2007.", kind="note"),
        RawBlock("13 Ibid.", kind="note"),
        "2. The postmaster was suspended.",
    )
    chunks = chunk_document(doc, max_tokens=200)
    check(doc, chunks, 200)
    assert [c.text for c in chunks] == [
        "1. The audit found a shortfall.",
        "12 See the audit report of 2007.\n\n13 Ibid.",
        "2. The postmaster was suspended.",
    ]


def test_a_sentence_cut_by_a_page_break_is_kept_whole_in_one_chunk():
    # page 1 ends mid-sentence and page 2 goes on in lower case; page 1's paragraph is too
    # long for one chunk and its last chunk is full, so the cut sentence's beginning moves to
    # the next chunk, which spans both pages
    cut = "Rather, the fundamental problem was poor decision-making by top"
    doc = doc_of(
        RawBlock("1. " + " ".join(words(20) for _ in range(14)) + " " + cut, page=1),
        RawBlock("and contractor managers, who failed to act. They knew of it.", page=2),
    )
    chunks = chunk_document(doc)
    check(doc, chunks, 200)
    assert chunks[-2].text.endswith("word19.")
    assert chunks[-1].text.startswith(cut + "\n\nand contractor")
    assert (chunks[-1].page, chunks[-1].page_end, chunks[-1].para) == (1, 2, "1")


def test_a_short_block_cut_by_a_page_break_moves_whole():
    # the last list item goes on over the page; the chunk of the list has no room for the
    # rest, so the item moves whole to the chunk of its continuation
    items = [RawBlock(f"• {words(25)}", detect=False, page=1) for _ in range(5)]
    doc = doc_of(
        RawBlock("231. Areas that may be concerning include:", page=1),
        *items,
        RawBlock("• the final item runs over the page to", detect=False, page=1),
        RawBlock("the next page and ends here.", page=2),
    )
    chunks = chunk_document(doc)
    check(doc, chunks, 200)
    assert len(chunks) == 2 and chunks[0].text.endswith("word24.")
    assert chunks[1].text.startswith("• the final item runs over the page to\n\nthe next page")
    assert (chunks[1].page, chunks[1].page_end) == (1, 2)
    # right under its heading, a block stays with it: the sentence stays cut
    doc = doc_of(
        heading("Findings of the review"),
        RawBlock(f"4. {words(130)} Rather, the problem was poor decision-making by", page=1),
        RawBlock("the managers, who failed to act.", page=2),
    )
    chunks = chunk_document(doc)
    check(doc, chunks, 200)
    assert chunks[0].text.startswith("Findings of the review\n\n4. Word0")
    assert chunks[0].text.endswith("by")
    assert chunks[1].text.startswith("the managers")


def test_a_cut_sentence_ends_in_its_beginnings_chunk_when_that_block_stays():
    # the block that begins the sentence is right under its heading and stays there; the
    # continuation is too long to join it whole, so its first sentence joins (the sentence
    # and the numbered paragraph both whole), and the rest starts the next chunk
    doc = doc_of(
        heading("Findings of the review"),
        RawBlock(f"4. {words(60)} Rather, the problem was poor decision-making by", page=1),
        RawBlock(f"the managers, who failed to act. {words(120)}", page=2),
    )
    chunks = chunk_document(doc)
    check(doc, chunks, 200)
    assert chunks[0].text.startswith("Findings of the review\n\n4. Word0")
    assert chunks[0].text.endswith("by\n\nthe managers, who failed to act.")
    assert chunks[1].text.startswith("Word0")
    assert chunks[0].page_end == 2  # the chunk spans the page break


def test_a_finished_sentence_or_a_capitalised_block_is_not_carried():
    ended = doc_of(
        RawBlock(f"1. {words(140)} Rather, the problem was poor decision-making.", page=1),
        RawBlock("and contractor managers, who failed to act.", page=2),
    )
    assert chunk_document(ended)[1].text.startswith("and contractor")
    capital = doc_of(
        RawBlock(f"1. {words(140)} Rather, the problem was poor decision-making by", page=1),
        RawBlock("Contractor managers failed to act.", page=2),
    )
    assert chunk_document(capital)[1].text.startswith("Contractor managers")
