"""The one tokenizer: lower-cased words, English stopwords out, Snowball stems.

The lexical index, retrieval, the answerers and the citation checks all read text through
this module, so a word means the same thing everywhere.
"""

from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "did",
        "does",
        "also",
        "may",
        "might",
        "must",
        "shall",
    ]
)
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """English Snowball stem (Porter 2): 'prosecuted', 'prosecutions', 'prosecute' ->
    'prosecut'. Used as it is: a consonant-undoubling rule added for one dev question measured
    neutral and went."""
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def tokenize(text: str) -> list[str]:
    return _terms(text, STOPWORDS)


def _terms(text: str, drop: frozenset[str]) -> list[str]:
    words = _WORD.findall(text.lower().replace("’", "'"))
    return [stem(w) for w in words if w not in drop and len(w) > 1 or w.isdigit()]


# Words a question uses to say how it wants a fact rather than what the fact is about: hedges
# and intensifiers ("When exactly did the barrier fail?", "What did the panel actually
# decide?", "approximately what share") and the verbs that stand for any event ("When did the flood
# happen?"). A document sentence holding them is no nearer the answer ("it is exactly what
# happened"), so they are left out of a question's terms; a document's own text keeps them.
QUESTION_FRAME = frozenset(
    [
        "exactly",
        "precisely",
        "roughly",
        "approximately",
        "actually",
        "really",
        "ever",
        "happen",
        "happened",
        "happens",
        "occur",
        "occurred",
        "occurs",
    ]
)


_QUERY_STOPWORDS = STOPWORDS | QUESTION_FRAME


def query_terms(text: str) -> list[str]:
    """A question's search terms: `tokenize` without the QUESTION_FRAME words."""
    return _terms(text, _QUERY_STOPWORDS)
