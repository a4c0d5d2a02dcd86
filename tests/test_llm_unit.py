"""Backend selection, prompt/parse and the generative answerer with a scripted LlamaIndex LLM.

No model here: `ScriptedLLM` is a tiny CustomLLM that streams a fixed reply word by word (or
raises). Unreachable and hanging endpoints use real clients against closed/silent loopback
sockets.
"""

from __future__ import annotations

import socket
import sys
import time
from typing import Any

import pytest
from llama_index.core.base.llms.types import CompletionResponse, LLMMetadata
from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms.callbacks import llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from llm_helpers import COLLAPSE, passage

from assistant.errors import LLMError
from assistant.generative import GenerativeAnswerer, condense_question, failure_note
from assistant.llm import describe, make_llm, parse_spec, where
from assistant.llm_prompt import build_messages, is_refusal, parse_sentences, tidy_condensed
from assistant.types import ANSWERED, INSUFFICIENT, Answer, Passage
from assistant.verify import check_claims
from ingest.errors import ConfigError, MissingDependency

pytestmark = pytest.mark.unit


class ScriptedLLM(CustomLLM):
    """Replies with `script`, streamed word by word; raises `error` instead if set."""

    script: str = ""
    error: Any = None
    prompts: list = Field(default_factory=list)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="scripted")

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kw: Any) -> CompletionResponse:
        self.prompts.append(prompt)
        if self.error:
            raise self.error
        return CompletionResponse(text=self.script)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kw: Any):
        self.prompts.append(prompt)

        def gen():
            if self.error:
                raise self.error
            text = ""
            for word in self.script.split(" "):
                delta = word if not text else " " + word
                text += delta
                yield CompletionResponse(text=text, delta=delta)

        return gen()


class Extractive:
    """Stand-in fallback: records that it was asked."""

    def __init__(self):
        self.calls = 0

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        self.calls += 1
        return Answer(question, INSUFFICIENT, "extractive answer", passages=passages)


_p = passage


PASSAGES = [
    _p(1, COLLAPSE, "2.4"),
    _p(2, "3.1 The inquiry was chaired by Judge Ellen Marsh. It sat for 96 days.", "3.1"),
    _p(
        3,
        "5.7 Inspectors had reported rust in 1995, but the council deferred the repair to save "
        "money. The chair found this decision “indefensible”.",
        "5.7",
    ),
]
Q = "When did the bridge collapse?"


def _answerer(script: str = "", error: Exception | None = None, **kw) -> tuple:
    fallback = Extractive()
    return GenerativeAnswerer(ScriptedLLM(script=script, error=error), fallback, **kw), fallback


# -- make_llm -----------------------------------------------------------------------------------
def test_none_is_the_default():
    assert make_llm("none") is None and make_llm("") is None and make_llm(None) is None


def test_unknown_scheme_lists_the_valid_ones():
    with pytest.raises(ConfigError) as err:
        make_llm("claude:opus")
    for valid in ("none", "openai:MODEL", "ollama:MODEL", "gguf:PATH"):
        assert valid in str(err.value)


def test_scheme_without_model_is_a_config_error():
    with pytest.raises(ConfigError, match="needs a model"):
        parse_spec("ollama:")


def test_openai_needs_a_url():
    with pytest.raises(ConfigError, match="INQUIRY_LLM_URL"):
        make_llm("openai:qwen", url=None)


def test_openai_backend_is_configured_not_contacted():
    llm = make_llm("openai:qwen", url="http://127.0.0.1:1/v1/", key=None, timeout_s=7)
    assert type(llm).__name__ == "OpenAILike"
    assert llm.api_base == "http://127.0.0.1:1/v1" and llm.timeout == 7 and llm.is_chat_model
    assert describe(llm) == "openai:qwen at http://127.0.0.1:1/v1"


def test_ollama_backend_defaults_to_local_url():
    llm = make_llm("ollama:llama3.2", timeout_s=5)
    assert type(llm).__name__ == "Ollama"
    assert where(llm) == "http://127.0.0.1:11434" and llm.request_timeout == 5


def test_missing_backend_package_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_index.llms.openai_like", None)
    with pytest.raises(MissingDependency, match=r"inquiry-assistant\[llm\]"):
        make_llm("openai:qwen", url="http://127.0.0.1:1/v1")


def test_missing_xllamacpp_names_the_extra(monkeypatch, tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    monkeypatch.setitem(sys.modules, "xllamacpp", None)
    with pytest.raises(MissingDependency, match=r"xllamacpp.*inquiry-assistant\[llm\]"):
        make_llm(f"gguf:{model}")


def test_missing_gguf_file_is_an_llm_error_naming_the_path(tmp_path):
    missing = tmp_path / "nowhere" / "model.gguf"
    with pytest.raises(LLMError, match=str(missing)):
        make_llm(f"gguf:{missing}")


def test_gguf_file_removed_after_setup_falls_back_with_the_path(tmp_path):
    from assistant.llm_gguf import GGUFLLM

    missing = tmp_path / "gone.gguf"
    fallback = Extractive()
    answer = GenerativeAnswerer(GGUFLLM(model_path=str(missing)), fallback).answer(Q, PASSAGES)
    assert fallback.calls == 1 and answer.mode == "extractive"
    assert any(str(missing) in n and "fell back to extractive" in n for n in answer.notes)


# -- prompt and parsing -------------------------------------------------------------------------
def test_prompt_numbers_passages_with_handle_and_verbatim_text():
    messages = build_messages(Q, PASSAGES)
    user = messages[-1].content
    assert user.startswith(f"Question: {Q}")
    assert "[1] Harbour Bridge Inquiry Report, para 2.4, p. 11: 2.4 The Harbour Bridge" in user
    assert "[3] Harbour Bridge Inquiry Report, para 5.7, p. 13:" in user and "[4]" not in user
    assert "[2]" in messages[0].content and "do not answer" in messages[0].content


def test_parse_sentences_handles_lines_bullets_runons_and_marker_forms():
    text = (
        "Answer: The bridge fell in 1998 [Passage 1].\n- Eleven people died. [1]\n"
        "Judge Marsh chaired it [2, 3].\nQuestion: another one?"
    )
    assert parse_sentences(text) == [
        "The bridge fell in 1998 [1].",
        "Eleven people died. [1]",
        "Judge Marsh chaired it [2][3].",
    ]


@pytest.mark.parametrize(
    "text,refusal",
    [
        ("The passages do not answer this question.", True),
        ("The passage doesn't say who paid.", True),
        ("This is not mentioned in the passages.", True),
        ("I don't know.", True),
        ("The bridge collapsed in 1998 [1].", False),
        ("The council did not answer the letters [3].", False),
    ],
)
def test_refusal_detection(text, refusal):
    assert is_refusal(text) is refusal


# -- the generative answerer --------------------------------------------------------------------
def test_supported_answer_is_generative_with_verbatim_quotes():
    script = (
        "The Harbour Bridge collapsed on 3 March 1998 when a corroded cable snapped [1]. "
        "The chair called the council's decision “indefensible” [3]."
    )
    ga, fallback = _answerer(script)
    answer = ga.answer(Q, PASSAGES)
    assert fallback.calls == 0
    assert (answer.mode, answer.status, answer.verified, answer.dropped) == (
        "generative",
        ANSWERED,
        True,
        [],
    )
    assert answer.answer == script.replace("[3]", "[2]")  # renumbered in order of citation
    assert [(c.n, c.passage.chunk_id) for c in answer.citations] == [(1, "c1"), (2, "c3")]
    for c in answer.citations:
        assert c.quote and c.quote in c.passage.text
    assert answer.citations[1].quote == "The chair found this decision “indefensible”."
    assert answer.passages == PASSAGES
    assert {"llm_first_token_ms", "llm_total_ms", "verify_ms"} <= set(answer.timings_ms)


def test_out_of_range_and_unsupported_sentences_are_dropped_with_reasons():
    script = (
        "Eleven people died [1]. Judge Ellen Marsh chaired it [7]. "
        "Heavy storms caused the disaster [1]. The inquiry sat for 96 days."
    )
    answer = _answerer(script)[0].answer(Q, PASSAGES)
    assert answer.mode == "generative" and answer.verified
    assert answer.answer == "Eleven people died [1]."
    reasons = {d["sentence"]: d["reason"].split(":")[0] for d in answer.dropped}
    assert reasons == {
        "Judge Ellen Marsh chaired it [7].": "citation_out_of_range",
        "Heavy storms caused the disaster [1].": "unsupported",
        "The inquiry sat for 96 days.": "no_citation",
    }
    assert "3 generated sentences failed verification and were removed" in answer.notes


def test_mark_mode_keeps_failed_sentences_flagged():
    answer = _answerer("Eleven people died [1]. Storms caused it [1].", on_fail="mark")[0].answer(
        Q, PASSAGES
    )
    assert answer.answer == "Eleven people died [1]. Storms caused it. (unverified)"
    assert not answer.verified and len(answer.dropped) == 1


def test_refusal_falls_back_with_a_note():
    ga, fallback = _answerer("The passages do not answer this question.")
    answer = ga.answer("Who paid for the new bridge?", PASSAGES)
    assert fallback.calls == 1 and answer.mode == "extractive" and answer.status == INSUFFICIENT
    assert answer.notes == ["LLM said the passages do not answer this: fell back to extractive"]
    assert answer.dropped[0]["reason"].startswith("refusal")


def test_too_little_verified_falls_back_and_keeps_the_dropped_list():
    ga, fallback = _answerer("Storms caused it [1]. Judge Marsh resigned [9].", min_supported=1)
    answer = ga.answer(Q, PASSAGES)
    assert fallback.calls == 1 and answer.mode == "extractive"
    assert "0 of 2 sentences supported" in answer.notes[0]
    assert len(answer.dropped) == 2


def test_min_supported_is_enforced():
    ga, fallback = _answerer("Eleven people died [1]. Storms caused it [1].", min_supported=2)
    assert ga.answer(Q, PASSAGES).mode == "extractive" and fallback.calls == 1


def test_no_passages_means_no_llm_call():
    ga, fallback = _answerer("anything [1].")
    answer = ga.answer(Q, [])
    assert fallback.calls == 1 and ga.llm.prompts == []
    assert "no passages" in answer.notes[0]


def test_only_max_passages_are_prompted():
    ga, _ = _answerer("Eleven people died [1].", max_passages=2)
    ga.answer(Q, PASSAGES)
    assert "[2] Harbour" in ga.llm.prompts[0] and "[3] Harbour" not in ga.llm.prompts[0]


def test_stream_yields_deltas_then_the_answer():
    script = "Eleven people died [1]. Storms caused it [1]."
    items = list(_answerer(script)[0].stream(Q, PASSAGES))
    deltas, final = items[:-1], items[-1]
    assert all(isinstance(d, str) for d in deltas) and len(deltas) > 3
    assert "".join(deltas) == script
    assert isinstance(final, Answer) and final.answer == "Eleven people died [1]."


@pytest.mark.parametrize(
    "error,word",
    [
        (ConnectionError("connection refused"), "unreachable"),
        (TimeoutError("read timed out"), "timed out"),
        (LLMError("GGUF model error: boom"), "failed"),
    ],
)
def test_backend_errors_fall_back_with_a_clear_note(error, word):
    ga, fallback = _answerer(error=error)
    answer = ga.answer(Q, PASSAGES)
    assert fallback.calls == 1 and answer.mode == "extractive"
    assert answer.notes[-1].startswith(f"LLM {word} at ScriptedLLM: fell back to extractive")


def test_failure_note_names_the_url():
    llm = make_llm("openai:m", url="http://127.0.0.1:9/v1")
    note = failure_note(llm, ConnectionError("refused"))
    assert note.startswith("LLM unreachable at http://127.0.0.1:9/v1: fell back to extractive")


# -- real clients against dead loopback endpoints -----------------------------------------------
def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("spec,path", [("openai:smollm2", "/v1"), ("ollama:smollm2", "")])
def test_unreachable_endpoint_falls_back_quickly(spec, path):
    url = f"http://127.0.0.1:{_closed_port()}{path}"
    fallback = Extractive()
    ga = GenerativeAnswerer(make_llm(spec, url=url, timeout_s=5), fallback)
    start = time.monotonic()
    answer = ga.answer(Q, PASSAGES)
    assert time.monotonic() - start < 5
    assert fallback.calls == 1 and answer.mode == "extractive"
    assert answer.notes[-1].startswith(f"LLM unreachable at {url}: fell back to extractive")


def test_silent_endpoint_times_out_and_falls_back():
    with socket.socket() as server:  # accepts connections, never answers
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/v1"
        ga = GenerativeAnswerer(make_llm("openai:m", url=url, timeout_s=1), Extractive())
        start = time.monotonic()
        answer = ga.answer(Q, PASSAGES)
        assert time.monotonic() - start < 4
    assert answer.mode == "extractive"
    assert answer.notes[-1].startswith(f"LLM timed out at {url}: fell back to extractive")


# -- follow-up questions ------------------------------------------------------------------------
HISTORY = [("Who chaired the Harbour Bridge inquiry?", "Judge Ellen Marsh chaired it [1].")]


def test_condense_uses_the_llm_and_tidies_its_reply():
    llm = ScriptedLLM(script='Standalone question: "What did Judge Ellen Marsh recommend?"\nextra')
    assert (
        condense_question(llm, HISTORY, "What did she recommend?")
        == "What did Judge Ellen Marsh recommend?"
    )
    assert "Judge Ellen Marsh chaired it" in llm.prompts[0] and "[1]" not in llm.prompts[0]


def test_condense_keeps_the_question_without_llm_history_or_on_error():
    q = "What did she recommend?"
    assert condense_question(None, HISTORY, q) == q
    assert condense_question(ScriptedLLM(script="x"), [], q) == q
    assert condense_question(ScriptedLLM(error=ConnectionError("down")), HISTORY, q) == q


def test_tidy_condensed_rejects_empty_or_rambling_replies():
    q = "What did she recommend?"
    assert tidy_condensed("", q) == q
    assert tidy_condensed("the " * 200, q) == q
    assert tidy_condensed("What did the inquiry recommend about cables?", q).endswith("cables?")


def test_every_kept_sentence_passes_when_rechecked():
    script = "Eleven people died [1]. Judge Ellen Marsh chaired the inquiry [2]. Storms did it [2]."
    answer = _answerer(script)[0].answer(Q, PASSAGES)
    cited = [c.passage for c in answer.citations]  # answer markers index the citations
    for sentence in parse_sentences(answer.answer):
        assert all(c.ok for c in check_claims(sentence, cited))


def test_the_llm_reads_passages_up_to_a_word_budget():
    long = [_p(i, " ".join(["word"] * 500) + f" marker{i}.", str(i)) for i in range(1, 6)]
    answerer, _ = _answerer("Nothing. [1]", max_words=1200)
    answerer.answer(Q, long)
    prompt = answerer.llm.prompts[-1]
    assert "marker1" in prompt and "marker2" in prompt and "marker3" not in prompt
    one, _ = _answerer("Nothing. [1]", max_words=10)
    one.answer(Q, long)
    assert "marker1" in one.llm.prompts[-1]  # the first passage always
