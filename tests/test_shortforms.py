"""Abbreviation definitions (index/shortforms.py), unit level: no model, no index."""

import pytest

from index.shortforms import ShortFormIndex, definitions, long_form, short_forms
from index.tokens import tokenize

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "text, short, long",
    [
        (
            "before sharing, complete a Data Protection Impact Assessment (DPIA) first",
            "DPIA",
            "Data Protection Impact Assessment",
        ),
        ("reporters at the News of the World (NoTW) said", "NoTW", "News of the World"),
        (
            "fees paid to the Office of Thrift Supervision (OTS) each year",
            "OTS",
            "Office of Thrift Supervision",
        ),
        (
            "NASA's Safety, Reliability and Quality Assurance (SR&QA) office",
            "SR&QA",
            "Safety, Reliability and Quality Assurance",
        ),
        (
            "the sale of collateralized debt obligations (CDOs) to clients",
            "CDOs",
            "collateralized debt obligations",
        ),
        ("the Department for Education (DfE) published", "DfE", "Department for Education"),
    ],
)
def test_a_definition_is_read_back_to_the_first_word_of_its_long_form(text, short, long):
    found = definitions(text)
    assert found == [(short, long.replace(",", ""))], found


@pytest.mark.parametrize(
    "text",
    [
        "according to the interview of Laura Schwartz (ACA)",  # letters not word-initial
        "the claim was struck out (Admin)",  # one capital is no abbreviation
        "as set out in the report (HC 123)",  # not a word-like short form
        "the letter was sent (see Annex B)",
        "the board met in the spring (BM)",  # 'spring' does not begin with B
        "the panel spoke to officers (PS)",  # too few words before it to spell it
    ],
)
def test_what_is_not_a_definition_is_not_read_as_one(text):
    assert definitions(text) == [], definitions(text)


def test_joining_words_never_stand_for_a_letter():
    # "of" must not be read as the O of OTS: the long form is taken from "Office"
    assert long_form("OTS", "paid to the Office of Thrift Supervision") == (
        "Office of Thrift Supervision"
    )
    assert long_form("OTS", "the regulator of Thrift Supervision") is None


def test_each_report_keeps_its_own_meaning_and_its_most_written_long_form():
    got = short_forms(
        {
            "senate": [
                "the Credit Reform Act (CRA) of 2006",
                "credit rating agencies (CRA) rated the bonds",
                "the credit rating agencies (CRA) again",
            ],
            "leveson": ["the Crime Reporters Association (CRA) met weekly"],
        }
    )
    assert [(f.written, f.long) for f in got["senate"]] == [
        ("CRA", frozenset({"credit", "rate", "agenc"}))
    ]
    assert [(f.written, f.long) for f in got["leveson"]] == [
        ("CRA", frozenset({"crime", "report", "associ"}))
    ]


def _index() -> ShortFormIndex:
    metas = [{"doc_id": "code"}, {"doc_id": "code"}, {"doc_id": "press", "report": "inquiry"}]
    texts = [
        "pupils with special educational needs and disabilities (SEND) are supported",
        "Schools send the form to the local authority.",
        "the Crime Reporters Association (CRA) met weekly",
    ]
    return ShortFormIndex(metas, texts)


def _expanded(sf: ShortFormIndex, doc: str, text: str) -> set[str]:
    return sf.expanded(doc, text, set(tokenize(text)))


def test_a_short_form_counts_only_where_written_as_defined():
    sf = _index()
    need = {"special", "educ", "need", "disabl"}
    assert _expanded(sf, "code", "The SEND code of practice applies.") == need
    assert _expanded(sf, "code", "Schools send the form to the council.") == set()
    terms = tokenize("What does the SEND code say?")
    assert set(sf.spelled_out("What does the SEND code say?", terms)) == need - set(terms)
    assert sf.spelled_out("When should schools send it?", tokenize("schools send")) == []


def test_a_short_form_is_read_with_its_own_report_s_meaning():
    sf = _index()
    assert _expanded(sf, "press", "The CRA complained.") == {"crime", "report", "associ"}
    assert _expanded(sf, "code", "The CRA complained.") == set()  # the code defines no CRA
    # a search may name any report's short form
    assert sf.spelled_out("Who was in the CRA?", ["cra"]) == ["associ", "crime", "report"]


def test_a_sentence_spelling_out_the_long_form_holds_the_short_form():
    sf = _index()
    text = "Pupils with special educational needs and disabilities get a plan."
    assert "send" in _expanded(sf, "code", text)
    assert "send" not in _expanded(sf, "code", "Pupils with special needs get a plan.")
    assert "cra" not in _expanded(sf, "code", "The crime report association met.")  # not its


@pytest.mark.unit
def test_an_answer_sentence_using_a_short_form_holds_its_long_form():
    from assistant.extractive import ExtractiveAnswerer
    from assistant.reportuse import ReportUse
    from assistant.types import Passage
    from index.tokens import tokenize

    text = (
        "The Harbour Ferry Trust was founded by local boatmen. "
        "The HFT decided to close the slipway."
    )
    p = Passage("c1", "d", "r.md", "Report", text, rank=1, dense=0.7)
    trust = set(tokenize("Harbour Ferry Trust"))

    def expand(doc, seg, words):
        return trust if "HFT" in seg else set()

    use = ReportUse(lambda terms, doc: 0.0, expand=expand)
    q = "What did the Harbour Ferry Trust decide about the slipway?"
    first = lambda a: a.answer.split(" [1]")[0]  # noqa: E731
    read = ExtractiveAnswerer(lambda t: 1.0, use=use).answer(q, [p])
    assert first(read) == "The HFT decided to close the slipway.", read.answer
    unread = ExtractiveAnswerer(lambda t: 1.0, use=use, short_forms=False).answer(q, [p])
    assert first(unread) == "The Harbour Ferry Trust was founded by local boatmen."
