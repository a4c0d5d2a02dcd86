"""Generative answers: an LLM writes, the verifier checks every sentence before anyone sees it.

`GenerativeAnswerer.stream` yields the model's text deltas as they arrive (a draft: the app
shows them, then replaces them with the verified answer) and, last, the verified `Answer`.
Any backend failure, a refusal, or too little verified text gives the fallback (extractive)
answer with a note saying why; nothing here raises to the caller for a backend problem.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from assistant.llm import where
from assistant.llm_prompt import (
    build_messages,
    condense_messages,
    is_refusal,
    parse_sentences,
    tidy_condensed,
)
from assistant.types import ANSWERED, Answer, Answerer, Citation, Passage
from assistant.verify import (
    CITE_RE,
    DEFAULT_THRESHOLD,
    Check,
    best_quote,
    check_claims,
    citations,
    strip_citations,
)

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

MAX_QUOTE_CHARS = 600
UNVERIFIED = " (unverified)"


class GenerativeAnswerer:
    """Answerer that lets `llm` write and keeps only what its cited passages support."""

    def __init__(
        self,
        llm: LLM,
        fallback: Answerer,
        *,
        max_passages: int = 6,
        max_words: int = 1200,
        min_supported: int = 1,
        threshold: float = DEFAULT_THRESHOLD,
        on_fail: str = "drop",
    ):
        if on_fail not in ("drop", "mark"):
            raise ValueError("on_fail must be 'drop' or 'mark'")
        self.llm, self.fallback = llm, fallback
        self.max_passages, self.min_supported = max_passages, min_supported
        self.max_words = max_words
        self.threshold, self.on_fail = threshold, on_fail

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        final = None
        for item in self.stream(question, passages):
            final = item
        assert isinstance(final, Answer)
        return final

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """Text deltas as the LLM writes them, then the verified Answer (always last)."""
        used = self._used(passages)
        if not used:
            yield self._fallback(question, passages, "no passages to give the LLM", {}, [])
            return
        start, timings, parts = time.perf_counter(), {}, []
        try:
            for delta in _deltas(self.llm, build_messages(question, used)):
                timings.setdefault("llm_first_token_ms", _ms(start))
                parts.append(delta)
                yield delta
        except Exception as exc:  # any backend failure: fall back, never raise to the caller
            timings["llm_total_ms"] = _ms(start)
            yield self._fallback(question, passages, failure_note(self.llm, exc), timings, [])
            return
        timings["llm_total_ms"] = _ms(start)
        yield self._finish(question, passages, "".join(parts), timings)

    def _finish(self, question: str, passages: list[Passage], text: str, timings: dict) -> Answer:
        start = time.perf_counter()
        used = self._used(passages)
        kept, dropped, checks = self._verify(text, used)
        timings["verify_ms"] = _ms(start)
        supported = len(checks)
        if supported < self.min_supported:
            note = _shortfall_note(text, supported, len(kept) + len(dropped), self.min_supported)
            return self._fallback(question, passages, note, timings, dropped)
        notes = [_dropped_note(dropped, self.on_fail)] if dropped else []
        citations, numbering = _citations(checks, used)
        return Answer(
            question=question,
            status=ANSWERED,
            answer=" ".join(_renumber(s, numbering) for s in kept),
            citations=citations,
            passages=list(passages),
            timings_ms=timings,
            mode="generative",
            verified=not (dropped and self.on_fail == "mark"),
            dropped=dropped,
            notes=notes,
        )

    def _used(self, passages: list[Passage]) -> list[Passage]:
        """The passages the LLM reads: in rank order, at most `max_passages`, and no more than
        `max_words` words (merged passages are longer; the context window is not); always the
        first."""
        used, words = [], 0
        for p in passages[: self.max_passages]:
            words += len(p.text.split())
            if used and words > self.max_words:
                break
            used.append(p)
        return used

    def _verify(self, text: str, used: list[Passage]) -> tuple[list[str], list[dict], list]:
        """(sentences to show, dropped entries, [(sentence, clause checks)] of verified ones)."""
        kept, dropped, verified = [], [], []
        for sentence in parse_sentences(text):
            checks = check_claims(sentence, used, self.threshold)
            failed = next((c for c in checks if not c.ok), None)
            if failed is None:
                kept.append(sentence)
                verified.append((sentence, checks))
                continue
            reason = _reason(sentence, failed)
            dropped.append({"sentence": sentence, "reason": reason})
            if self.on_fail == "mark":
                kept.append(strip_citations(sentence) + UNVERIFIED)
        return kept, dropped, verified

    def _fallback(
        self, question: str, passages: list[Passage], note: str, timings: dict, dropped: list
    ) -> Answer:
        answer = self.fallback.answer(question, passages)
        answer.notes = [*answer.notes, note]
        answer.dropped = [*answer.dropped, *dropped]
        answer.timings_ms = {**answer.timings_ms, **timings}
        return answer


def _deltas(llm: LLM, messages: Sequence) -> Iterator[str]:
    """Text deltas from a LlamaIndex chat stream (some backends only grow `message.content`)."""
    seen = ""
    for response in llm.stream_chat(messages):
        content = response.message.content or ""
        delta = response.delta if response.delta is not None else content[len(seen) :]
        seen = content if response.delta is None else seen + delta
        if delta:
            yield delta


def _reason(sentence: str, failed: Check) -> str:
    if failed.reason and failed.reason.startswith("no_citation") and is_refusal(sentence):
        return "refusal: the model said the passages do not answer the question"
    return failed.reason or "failed verification"


def _citations(verified: list, used: list[Passage]) -> tuple[list[Citation], dict[int, int]]:
    """One Citation per cited passage, numbered 1.. in order of first citation (as the
    extractive answerer does), and the map from prompt numbers to those numbers.

    The quote is the passage sentence that best supports each citing clause, or the verbatim
    span covering several of them when short enough.
    """
    spans: dict[int, list[tuple[int, int]]] = {}
    for _sentence, checks in verified:
        for check in checks:
            for n in check.cited:
                found = best_quote(check.clause, {n: used[n - 1]})
                spans.setdefault(n, []).extend([found[1]] if found else [])
    numbering = {n: i for i, n in enumerate(spans, 1)}
    cites = [
        Citation(numbering[n], used[n - 1], _quote(used[n - 1].text, s)) for n, s in spans.items()
    ]
    return cites, numbering


def _renumber(sentence: str, numbering: dict[int, int]) -> str:
    def sub(m) -> str:
        return "".join(f"[{numbering.get(n, n)}]" for n in citations(m.group(0)))

    return CITE_RE.sub(sub, sentence)


def _quote(text: str, spans: list[tuple[int, int]]) -> str:
    lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
    return text[lo:hi] if hi - lo <= MAX_QUOTE_CHARS else text[spans[0][0] : spans[0][1]]


def _shortfall_note(text: str, supported: int, total: int, needed: int) -> str:
    if not text.strip():
        return "LLM returned no text: fell back to extractive"
    if supported == 0 and is_refusal(text):
        return "LLM said the passages do not answer this: fell back to extractive"
    return (
        f"LLM answer failed verification ({supported} of {total} sentences supported by "
        f"their cited passages, need {needed}): fell back to extractive"
    )


def _dropped_note(dropped: list[dict], on_fail: str) -> str:
    verb = "marked unverified" if on_fail == "mark" else "removed"
    if len(dropped) == 1:
        return f"1 generated sentence failed verification and was {verb}"
    return f"{len(dropped)} generated sentences failed verification and were {verb}"


def failure_note(llm: object, exc: BaseException) -> str:
    """One clear line for a backend failure: unreachable, timed out, or failed."""
    detail = f"{type(exc).__name__}: {exc}".strip()[:200]
    text = f"{type(exc).__name__} {exc}".lower()
    if "timeout" in text or "timed out" in text:
        what = "timed out"
    elif isinstance(exc, ConnectionError) or "connect" in text:
        what = "unreachable"
    else:
        what = "failed"
    return f"LLM {what} at {where(llm)}: fell back to extractive ({detail})"


def condense_question(llm: LLM | None, history: list[tuple[str, str]], question: str) -> str:
    """Rewrite a follow-up as a standalone question using the LLM; the question itself if no
    LLM, no history, or anything goes wrong."""
    if llm is None or not history:
        return question
    try:
        response = llm.chat(condense_messages(history, question))
    except Exception:  # a follow-up still works uncondensed
        return question
    return tidy_condensed(response.message.content or "", question)


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0
