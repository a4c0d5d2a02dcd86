"""Extractive answering, settings and eval metrics: fast tests without the model."""

from __future__ import annotations

import pytest

from assistant.evaluate import Tally, contains, para_labels
from assistant.extractive import ExtractiveAnswerer, split_sentences
from assistant.settings import Settings
from assistant.types import ANSWERED, INSUFFICIENT, Passage
from ingest.errors import ConfigError

pytestmark = pytest.mark.unit

TEXT = (
    "3.69. Mrs McDonald telephoned the Helpdesk 26 times in the weeks before the audit. "
    "The calls were about discrepancies (see para. 3.70). She was told to wait. [12]_ "
    "Mr. Smith disagreed."
)


def _p(text, n=1, dense=0.7, **kw):
    return Passage(f"c{n}", "d", "r.md", "Report", text, rank=n, dense=dense, **kw)


def _ask(question: str, text: str):
    """The extractive answer from one passage holding `text`; it must answer."""
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(question, [_p(text)])
    assert ans.status == ANSWERED
    return ans


def test_sentences_are_verbatim_spans():
    spans = split_sentences(TEXT)
    sents = [TEXT[s:e] for s, e in spans]
    assert sents[0].startswith("Mrs McDonald") and sents[0].endswith("audit.")
    assert sents[1] == "The calls were about discrepancies (see para. 3.70)."
    assert sents[-1] == "Mr. Smith disagreed."
    assert all(TEXT[s:e] in TEXT for s, e in spans)


def test_extractive_answer_quotes_and_cites():
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "How many times did McDonald telephone the Helpdesk?", [_p(TEXT), _p("Unrelated.", 2)]
    )
    assert ans.status == ANSWERED
    assert "26 times" in ans.answer and "[1]" in ans.answer
    assert ans.citations[0].quote in TEXT
    assert ans.citations[0].passage.chunk_id == "c1"


def test_refuses_when_evidence_is_weak():
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "What sentence did Barker receive in prison?", [_p(TEXT, dense=0.1)]
    )
    assert ans.status == INSUFFICIENT
    assert "don't answer" in ans.answer
    assert ans.passages  # nearest passages still listed


def test_refuses_when_a_name_is_unknown_to_the_corpus():
    df = {"helpdesk": 3, "mcdonald": 2}.get
    answerer = ExtractiveAnswerer(lambda t: 1.0, lambda t: df(t, 0))
    ans = answerer.answer("What did the Rotherham report say about the Helpdesk?", [_p(TEXT)])
    assert ans.status == INSUFFICIENT and "Rotherham" in ans.answer
    ok = answerer.answer("How many times did McDonald telephone the Helpdesk?", [_p(TEXT)])
    assert ok.status == ANSWERED


def test_answer_prefers_the_sentence_with_the_asked_kind_of_fact():
    text = (
        "The audit of the branch took place in March. Mrs Jones phoned the helpdesk about "
        "the audit. She made 91 such calls before it."
    )
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "How many calls did Mrs Jones make to the helpdesk?", [_p(text)]
    )
    assert "91" in ans.answer


def test_settings_from_env_and_bad_value():
    s = Settings.from_env(env={"INQUIRY_TOP_K": "7", "INQUIRY_HOME": "/tmp/x"})
    assert s.top_k == 7 and str(s.home) == "/tmp/x"
    with pytest.raises(ConfigError, match="INQUIRY_TOP_K"):
        Settings.from_env(env={"INQUIRY_TOP_K": "seven"})
    assert all(desc for _, _, desc in s.describe())


def test_eval_metrics_count_hits_labels_and_refusals():
    t = Tally(k=5)
    q = {
        "kind": "fact",
        "evidence": ["telephoned the Helpdesk 26 times"],
        "para": ["3.69"],
        "answer_keys": ["26"],
    }
    r = {
        "status": "answered",
        "answer": "26 times [1]",
        "timings_ms": {"total_ms": 10},
        "citations": [{"quote": "26 times"}],
        "passages": [{"text": "x", "para": "1"}, {"text": TEXT, "para": "3.68-3.70"}],
    }
    t.add(q, r)
    t.add({"kind": "unanswerable", "evidence": []}, {**r, "status": "insufficient_evidence"})
    f = t.figures()
    assert f["hit@5"] == 1.0 and f["mrr@5"] == 0.5 and f["label_accuracy"] == 1.0
    assert f["answer_key_coverage"] == 1.0 and f["refusal_accuracy"] == 1.0
    only_answerable = Tally(k=5)
    only_answerable.add(q, r)
    assert only_answerable.figures()["refusal_accuracy"] is None  # not 0.0: nothing to count
    assert para_labels("3.41-3.43") == {"3.41", "3.42", "3.43"}
    assert contains("The Post Office  maintained the fiction", "post office maintained")


def test_a_sentence_repeated_in_another_passage_is_quoted_once():
    text = "The designated safeguarding lead takes lead responsibility for child protection."
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "Who takes lead responsibility for child protection?", [_p(text, 1), _p(text, 2)]
    )
    assert ans.answer.count("takes lead responsibility") == 1


def test_refuses_when_even_the_best_passage_is_semantically_far():
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "How many times did McDonald telephone the Helpdesk?", [_p(TEXT, dense=0.2)]
    )
    assert ans.status == INSUFFICIENT


LIST_HEAD = (
    "135. Online safety risks can be categorised into four areas of risk:\n\n"
    "content: being exposed to illegal or harmful content.\n\n"
    "contact: being subjected to harmful online interaction with other users."
)
LIST_TAIL = (
    "conduct: online behaviour that increases the likelihood of harm.\n\n"
    "commerce: risks such as online gambling and phishing.\n\n"
    "136. Schools should review their approach every year."
)


def test_a_list_that_runs_past_its_passage_is_quoted_from_the_next_chunk():
    head, tail = _p(LIST_HEAD, 1), _p(LIST_TAIL, 7)
    following = {"c1": tail}.get
    ans = ExtractiveAnswerer(lambda t: 1.0, following=lambda p: following(p.chunk_id)).answer(
        "What are the four areas of online safety risk?", [head, _p("Unrelated text.", 2)]
    )
    assert ans.status == ANSWERED
    order = [ans.answer.index(w) for w in ("content:", "contact:", "conduct:", "commerce:")]
    assert order == sorted(order)  # the list reads in document order
    assert "conduct: online behaviour" in ans.answer and "commerce: risks" in ans.answer
    cited = {c.passage.chunk_id for c in ans.citations}
    assert cited >= {"c1", "c7"}
    assert any(p.chunk_id == "c7" for p in ans.passages)  # the cited chunk is listed
    for c in ans.citations:
        assert c.quote in c.passage.text
    # without a way to read on, the answer stops at the passage's end
    plain = ExtractiveAnswerer(lambda t: 1.0).answer(
        "What are the four areas of online safety risk?", [head]
    )
    assert "conduct:" not in plain.answer


def test_footnotes_and_stray_labels_are_never_quoted():
    text = (
        "The Cabinet Office paper said that conditions were met for military action.\n"
        "25 Paper Cabinet Office, 19 July 2002, 'Iraq: Conditions for Military Action'.\n\n"
        "1.\n\nThe conditions for military action were set out at Crawford."
    )
    ans = _ask("What conditions for military action did the Cabinet Office paper set?", text)
    assert "Paper Cabinet Office, 19 July" not in ans.answer
    assert "1. [" not in ans.answer and not ans.answer.startswith("1.")


def test_list_items_without_final_stop_are_not_headings():
    from assistant.sentences import sentences

    text = (
        "The UK would act provided that certain conditions were met:\n\n"
        "efforts had been made to construct a coalition,\n\n"
        "the Israel-Palestine crisis was quiescent, and\n\n"
        "Conditions For Action"
    )
    kinds = {text[x.start : x.end]: x.heading for x in sentences(text)}
    assert kinds["efforts had been made to construct a coalition,"] is False
    assert kinds["the Israel-Palestine crisis was quiescent, and"] is False
    assert kinds["Conditions For Action"] is True


def test_a_sentence_that_leans_on_the_one_before_brings_it_along():
    text = (
        "A no contact policy can leave staff unable to protect their pupils. "
        "The department therefore encourages sensible policies that allow physical contact. "
        "Reasonable force is a matter of professional judgement."
    )
    ans = _ask("Why does the department encourage sensible policies on physical contact?", text)
    assert ans.answer.startswith("A no contact policy can leave staff unable to protect")
    assert "therefore encourages" in ans.answer


def test_a_two_part_question_splits_into_its_parts():
    from assistant.sentences import sub_questions

    q = (
        "According to the parole article, what did the inquiry identify, and what does "
        "KCSIE tell a school to do if a referred child is not getting better?"
    )
    assert sub_questions(q) == [
        "According to the parole article, what did the inquiry identify",
        "what does KCSIE tell a school to do if a referred child is not getting better?",
    ]
    one = "How many injuries did Baby Peter suffer, and over what length of time?"
    assert sub_questions(one) == [one]


def test_interleaving_gives_each_part_its_passages():
    from assistant.retrieve import _interleave

    a1, a2, b1 = _p("a one", 1), _p("a two", 2), _p("b one", 3)
    direct = [_p("named", 9)]
    got = _interleave([direct, [a1, a2], [b1, a1]])
    assert [p.chunk_id for p in got] == ["c9", "c1", "c3", "c2"]


def test_documents_called_by_a_capitalised_name():
    from assistant.retrieve import _docs_called
    from index.lexical import LexicalIndex

    def row(i, doc, source, title, text):
        meta = {"doc_id": doc, "source": source, "title": title, "ordinal": i}
        return (f"{doc}-{i}", text, meta)

    lex = LexicalIndex.build(
        [
            row(0, "k", "dfe/kcsie.pdf", "Keeping children safe in education", "Staff must act."),
            row(0, "i", "dfe/info.pdf", "Information sharing advice", "Share information."),
            row(0, "s", "us-senate/full.md", "Wall Street and the crisis", "Banks failed."),
        ]
    )
    assert _docs_called("What did the US Senate find about banks?", lex) == {"s"}
    assert _docs_called("Why did the UK follow the US?", lex) == set()  # 2 letters: too common
    assert _docs_called("Quote the KCSIE wording on sharing information.", lex) == {"k"}
    # lower-case words name nothing: 'information' is in a title but not a name here
    assert _docs_called("what does guidance say about sharing information?", lex) == set()
    assert _docs_called("What does the Dfe say?", lex) == {"k", "i"}  # both in dfe/


def test_a_line_broken_by_the_converter_is_one_sentence():
    from assistant.sentences import sentences

    text = (
        "The conditions were:\n\n* the options through the UN weapons\n\n"
        "inspectors had been exhausted.\n\nlower case after a full stop starts a block."
    )
    got = [text[x.start : x.end] for x in sentences(text)]
    assert "the options through the UN weapons\n\ninspectors had been exhausted." in got
    assert got[-1] == "lower case after a full stop starts a block."


def test_each_part_of_a_two_part_question_gets_its_sentence():
    text = (
        "The trial did not conclude until 2006, four years after the audit. "
        "She had borrowed money to expand the shop. The shop was busy at Christmas. "
        "The jury acquitted her of all the charges."
    )
    q = "How long did it take from the audit to her trial, and what did the jury decide?"
    ans = _ask(q, text)
    assert "four years after the audit" in ans.answer and "jury acquitted her" in ans.answer
    one = _ask("How long did it take from the audit to her trial?", text)
    assert "jury acquitted" not in one.answer  # one question, one fact


def test_a_list_in_another_passage_is_quoted_on_while_it_answers():
    top = _p("The ward was first closed in 2009 and its reopening is debated.", 1)
    other = _p(
        "The ward reopened in 2013 and was closed again in 2015. "
        "In 2022 the ward reopened again. The chair spoke to the press.",
        2,
        score=0.8,
    )
    top.score = 1.0
    q = "List the times the ward was closed and reopened."
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [top, other])
    assert "In 2022 the ward reopened again." in ans.answer
    assert "chair" not in ans.answer


def test_near_copies_of_a_better_passage_are_left_out():
    from assistant.retrieve import _distinct

    text = (
        "NASA was under internal and external pressure to build its Shuttle flight rate to "
        "24 per year, and the drive to that rate created pressure throughout the agency that "
        "contributed to unsafe launch operations and a lack of spare parts."
    )
    ranked = [_p(text, 1), _p("2. " + text, 2), _p("Thiokol won the contract.", 3)]
    assert [p.chunk_id for p in _distinct(ranked, 5, 0.9)] == ["c1", "c3"]
    assert [p.chunk_id for p in _distinct(ranked, 1, 0.9)] == ["c1"]
    assert len(_distinct(ranked, 5, 1.01)) == 3  # above 1: nothing is a copy


def test_a_chunk_of_footnotes_is_not_quoted_as_the_answer():
    note = _p("71 Each of the following activities is teaching work: lessons for pupils.", 1)
    note.footnotes, note.score = True, 1.0
    body = _p("Under no circumstances should an unchecked contractor work alone with pupils.", 2)
    body.score = 0.9
    q = "Can an unchecked contractor work alone with pupils?"
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [note, body])
    assert ans.status == ANSWERED and "Under no circumstances" in ans.answer
    assert "teaching work" not in ans.answer
    only = ExtractiveAnswerer(lambda t: 1.0).answer(q, [note])  # nothing else: it is quoted
    assert only.status == ANSWERED and "teaching work" in only.answer


def test_the_asked_kind_of_fact_is_found_further_down_when_the_best_sentence_lacks_it():
    q = "How long did the Thiokol and Marshall engineers spend on the call before the launch?"
    chunks = [
        _p("Thiokol and Marshall engineers argued on the call before the launch.", 1),
        _p("The launch went ahead over the objections of the engineers.", 2),
        _p("Managers at Marshall did not tell the programme office.", 3),
        _p("The engineers spend approximately three hours on the call debating the cold.", 4),
    ]
    for i, p in enumerate(chunks):
        p.score = 1.0 - 0.1 * i
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, chunks)
    assert "approximately three hours" in ans.answer
    assert ans.answer.count("three hours") == 1
    off = ExtractiveAnswerer(lambda t: 1.0, cue_reach=0).answer(q, chunks)
    assert "three hours" not in off.answer  # the fourth chunk is beyond the usual three
    # when the best sentence holds a duration already, nothing is added
    chunks[0] = _p(
        "Thiokol and Marshall engineers spent two hours on the call before the launch.", 1
    )
    chunks[0].score = 1.0
    assert "three hours" not in ExtractiveAnswerer(lambda t: 1.0).answer(q, chunks).answer


def test_the_asked_fact_must_be_stated_in_a_report_about_whom_the_question_names():
    article = Passage("a1", "art", "a.txt", "Parole article",
                      "Tracey Connelly was jailed in 2009 and is up for parole.", rank=1,
                      dense=0.7, score=1.0)  # fmt: skip
    guidance = Passage("k1", "kcsie", "k.pdf", "KCSIE",
                       "Schools should know that 20 children may be in need of help.", rank=2,
                       dense=0.7, score=0.9)  # fmt: skip
    q = "How many children did Tracey Connelly have?"
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [article, guidance])
    assert ans.status == INSUFFICIENT and "number" in ans.answer  # the 20 are not hers
    stated = Passage("a2", "art", "a.txt", "Parole article",
                     "Connelly had three children before she was jailed.", rank=2, dense=0.7,
                     score=0.95)  # fmt: skip
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [article, stated, guidance])
    assert ans.status == ANSWERED and "three children" in ans.answer


def test_a_quoted_statement_runs_on_into_the_next_chunk():
    head = _p(
        "On October 1 the manager sent a report, which included the following statements:\n\n"
        "HELP! The seal task force is constantly being delayed by every possible means.",
        1,
    )
    tail = _p("5. We are creating more paper than data. This is a red flag.\n\nLater events.", 7)
    q = "Quote the October report that complained the seal task force was being delayed."
    ans = ExtractiveAnswerer(lambda t: 1.0, following=lambda p: tail).answer(q, [head])
    assert "every possible means" in ans.answer and "This is a red flag." in ans.answer
    assert "Later events" not in ans.answer
    assert {c.passage.chunk_id for c in ans.citations} == {"c1", "c7"}
    plain = ExtractiveAnswerer(lambda t: 1.0, following=lambda p: tail).answer(
        "Quote what the seal task force report said.", [_p(TEXT, 1)]
    )
    assert "red flag" not in plain.answer  # no colon-introduced quote: stays in its chunk
