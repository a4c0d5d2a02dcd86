"""Question types (assistant/qtypes.py) and the retrieval stage that uses them, on examples of
our own: none is an evaluation question."""

import pytest

from assistant import factcues, qtypes
from assistant.extractive import ExtractiveAnswerer
from assistant.types import INSUFFICIENT, Passage

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("qtype", qtypes.TYPES, ids=lambda t: t.name)
def test_each_documented_example_is_of_its_type(qtype):
    for example in qtype.examples:
        assert qtype in qtypes.types_of(example), example


@pytest.mark.parametrize(
    "question, kind",
    [
        ("How long did the inspection of the ward last?", "duration"),
        ("Over what period were the accounts falsified?", "duration"),
        ("How much did the council spend on agency staff?", "amount"),
        ("What year did the trust adopt the new policy?", "date"),
        ("When were the parents first told?", "date"),
        ("What were the two dates the reviews gave for a reply?", "date"),
        ("How many referrals did the school make?", "number"),
        ("What share of the budget went on agency staff?", "percent"),
        ("On which day did the inspection begin?", "day"),
        ("What was the charity's annual turnover?", "amount"),
        ("How large a settlement did the insurer offer?", "amount"),
        ("How wide was the gap in the fence?", "measure"),
        ("How much does the ferry's annual season ticket cost a resident?", "amount"),
        ("What was the harbour lease worth?", "amount"),
        ("What was the length of the fence in metres?", "measure"),
    ],
)
def test_fact_types_asked_in_other_words(question, kind):
    assert kind in qtypes.fact_types(question)


@pytest.mark.parametrize(
    "question",
    [
        "Why did the nurse not escalate when the child was unwell?",  # 'when' as a conjunction
        "What did the panel say about the timing of visits?",
        "Which paragraph of the review covers supervision?",
    ],
)
def test_no_date_is_asked_by_when_as_a_conjunction_or_by_topic_words(question):
    assert "date" not in qtypes.fact_types(question)


@pytest.mark.parametrize(
    "question, kind",
    [
        ("When should a school tell the council about a host family?", "condition"),
        ("When does a missed visit count as a breach of the plan?", "condition"),
        ("Under what conditions can a landlord enter the flat?", "condition"),
        ("When did the school tell the council?", "date"),
        ("When will the plan next be reviewed?", "date"),
    ],
)
def test_present_and_modal_when_asks_for_a_condition_past_when_for_a_date(question, kind):
    kinds = [t.name for t in qtypes.types_of(question)]
    assert kind in kinds
    assert ("date" in kinds) is (kind == "date")  # a condition is never refused for no date


def test_a_condition_is_answered_by_a_conditional_clause_or_a_threshold():
    cond = qtypes.CONDITION.answers
    assert cond.search("A stay of 28 days or more is a placement.")
    assert cond.search("The council must be told if the child stays overnight.")
    assert cond.search("Where the stay is longer than a month, the council must be told.")
    assert not cond.search("The council was told in March.")
    assert not cond.search("Some arrangements where pupils stay with families need checks.")


def test_answer_patterns_recognise_the_fact_in_a_sentence():
    assert qtypes.DURATION.answers.search("The visits stopped for six weeks in the summer.")
    assert qtypes.DURATION.answers.search("She worked there from May 2003 to June 2009.")
    assert not qtypes.DURATION.answers.search("She arrived in 2003 and left in 2009.")
    assert qtypes.AMOUNT.answers.search("The contract was worth £4.2 million.")
    assert not qtypes.AMOUNT.answers.search("The contract ran for four years.")
    assert qtypes.DATE.answers.search("The board met on 3 March 2011.")
    assert qtypes.CAUSE.answers.search("The case was closed because the family moved away.")
    pen = qtypes.PENALTY.answers
    assert pen.search("He was given an indeterminate sentence with a minimum term of six years.")
    assert pen.search("The manager received a 4-year sentence for the fraud.")
    assert pen.search("The company was ordered to pay £20,000 in costs.")
    assert not pen.search("The manager was given a warning about the sentence in the letter.")
    assert qtypes.MEASURE.answers.search("The fence was 40 metres long.")
    assert qtypes.MEASURE.answers.search("The crack was 0.2 inch deep.")
    assert not qtypes.MEASURE.answers.search("Her height was below the 2nd centile in 2019.")
    assert not qtypes.DURATION.answers.search("Concerns must be raised within the team.")
    assert qtypes.DURATION.answers.search("Concerns must be raised within two working days.")


@pytest.mark.parametrize(
    "sentence, stated",
    [
        ("Four wardens were dismissed after the review.", True),
        ("The review found that fourteen of the senior wardens had no training.", True),
        ("Wardens dismissed in the period: 12.", True),
        ("In 2016 the wardens were told to keep a log.", False),  # a year counts nothing
        ("Twelve complaints were made, and in the end the wardens were reminded of it.", False),
    ],
)
def test_a_count_is_stated_next_to_what_it_counts(sentence, stated):
    from index.tokens import stem

    assert factcues.count_beside(sentence, "wardens", stem) is stated


def test_broad_and_pointed_questions_are_told_apart():
    assert qtypes.is_broad("What went wrong, and what did the review recommend?")
    assert qtypes.is_broad("Summarise what the guidance says about record keeping.")
    assert not qtypes.is_broad("How many recommendations did the review make?")
    assert not qtypes.is_broad("Who chaired the review panel?")


def _p(text, n=1, score=1.0):
    return Passage(f"c{n}", "d", "d.txt", "Doc", text, rank=n, dense=0.8, score=score)


def test_a_passage_that_answers_in_one_sentence_is_ranked_up():
    from assistant import stages
    from assistant.tuning import RetrievalConfig
    from index.tokens import tokenize

    spread = _p("Wards keep records. Records vary. Audits are important for the ward.", 1, 1.0)
    answers = _p("The ward must audit its records at least every quarter.", 2, 0.95)
    for p in (spread, answers):
        stages.contribute(p, "dense", p.score)
    q = "How often must the ward audit its records?"
    terms = set(tokenize(q))
    out = [spread, answers]
    stages.by_sentence(out, q, terms, len(terms), lambda t: 1.0, RetrievalConfig())
    assert answers.score > spread.score
    assert set(answers.stages) == {"dense", "sentence"}  # each stage's part is recorded
    assert answers.score == pytest.approx(sum(answers.stages.values()))


def test_a_question_for_a_fact_the_passages_do_not_state_is_refused():
    topic = _p("The council employed agency social workers throughout the period.")
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "How many agency social workers did the council employ?", [topic]
    )
    assert ans.status == INSUFFICIENT and "number" in ans.answer
    stated = _p("The council employed 14 agency social workers throughout the period.")
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "How many agency social workers did the council employ?", [stated]
    )
    assert ans.status == "answered" and "14 agency social workers" in ans.answer


def test_a_share_or_a_day_is_not_answered_by_another_number_or_a_year():
    q = "What percentage of agency social workers did the council keep?"
    other = _p("Para 14: the council kept agency social workers on after the review.")
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [other])
    assert ans.status == INSUFFICIENT and "percent" in ans.answer
    share = _p("The council kept 40% of its agency social workers after the review.")
    assert ExtractiveAnswerer(lambda t: 1.0).answer(q, [share]).status == "answered"
    q = "On what date did the council open the new agency social workers' office?"
    year = _p("The council opened the new office for agency social workers in 2019.")
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [year])
    assert ans.status == INSUFFICIENT
    day = _p("The council opened the new office for agency social workers on 3 June 2019.")
    assert ExtractiveAnswerer(lambda t: 1.0).answer(q, [day]).status == "answered"


@pytest.mark.parametrize(
    "sentence",
    [
        "The ferry's licence was suspended in 2015 for breaches.",  # a year
        "The crossing was cancelled on 4 July after the storm.",  # a day of a month
        "A 17-month-old passenger was hurt on the crossing.",  # an age
        "Each crossing cost the operator £100,000 in fuel.",  # a sum
    ],
)
def test_a_year_a_day_an_age_or_a_sum_is_no_count(sentence):
    assert not qtypes.NUMBER.answers.search(sentence)
    assert not factcues.count_beside(sentence, "crossing", lambda w: w.rstrip("s"))
    q = "How many times was the crossing cancelled for breaches?"
    assert ExtractiveAnswerer(lambda t: 1.0).answer(q, [_p(sentence)]).status == INSUFFICIENT


def test_counts_in_figures_or_words_are_counts():
    for sentence in ("It made 41 crossings.", "1,000 passengers", "four crossings", "3.5 staff"):
        assert qtypes.NUMBER.answers.search(sentence), sentence
    assert factcues.count_beside("It cost £5 and 41 crossings ran.", "crossings", str.lower)


def test_what_a_count_counts():
    assert factcues.counted("How many ward managers were disciplined?") == "managers"
    assert factcues.counted("How many times inspectors at the home were warned?") == "times"
    assert factcues.counted("How many staff died in the fire?") == "staff"
    # no noun between "how much" and the verb: what the board paid is a sum, not "pay"s
    assert factcues.counted("How much did the board pay in total for the land?") is None


def test_a_count_of_something_else_or_a_number_without_its_unit_is_refused():
    q = "How many agency social workers did the council employ?"
    other = _p(
        "Over 30 months the council asked the agency for help, and agency social workers "
        "were employed in every team of the council's children's services."
    )
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [other])
    assert ans.status == INSUFFICIENT and "number" in ans.answer
    _refused_then_answered(
        "What was the weight of the delivery van in tonnes?",
        "measure",
        "The delivery van's weight was recorded at the 90th centile of the fleet.",
        "The delivery van's weight was recorded as 3.5 tonnes by the fleet manager.",
    )


def test_a_list_question_gets_its_bulleted_items_however_short_and_as_many_as_asked():
    """Our own list: one-word bullets are items, not headings; the question's count decides
    how many; the paragraph after the list is not part of it."""
    text = (
        "The depot's checks\n\nThe depot's drivers make five checks before each journey:\n\n"
        "• Tyres\n\n• Brakes and lights\n\n• Mirrors: both are cleaned. A cracked mirror is "
        "replaced before the van leaves.\n\n• Fuel\n\n• Load\n\n"
        "Ultimately the manager signs the depot's log of checks at the end of each day."
    )
    answerer = ExtractiveAnswerer(lambda t: 1.0)
    ans = answerer.answer("What are the five checks the depot's drivers make?", [_p(text)])
    for item in ("Tyres", "Brakes and lights", "A cracked mirror is replaced", "Fuel", "Load"):
        assert item in ans.answer, item
    assert "manager signs" not in ans.answer
    ans = answerer.answer("What are the two checks the depot's drivers make first?", [_p(text)])
    assert "Brakes and lights" in ans.answer and "Fuel" not in ans.answer
    assert qtypes.asked_count("List the 3 agencies involved.") == 3
    assert qtypes.asked_count("What are the signs of neglect?") is None


def test_a_list_question_that_says_how_many_finds_the_sentence_naming_that_many():
    """Our own text: 'the four duties' is answered by the sentence naming four duties, not by
    the one that shares more of the question's other words."""
    q = "What are the four duties of the depot's night staff?"
    p1 = _p(
        "The depot's night staff have duties that the depot's manager reviews. "
        "The night staff's duties at the depot are set by the manager each year."
    )
    p2 = _p(
        "Night staff carry out four main duties: locking the gates, checking the vans, "
        "logging deliveries and calling the manager if an alarm sounds.",
        n=2,
        score=0.3,  # ranked well below: its words alone would not bring it in
    )
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [p1, p2])
    assert "locking the gates" in ans.answer
    cue = qtypes.count_cue(q)
    assert cue.search("They have 4 daily duties") and not cue.search("four of the staff")


def _refused_then_answered(q: str, kind: str, refused: str, answered: str) -> None:
    """`q` is refused for want of a `kind` from the passage `refused`, answered from `answered`."""
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [_p(refused)])
    assert ans.status == INSUFFICIENT and kind in ans.answer, ans.answer
    assert ExtractiveAnswerer(lambda t: 1.0).answer(q, [_p(answered)]).status == "answered"


def test_a_sum_asked_for_by_name_is_not_answered_by_another_sum():
    _refused_then_answered(
        "How big a bonus did the haulage firm pay its night manager in 2020?",
        "amount",
        "In 2020 the haulage firm paid £40,000 in fines, and its night manager was moved.",
        "In 2020 the haulage firm paid its night manager a bonus of £12,000.",
    )
    assert factcues.money_noun("What was the trust's share price that day?") == "price"


def test_a_broad_answer_prefers_recommendations_to_sentences_about_them():
    """Six recommendations of our own after two sentences that only talk about them: the five
    points are recommendations."""
    from assistant.broad import AIMS

    recs = next(a for a in AIMS if a.name == "recommendations")
    assert recs.states.search("Recommendation 4: the depot should fit new locks.")
    assert recs.states.search("The review recommended that the gates be replaced.")
    assert not recs.states.search("For ease of reference, all the recommendations are listed.")
    text = (
        "The review's findings lead to its recommendations, set out below. "
        "For ease of reference, all of the recommendations are reprinted here. "
        + " ".join(
            f"The depot should {act} before the winter."
            for act in (
                "fit new locks to the yard gates",
                "train the night staff in the alarm system",
                "log every delivery",
                "check each van's mileage",
                "light the yard",
                "test the alarm weekly",
            )
        )
    )
    p = Passage("c1", "d", "d.txt", "Depot Review", text, rank=1, dense=0.8, score=1.0)
    p.role = "recommendation"
    ans = ExtractiveAnswerer(lambda t: 1.0).answer("What did the depot review recommend?", [p])
    assert "reprinted" not in ans.answer and ans.answer.count("The depot should") >= 2


def test_a_value_the_question_gives_is_not_the_fact_it_asks_for():
    q = "When was the Harbour Safety Act 1998 first applied to the ferry?"
    given = factcues.given_values(q)
    assert not factcues.states(
        qtypes.DATE.answers, "The Harbour Safety Act 1998 covers ferries.", given
    )
    assert factcues.states(qtypes.DATE.answers, "The 1998 Act was first applied in 2004.", given)
    assert factcues.states(qtypes.DATE.answers, "The Act of 1998 covers ferries.")  # nothing given


def test_words_that_frame_a_question_are_not_its_search_terms():
    from index.tokens import query_terms, tokenize

    q = "When exactly did the flood barrier at Eastham actually fail?"
    assert set(query_terms(q)) == set(tokenize("flood barrier Eastham fail"))
    assert "exact" in tokenize("It is exactly what happened.")  # documents keep them


def test_a_hedged_question_is_not_answered_by_the_hedge_word():
    """'actually' in the question does not bring 'nobody actually saw it' into the answer."""
    q = "How did the flood barrier actually fail?"
    text = (
        "Nobody actually saw the flood barrier fail. "
        "The flood barrier failed when the north hinge rusted through."
    )
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [Passage("c1", "d", "r.md", "R", text)])
    assert ans.answer.startswith("The flood barrier failed when")
    assert "Nobody" not in ans.answer


@pytest.mark.parametrize(
    "question, broad",
    [
        ("How do the two reviews differ on home visits?", True),
        ("Do the ward review and the trust's policy agree on lone working?", True),
        ("Why didn't the nurse escalate her concern?", True),
        ("What does the code tell wardens to do after a fall?", True),
        ("How many wardens did the two reviews each interview?", False),  # a count: pointed
        ("Why was the referral closed?", False),
        # words between "what" and what is asked for
        ("What changes did the panel recommend for the ferry timetable?", True),
        ("What practical lessons does the note draw for wardens?", True),
        ("What time did the panel find the gate open?", False),  # one fact
        ("What fine did the panel recommend?", False),
    ],
)
def test_comparisons_advice_and_failures_are_broad(question, broad):
    assert qtypes.is_broad(question) is broad


def test_a_penalty_asked_yes_or_no_is_refused_when_only_another_persons_is_stated():
    from assistant.evidence import fact_missing

    q = "Was Mr K given a prison sentence for the fraud at the depot?"
    assert "penalty" in qtypes.fact_types(q)
    review = Passage(
        "c1",
        "review",
        "r.md",
        "Depot review",
        "Mr K admitted the fraud at the depot and resigned.",
        rank=1,
        dense=0.8,
    )
    other = Passage(
        "c2",
        "survey",
        "s.md",
        "Fraud survey",
        "A clerk was sentenced to two years for a fraud at another depot.",
        rank=2,
        dense=0.8,
    )
    said = {"Mr K": {"review"}}
    says = lambda name: said.get(name, set())  # noqa: E731
    # 'Mr K' is the review's own: the survey's sentence is someone else's
    assert fact_missing(q, [review, other], lambda t: 1.0, 0.2, None, says) is not None
    assert fact_missing(q, [review, other], lambda t: 1.0, 0.2, None, None) is None
    stated = Passage(
        "c3",
        "review",
        "r.md",
        "Depot review",
        "Mr K was sentenced to two years for the fraud at the depot.",
        rank=3,
        dense=0.8,
    )
    assert fact_missing(q, [review, other, stated], lambda t: 1.0, 0.2, None, says) is None


def test_a_report_using_an_asked_short_form_is_read_where_it_spells_it_out():
    from assistant.evidence import fact_missing

    q = "How soon must the HSO send the tide report to the harbour board?"
    spelled = Passage(
        "c1",
        "code",
        "c.md",
        "Harbour code",
        "The harbour safety officer must send the tide report to the board within 5 days.",
        rank=1,
        dense=0.8,
    )
    other = Passage(
        "c2", "notes", "n.md", "Notes", "The HSO met the board in May.", rank=2, dense=0.8
    )
    said = {"HSO": {"code", "notes"}}  # the code defines and uses 'HSO' elsewhere
    says = lambda name: said.get(name, set())  # noqa: E731
    assert fact_missing(q, [spelled, other], lambda t: 1.0, 0.2, None, says) is None
    # without the reports' word, only the notes name the HSO, and they give no time
    assert fact_missing(q, [spelled, other], lambda t: 1.0, 0.2, None, None) is not None
