"""How a pointed answer is shaped: what may be quoted (no table rows), what leads (the
sentence stating the asked fact) and what states a count (not "several"). Texts are ours, not
eval questions."""

from __future__ import annotations

import pytest

from assistant.evidence import table_text
from assistant.extractive import ExtractiveAnswerer
from assistant.types import ANSWERED, INSUFFICIENT, Passage

pytestmark = pytest.mark.unit


def _p(text, n=1, dense=0.7, score=1.0):
    return Passage(f"c{n}", "d", "r.md", "Report", text, rank=n, dense=dense, score=score)


def test_a_table_row_is_not_a_statement():
    for row in (
        "North Ward 2019 2020 12% South Ward 9% 14%",
        "| Acme Ltd | 13 | 9 | 364,153",
        "3/9/2007 Board Minutes, Exhibit 4/13-43.",
    ):
        assert table_text(row), row
    for sentence in (
        "The ward's share rose from 9% in 2019 to 14% in 2020.",  # figures in a statement
        "Annual Report 2019-2020",  # a title with a year or two
        "Appendix 3: Staffing 2019",
    ):
        assert not table_text(sentence), sentence


ROW_TEXT = (
    "The share of late discharges on North Ward rose to 21% in 2020. "
    "North Ward 2019 2020 12% South Ward 9% 14% 21%."
)  # the row follows the answer, where a list or a continuation would be read on


def test_a_table_row_is_never_quoted():
    q = "What share of discharges on North Ward were late in 2020?"
    got = ExtractiveAnswerer(lambda t: 1.0).answer(q, [_p(ROW_TEXT)])
    assert (got.status, "21% in 2020" in got.answer) == (ANSWERED, True), got.answer
    assert "South Ward" not in got.answer, got.answer


COST_TOPIC = (
    "The county's flood defence scheme for the river was debated by the county council for "
    "years. Residents of the river villages said the county's flood defence scheme came late."
)
COST_FACT = "The final bill for the flood defence scheme came to £4.2m."
COST_Q = "How much did the county’s flood defence scheme cost?"


def test_the_sentence_stating_the_asked_fact_leads_the_answer():
    passages = [_p(COST_TOPIC, 1, score=2.0), _p(COST_FACT, 2, score=1.0)]
    off = ExtractiveAnswerer(lambda t: 1.0, fact_first=False).answer(COST_Q, passages)
    assert off.status == ANSWERED and "£4.2m" in off.answer
    assert not off.answer.startswith(COST_FACT), off.answer  # the case the rule is for
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(COST_Q, passages)
    assert ans.answer.startswith(f"{COST_FACT} [1]"), ans.answer
    assert ans.citations[0].passage.chunk_id == "c2"
    assert sorted(ans.answer.split("\n\n")) == sorted(
        line.replace("[1]", "[x]").replace("[2]", "[1]").replace("[x]", "[2]")
        for line in off.answer.split("\n\n")
    )  # the same sentences, reordered and renumbered


def test_an_answer_that_leads_with_the_fact_is_left_as_it_is():
    passages = [_p(f"{COST_FACT} {COST_TOPIC}", 1, score=2.0), _p(COST_TOPIC, 2, score=1.9)]
    on = ExtractiveAnswerer(lambda t: 1.0).answer(COST_Q, passages)
    off = ExtractiveAnswerer(lambda t: 1.0, fact_first=False).answer(COST_Q, passages)
    assert on.answer == off.answer


def test_a_vague_quantity_is_no_count():
    text = (
        "Several wards of the hospital closed during the winter of the review. "
        "The closures were announced by the hospital trust in a letter to staff."
    )
    q = "How many wards of the hospital closed during the winter?"
    refused = ExtractiveAnswerer(lambda t: 1.0).answer(q, [_p(text)])
    assert refused.status == INSUFFICIENT, refused.answer
    counted = text.replace("Several wards", "Four wards")
    got = ExtractiveAnswerer(lambda t: 1.0).answer(q, [_p(counted)])
    assert got.status == ANSWERED and "Four wards" in got.answer, got.answer


def test_a_designation_ends_a_sentence_and_an_initial_does_not():
    from assistant.sentences import sentences

    text = (
        "The crew flew on Flight 41-C. Then the board met. Ms J. Okafor chaired it. "
        "The figures are in Appendix V-B. It closed."
    )
    got = [text[x.start : x.end] for x in sentences(text)]
    assert got == [
        "The crew flew on Flight 41-C.",
        "Then the board met.",
        "Ms J. Okafor chaired it.",
        "The figures are in Appendix V-B.",
        "It closed.",
    ]


def test_a_sentence_ending_in_a_closing_single_quote_is_whole():
    from assistant.broad import _whole
    from assistant.sentences import sentences

    text = (
        "The panel wrote that the fault was not 'poor training, as the council said.' "
        "The files were the wardens'"
    )
    whole = [_whole(text, x) for x in sentences(text)]
    assert whole == [True, False]  # a bare apostrophe ends no sentence


def test_a_note_marker_after_a_colon_does_not_end_a_sentence():
    from assistant.broad import _whole
    from assistant.sentences import sentences

    text = (
        "The harbour board should be able to fine members, except for:[12]\n\n"
        "The board should publish its accounts.[7] It met in May.[3]_"
    )
    whole = [_whole(text, x) for x in sentences(text)]
    assert whole == [False, True, True]


def test_a_sentence_in_bold_is_whole_and_a_bold_heading_without_a_stop_is_not():
    from assistant.broad import _whole
    from assistant.sentences import sentences

    text = "**The wardens should log every call.**\n\n**Calls to the harbour office**\n\nIt met."
    whole = [_whole(text, x) for x in sentences(text)]
    assert whole == [True, False, True]


def test_a_sentence_printed_twice_with_other_note_markers_is_one_point():
    # a report that reprints its recommendations in a summary gives each twice, with the note
    # markers of each place: a broad answer gives it once
    rec = "The harbour board should publish the tide tables every month."
    first = _p(f"{rec}[4] The board should also train its wardens every year.", n=1)
    again = _p(f"{rec}[31]", n=2, score=0.9)
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "What did the review recommend about the harbour board?", [first, again]
    )
    assert ans.status == ANSWERED
    assert ans.answer.count("publish the tide tables") == 1, ans.answer
