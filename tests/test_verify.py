"""The verifier's rules, each with passing and failing cases, on hand-written passages."""

from __future__ import annotations

import pytest

from assistant.types import Passage
from assistant.verify import (
    check_claims,
    check_sentence,
    citations,
    clauses,
    content_words,
    quotes,
    split_spans,
    stem,
    support_share,
    verify_sentence,
)

pytestmark = pytest.mark.unit


def _p(n: int, text: str, para: str) -> Passage:
    return Passage(
        chunk_id=f"c{n}",
        doc_id="hbi",
        source="hbi/report.md",
        title="Harbour Bridge Inquiry Report",
        text=text,
        para=para,
        page=10 + n,
        rank=n,
    )


PASSAGES = [
    _p(
        1,
        "2.4 The Harbour Bridge collapsed at 7.40 am on 3 March 1998 when a corroded "
        "suspension cable snapped. Eleven people died and 34 were injured.",
        "2.4",
    ),
    _p(
        2,
        "3.1 The inquiry was chaired by Judge Ellen Marsh. It sat for 96 days and heard "
        "evidence from 1,212 witnesses.",
        "3.1",
    ),
    _p(
        3,
        "5.7 Inspectors had reported rust on the northern cables in 1995, but the council "
        "deferred the repair to save money. The chair found this decision “indefensible”.",
        "5.7",
    ),
]


# -- rule 1: a sentence must cite ---------------------------------------------------------------
def test_sentence_without_citation_fails():
    ok, reason, quote = verify_sentence("Eleven people died.", [], PASSAGES)
    assert not ok and reason.startswith("no_citation") and quote is None


def test_sentence_with_citation_passes():
    ok, reason, quote = verify_sentence("Eleven people died [1].", [1], PASSAGES)
    assert ok and reason is None
    assert quote == "Eleven people died and 34 were injured."
    assert quote in PASSAGES[0].text


# -- rule 2: citations in range -----------------------------------------------------------------
@pytest.mark.parametrize("bad", [0, 4, 17])
def test_citation_out_of_range_fails(bad):
    ok, reason, quote = verify_sentence(f"Eleven people died [{bad}].", [bad], PASSAGES)
    assert not ok and reason.startswith("citation_out_of_range")
    assert f"[{bad}]" in reason and "3 passages" in reason and quote is None


def test_one_bad_citation_among_good_ones_fails():
    ok, reason, _ = verify_sentence("Eleven people died [1][5].", [1, 5], PASSAGES)
    assert not ok and reason.startswith("citation_out_of_range")


def test_last_passage_is_in_range():
    ok, _, quote = verify_sentence(
        "The council deferred the repair to save money [3].", [3], PASSAGES
    )
    assert ok and "deferred the repair" in quote


# -- rule 3: quoted text verbatim ---------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        'The chair called the decision "indefensible" [3].',  # straight quotes vs curly
        "The chair called the decision “indefensible” [3].",
        'It said a "corroded   suspension\ncable snapped" [1].',  # white space normalised
        'The report says "the council deferred the repair ... to save money" [3].',  # ellipsis
    ],
)
def test_quote_found_verbatim_passes(sentence):
    ok, reason, _ = verify_sentence(sentence, citations(sentence), PASSAGES)
    assert ok, reason


def test_quote_not_in_cited_passage_fails():
    ok, reason, _ = verify_sentence('The chair found it "indefensible" [2].', [2], PASSAGES)
    assert not ok and reason.startswith("quote_not_found") and "indefensible" in reason


def test_invented_quote_fails_even_with_supported_words():
    sentence = 'The council deferred the repair, calling it "a sensible saving" [3].'
    ok, reason, _ = verify_sentence(sentence, [3], PASSAGES)
    assert not ok and reason.startswith("quote_not_found")


def test_paraphrased_quote_fails():
    ok, reason, _ = verify_sentence('The chair said it was "not defensible" [3].', [3], PASSAGES)
    assert not ok and reason.startswith("quote_not_found")


# -- numbers ------------------------------------------------------------------------------------
def test_number_in_passage_passes_with_separator_variants():
    ok, reason, _ = verify_sentence("The inquiry heard 1212 witnesses [2].", [2], PASSAGES)
    assert ok, reason


def test_invented_number_fails():
    ok, reason, _ = verify_sentence("Twelve people died and 35 were injured [1].", [1], PASSAGES)
    assert not ok and reason.startswith("number_not_found") and "35" in reason


def test_number_from_the_citation_handle_passes():
    ok, reason, _ = verify_sentence(
        "Paragraph 3.1 says Judge Ellen Marsh chaired it [2].", [2], PASSAGES
    )
    assert ok, reason


# -- rule 4: content-word support ---------------------------------------------------------------
def test_supported_paraphrase_passes():
    sentence = "A corroded suspension cable snapped and the bridge collapsed [1]."
    ok, reason, quote = verify_sentence(sentence, [1], PASSAGES)
    assert ok, reason
    assert quote.startswith("2.4 The Harbour Bridge collapsed")


def test_unsupported_claim_fails():
    sentence = "Heavy storms and freezing fog caused the disaster [1]."
    ok, reason, quote = verify_sentence(sentence, [1], PASSAGES)
    assert not ok and reason.startswith("unsupported")
    assert quote is not None and quote in PASSAGES[0].text  # the nearest sentence, for display


def test_right_fact_wrong_passage_fails():
    ok, reason, _ = verify_sentence("Judge Ellen Marsh chaired the inquiry [1].", [1], PASSAGES)
    assert not ok and reason.startswith("unsupported")


def test_threshold_is_a_parameter():
    sentence = "The council deferred the repair because of budget pressure [3]."
    # council, deferr, repair found; budget, pressur not
    assert support_share(sentence, [PASSAGES[2]]) == pytest.approx(3 / 5)
    assert verify_sentence(sentence, [3], PASSAGES)[0]  # default 0.6: just enough
    assert not verify_sentence(sentence, [3], PASSAGES, threshold=0.7)[0]


def test_title_words_count_neither_way():
    only_title = "The Harbour Bridge Inquiry Report chaired by Ellen Marsh [2]."
    assert support_share(only_title, [PASSAGES[1]]) == 1.0
    wrong = "The Harbour Bridge was painted blue [2]."
    assert support_share(wrong, [PASSAGES[1]]) == 0.0


def test_several_citations_pool_their_passages():
    sentence = "Eleven people died and Judge Ellen Marsh chaired the inquiry [1][2]."
    assert not verify_sentence(sentence, [1], PASSAGES)[0]
    assert verify_sentence(sentence, [1, 2], PASSAGES)[0]


# -- clauses: each part of a sentence against its own citation ----------------------------------
def test_clauses_split_at_markers():
    assert clauses("A fell [1] and B rose [2].") == [("A fell [1]", [1]), (" and B rose [2].", [2])]
    assert clauses("A fell [1][2].") == [("A fell [1][2].", [1, 2])]
    assert clauses("No markers.") == [("No markers.", [])]


def test_each_clause_checked_against_its_own_citation():
    good = "Eleven people died [1] and Judge Ellen Marsh chaired the inquiry [2]."
    swapped = "Eleven people died [2] and Judge Ellen Marsh chaired the inquiry [1]."
    assert all(c.ok for c in check_claims(good, PASSAGES))
    assert not any(c.ok for c in check_claims(swapped, PASSAGES))


def test_check_reports_where_the_quote_is():
    check = check_sentence("The council deferred the repair to save money [3].", [3], PASSAGES)
    a, b = check.span
    assert check.n == 3 and PASSAGES[2].text[a:b] == check.quote and check.support == 1.0


# -- parsing helpers ----------------------------------------------------------------------------
def test_citation_forms():
    assert citations("x [1] y [2, 3] z [4-6] [Passage 7] [2 and 9]") == [1, 2, 3, 4, 5, 6, 7, 9]
    assert citations("no markers, 1998 (3)") == []


def test_quotes_straight_and_curly():
    assert quotes('He said "it was fine" and “so it was”.') == ["it was fine", "so it was"]


def test_split_spans_keeps_markers_and_abbreviations():
    text = 'It fell in 1998. [1] Mr. Smith said "fine" [2]. See para 3.41 (p. 4). J. Marsh chaired it.[3] Done.'
    got = [text[a:b] for a, b in split_spans(text)]
    assert got == [
        "It fell in 1998. [1]",
        'Mr. Smith said "fine" [2].',
        "See para 3.41 (p. 4).",
        "J. Marsh chaired it.[3]",
        "Done.",
    ]


def test_stemming_and_stopwords():
    assert stem("collapsed") == stem("collapse") == stem("collapses")
    assert stem("prosecution") == stem("prosecuted")
    assert content_words("The bridge's cables had corroded [1].") == ["bridg", "cabl", "corrod"]
