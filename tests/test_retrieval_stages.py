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


def _review() -> str:
    parts = ["# The Harbourside Review", "", INTRO, ""]
    for i in range(40):
        parts += [f"## Events {i + 1}", ""]
        parts += [s.format(h=7 + i) for s in NARRATIVE] + [""]
    parts += ["## Recommendations", ""]
    for i, r in enumerate(RECOMMENDATIONS, 1):
        parts += [f"{i}. {r}", ""]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def home(real_embedder, tmp_path_factory):
    corpus = tmp_path_factory.mktemp("stages-corpus")
    (corpus / "harbourside-review.md").write_text(_review(), encoding="utf-8")
    (corpus / "other.md").write_text(
        "# Canal towpath survey\n\nThe towpath survey counted 40 anglers and 12 cyclists.\n",
        encoding="utf-8",
    )
    home = tmp_path_factory.mktemp("stages-home")
    a = Assistant(Settings.from_env(env={}, home=home), embedder=real_embedder)
    plan, _ = a.ingest([corpus])
    assert not plan.of("failed")
    return a


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
    if stage in ("dense", "lexical", "coverage", "named", "role", "aim", "sentence"):
        assert all(stage not in p.stages for p in ps), stage


def test_scope_brings_the_recommendations_of_a_named_review(home):
    # A pool of one chunk: the narrative, which shares every word of the question, fills it;
    # the scope stage searches the recommendation chunks besides (lexical side alone, so the
    # test does not hang on what the model finds close).
    narrow = {"candidates": 1, "merge_span": 1}
    with_scope = _retriever(home, **narrow, off=("dense",)).retrieve(QUESTION, k=5)
    without = _retriever(home, **narrow, off=("dense", "scope")).retrieve(QUESTION, k=5)
    assert _recommendation_ranks(with_scope), [p.text[:60] for p in with_scope]
    assert not _recommendation_ranks(without), [p.text[:60] for p in without]
    found = with_scope[_recommendation_ranks(with_scope)[0]]
    assert found.role == "recommendation" and "aim" in found.stages


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
