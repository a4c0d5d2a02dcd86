"""The default answerer: quote the sentences that answer, verbatim, each with an [n] marker.

No generative model is involved, so nothing is paraphrased: every sentence in the answer is a
verbatim substring of a cited passage. When the evidence is too weak the status is
`insufficient_evidence` and the answer says so plainly (the passages are still returned).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.types import ANSWERED, INSUFFICIENT, Answer, Citation, Passage
from index.lexical import tokenize

_ABBREV = r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bNo)(?<!\bpara)(?<!\bparas)(?<!\bSt)(?<!\bvol)(?<!\bp)(?<!\bpp)(?<!\be\.g)(?<!\bi\.e)(?<!\bv)"
_SENT_END = re.compile(_ABBREV + r"[.!?][\"'”’)\]]*(?:\s*\[\d+\]_?)*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_LABEL_ONLY = re.compile(r"^\(?[\dA-Za-z]{1,3}(?:\.\d+)*[.)]?$")
_QUOTE_Q = re.compile(r"\b(quote|exact (?:words|wording|sentence)|verbatim|word for word)\b", re.I)
_LIST_Q = re.compile(
    r"\b(what are|list|which|lay out|timeline|categories|kinds of|types of)\b", re.I
)

NOT_ANSWERED = (
    "The indexed reports don't answer this: no passage contains enough of what was asked. "
    "The nearest passages are listed below."
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`, end exclusive, trailing space excluded."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        seg = text[start:end].rstrip()
        if seg.strip():
            spans.append((start, start + len(seg)))
        start = end
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    spans = [(s + (len(text[s:e]) - len(text[s:e].lstrip())), e) for s, e in spans]
    merged: list[tuple[int, int]] = []
    for s, e in spans:  # a bare paragraph number ("3.69.") or a tiny fragment joins the next
        if merged and _LABEL_ONLY.match(text[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


@dataclass
class Evidence:
    """Features of the retrieved evidence that decide between answering and refusing."""

    coverage: float  # idf-weighted share of the question's terms found in the best passage
    dense: float  # cosine similarity of the best passage


def evidence_of(question: str, passages: list[Passage], idf: Callable[[str], float]) -> Evidence:
    terms = set(tokenize(question))
    total = sum(idf(t) for t in terms) or 1.0
    best_cov, best_dense = 0.0, 0.0
    for p in passages[:3]:
        words = set(tokenize(f"{p.title} {p.section or ''} {p.text}"))
        best_cov = max(best_cov, sum(idf(t) for t in terms & words) / total)
        best_dense = max(best_dense, p.dense or 0.0)
    return Evidence(best_cov, best_dense)


class ExtractiveAnswerer:
    """Selects answer sentences by idf-weighted overlap with the question, cites each."""

    def __init__(
        self,
        idf: Callable[[str], float],
        *,
        min_evidence: float = 0.5,
        max_sentences: int = 3,
        passages_considered: int = 4,
    ):
        self.idf = idf
        self.min_evidence = min_evidence
        self.max_sentences = max_sentences
        self.passages_considered = passages_considered

    def sufficient(self, question: str, passages: list[Passage]) -> bool:
        if not passages:
            return False
        ev = evidence_of(question, passages, self.idf)
        return 0.5 * ev.coverage + 0.5 * ev.dense >= self.min_evidence

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        if not self.sufficient(question, passages):
            return Answer(question, INSUFFICIENT, NOT_ANSWERED, passages=passages)
        if _QUOTE_Q.search(question):
            picked = self._whole_best(question, passages)
        else:
            picked = self._best_sentences(question, passages)
        return self._compose(question, passages, picked)

    # -- selection ---------------------------------------------------------------------------
    def _score(self, terms: set[str], sentence: str) -> float:
        words = set(tokenize(sentence))
        return sum(self.idf(t) for t in terms & words)

    def _best_sentences(self, question: str, passages: list[Passage]):
        terms = set(tokenize(question))
        cands = []
        for pi, p in enumerate(passages[: self.passages_considered]):
            for s, e in split_sentences(p.text):
                score = self._score(terms, p.text[s:e]) * (1.0 - 0.12 * pi)
                cands.append((score, pi, s, e))
        if not cands:
            return []
        cands.sort(key=lambda c: -c[0])
        best = cands[0][0]
        limit = self.max_sentences + (2 if _LIST_Q.search(question) else 0)
        keep = [c for c in cands if c[0] >= 0.55 * best][:limit]
        return sorted(keep, key=lambda c: (c[1], c[2]))

    def _whole_best(self, question: str, passages: list[Passage]):
        """For 'quote' requests: the sentences of the best passage that carry the question."""
        picked = self._best_sentences(question, passages)
        if not picked:
            return []
        pi = picked[0][1]
        p = passages[pi]
        spans = split_sentences(p.text)
        mine = [c for c in picked if c[1] == pi]
        lo = min(c[2] for c in mine)
        hi = max(c[3] for c in mine)
        first = next((i for i, (s, _) in enumerate(spans) if s == lo), 0)
        lo = spans[max(0, first - 1)][0] if len(spans) > 1 and first > 0 else lo
        return [(1.0, pi, lo, hi)] + [c for c in picked if c[1] != pi][:1]

    def _compose(self, question, passages, picked) -> Answer:
        numbers: dict[int, int] = {}
        spans: dict[int, list[tuple[int, int]]] = {}
        parts = []
        for _, pi, s, e in picked:
            n = numbers.setdefault(pi, len(numbers) + 1)
            spans.setdefault(pi, []).append((s, e))
            parts.append(f"{passages[pi].text[s:e]} [{n}]")
        citations = []
        for pi, n in numbers.items():
            p = passages[pi]
            lo = min(s for s, _ in spans[pi])
            hi = max(e for _, e in spans[pi])
            citations.append(Citation(n, p, p.text[lo:hi]))
        return Answer(question, ANSWERED, "\n\n".join(parts), citations, passages)
