"""A report's own word that the asked fact is not known (assistant/unknowns.py): the answer
refuses and quotes it. Examples are ours, not evaluation questions."""

import pytest

from assistant.types import ANSWERED, INSUFFICIENT, Passage
from assistant.unknowns import says_unknown, unknown_said


@pytest.mark.unit
@pytest.mark.parametrize(
    ("kinds", "sentence"),
    [
        (["cause"], "For reasons that remain unclear, the ferry did not sail until noon."),
        (["cause"], "The warden could not explain why the gate was left open."),
        (["cause"], "He gave legal reasons, on which he was not able to elaborate."),
        (["amount"], "It is not known how much the council repaid."),
        (["number"], "It is unclear how many tenants were moved."),
        (["date"], "It is not known when the letter reached the ward."),
        (["person"], "The review was unable to establish who signed the order."),
        (["duration"], "Nobody recorded how long the boy waited; it is unknown."),
    ],
)
def test_a_sentence_saying_the_asked_kind_is_not_known(kinds, sentence):
    assert says_unknown(kinds, sentence)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("kinds", "sentence"),
    [
        # the fact is given
        (["cause"], "The ferry did not sail because the harbour was closed."),
        (["cause"], "The warden was able to explain why the gate was open."),
        # not knowing something else than what is asked
        (["date"], "It is unclear why the letter was sent; it arrived on 3 May 2019."),
        (["cause"], "The cause of the fire is known; whoever lit it is unknown to this day."),
        # a word of not knowing far from the asked kind's marker
        (
            ["cause"],
            "The reasons for the closure were set out by the board in a long letter to every "
            "tenant of the estate in the spring, and the date of the move is still unclear.",
        ),
    ],
)
def test_a_sentence_that_does_not_say_the_asked_kind_is_not_known(kinds, sentence):
    assert not says_unknown(kinds, sentence)


@pytest.mark.unit
def test_the_refusal_quotes_the_sentence_with_its_citation():
    text = "The slipway shut in May. For reasons that remain unclear, it never reopened."
    p = Passage("c1", "d1", "quay.md", "Quayside Review", text, para="2.1", score=1.0)
    start = text.index("For")
    why = unknown_said(["cause"], [p], [(1.0, 0, start, len(text))])
    assert "For reasons that remain unclear, it never reopened." in why
    assert "Quayside Review, para 2.1" in why
    assert unknown_said(["cause"], [p], [(1.0, 0, 0, start)]) is None


QUAY = """# The Slipway Review

## 1. Findings

1.1 The ferry slipway at Quayside closed in March 2022 after a survey found cracks.

1.2 For reasons that remain unclear on the evidence, the harbour board did not publish the
survey until October 2023.

1.3 The slipway was rebuilt by a local contractor and reopened in June 2024.
"""


@pytest.fixture(scope="module")
def slipway(real_embedder, tmp_path_factory):
    from ui_helpers import ingested_one

    return ingested_one(real_embedder, tmp_path_factory, "slipway-review", QUAY)


def test_a_fact_the_report_says_it_does_not_know_is_refused_with_its_words(slipway):
    """Real model, real Chroma: the why-question is refused with the report's sentence quoted;
    the when-question on the same passage is answered."""
    why = slipway.ask("Why did the harbour board wait so long to publish the survey?")
    assert why.status == INSUFFICIENT, why.answer
    assert "remain unclear" in why.answer and "Slipway Review" in why.answer, why.answer
    when = slipway.ask("When did the slipway reopen?")
    assert when.status == ANSWERED and "June 2024" in when.answer, when.answer
