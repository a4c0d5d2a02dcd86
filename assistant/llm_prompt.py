"""Prompts for the generative answerer and parsing of what comes back.

The answer prompt numbers the passages [1]..[n] (citation handle, then the verbatim text) and
shows one worked example: small models copy the example's `[n]` habit far more reliably than
they follow a written rule.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.types import Passage
from assistant.verify import CITE_RE, citations, content_words, split_spans

if TYPE_CHECKING:
    from llama_index.core.llms import ChatMessage

REFUSAL = "The passages do not answer this question."
SYSTEM_PROMPT = (
    "You answer questions about inquiry reports using only the numbered passages the user "
    "gives. End every sentence of your answer with the number of the passage it comes from, "
    "like [2]. Do not add facts that are not in the passages. If the passages do not answer "
    f"the question, say: {REFUSAL}"
)
EXAMPLE_QUESTION = (
    "Question: Why did the ferry sink?\n\nPassages:\n"
    "[1] Ferry Report, para 4.1: The ferry left port at 6 pm. Water entered through the open "
    "bow door.\n"
    "[2] Ferry Report, para 6.3: The crew had not checked the door. The owners later sold "
    "the company."
)
EXAMPLE_ANSWER = (
    "Water entered through the open bow door [1]. The crew had not checked the door [2]."
)
CONDENSE_PROMPT = (
    "Rewrite the follow-up question as one standalone question that names what it refers "
    "to, using the conversation. Reply with the question only."
)
RUN_ON = re.compile(r"\n\s*(?:Question|Passages|User|Human)\s*:", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_LEADER = re.compile(r"^\s*(?:answer|response)\s*:\s*", re.I)
_REFUSAL_RES = [
    re.compile(
        r"\b(?:passages?|sources?|context|documents?|text)\b[^.]{0,40}?\b(?:do|does|did|can)"
        r"\s*(?:not|n't)\b[^.]{0,30}?\b(?:answer|say|contain|mention|state|provide|include|cover)"
    ),
    re.compile(r"\bnot (?:mentioned|stated|answered|covered|given) in the (?:passages?|text)\b"),
    re.compile(r"\b(?:i|we) (?:do not|don't|cannot|can't) (?:know|answer|find)\b"),
]


def passage_block(n: int, passage: Passage) -> str:
    text = " ".join(passage.text.split())
    return f"[{n}] {passage.citation()}: {text}"


def build_messages(question: str, passages: list[Passage]) -> list[ChatMessage]:
    """System rules, one worked example, then the question with passages numbered from 1."""
    from llama_index.core.llms import ChatMessage

    numbered = "\n".join(passage_block(n, p) for n, p in enumerate(passages, 1))
    return [
        ChatMessage(role="system", content=SYSTEM_PROMPT),
        ChatMessage(role="user", content=EXAMPLE_QUESTION),
        ChatMessage(role="assistant", content=EXAMPLE_ANSWER),
        ChatMessage(role="user", content=f"Question: {question.strip()}\n\nPassages:\n{numbered}"),
    ]


def parse_sentences(text: str) -> list[str]:
    """The sentences of a generated answer, each with its own `[n]` markers.

    Drops anything after a run-on ('Question:' on a new line), list bullets and an
    'Answer:' leader; lines are sentence boundaries; markers are normalised to '[n][m]'.
    """
    text = RUN_ON.split(text, maxsplit=1)[0]
    out = []
    for line in text.splitlines():
        line = _LEADER.sub("", _BULLET.sub("", line)).strip()
        out.extend(_normalise_markers(line[a:b]) for a, b in split_spans(line))
    return [s for s in out if s.strip()]


def _normalise_markers(sentence: str) -> str:
    return CITE_RE.sub(lambda m: "".join(f"[{n}]" for n in citations(m.group(0))), sentence)


def is_refusal(text: str) -> bool:
    """Does the text say the passages do not answer the question?"""
    plain = " ".join(text.lower().replace("’", "'").split())
    return any(r.search(plain) for r in _REFUSAL_RES)


def condense_messages(history: list[tuple[str, str]], question: str) -> list[ChatMessage]:
    """Prompt to turn a follow-up into a standalone question (last three turns, trimmed)."""
    from llama_index.core.llms import ChatMessage

    turns = "\n".join(
        f"User: {q.strip()}\nAssistant: {_trim(strip_markers(a), 400)}" for q, a in history[-3:]
    )
    user = (
        f"Conversation:\n{turns}\n\nFollow-up question: {question.strip()}\n\nStandalone question:"
    )
    return [
        ChatMessage(role="system", content=CONDENSE_PROMPT),
        ChatMessage(role="user", content=user),
    ]


def tidy_condensed(reply: str, question: str) -> str:
    """First line of the reply without a leader or quotes; the original if it looks wrong."""
    lines = [ln.strip() for ln in reply.strip().splitlines() if ln.strip()]
    if not lines:
        return question
    line = re.sub(r"^(?:standalone question|question)\s*:\s*", "", lines[0], flags=re.I)
    line = line.strip().strip("\"'“”").strip()
    too_long = len(line) > max(300, 3 * len(question))
    if not line or too_long or not content_words(line):
        return question
    return line


def strip_markers(text: str) -> str:
    return " ".join(CITE_RE.sub("", text).split())


def _trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
