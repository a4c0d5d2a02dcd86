"""A question for the holder of an office ("Who was the trust's chief executive?") is
answered only by a sentence naming a person beside that office (assistant/qtypes.py `HOLDER`,
index/persons.py, assistant/factcues.py `person_beside`), and one for an institution of a kind
("In which prison ...?") only by a name printed beside that kind (`INSTITUTION`,
`institution_beside`). Examples are ours, none of them an evaluation question."""

from __future__ import annotations

import pytest

from assistant import qtypes
from assistant.extractive import ExtractiveAnswerer
from assistant.factcues import asked_institution, asked_role, institution_beside, person_beside
from assistant.reportuse import ReportUse
from assistant.types import ANSWERED, INSUFFICIENT, Passage
from index.persons import people_named, titled_surnames


def _p(text: str) -> Passage:
    return Passage("c1", "d", "q.md", "The Quayside Review", text, rank=1, dense=0.7)


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        "Who was the trust's chief executive in 2019?",
        "What is the name of the ward's matron?",
        "Who did the council appoint as chair of the panel?",
        "Who chaired the quayside panel?",
        "Which coroner held the inquest?",
        "Who was the captain of the ferry on the night of the storm?",
        "What was the name of the harbour's investigating officer?",
    ],
)
def test_a_question_for_an_office_holder_asks_for_a_person(question):
    assert qtypes.HOLDER.name in qtypes.fact_types(question)


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        "Who regulates the ferry operators?",  # a body may answer
        "Who was responsible for the flooding?",
        "Who are the safeguarding partners in the county?",  # bodies are partners
        "What did the panel's chair say about the tide gates?",  # not a who-question
        "Who was the ferry company's auditor?",  # firms audit
    ],
)
def test_who_alone_does_not_ask_for_a_person(question):
    assert qtypes.HOLDER.name not in qtypes.fact_types(question)


@pytest.mark.unit
def test_the_names_of_people_are_told_from_names_of_bodies():
    texts = [
        "Mr Okafor’s office wrote to the harbour board.",
        "Dr Ann Lee met Lord Justice Harwood. The Quay Board met in May.",
        "The letter reached Mr Roe. The Committee met later.",
    ]
    titled = titled_surnames(texts)
    assert {"Okafor", "Lee", "Harwood", "Roe"} <= titled
    assert not {"Board", "Committee", "The", "Quay", "Justice"} & titled
    named = lambda s, t=frozenset(): {n for n, _ in people_named(s, t)}  # noqa: E731
    assert named("The panel was chaired by Mr T until May.") == {"T"}
    assert named("Joseph K. Brandt wrote the memo.") == {"Brandt"}
    assert named("I asked Helen Marsh QC to act for the panel.") == {"Marsh"}
    assert named("Amara Okafor chaired the board.") == set()  # no title: not known
    assert named("Amara Okafor chaired the board.", titled) == {"Okafor"}
    assert named("Northmoor General Hospital and the Armed Forces Institute.") == set()


@pytest.mark.unit
def test_the_person_is_named_beside_the_office():
    assert asked_role("Who chaired the quayside panel?") == "chair"
    assert asked_role("Who was the trust's chief executive?") == "chief executive"
    assert asked_role("Who was the board's chairman?") == "chair"  # "chaired by", "its chair"
    assert asked_role("Who regulates the ferries?") is None
    near = "The quayside panel was chaired by Mr Okafor."
    assert person_beside(near, "chair", people_named(near))
    far = (
        "Mr Okafor wrote to the harbour board about the tide tables, the gates, the pumps "
        "and the ferry timetable, and its chair replied."
    )
    assert not person_beside(far, "chair", people_named(far))
    short = "Amara Okafor, the trust's CEO, resigned."
    assert person_beside(short, "chief executive", people_named(short, frozenset({"Okafor"})))


@pytest.mark.unit
def test_an_office_without_its_holder_is_refused():
    unnamed = "The quayside panel was chaired by an independent reviewer from another county."
    named = "The quayside panel was chaired by Mr Okafor, a retired harbour master."
    answerer = ExtractiveAnswerer(lambda t: 1.0)
    q = "Who chaired the quayside panel?"
    refused = answerer.answer(q, [_p(unnamed)])
    assert refused.status == INSUFFICIENT and "person's name" in refused.answer
    ok = answerer.answer(q, [_p(named)])
    assert ok.status == ANSWERED and "Mr Okafor" in ok.answer
    other = (
        "Mr Brandt wrote to the quayside panel about the tide gates, the pumps and the ferry "
        "timetable, and its chair replied in May."
    )
    assert answerer.answer(q, [_p(other)]).status == INSUFFICIENT  # someone else's name
    off = ExtractiveAnswerer(lambda t: 1.0, name_check=False)
    assert off.answer(q, [_p(unnamed)]).status == ANSWERED


@pytest.mark.unit
def test_the_person_the_question_names_is_no_answer():
    text = "Mr Okafor said the chair of the quayside panel would be appointed in May."
    answerer = ExtractiveAnswerer(lambda t: 1.0)
    q = "Who did Mr Okafor name as chair of the quayside panel?"
    assert answerer.answer(q, [_p(text)]).status == INSUFFICIENT


@pytest.mark.unit
def test_a_name_without_its_title_is_a_person_when_the_reports_title_it():
    text = "Amara Okafor chaired the quayside panel from its first meeting."
    q = "Who chaired the quayside panel?"
    use = ReportUse(lambda terms, doc: 0.0, titled=lambda: frozenset({"Okafor"}))
    assert ExtractiveAnswerer(lambda t: 1.0, use=use).answer(q, [_p(text)]).status == ANSWERED
    unknown = ReportUse(lambda terms, doc: 0.0, titled=frozenset)
    got = ExtractiveAnswerer(lambda t: 1.0, use=unknown).answer(q, [_p(text)])
    assert got.status == INSUFFICIENT


@pytest.mark.unit
def test_an_institution_is_asked_for_by_its_kind():
    assert asked_institution("In which prison did the driver serve his sentence?") == "prison"
    assert asked_institution("At which Crown Court was the skipper tried?") == "court"
    assert asked_institution("To which hospital was the child moved?") == "hospital"
    for q in (
        "What prison sentence did the driver get?",  # a penalty
        "What should a school do when a child is absent?",  # advice, a broad question
        "Which ferry did the driver take?",  # a kind whose names seldom carry it
    ):
        assert asked_institution(q) is None, q
        assert qtypes.INSTITUTION.name not in qtypes.fact_types(q)


@pytest.mark.unit
def test_a_name_beside_the_kind_answers_which_institution():
    asked = {"In", "which", "prison", "did", "Mr", "Okafor", "serve", "his", "sentence"}
    assert institution_beside("He served his sentence at HMP Eastmoor.", "prison", asked)
    assert institution_beside("She was held in Eastmoor Prison until May.", "prison", asked)
    assert not institution_beside("Mr Okafor was released from prison in May.", "prison", asked)
    assert not institution_beside("He left prison in June 2006.", "prison", asked)  # a month
    assert not institution_beside("Okafor’s prison term ended early.", "prison", asked)
    far = "Mr Brandt said the man had been moved from one prison to another within a year."
    assert not institution_beside(far, "prison", asked)
    answerer = ExtractiveAnswerer(lambda t: 1.0)
    q = "In which prison did Mr Okafor serve his sentence?"
    unnamed = "Mr Okafor served eight months of his sentence in prison before his release."
    refused = answerer.answer(q, [_p(unnamed)])
    assert refused.status == INSUFFICIENT and "institution's name" in refused.answer
    named = "Mr Okafor served eight months of his sentence at HMP Eastmoor."
    assert answerer.answer(q, [_p(named)]).status == ANSWERED
    off = ExtractiveAnswerer(lambda t: 1.0, name_check=False)
    assert off.answer(q, [_p(unnamed)]).status == ANSWERED


QUAYSIDE = """# The Quayside Review

## 1. Introduction

1.1 The Quayside Review looked at the closure of the ferry slipway in 2022.

1.2 Ms Amara Okafor chaired the review panel; Mr Joseph Brandt was its secretary.

## 2. Findings

2.1 Amara Okafor told the harbour board that the slipway had been unsafe since 2019.

2.2 The harbour board had a chief executive throughout, who was not interviewed.
"""


@pytest.fixture(scope="module")
def quayside(real_embedder, tmp_path_factory):
    from ui_helpers import ingested_one

    return ingested_one(real_embedder, tmp_path_factory, "quayside-review", QUAYSIDE)


def test_office_holders_over_a_real_index(quayside):
    """Real model, real Chroma: the reports' own titles make 'Okafor' a person's name, and an
    office no sentence gives a holder for is refused."""
    assert {"Okafor", "Brandt"} <= quayside.retriever.current().titled_names()
    got = quayside.ask("Who chaired the review panel?")
    assert got.status == ANSWERED and "Okafor" in got.answer, got.answer
    refused = quayside.ask("Who was the harbour board's chief executive?")
    assert refused.status == INSUFFICIENT, refused.answer
