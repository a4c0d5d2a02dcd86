"""Retrieval as named stages (assistant/stages.py), with the real model and real Chroma.

The corpus is written for these tests: a made-up review whose recommendations share few words
with "what did the review recommend?", and whose title page and introduction repeat its name.
"""

from __future__ import annotations

import dataclasses

import pytest

from assistant.retrieve import Retriever
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.tuning import STAGES, RetrievalConfig

INTRO = (
    "This is the Harbourside review of the Elmbridge harbour flooding. The Harbourside review "
    "was commissioned by the county council after the flood of March 2021. "
)
NARRATIVE = [
    "The harbour master logged the rising tide at {h} in the evening and radioed the lock "
    "keeper, who closed the outer gates by hand.",
    "Volunteers moved sandbags along the quay wall for {h} hours while the pumps ran.",
    "The ferry service stopped at {h} and the car park by the slipway was cleared.",
    "Residents of Mill Lane were told to leave by {h} and most stayed with family inland.",
    "The lifeboat crew checked the moorings of {h} boats that had broken loose.",
    "The Harbourside review heard that the harbour master had recommended, at {h}, that the "
    "review of the tide tables be brought forward.",
]
RECOMMENDATIONS = [
    "The council should fund a second tidal gate at the harbour mouth before 2025.",
    "The lock keeper's radio must be replaced with a system that alerts the fire service.",
    "Flood wardens ought to be trained every year and their names published.",
]


DEPOT = """# The Depot Review

## 3. What changed

3.1 The yard is now locked by the last driver out (Recommendation 2), and the vans are
checked every night.

## 4. Recommendations

4.1 Recommendation 1: The depot should light the yard from dusk to dawn.

4.2 Recommendation 2: The depot manager should ensure that the last driver out locks the
yard and records the time in the gate log.

4.3 Recommendation 3: Night staff should be trained in the alarm system.
"""


def _review() -> str:
    parts = ["# The Harbourside Review", "", INTRO, ""]
    for i in range(40):
        parts += [f"## Events {i + 1}", ""]
        parts += [s.format(h=7 + i) for s in NARRATIVE] + [""]
    parts += ["## Recommendations", ""]
    for i, r in enumerate(RECOMMENDATIONS, 1):
        parts += [f"{i}. {r}", ""]
    return "\n".join(parts)


def _ingested(embedder, tmp_path_factory, name: str, files: dict[str, str]) -> Assistant:
    """An assistant over a corpus of these files, ingested with the real model."""
    corpus = tmp_path_factory.mktemp(f"{name}-corpus")
    for fname, text in files.items():
        (corpus / fname).write_text(text, encoding="utf-8")
    home = tmp_path_factory.mktemp(f"{name}-home")
    a = Assistant(Settings.from_env(env={}, home=home), embedder=embedder)
    plan, _ = a.ingest([corpus])
    assert not plan.of("failed")
    return a


@pytest.fixture(scope="module")
def home(real_embedder, tmp_path_factory):
    towpath = "# Canal towpath survey\n\nThe towpath survey counted 40 anglers and 12 cyclists.\n"
    files = {"harbourside-review.md": _review(), "other.md": towpath, "depot-review.md": DEPOT}
    return _ingested(real_embedder, tmp_path_factory, "stages", files)


def _retriever(a: Assistant, **config) -> Retriever:
    return Retriever(a.store, a.embedder, None, RetrievalConfig(**config))


def _recommendation_ranks(ps) -> list[int]:
    return [i for i, p in enumerate(ps) if "second tidal gate" in p.text]


QUESTION = "What did the Harbourside review recommend about the tide tables?"


def test_every_passage_score_is_the_sum_of_its_stages(home):
    for q in (QUESTION, "How many anglers did the towpath survey count?"):
        for p in _retriever(home).retrieve(q, k=8):
            assert p.stages, p.chunk_id
            assert p.score == pytest.approx(sum(p.stages.values()), abs=1e-6)


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_can_be_switched_off(home, stage):
    ps = _retriever(home, off=(stage,)).retrieve(QUESTION, k=8)
    assert ps  # the others still retrieve
    if stage in ("dense", "lexical", "coverage", "named", "person", "role", "aim", "sentence"):
        assert all(stage not in p.stages for p in ps), stage


def test_scope_adds_the_chunks_of_the_role_a_broad_question_asks_for(home):
    from assistant.retrieve import Filters

    r = _retriever(home)
    lex, active = r.lexical(), home.store.active_versions()
    vec = home.embedder.embed_query([QUESTION])[0]
    hits, lexical = r._scope(QUESTION, vec, [], [], lex, Filters(), active)
    assert hits and {lex.metas[lex.row_of(cid)]["role"] for cid, _ in hits} == {"recommendation"}
    assert lexical and {lex.metas[row]["role"] for row, _ in lexical} == {"recommendation"}
    # a pointed question's candidates are left as they were
    pointed = "When did the harbour master log the rising tide?"
    assert r._scope(pointed, vec, [], [], lex, Filters(), active) == ([], [])


def test_a_broad_question_without_topic_is_answered_from_the_role_it_asks_for(home):
    # No topic beyond the review's name: the recommendation chunks are the candidates, and the
    # narrative, which repeats the name, does not crowd them out.
    q = "What did the Harbourside review recommend?"
    ps = _retriever(home).retrieve(q, k=5)
    assert ps and all(p.role == "recommendation" for p in ps), [(p.role, p.text[:40]) for p in ps]
    assert _recommendation_ranks(ps) == [0]
    without = _retriever(home, off=("scope",)).retrieve(q, k=5)
    assert any(p.role != "recommendation" for p in without)  # what the stage changes


def test_scope_leaves_pointed_questions_alone(home):
    q = "When did the harbour master log the rising tide?"
    narrow = {"candidates": 1, "merge_span": 1}
    on = [p.chunk_id for p in _retriever(home, **narrow).retrieve(q, k=5)]
    off = [p.chunk_id for p in _retriever(home, **narrow, off=("scope",)).retrieve(q, k=5)]
    assert on == off


def test_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="unknown retrieval stage"):
        RetrievalConfig(off=("rerank",))
    assert {f.name for f in dataclasses.fields(RetrievalConfig)} >= {"scope_candidates", "off"}


def test_a_question_naming_a_report_is_answered_from_it_or_refused(home):
    # The count is in the towpath survey; a question that names the Harbourside review asks
    # what that review says, and it says nothing about anglers.
    named = home.ask("How many anglers did the Harbourside review count?")
    assert named.status == "insufficient_evidence", named.answer
    control = home.ask("How many anglers did the towpath survey count?")
    assert control.status == "answered" and "40" in control.answer


def test_a_name_is_a_name_only_where_it_is_used_in_its_report(home):
    from assistant.retrieve import _docs_called

    lex = home.retriever.lexical()
    review = {d for d, words in lex.doc_names().items() if "harboursid" in words}
    assert review and _docs_called("What did the Harbourside review find?", lex) == review
    # "Tide" is a word of the review's text, not of any title: it calls no report
    assert _docs_called("What did the Tide Tables say?", lex) == set()


def test_name_phrases_group_adjacent_capitalised_words():
    from assistant.sentences import name_phrases

    got = name_phrases("What do KCSIE and the National Framework say about Virtual School Heads?")
    assert [sorted(p) for p in got] == [
        ["kcsie"],
        ["framework", "nation"],
        ["head", "school", "virtual"],
    ]


def test_an_adjective_of_nationality_is_no_name():
    from assistant.sentences import name_phrases, name_terms

    q = "How many British wardens worked at the Harbourside depot?"
    assert name_phrases(q) == [frozenset({"harboursid"})]
    assert name_terms(q) == {"harboursid"}


def test_a_numbered_recommendation_is_looked_up_and_quoted_whole(home):
    """'Recommendation 2' names a block, like 'paragraph 4.2': the block that states it comes
    first and is the answer, not the paragraph that mentions it in passing."""
    ps = home.search("What was Recommendation 2 of the depot review?", k=3)
    assert ps[0].stages.get("direct") and "4.2 Recommendation 2:" in ps[0].text
    ans = home.ask("What was Recommendation 2 of the depot review?")
    assert "records the time in the gate log" in ans.answer
    assert "vans are" not in ans.answer and "dusk to dawn" not in ans.answer


def test_exact_dense_search_is_chromas_answer_without_its_approximation(home):
    # the same question through both dense paths: exact over the index's vectors, and
    # Chroma's HNSW search (used above `exact_dense_max` chunks); on a corpus this small HNSW
    # is exact too, so both must agree, and the exact one must hold the vectors it needs
    from assistant.retrieve import Filters

    exact, approx = _retriever(home), _retriever(home, exact_dense_max=0)
    lex_e, lex_a = exact.lexical(), approx.lexical()
    assert lex_e.vectors is not None and lex_a.vectors is None
    assert len(lex_e.vectors) == len(lex_e.ids)
    vec = home.embedder.embed_query([QUESTION])[0]
    got_e = exact._dense(lex_e, vec, 10, Filters())
    got_a = approx._dense(lex_a, vec, 10, Filters())
    assert [c for c, _ in got_e] == [c for c, _ in got_a]
    assert [s for _, s in got_e] == pytest.approx([s for _, s in got_a], abs=1e-4)
    # a filter and a role narrow both the same way
    docs = Filters(doc_ids=[lex_e.metas[lex_e.row_of(got_e[0][0])]["doc_id"]])
    roles = frozenset({"recommendation"})
    e = exact._dense(lex_e, vec, 5, docs, roles)
    a = approx._dense(lex_a, vec, 5, docs, roles)
    assert e and [c for c, _ in e] == [c for c, _ in a]
    assert {lex_e.metas[lex_e.row_of(c)]["role"] for c, _ in e} == {"recommendation"}


def test_a_pointed_question_about_what_was_recommended_prefers_recommendations(home):
    # "By when did the review propose ...": the answer is a recommendation, and the narrative
    # that shares its words ("the harbour master had recommended ... the tide tables") is not.
    q = "By when did the Harbourside review propose that the tidal gate be built?"
    ps = _retriever(home).retrieve(q, k=5)
    assert ps[0].role == "recommendation" and "aim" in ps[0].stages, ps[0].text[:60]
    # the aim is what puts it first: without the stage a narrative chunk may lead
    off = _retriever(home, off=("aim",)).retrieve(q, k=5)
    assert all("aim" not in p.stages for p in off)
    # a question about acting on the recommendations asks about the act, not what they say
    acted = "When did the council respond to the recommendations on the tidal gate?"
    assert all("aim" not in p.stages for p in _retriever(home).retrieve(acted, k=5))


WHARF_REVIEW = """# Practice Review: Child W

## 4. The adults

4.1 Mr K moved into the flat in May 2021. Agencies did not know his surname. The Wharf
and Docks Board's nurse, Ms Renée Clément, saw Child W twice.

4.2 In March 2023 Mr K was convicted of assault occasioning actual bodily harm and of
neglect. Mr K was sentenced to six years.
"""

CONVICTIONS = """# Wrongful convictions: a survey

## 2. Cases

2.1 Mr Kaye was convicted of theft in 2004; the conviction was quashed in 2021.

2.2 Mr Kent was convicted of false accounting in 2006 and his conviction was quashed.
"""


@pytest.fixture(scope="module")
def people(real_embedder, tmp_path_factory):
    files = {"child-w-review.md": WHARF_REVIEW, "convictions-survey.md": CONVICTIONS}
    return _ingested(real_embedder, tmp_path_factory, "people", files)


def test_a_report_using_the_anonymised_name_asked_about_is_preferred(people):
    # "Mr K" loses its letter to the tokenizer: only the person stage knows whose review it is
    q = "What was Mr K convicted of?"
    ps = _retriever(people).retrieve(q, k=4)
    assert "child-w" in ps[0].source and "person" in ps[0].stages, ps[0].text[:60]
    # 'Mr Kaye' and 'Mr Kent' are not 'Mr K'
    others = [p for p in ps if "convictions-survey" in p.source]
    assert others and all("person" not in p.stages for p in others)
    off = _retriever(people, off=("person",)).retrieve(q, k=4)
    lead = next(p for p in off if p.chunk_id == ps[0].chunk_id)
    assert ps[0].score - lead.score == pytest.approx(RetrievalConfig().person_bonus)


def test_a_phrase_is_found_as_written_whole_words_accents_aside(people):
    lex = _retriever(people).lexical()
    review = {m["doc_id"] for m in lex.metas if "child-w" in m["source"]}
    assert lex.docs_saying("Mr K") == review  # not 'Mr Kaye' nor 'Mr Kent' in the survey
    assert lex.docs_saying("Renee Clement") == review  # typed without accents
    assert lex.docs_saying("Wharf and Docks Board") == review
    assert lex.docs_saying("Docks and Wharf Board") == frozenset()
    assert lex.docs_saying("Mr Ka") == frozenset()


def test_a_question_naming_what_no_report_names_is_refused_end_to_end(people):
    # every word of "the Docks and Wharf Board" is indexed, the name is not
    ans = people.ask("Who chaired the Docks and Wharf Board?")
    assert ans.status == "insufficient_evidence" and "Docks and Wharf Board" in ans.answer
    ans = people.ask("Which nurse of the Wharf and Docks Board saw Child W?")
    assert ans.status == "answered", ans.answer


THRIFT_REVIEW = """# Review of savings bank oversight

## 1. Scope

1.1 This review covers the Office of Thrift Supervision (OTS) and the savings banks it
examined between 2004 and 2008. It draws on published annual accounts and on interviews with
former examiners, managers and bank directors in every region.

## 2. Money

2.1 Each savings bank paid yearly assessment fees to the Office of Thrift Supervision, which
relied on them for most of its budget.

## 3. People

3.1 The OTS employed examiners in four regions, and its staff list was published.
"""


@pytest.fixture(scope="module")
def thrift(real_embedder, tmp_path_factory):
    towpath = "# Canal towpath survey\n\nThe towpath survey counted 40 anglers and 12 cyclists.\n"
    files = {"thrift-review.md": THRIFT_REVIEW, "towpath.md": towpath}
    return _ingested(real_embedder, tmp_path_factory, "thrift", files)


def test_a_short_form_is_also_searched_by_the_long_form_its_report_defines(thrift):
    lex = _retriever(thrift).lexical()
    assert lex.short_forms().spelled_out("OTS fees", ["ot", "fee"]) == [
        "offic",
        "supervis",
        "thrift",
    ]
    fees = next(i for i, t in enumerate(lex.texts) if "assessment fees" in t)
    # "OTS" alone: only the chunks that abbreviate it, unless the long form is spelled out
    plain = [row for row, _ in lex.search("the OTS", 10)]
    spelled = [row for row, _ in lex.search("the OTS", 10, spell=True)]
    assert fees not in plain and fees in spelled

    # in retrieval: the fees chunk gains a lexical score only through the spelled-out name
    def lexical_of_fees(off):
        ps = _retriever(thrift, off=off).retrieve("What did the OTS live on?", k=4)
        return next(p for p in ps if "assessment fees" in p.text).stages.get("lexical", 0.0)

    assert lexical_of_fees(("merge",)) > lexical_of_fees(("merge", "spell")) == 0.0


def test_a_sentence_using_a_short_form_holds_the_words_of_its_long_form(thrift):
    lex = _retriever(thrift).lexical()
    doc = next(m["doc_id"] for m in lex.metas if "thrift" in m["source"])
    sf = lex.short_forms()
    assert sf.expanded(doc, "OTS employ", {"ot", "employ"}) == {"offic", "thrift", "supervis"}
    assert sf.expanded(doc, "employ", {"employ"}) == set()

    # the sentence stage reads "The OTS employed examiners" as naming the Office
    def sentence_of_staff(off):
        q = "Whom did the Office of Thrift Supervision employ?"
        ps = _retriever(thrift, off=off).retrieve(q, k=4)
        return next(p for p in ps if "employed examiners" in p.text).stages["sentence"]

    assert sentence_of_staff(("merge",)) > sentence_of_staff(("merge", "spell"))


def _ferry_report() -> str:
    """A long ferry report: 'Orkney' and 'Northern Isles Ferries' are each used in one or two
    of its chunks, 'crossing' in most of them."""
    parts = ["# The Sea Routes Review", "", "## 1. Who runs the crossings", ""]
    parts += ["1.1 The Northern Isles Ferries (NIF) company runs the island crossings.", ""]
    for i in range(60):
        parts += [f"## Crossing log {i + 2}", ""]
        parts += [
            f"{i + 2}.1 The crossing left the pier at {7 + i % 5} in the morning with "
            f"{20 + i} cars aboard, and the purser counted the tickets twice.",
            "",
            f"{i + 2}.2 Waves of {1 + i % 3} metres were logged off the headland, and the "
            "cafe closed early.",
            "",
        ]
    parts += [
        "## 70. The refit",
        "",
        "70.1 The NIF crossing reopened on 3 May 2021 after "
        "the refit. Its timetable was cut to two sailings a day.",
        "",
    ]
    parts += [
        "## 71. Other routes",
        "",
        "71.1 The Orkney crossing was refitted that year too, by another yard.",
        "",
    ]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def ferries(real_embedder, tmp_path_factory):
    return _ingested(real_embedder, tmp_path_factory, "ferries", {"sea-routes.md": _ferry_report()})


def test_a_fact_stated_for_another_than_the_rare_name_asked_about_is_refused(ferries):
    # 'Orkney' is used in one chunk of the report: the date near it is not the one stated
    q = "On what date did the Orkney crossing reopen after the refit?"
    ans = ferries.ask(q)
    assert ans.status == "insufficient_evidence", ans.answer
    off = Assistant(
        Settings.from_env(env={"INQUIRY_ANSWER_RARE_NAME": "0"}, home=ferries.settings.home),
        embedder=ferries.embedder,
    )
    assert off.ask(q).status == "answered"  # the name check is what refused
    # the crossing the report calls by its short form is answered: 'NIF' names the company
    ans = ferries.ask("On what date did the Northern Isles Ferries crossing reopen?")
    assert ans.status == "answered" and "3 May 2021" in ans.answer, ans.answer


def _lantern_report() -> str:
    """A report whose paragraph 2.4 is too long for one chunk: the first part names what the
    inquiry left out, the last part says why."""
    setting = " ".join(
        f"The {w} of the market hall was described by {n} witnesses in the first week."
        for w, n in zip(("roof", "clock", "cellar", "stairs", "gallery", "yard"), range(3, 9))
    )
    para = (
        "2.4 The Lantern Inquiry did not examine the sale of the Corn Exchange in 1998. "
        f"{setting} {setting} "
        "Looking into that sale would have needed the land registry files of three councils, "
        "which were archived in another county and could not be read within the months given "
        "to the inquiry."
    )
    parts = ["# The Lantern Inquiry", "", "## 1. Scope", ""]
    parts += ["1.1 The inquiry looked at the fire in the market hall in May 2019.", ""]
    parts += ["## 2. What was left out", "", para, ""]
    parts += ["2.5 The inquiry heard no evidence about the bus station.", ""]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def lantern(real_embedder, tmp_path_factory):
    return _ingested(real_embedder, tmp_path_factory, "lantern", {"lantern.md": _lantern_report()})


def test_a_passage_ending_inside_a_paragraph_takes_in_the_rest_of_it(lantern):
    q = "Why did the Lantern Inquiry not look at the Corn Exchange sale?"
    lex = _retriever(lantern).lexical()
    rows = [i for i, t in enumerate(lex.texts) if "2.4" in t or "land registry" in t]
    assert len(rows) >= 2  # paragraph 2.4 was split between chunks
    reason = "could not be read within the months"

    def first(off):
        return _retriever(lantern, off=off).retrieve(q, k=3)[0]

    grown = first(("merge",))
    assert "did not examine the sale of the Corn Exchange" in grown.text
    assert reason in grown.text and grown.para.startswith("2.4")
    assert reason not in first(("merge", "whole")).text  # the stage is what took it in
