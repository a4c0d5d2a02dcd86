"""Names a report uses rarely: when a fact question names one, the fact must be stated near it.

A report is about a few names ('Challenger' in the Challenger report, 'Horizon' in the Horizon
inquiry) and mentions many others once or twice. A question naming one of the others ('when did
the Scotland act come into force?') is not answered by the same kind of fact stated for a
neighbour ('the England act came into force on 24 May'). Tune half and the extra tune set: two
near misses refused so (a sum paid by a company the answer never named, a date given for
another province), no answer lost; dev unchanged (settings: answer.rare_name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.sentences import name_phrases
from assistant.types import Passage
from index.tokens import tokenize


@dataclass(frozen=True)
class RareNames:
    """A name of the question that fewer than `rare` of its report's chunks use is one thing
    among the many the report covers ('Scotland' in a report on prosecutions in England), so
    the sentence stating the asked fact must be near it. `spread(terms, doc_id)`: the share of
    a report's chunks using the terms; `expand(doc_id, text, words)`: the words `text` holds
    through the short forms its report defines ('NoTW'); `skip`: the words that name reports
    (a name using them calls a report, it singles out nothing in it)."""

    spread: Callable[[frozenset[str], str], float]
    skip: frozenset[str] = frozenset()
    expand: Callable[[str, str, set[str]], set[str]] | None = None
    rare: float = 0.0  # settings: answer.rare_name

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
