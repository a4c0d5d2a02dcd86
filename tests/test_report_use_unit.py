"""How a report uses a fact question's words (assistant/reportuse.py ReportUse): a name it
uses rarely singles out what is asked, so the sentence stating the fact must be near it; and
the words it is about do not count towards the share of the question that sentence needs.

Reports, names and questions here are written for these tests (a fictional ferry company and
its crossings); none restates an evaluation question."""

from __future__ import annotations

import pytest

from assistant.evidence import fact_missing
from assistant.extractive import ExtractiveAnswerer
from assistant.reportuse import ReportUse
from assistant.types import ANSWERED, INSUFFICIENT, Passage
from index.lexical import LexicalIndex
from index.tokens import tokenize

pytestmark = pytest.mark.unit

# The Orkney crossing is one thing among many the ferry report covers; the date given is
# the Shetland crossing's, and no sentence near it names Orkney.
FERRY = (
    "The Shetland crossing reopened on 3 May 2021 after the refit. "
    "Its timetable was cut to two sailings a day. "
    "Passengers were told by text message. "
    "Freight bookings fell over the summer."
)
ORKNEY_Q = "On what date did the Orkney crossing reopen after the refit?"


def _p(text, n=1, section="Crossings"):
    return Passage(
        f"c{n}", "ferry", "f.md", "Ferry report", text, rank=n, dense=0.7, section=section
    )


def _spread(shares: dict[str, float]):
    """A report's use of names: the share of its chunks using each name (by its terms)."""
    return lambda terms, doc_id: max((shares.get(t, 0.0) for t in terms), default=0.0)


def _expand_nf(doc_id, text, words):
    return {"northern", "ferri"} if "NF" in text else set()


RARE = ReportUse(_spread({"orkney": 0.01, "shetland": 0.01, "ferri": 0.9}), rare=0.05)


def test_a_fact_stated_for_another_rare_name_is_refused():
    missing = fact_missing(ORKNEY_Q, [_p(FERRY)], lambda t: 1.0, 0.2, RARE)
    assert missing is not None and "give no day" in missing
    # control: without the name check, the Shetland date answers the Orkney question
    assert fact_missing(ORKNEY_Q, [_p(FERRY)], lambda t: 1.0, 0.2, None) is None
    off = ReportUse(RARE.spread, rare=0)
    assert fact_missing(ORKNEY_Q, [_p(FERRY)], lambda t: 1.0, 0.2, off) is None


def test_the_rare_name_may_be_in_the_next_sentence_or_the_section():
    beside = "The crossing reopened on 3 May 2021 after the refit. It was the Orkney route."
    assert fact_missing(ORKNEY_Q, [_p(beside)], lambda t: 1.0, 0.2, RARE) is None
    titled = _p("The crossing reopened on 3 May 2021 after the refit.", section="Orkney")
    assert fact_missing(ORKNEY_Q, [titled], lambda t: 1.0, 0.2, RARE) is None
    far = _p(
        "The crossing reopened on 3 May 2021 after the refit. Tickets were sold online. "
        "Cars were weighed at the pier. The Orkney route is the longest."
    )
    assert fact_missing(ORKNEY_Q, [far], lambda t: 1.0, 0.2, RARE) is not None


def test_names_a_report_pervades_or_never_uses_or_that_name_it_are_not_checked():
    q = "On what date did the Ferry crossing reopen after the refit?"  # 'Ferry' pervades
    assert fact_missing(q, [_p(FERRY)], lambda t: 1.0, 0.2, RARE) is None
    q = "On what date did the Skye crossing reopen after the refit?"  # never used: spread 0
    assert fact_missing(q, [_p(FERRY)], lambda t: 1.0, 0.2, RARE) is None
    named = ReportUse(RARE.spread, frozenset(tokenize("Orkney")), rare=0.05)
    assert fact_missing(ORKNEY_Q, [_p(FERRY)], lambda t: 1.0, 0.2, named) is None


def test_a_short_form_the_report_defines_names_it():
    q = "On what date did the Northern Ferries crossing reopen after the refit?"
    rare = ReportUse(_spread({"northern": 0.01}), rare=0.05)
    text = "The NF crossing reopened on 3 May 2021 after the refit."
    assert fact_missing(q, [_p(text)], lambda t: 1.0, 0.2, rare) is not None
    rare = ReportUse(rare.spread, expand=_expand_nf, rare=0.05)
    assert fact_missing(q, [_p(text)], lambda t: 1.0, 0.2, rare) is None


def test_the_answerer_refuses_by_it():
    rare = ReportUse(RARE.spread)  # the answerer's settings give the share (answer.rare_name)
    on = ExtractiveAnswerer(lambda t: 1.0, use=rare).answer(ORKNEY_Q, [_p(FERRY)])
    assert on.status == INSUFFICIENT
    off = ExtractiveAnswerer(lambda t: 1.0, use=rare, rare_name=0).answer(ORKNEY_Q, [_p(FERRY)])
    assert off.status == ANSWERED and "3 May 2021" in off.answer


def test_spread_is_the_share_of_a_reports_chunks_using_a_name():
    rows = [
        (
            f"a{i}",
            f"The ferry sailed {'to Orkney ' if i == 3 else ''}at dawn.",
            {"doc_id": "a", "ordinal": i, "title": "Ferry report"},
        )
        for i in range(4)
    ]
    rows.append(("b0", "Orkney farms.", {"doc_id": "b", "ordinal": 0, "title": "Farms"}))
    lex = LexicalIndex.build(rows)  # (a chunk counts with the tail of the one before it)
    assert lex.spread(frozenset(tokenize("Orkney")), "a") == pytest.approx(0.25)
    assert lex.spread(frozenset(tokenize("ferry")), "a") == pytest.approx(1.0)
    assert lex.spread(frozenset(tokenize("Orkney")), "b") == pytest.approx(1.0)
    assert lex.spread(frozenset(tokenize("Orkney")), "missing") == 0.0


# the ferry report is about its ferries and their timetable; it speaks of reviews here and there
FERRY_USE = {"ferri": 0.9, "timet": 0.6} | {t: 0.1 for t in tokenize("next due reviewed")}


def test_words_a_report_is_about_do_not_count_towards_a_fact_sentences_share():
    q = "When is the ferry timetable next due to be reviewed?"
    published = _p("The ferry timetable was published in May 2021 by the ferry company.")
    about = ReportUse(_spread(FERRY_USE), topic=0.5)
    # the sentence shares only the report's topic, 'ferry timetable': refused
    assert fact_missing(q, [published], lambda t: 1.0, 0.2, about) is not None
    assert fact_missing(q, [published], lambda t: 1.0, 0.2, ReportUse(about.spread)) is None
    due = _p("The ferry timetable is next due to be reviewed in May 2025.")
    assert fact_missing(q, [due], lambda t: 1.0, 0.2, about) is None
    # every word of the question is the report's topic, or one it never uses ('many' of "how
    # many" in a report of one chunk): all of them count
    words = set(tokenize(q))
    everything = ReportUse(_spread({t: 0.9 for t in words}), topic=0.5)
    assert everything.event_terms(words, published) == words
    unused = ReportUse(_spread({t: 0.9 for t in words - {"next"}}), topic=0.5)
    assert unused.event_terms(words, published) == words


def test_the_answerer_counts_a_fact_sentences_share_without_the_reports_topic():
    q = "When is the ferry timetable next due to be reviewed?"
    published = _p("The ferry timetable was published in May 2021 by the ferry company.")
    use = ReportUse(_spread(FERRY_USE))  # the topic share comes from answer.topic_spread
    on = ExtractiveAnswerer(lambda t: 1.0, use=use).answer(q, [published])
    assert on.status == INSUFFICIENT
    off = ExtractiveAnswerer(lambda t: 1.0, use=use, topic_spread=0).answer(q, [published])
    assert off.status == ANSWERED
