"""How a report uses the words of a fact question: what it is about, and what it mentions.

A report is about a few things ('Challenger' in the Challenger report, 'information sharing' in
the information sharing advice), used in much of its text, and mentions many others once or
twice. Two consequences for a fact question (assistant/evidence.py `fact_missing`):

- A name the report uses rarely singles out what is asked: 'when did the Scotland act come
  into force?' is not answered by the same kind of fact stated for a neighbour ('the England
  act came into force on 24 May'). The sentence stating the fact must be near the name
  (settings: answer.rare_name).
- Words the report is about name the topic, not the fact: 'when is the information sharing
  advice next due to be reviewed?' is not answered by 'the advice … published in July 2018',
  which shares only the topic. The share of the question a fact sentence needs is counted
  over the other words (settings: answer.topic_spread).

Tune half and the extra tune set: three near misses refused so (a sum paid by a company the
answer never named, a date given for another province, a review date asked of guidance that
gives only its publication date), no answer lost; dev unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.sentences import name_phrases
from assistant.types import Passage
from index.tokens import tokenize


@dataclass(frozen=True)
class ReportUse:
    """How reports use words (see above). `spread(terms, doc_id)`: the share of a report's
    chunks using the terms; `expand(doc_id, text, words)`: the words `text` holds through the
    short forms its report defines ('NoTW'); `skip`: the words that name reports (a name using
    them calls a report, it singles out nothing in it); `rare` and `topic`: the shares below
    which a name is rare, and from which a word is the report's topic (0: off); `titled()`:
    the surnames reports print after a personal title (index/persons.py)."""

    spread: Callable[[frozenset[str], str], float]
    skip: frozenset[str] = frozenset()
    expand: Callable[[str, str, set[str]], set[str]] | None = None
    rare: float = 0.0
    topic: float = 0.0
    titled: Callable[[], frozenset[str]] | None = None

    def event_terms(self, terms: set[str], c: Passage) -> set[str]:
        """The question's terms that `c`'s report uses, but in fewer than `topic` of its
        chunks: what the report is about names the topic, the rest the fact asked. All of
        them when there are none such (a report of one chunk is about every word it uses; a
        word it never uses, 'many' in 'how many', tells no sentence from another)."""
        rest = {t for t in terms if 0 < self.spread(frozenset([t]), c.doc_id) < self.topic}
        return rest or terms

    def check(self, question: str) -> Callable[[Passage, str], bool]:
        """Whether a text of a chunk (a sentence with its neighbours and the chunk's section
        title) has a word of each of the question's names that are rare in its report (a
        report that never uses a name is not judged by it)."""
        groups = [n for n in name_phrases(question) if not n & self.skip]

        def named(c: Passage, text: str) -> bool:
            rare = [g for g in groups if 0 < self.spread(g, c.doc_id) < self.rare]
            if not rare:
                return True
            words = set(tokenize(text))
            if self.expand is not None:
                words |= self.expand(c.doc_id, text, words)
            return all(g & words for g in rare)

        return named
