"""Extractive answering, settings and eval metrics: fast tests without the model.

Every passage and question here is written for these tests (fictional councils, ferries,
landlords): none restates an evaluation question, so the tests check the answerer's rules
and not its scores on the dev set (that is `inquiry eval`'s job)."""

from __future__ import annotations

import pytest

from assistant.evaluate import Tally, contains, para_labels
from assistant.extractive import ExtractiveAnswerer, split_sentences
from assistant.settings import Settings
from assistant.types import ANSWERED, INSUFFICIENT, Passage
from ingest.errors import ConfigError

pytestmark = pytest.mark.unit

TEXT = (
    "4.12. Mr Okafor telephoned the council 31 times in the months before the eviction. "
    "The calls were about repairs (see para. 4.13). He was told to wait. [7]_ "
    "Mr. Patel disagreed."
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
    assert sents[0].startswith("Mr Okafor") and sents[0].endswith("eviction.")
    assert sents[1] == "The calls were about repairs (see para. 4.13)."
    assert sents[-1] == "Mr. Patel disagreed."
    assert all(TEXT[s:e] in TEXT for s, e in spans)


def test_extractive_answer_quotes_and_cites():
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "How many times did Okafor telephone the council?", [_p(TEXT), _p("Unrelated.", 2)]
    )
    assert ans.status == ANSWERED
    assert "31 times" in ans.answer and "[1]" in ans.answer
    assert ans.citations[0].quote in TEXT
    assert ans.citations[0].passage.chunk_id == "c1"


def test_refuses_when_evidence_is_weak():
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "What fine did the landlord receive in court?", [_p(TEXT, dense=0.1)]
    )
    assert ans.status == INSUFFICIENT
    assert "don't answer" in ans.answer
    assert ans.passages  # nearest passages still listed


def test_refuses_when_a_name_is_unknown_to_the_corpus():
    df = {"council": 3, "okafor": 2}.get
    answerer = ExtractiveAnswerer(lambda t: 1.0, lambda t: df(t, 0))
    ans = answerer.answer("What did the Castlebury report say about the council?", [_p(TEXT)])
    assert ans.status == INSUFFICIENT and "Castlebury" in ans.answer
    ok = answerer.answer("How many times did Okafor telephone the council?", [_p(TEXT)])
    assert ok.status == ANSWERED


def test_names_of_several_words_are_read_whole():
    from assistant.sentences import long_names

    assert long_names("When did the Harbour and Ferries Act come into force?") == [
        "Harbour and Ferries Act"
    ]
    assert long_names("What did the Board of the Port Authority's chair say?") == [
        "Board of the Port Authority"
    ]
    assert long_names("Did Jane Ashdown speak for the UK?") == ["Jane Ashdown"]
    assert long_names("What did Smith tell the council?") == []


def test_refuses_a_name_of_several_words_that_no_report_holds():
    df = {"harbour": 3, "ferri": 2, "act": 9, "forc": 4}.get
    known = {"Harbour Act"}

    def answerer(**kw):
        return ExtractiveAnswerer(lambda t: 1.0, lambda t: df(t, 0), says=known.__contains__, **kw)

    text = "The Harbour Act came into force on 1 May 1990. Ferries were licensed after it."
    q = "When did the Harbour and Ferries Act come into force?"
    ans = answerer().answer(q, [_p(text)])
    assert ans.status == INSUFFICIENT and "Harbour and Ferries Act" in ans.answer, ans.answer
    assert answerer(long_names=False).answer(q, [_p(text)]).status == ANSWERED
    ok = answerer().answer("When did the Harbour Act come into force?", [_p(text)])
    assert ok.status == ANSWERED
    # the words of a report's title name the report ("the Harbour and Ferries review")
    titled = ExtractiveAnswerer(
        lambda t: 1.0,
        lambda t: df(t, 0),
        says=known.__contains__,
        report_words=frozenset({"ferri"}),
    )
    assert titled.answer(q, [_p(text)]).status == ANSWERED


def test_a_person_is_known_by_a_shortened_rank_or_fuller_name():
    from assistant.evidence import unknown_names
    from index.persons import titled_known

    docs = {
        "Gen Walker": {"iraq"},
        "Walker": {"iraq", "ferry"},
        "Gen": {"iraq"},
        "Truly": {"shuttle"},
        "Admiral": {"shuttle"},
        "Smith": {"ferry"},
    }

    def says(phrase):
        return docs.get(phrase, set())

    assert titled_known("General Walker", says)  # printed "Gen Walker"
    assert titled_known("Rear Admiral Truly", says)  # printed "Rear Admiral Richard H. Truly"
    assert not titled_known("General Smith", says)  # Smith is named, never with that rank
    assert not titled_known("Admiral Walker", says)
    assert not titled_known("Harbour Board", says)  # no title: read whole, as before
    df = {"general": 5, "walker": 2, "smith": 1, "admiral": 1}.get
    q = "What share of the effort did General Walker put on patrols?"
    assert unknown_names(q, lambda t: df(t, 0), says) == []
    q = "What share of the effort did General Smith put on patrols?"
    assert unknown_names(q, lambda t: df(t, 0), says) == ["General Smith"]


def test_an_ordinal_the_passages_never_give_is_refused():
    from assistant.factcues import ordinals

    assert [w for w, _, _ in ordinals("Was she released at her fifth review?")] == ["fifth"]
    assert ordinals("How many metres per second did it fall?") == []
    text = (
        "The panel published its first interim report on 3 May 2021. "
        "A second resolution was never put to the council vote."
    )
    answerer = ExtractiveAnswerer(lambda t: 1.0)
    ans = answerer.answer("When did the panel publish its second interim report?", [_p(text)])
    assert ans.status == INSUFFICIENT and "second interim" in ans.answer, ans.answer
    ok = answerer.answer("When did the panel publish its first interim report?", [_p(text)])
    assert ok.status == ANSWERED and "3 May 2021" in ok.answer
    ok = answerer.answer("Was a second council resolution put to the vote?", [_p(text)])
    assert ok.status == ANSWERED, ok.answer  # "second" with a word of what it counts
    off = ExtractiveAnswerer(lambda t: 1.0, ordinal_check=False)
    q = "When did the panel publish its second interim report?"
    assert off.answer(q, [_p(text)]).status == ANSWERED


def test_signposts_are_not_points_of_a_broad_answer():
    from assistant.broad import signpost

    for s in (
        "This chapter sets out the legal framework for adoption.",
        "The following section describes the method.",
        "See paragraph 4.2 for the timeline.",
        "Further guidance can be found in Annex B.",
        "As part of its inquiry, the committee took evidence from 40 witnesses.",
        "The panel reviewed 3,000 pages of records.",
        "The steps below apply to every visit.",
        "A summary for parents and a timeline are published alongside this report.",
        "The funding question is considered further in Chapter 6.",
        "Each of the three parts of this review begins with a summary of the evidence.",
        "These concerns are discussed in detail in the Lessons section of this summary.",
        "To trace the referrals, the review team read 200 case files.",
        "On 3 May 2019, the panel held a hearing and released 40 exhibits.",
        "The panel made the following recommendations.",
        "My conclusions are as follows.",
        "In this chapter the panel examines the funding of the trust.",
        "In a number of sections of this review, the panel has set out the lessons.",
    ):
        assert signpost(s), s
    for s in (
        "This report concludes that the checks failed.",
        "The review found that the referral was never sent.",
        "The panel should publish its minutes.",
        "The trust published its action plan in May 2020.",
        "The gates below the weir were left open.",
        "The appeal was considered in the Court of Appeal.",
        "Safeguarding is addressed in every inspection.",
        "Each of the pumps ends with a filter.",
        "In 2005 the panel held that the contract was void.",
        "In this case the council examined the records only once.",
        "In this area the review found that no one had read the file.",
        "In the following year the ward closed twice.",
        "Over the following 18 months, the shortfalls grew.",
        "The checks missed the following: the ramps and the hatches.",
    ):
        assert not signpost(s), s
    text = (
        "This section sets out what went wrong with the referral process in the council. "
        "The referral was never sent because the duty officer went on leave. "
        "Nobody checked the referral process that month."
    )
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "What went wrong with the referral process?", [_p(text)]
    )
    assert ans.status == ANSWERED and "This section sets out" not in ans.answer, ans.answer
    assert "never sent" in ans.answer


def test_a_sentence_that_asks_states_nothing():
    from assistant.broad import signpost

    for s in ("Who is this guidance for?", "Was the flooding foreseeable?", 'He asked: "Why?"'):
        assert signpost(s), s
    assert not signpost("The panel asked why the gates were open.")
    text = (
        "Was the flooding of the ward on 3 May 2019 foreseeable? "
        "The ward flooded on 3 May 2019 after the gates were left open."
    )
    ans = ExtractiveAnswerer(lambda t: 1.0).answer("When did the ward flood?", [_p(text)])
    assert ans.status == ANSWERED and ans.answer.startswith("The ward flooded"), ans.answer
    assert "foreseeable?" not in ans.answer.split("\n\n")[0]


def test_references_are_not_points_of_a_broad_answer():
    from assistant.evidence import reference

    for s in (
        "Home Office, Review of Vetting Practice, March 2011, Cm 8010, paragraph 12.",
        "Harbour Board minutes, 3 May 1998, page 4.",
        "Northshire Council, Annual Report 2019, HC 212.",
        "The Riverside Press, 2004.",
        "Office of the Ombudsman, Guide to Making a Complaint, 2012, p. 7.",
        # a title's prepositions, and a word a line end hyphenated ("Ferry- boat")
        "Harbour Board, Interview before the Ferry- boat Panel, 4 May 1999,",
        "Letter Hale to Doe, 2 June 2001, 'Checks after the Sinking'.",
    ):
        assert reference(s), s
    for s in (
        "In March 2005, the board reported a loss.",
        "Mr Hale disagreed with the account (Minutes, 4 May 1990, p. 9):",
        "On 19 June 2024, the council published its plan.",
        "The Riverside Press closed in 2004 after the fire.",
        "In May 1999, the panel met before the hearing.",
        "May 2010 – June 2011: The Rt Hon Jane Doe MP and the Department for Health, Care",
    ):
        assert not reference(s), s
    text = (
        "The ferry operator failed to check the ramps before sailing. "
        "Harbour Board minutes, 3 May 1998, page 4. "
        "Maritime Safety Agency, Ferry Inspections in Northshire, June 1999, paragraph 3.2. "
        "The crew were never trained to close the bow doors."
    )
    ans = ExtractiveAnswerer(lambda t: 1.0, broad_per_passage=4).answer(
        "What went wrong with the ferry operator's checks?", [_p(text)]
    )
    assert ans.status == ANSWERED and "never trained" in ans.answer, ans.answer
    assert "minutes" not in ans.answer and "Ferry Inspections" not in ans.answer, ans.answer


def test_a_run_in_heading_is_no_point_of_a_broad_answer():
    from assistant.broad import run_in_heading

    for s in (
        "Require Stronger Vetting.",
        "Staffing Shortfalls.",
        "2. Review the Use of Agency Staff.",
    ):
        assert run_in_heading(s), s
    for s in ("NASA erred.", "Mr Hale agreed.", "The ward ran short of staff in 2019."):
        assert not run_in_heading(s), s
    text = (
        "Night Staffing Shortfalls on the Ward. The ward ran with two nurses fewer than its plan "
        "on most nights. Handover Record Keeping. Handover notes were not kept for the night shift."
    )
    ans = ExtractiveAnswerer(lambda t: 1.0, broad_per_passage=4).answer(
        "What went wrong with staffing shortfalls and record keeping on the ward?", [_p(text)]
    )
    assert ans.status == ANSWERED and "two nurses fewer" in ans.answer, ans.answer
    assert "Shortfalls on the Ward." not in ans.answer and "Record Keeping." not in ans.answer


def test_a_reference_line_is_no_answer_to_a_pointed_question():
    text = (
        "Harbour Board, Review of Ferry Inspections, 3 May 1998, page 4. "
        "The board looked at the checks in June 1998 and found them lax."
    )
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "When did the Harbour Board review the ferry inspections?", [_p(text)]
    )
    assert ans.status == ANSWERED and "June 1998" in ans.answer, ans.answer
    assert "page 4" not in ans.answer, ans.answer


def test_a_broad_answer_stops_at_its_word_budget_and_point_count():
    findings = [
        f"The ferry operator failed to check the {w} before sailing on {n} occasions in 2019."
        for n, w in enumerate(("ramps", "hatches", "pumps", "radios", "lifeboats", "rails"), 2)
    ]
    chunks = [_p(f + " It recorded nothing of it.", n=i + 1) for i, f in enumerate(findings)]
    for c in chunks:
        c.score = 1.0

    def answer(**kw):
        ans = ExtractiveAnswerer(lambda t: 1.0, **kw).answer(
            "What went wrong with the ferry operator's checks?", chunks
        )
        assert ans.status == ANSWERED
        return [x for x in ans.answer.split("\n\n") if x]

    assert len(answer(broad_words=10_000, broad_points=8, broad_per_passage=1)) == 6
    assert len(answer(broad_words=10_000, broad_points=3, broad_per_passage=1)) == 3
    # 15 words a point: the third point reaches 40 words and the answer stops there
    assert len(answer(broad_words=40, broad_points=8, broad_per_passage=1)) == 3
    assert len(answer(broad_words=1, broad_points=8, broad_per_passage=1)) == 1  # never none


def test_answer_prefers_the_sentence_with_the_asked_kind_of_fact():
    text = (
        "The inspection of the flat took place in March. Mr Reyes phoned the council about "
        "the inspection. He made 14 such calls before it."
    )
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "How many calls did Mr Reyes make to the council?", [_p(text)]
    )
    assert "14" in ans.answer


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
        "evidence": ["telephoned the council 31 times"],
        "para": ["4.12"],
        "answer_keys": ["31"],
    }
    r = {
        "status": "answered",
        "answer": "31 times [1]",
        "timings_ms": {"total_ms": 10},
        "citations": [{"quote": "31 times"}],
        "passages": [{"text": "x", "para": "1"}, {"text": TEXT, "para": "4.11-4.13"}],
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
    assert contains("The council  maintained the fiction", "council maintained")


def test_a_sentence_repeated_in_another_passage_is_quoted_once():
    text = "The duty manager takes lead responsibility for fire safety in the hostel."
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "Who takes lead responsibility for fire safety?", [_p(text, 1), _p(text, 2)]
    )
    assert ans.answer.count("takes lead responsibility") == 1


def test_refuses_when_even_the_best_passage_is_semantically_far():
    """Far in meaning and sharing under half the question's words: refused; sharing most of
    them, the wording's distance alone does not refuse (settings: dense_veto_below)."""
    partly = "How many times did Okafor telephone the housing ombudsman about damp in winter?"
    answerer = ExtractiveAnswerer(lambda t: 1.0)
    assert answerer.answer(partly, [_p(TEXT, dense=0.2)]).status == INSUFFICIENT
    assert answerer.answer(partly, [_p(TEXT, dense=0.7)]).status == ANSWERED
    most = "Quote word for word: how many times did Okafor telephone the council?"
    assert answerer.answer(most, [_p(TEXT, dense=0.2)]).status == ANSWERED
    strict = ExtractiveAnswerer(lambda t: 1.0, dense_veto_below=1.01)
    assert strict.answer(most, [_p(TEXT, dense=0.2)]).status == INSUFFICIENT
    # two words share "all" of themselves with many a passage: that vouches for nothing
    assert answerer.answer("Okafor telephoned?", [_p(TEXT, dense=0.2)]).status == INSUFFICIENT


LIST_HEAD = (
    "22. Flood risks to the estate can be grouped into four areas of risk:\n\n"
    "river: water rising over the banks of the Wend.\n\n"
    "surface: rain that the drains of the estate cannot carry away."
)
LIST_TAIL = (
    "sewer: water forced up through manholes and gullies.\n\n"
    "coastal: high tides pushed inland by storms.\n\n"
    "23. The council should review its flood plan every year."
)


def test_a_list_that_runs_past_its_passage_is_quoted_from_the_next_chunk():
    head, tail = _p(LIST_HEAD, 1), _p(LIST_TAIL, 7)
    following = {"c1": tail}.get
    ans = ExtractiveAnswerer(lambda t: 1.0, following=lambda p: following(p.chunk_id)).answer(
        "What are the four areas of flood risk to the estate?", [head, _p("Unrelated text.", 2)]
    )
    assert ans.status == ANSWERED
    order = [ans.answer.index(w) for w in ("river:", "surface:", "sewer:", "coastal:")]
    assert order == sorted(order)  # the list reads in document order
    assert "sewer: water forced" in ans.answer and "coastal: high tides" in ans.answer
    cited = {c.passage.chunk_id for c in ans.citations}
    assert cited >= {"c1", "c7"}
    assert any(p.chunk_id == "c7" for p in ans.passages)  # the cited chunk is listed
    for c in ans.citations:
        assert c.quote in c.passage.text
    # without a way to read on, the answer stops at the passage's end
    plain = ExtractiveAnswerer(lambda t: 1.0).answer(
        "What are the four areas of flood risk to the estate?", [head]
    )
    assert "sewer:" not in plain.answer


def test_footnotes_and_stray_labels_are_never_quoted():
    text = (
        "The fire service paper said that conditions were met for reopening the hall.\n"
        "12 Paper Fire Service, 3 May 2018, 'Harbour Hall: Conditions for Reopening'.\n\n"
        "1.\n\nThe conditions for reopening the hall were set out at the May meeting."
    )
    ans = _ask("What conditions for reopening the hall did the fire service paper set?", text)
    assert "Paper Fire Service, 3 May" not in ans.answer
    assert "1. [" not in ans.answer and not ans.answer.startswith("1.")


def _headings(text: str) -> dict[str, bool]:
    """Each sentence of `text`, and whether it reads as a heading."""
    from assistant.sentences import sentences

    return {text[x.start : x.end]: x.heading for x in sentences(text)}


def test_list_items_without_final_stop_are_not_headings():
    kinds = _headings(
        "The board would approve the merger provided that certain conditions were met:\n\n"
        "the pension fund had been valued independently,\n\n"
        "the staff consultation was complete, and\n\n"
        "Conditions For Approval"
    )
    assert kinds["the pension fund had been valued independently,"] is False
    assert kinds["the staff consultation was complete, and"] is False
    assert kinds["Conditions For Approval"] is True


def test_a_short_sentence_with_a_glued_footnote_mark_is_no_heading():
    text = (
        "The dam keeper warned the board of the new spillway rule in May. "
        "That rule was adopted on June 3, 1994.7\n\n"
        "The gates were closed at dusk.12\n\n"
        "Part 4.5"
    )
    kinds = _headings(text)
    assert kinds["That rule was adopted on June 3, 1994.7"] is False
    assert kinds["The gates were closed at dusk.12"] is False
    assert kinds["Part 4.5"] is True
    ans = _ask("When was the new spillway rule adopted?", text)
    assert "June 3, 1994" in ans.answer, ans.answer


def test_a_sentence_that_leans_on_the_one_before_brings_it_along():
    text = (
        "A ban on lone working can leave small sites unable to open at night. "
        "The trust therefore encourages sensible rotas that allow lone working by wardens. "
        "Risk assessment is a matter of local judgement."
    )
    ans = _ask("Why does the trust encourage sensible rotas for lone working?", text)
    assert ans.answer.startswith("A ban on lone working can leave small sites unable to open")
    assert "therefore encourages" in ans.answer


def test_a_two_part_question_splits_into_its_parts():
    from assistant.sentences import sub_questions

    q = (
        "According to the flood review, what did the engineers identify, and what does "
        "the code tell a council to do if a culvert is not cleared?"
    )
    assert sub_questions(q) == [
        "According to the flood review, what did the engineers identify",
        "what does the code tell a council to do if a culvert is not cleared?",
    ]
    one = "How many homes did the flood reach, and over what length of time?"
    assert sub_questions(one) == [one]


def test_each_part_gets_its_own_sentence_when_one_is_best_for_both():
    q = "How many ferries did the inspectors examine, and how many ferries failed the inspection?"
    text = (
        "In 2019 the inspectors examined 40 ferries, and every ferry that failed the inspection "
        "was examined again. The harbour master was told of the results. Of the ferries "
        "examined, 12 failed."
    )
    ans = _ask(q, text)
    assert "40 ferries" in ans.answer and "12 failed" in ans.answer
    alone = ExtractiveAnswerer(lambda t: 1.0, part_ratio=2.0).answer(q, [_p(text)])
    assert "12 failed" not in alone.answer  # the best sentence for both parts, and no more


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


def test_documents_called_by_what_they_are():
    # "the information sharing advice": a title's words said in lower case, after "the" and
    # ending in a kind of document; a word the title lacks ("government's") is let go
    from assistant.retrieve import _docs_called
    from index.lexical import LexicalIndex

    def row(i, doc, title, text):
        meta = {"doc_id": doc, "source": f"{doc}.md", "title": title, "ordinal": i}
        return (f"{doc}-{i}", text, meta)

    lex = LexicalIndex.build(
        [
            row(0, "i", "Information sharing advice", "Share information early."),
            row(1, "i", "Information sharing advice", "Consent is one lawful basis."),
            row(0, "k", "Keeping children safe", "Staff must share information."),
            row(0, "b", "Seven-minute briefing: the Dale case", "See the child alone."),
        ]
    )
    assert _docs_called("What does the information sharing advice say about consent?", lex) == {"i"}
    assert _docs_called("Does the government's information sharing advice agree?", lex) == {"i"}
    assert _docs_called("What does the seven-minute briefing ask of staff?", lex) == {"b"}
    assert _docs_called("What does the final report say about consent?", lex) == set()
    assert _docs_called("What did the review find?", lex) == set()  # generic words only
    assert _docs_called("How did attendance change over the review period?", lex) == set()


def test_a_line_broken_by_the_converter_is_one_sentence():
    from assistant.sentences import sentences

    text = (
        "The conditions were:\n\n* the appeals to the planning\n\n"
        "inspectorate had been exhausted.\n\nlower case after a full stop starts a block."
    )
    got = [text[x.start : x.end] for x in sentences(text)]
    assert "the appeals to the planning\n\ninspectorate had been exhausted." in got
    assert got[-1] == "lower case after a full stop starts a block."


def test_each_part_of_a_two_part_question_gets_its_sentence():
    text = (
        "The inquest did not conclude until 2019, three years after the fire. "
        "The landlord had borrowed money to convert the loft. The street was busy on market days. "
        "The coroner recorded a verdict of accidental death."
    )
    q = "How long did it take from the fire to the inquest, and what did the coroner decide?"
    ans = _ask(q, text)
    assert "three years after the fire" in ans.answer and "coroner recorded" in ans.answer
    one = _ask("How long did it take from the fire to the inquest?", text)
    assert "coroner recorded" not in one.answer  # one question, one fact


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
        "The council was under internal and external pressure to raise its housing completions "
        "to 900 per year, and the drive to that rate created pressure throughout the planning "
        "department that contributed to rushed approvals and a shortage of inspectors."
    )
    ranked = [_p(text, 1), _p("2. " + text, 2), _p("The developer won the contract.", 3)]
    assert [p.chunk_id for p in _distinct(ranked, 5, 0.9)] == ["c1", "c3"]
    assert [p.chunk_id for p in _distinct(ranked, 1, 0.9)] == ["c1"]
    assert len(_distinct(ranked, 5, 1.01)) == 3  # above 1: nothing is a copy


def test_a_chunk_of_footnotes_is_not_quoted_as_the_answer():
    note = _p("44 Each of the following activities is regulated work: visits to tenants.", 1)
    note.footnotes, note.score = True, 1.0
    body = _p("Under no circumstances should an unvetted contractor visit tenants alone.", 2)
    body.score = 0.9
    q = "Can an unvetted contractor visit tenants alone?"
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [note, body])
    assert ans.status == ANSWERED and "Under no circumstances" in ans.answer
    assert "regulated work" not in ans.answer
    only = ExtractiveAnswerer(lambda t: 1.0).answer(q, [note])  # nothing else: it is quoted
    assert only.status == ANSWERED and "regulated work" in only.answer


def test_the_asked_kind_of_fact_is_found_further_down_when_the_best_sentence_lacks_it():
    q = "How long did the Ashby and Wend surveyors spend on site before the demolition?"
    chunks = [
        _p("Ashby and Wend surveyors argued on site before the demolition.", 1),
        _p("The demolition went ahead over the objections of the surveyors.", 2),
        _p("Managers at Wend did not tell the planning office.", 3),
        _p("The surveyors spend approximately three hours on site debating the cracks.", 4),
    ]
    for i, p in enumerate(chunks):
        p.score = 1.0 - 0.1 * i
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, chunks)
    assert "approximately three hours" in ans.answer
    assert ans.answer.count("three hours") == 1
    off = ExtractiveAnswerer(lambda t: 1.0, cue_reach=0).answer(q, chunks)
    assert "three hours" not in off.answer  # the fourth chunk is beyond the usual three
    # when the best sentence holds a duration already, nothing is added
    chunks[0] = _p("Ashby and Wend surveyors spent two hours on site before the demolition.", 1)
    chunks[0].score = 1.0
    assert "three hours" not in ExtractiveAnswerer(lambda t: 1.0).answer(q, chunks).answer


def test_the_asked_fact_must_be_stated_in_a_report_about_whom_the_question_names():
    article = Passage("a1", "art", "a.txt", "Parole article",
                      "Gary Hollis was jailed in 2016 and is up for parole.", rank=1,
                      dense=0.7, score=1.0)  # fmt: skip
    guidance = Passage("k1", "code", "k.pdf", "Kennel code",
                       "Kennels should know that 20 dogs may be in need of help.", rank=2,
                       dense=0.7, score=0.9)  # fmt: skip
    q = "How many dogs did Gary Hollis keep?"
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [article, guidance])
    assert ans.status == INSUFFICIENT and "number" in ans.answer  # the 20 are not his
    stated = Passage("a2", "art", "a.txt", "Parole article",
                     "Hollis kept three dogs in the yard before he was jailed.", rank=2, dense=0.7,
                     score=0.95)  # fmt: skip
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [article, stated, guidance])
    assert ans.status == ANSWERED and "three dogs" in ans.answer


def test_a_quoted_statement_runs_on_into_the_next_chunk():
    head = _p(
        "On June 3 the surveyor sent a memo, which included the following statements:\n\n"
        "URGENT! The crack survey is constantly being postponed by every possible excuse.",
        1,
    )
    tail = _p("5. We are writing more reports than repairs. This is a warning.\n\nLater events.", 7)
    q = "Quote the June memo that complained the crack survey was being postponed."
    ans = ExtractiveAnswerer(lambda t: 1.0, following=lambda p: tail).answer(q, [head])
    assert "every possible excuse" in ans.answer and "This is a warning." in ans.answer
    assert "Later events" not in ans.answer
    assert {c.passage.chunk_id for c in ans.citations} == {"c1", "c7"}
    plain = ExtractiveAnswerer(lambda t: 1.0, following=lambda p: tail).answer(
        "Quote what the crack survey memo said.", [_p(TEXT, 1)]
    )
    assert "a warning" not in plain.answer  # no colon-introduced quote: stays in its chunk


def _read_on(lead: str, tail: str, question: str):
    """The answer from one chunk ending in `lead` ("The ferry captain radioed ... ") whose
    next chunk is `tail`; it must bring the tail's first block and stop there."""
    head = _p("The ferry captain radioed the harbour office twice. " + lead, 1)
    follow = _p(tail + "\n\nLater events.", 7)
    ans = ExtractiveAnswerer(lambda t: 1.0, following=lambda p: follow).answer(question, [head])
    assert ans.status == ANSWERED and "drifting north" in ans.answer, ans.answer
    assert "Later events" not in ans.answer
    return head, follow


def test_a_sentence_ending_in_a_colon_brings_what_it_introduces():
    # a pointed question: the sentence naming the message ends with a colon, and the message
    # itself shares none of the question's words
    q = "What did the ferry captain's message at dawn tell the harbour office?"
    head, _ = _read_on(
        "In a message sent at dawn, the ferry captain told the harbour office:",
        '"Engine two is gone and we are drifting north."',
        q,
    )
    same = _p(head.text + "\n\nEngine two is gone.\n\nThe harbour office logged it.", 1)
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [same])
    assert "Engine two is gone." in ans.answer, ans.answer


def test_a_quotation_cut_at_the_end_of_its_chunk_goes_on_in_the_next():
    q = "What did the ferry captain tell the harbour office at dawn?"
    head, follow = _read_on(
        'At dawn the captain told the harbour office: "Engine two is gone.',
        'We are drifting north."',
        q,
    )
    closed = _p(head.text.replace("gone.", 'gone."'), 1)  # the quotation ends in its chunk
    ans = ExtractiveAnswerer(lambda t: 1.0, following=lambda p: follow).answer(q, [closed])
    assert "drifting north" not in ans.answer, ans.answer


def test_refuses_when_the_passage_shares_too_little_of_the_question():
    """A passage close in meaning (dense 0.9) that holds almost none of the question's terms
    is refused; the control, with the coverage floor at 0, answers from the same passage."""
    question = "Why was the lifeboat crew's pay cut by the harbour trust?"
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(question, [_p(TEXT, dense=0.9)])
    assert ans.status == INSUFFICIENT
    assert ans.passages  # nearest passages still listed
    control = ExtractiveAnswerer(lambda t: 1.0, min_coverage=0.0)
    assert control.answer(question, [_p(TEXT, dense=0.9)]).status == ANSWERED


def test_a_count_of_occasions_is_answered_by_the_count_of_the_events():
    q = "How many times did the lock keeper ring the canal depot before the breach?"
    said = "In the weeks before the breach the lock keeper made 41 such calls to the canal depot."
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [_p(said)])
    assert ans.status == ANSWERED and "41 such calls" in ans.answer, ans.answer
    # no count at all: refused as before
    vague = "In the weeks before the breach the lock keeper often rang the canal depot."
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [_p(vague)])
    assert ans.status == INSUFFICIENT, ans.answer


def test_a_line_naming_a_web_page_is_never_quoted():
    text = (
        "The figures on what drives demand for ferry repairs are in Drivers of demand for ferry "
        "repairs - GOV.UK (ferries.example.gov.uk). Demand for ferry repairs rose because the "
        "fleet is old."
    )
    ans = _ask("What drives demand for ferry repairs?", text)
    assert "GOV.UK" not in ans.answer
    assert ans.answer.startswith("Demand for ferry repairs rose")  # the next sentence
    ans = _ask("Where should staff report phishing?", "Staff should report phishing to the desk.")
    assert "report phishing" in ans.answer  # a sentence without an address is quoted as ever


def test_pointed_questions_about_what_was_recommended_ask_for_recommendations():
    from assistant.broad import pointed_roles

    for q in (
        "What notice period did the panel propose for landlords?",
        "How long is the ban under the review's recommendations?",
        "Which body did the ferry inquiry recommend should inspect the ramps?",
        "What fee is set in the council's proposals?",
    ):
        assert pointed_roles(q) == {"recommendation"}, q
    for q in (
        "When did the council respond to the recommendations?",
        "How many recommendations were implemented by 2020?",
        "When did the lock keeper ring the depot?",
        "What did the review recommend?",  # broad: wanted_roles answers it
    ):
        assert pointed_roles(q) == frozenset(), q


def test_anonymised_names_are_found_as_written():
    from assistant.sentences import letter_names

    assert letter_names("What was Mr T convicted of?") == ["Mr T"]
    assert letter_names("Why didn't the GP see Child R's mother, Ms S?") == ["Child R", "Ms S"]
    assert letter_names("When did Baby P die?") == ["Baby P"]
    for q in ("What did Mr Thomson say?", "Was Child-R used?", "What is an Option ARM?"):
        assert letter_names(q) == [], q


def test_advice_in_bold_under_a_what_to_do_heading_is_a_broad_answer():
    # a briefing's advice: numbered items opening with a bold instruction, under a heading that
    # says what to do; the introduction shares the question's words and says nothing to do
    intro = _p(
        "Ferry briefing for deckhands. For: all deckhands and mates on the river ferries. "
        "Read it aloud at the start of a shift.",
        n=1,
        section="Ferry briefing",
    )
    advice = _p(
        "1. **Count the passengers** at every landing, and write the count in the log.\n\n"
        "2. **Close the bow gate** before the ferry leaves the ramp.\n\n"
        "3. **Tell the mate** when the count and the tickets differ.",
        n=2,
        section="5. What you should do now",
    )
    for c in (intro, advice):
        c.score = 1.0
    ans = ExtractiveAnswerer(lambda t: 1.0, broad_per_passage=3).answer(
        "What does the ferry briefing tell deckhands to do?", [intro, advice]
    )
    assert ans.status == ANSWERED
    for item in ("Count the passengers", "Close the bow gate", "Tell the mate"):
        assert item in ans.answer, ans.answer


def test_a_follow_up_picks_by_its_own_words_and_what_it_stands_for():
    # "Who approved it after the debate?" after a question about the weir's spillway rule: the
    # approval of that rule, not of the car park, which shares more of the follow-up's words
    text = (
        "The car park plan was approved by Mr Adeyemi after a long debate. "
        "On 3 May 1994 the spillway rule for the weir was approved by Ms Okoro."
    )
    question = "Who approved it after the debate?"
    about = "When was the spillway rule on the weir changed? " + question
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(question, [_p(text)], about=about)
    assert ans.status == ANSWERED and "Okoro" in ans.answer.split("\n\n")[0], ans.answer
    alone = ExtractiveAnswerer(lambda t: 1.0, followup_context=0.0)
    ans = alone.answer(question, [_p(text)], about=about)
    assert "Adeyemi" in ans.answer.split("\n\n")[0], ans.answer


def test_how_often_is_answered_by_a_count_of_occasions():
    for text in (
        "The inspector visited the ferry twice before the sailing.",
        "The inspector visited the ferry three times before the sailing.",
        "The inspector visited the ferry once a month.",
    ):
        ans = _ask("How often did the inspector visit the ferry?", text)
        assert "inspector visited" in ans.answer
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(
        "How often did the inspector visit the ferry?",
        [_p("The inspector visited the ferry before the sailing.")],
    )
    assert ans.status == INSUFFICIENT


def test_a_word_of_the_same_family_counts_for_the_question_term():
    from assistant.sentences import related_words
    from index.tokens import tokenize

    def family(question_word, text, least=5):
        return related_words(set(tokenize(question_word)), set(tokenize(text)), least)

    assert family("opposed", "There was opposition from the ferry crews.")
    assert family("referred", "The referral was late.")
    assert not family("signed", "It was significant.")  # 'sign' is too short to tell
    assert not family("opposed", "There was opposition.", least=0)
    text = (
        "The council met the harbour board in May. "
        "The plan faced opposition from the Quay Traders and the Ferrymen's Guild."
    )
    ans = _ask("Who opposed the plan?", text)
    assert ans.answer.startswith("The plan faced opposition"), ans.answer


def _titled(n, doc, title, text, score):
    return Passage(f"c{n}", doc, f"{doc}.md", title, text, rank=n, dense=0.7, score=score)


def test_a_question_naming_two_reports_hears_from_each():
    ward = _titled(
        1,
        "ward",
        "Ward Review 2021",
        "The ward review found that nurses shared records with the GP every week. "
        "The ward review also found that the ward kept a consent log for every patient.",
        1.0,
    )
    code = _titled(
        2,
        "code",
        "Harbour Practice Code",
        "The practice code says records may be shared without consent to protect a patient.",
        0.4,
    )
    q = "What do the Ward Review and the Harbour Code say about sharing records?"
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, [ward, code])
    assert ans.status == ANSWERED
    assert {c.passage.doc_id for c in ans.citations} == {"ward", "code"}, ans.answer
    # one report named: its answer is not padded with the other's
    one = ExtractiveAnswerer(lambda t: 1.0).answer("What does the Ward Review say?", [ward, code])
    assert {c.passage.doc_id for c in one.citations} == {"ward"}, one.answer


def test_reports_called_by_the_same_words_are_one_name():
    from assistant.documents import named_docs

    review = _titled(1, "rev", "Serious Case Review: Child W", "Child W was seen twice.", 1.0)
    brief = _titled(2, "brief", "Briefing: Child W", "Child W was seen alone once.", 0.8)
    code = _titled(3, "code", "Harbour Practice Code", "Children are seen alone.", 0.5)
    assert named_docs("How often was Child W seen?", [review, brief, code]) == []
    both = named_docs("What do the Child W review and the Harbour Code say?", [review, brief, code])
    assert both == ["rev", "code"]
    # initials name a report too ('Keeping children safe in education' is 'KCSIE')
    kcsie = _titled(4, "k", "Keeping children safe in education", "Schools share.", 0.5)
    assert named_docs("Do KCSIE and the Harbour Code agree?", [kcsie, code]) == ["k", "code"]


def test_a_later_part_of_a_split_paragraph_is_found_by_the_paragraph_opening():
    # the chunker split one paragraph of the ferry review between chunks 1 and 2 (one character
    # apart); chunk 3 begins a new paragraph. Examples ours.
    from index.lexical import LexicalIndex

    texts = [
        "The harbour trust was formed in 1990 to run the pier.",
        "The Northern Isles ferry company ran into debt in 2019, after two winters in which "
        "storms cancelled most sailings and the price of fuel doubled.",
        "It was sold to a Glasgow shipping group for one pound.",
        "The pier was repainted in spring.",
    ]
    rows, at = [], 0
    for i, text in enumerate(texts):
        gap = 1 if i == 2 else 2  # chunk 2 goes on with chunk 1's paragraph
        start = at + (gap if i else 0)
        meta = {"doc_id": "f", "source": "f.md", "title": "Ferry review", "ordinal": i}
        rows.append((f"f-{i}", text, {**meta, "start": start, "end": start + len(text)}))
        at = start + len(text)
    lex = LexicalIndex.build(rows)
    # "shipping group" is only in chunk 2; "Northern Isles" only in chunk 1's opening, further
    # back than the last words of chunk 1 that every chunk reads
    hits = [row for row, _ in lex.search("Northern Isles shipping group", 4)]
    assert hits[0] == 2  # found by its own words and its paragraph's opening
    found = {row: score for row, score in lex.search("Northern Isles", 4) if score > 0}
    assert 1 in found and 2 in found
    # a chunk that begins a new paragraph is not given the previous paragraph's opening
    assert 3 not in found
