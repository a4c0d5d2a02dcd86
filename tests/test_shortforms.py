"""Abbreviation definitions (index/shortforms.py), unit level: no model, no index."""

import pytest

from index.shortforms import definitions, long_form, short_forms


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
    assert got["senate"] == ((frozenset({"cra"}), frozenset({"credit", "rate", "agenc"})),)
    assert got["leveson"] == ((frozenset({"cra"}), frozenset({"crime", "report", "associ"})),)
