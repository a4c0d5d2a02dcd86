"""Fact cues: what a question says about the fact it asks for, and whether a sentence states it.

The question types (assistant/qtypes.py) say what kind of fact is asked for; these say which
one: the noun a number question is about ("How many ward managers ..." -> "managers"), the sum asked for by name
("What was the firm's share price?" -> "price"), and which values the question already gives
(the year in "the 2013 Act" is no answer to "when did the 2013 Act come into force?"). Examples
are ours, not evaluation questions.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from assistant.qtypes import (
    INSTITUTION,
    MONEY_NOUNS,
    MONTHS,
    NAMED_KINDS,
    NUMBER,
    PERSONAL_ROLES,
)
from index.persons import surname
from index.tokens import STOPWORDS

# "How many X ...", "How much X ...", "What percentage of X ...": the thing counted or measured.
_COUNTED = re.compile(
    r"\b(?:how many|how much|what (?:\w+ )?(?:number|percentage|proportion|share|sum|amount|"
    r"total) of)\s+((?:[\w'’-]+\s+){0,3}?[\w'’-]+?)\s+(?=(?:did|do|does|was|were|is|are|has|"
    r"have|had|will|would|could|can|should|must|in|on|at|for|from|by|of|to|per|according|"
    # a past tense without "-ed" ends the noun too ("How many wardens took part?")
    r"took|went|came|got|made|saw|gave|left|lost|became|began|fell|held|kept|ran|sent|spent|"
    r"told|won|wrote|paid|met|found|heard|brought|bought|sold|stood|sat|led|fled|"
    r"underwent|undertook|withdrew)\b|"
    r"[?,]|$)",
    re.I,
)


# A count of occasions ("on how many occasions the wardens ...", "the number of times the gate ..."):
# what is counted is occasions, whatever noun follows.
OCCASIONS = frozenset({"times", "occasions"})


_AUXILIARIES = frozenset(
    re.findall(r"\w+", "did do does was were is are has have had will would could can should must")
)


def counted(question: str) -> str | None:
    """The head word of what a number or amount question counts: 'How many ward managers were
    disciplined?' -> 'managers'; 'How much funding did the trust receive?' -> 'funding'. A
    sentence stating the count names what it counts."""
    m = _COUNTED.search(question)
    if not m:
        return None
    words = m.group(1).split()
    if words[0].lower() in _AUXILIARIES:  # "How much did the board pay ...?": no noun counted
        return None
    if words[0].lower() in OCCASIONS:  # occasions counted
        return words[0]
    if len(words) > 1 and words[-1].lower().endswith("ed"):  # "... personnel died": the noun
        words = words[:-1]
    return words[-1] if words else None


# Words between a count and what it counts, in one noun phrase: "179 British Service personnel",
# "fourteen of the ward managers", "managers: 14". Wider than that, a number in the sentence
# counts something else ("In 2003 the managers ...", "para 4.2 ... managers").
COUNT_REACH = 5
_WORDS = re.compile(r"[\w'’.,%-]+")


def count_beside(sentence: str, head: str, stem) -> bool:
    """Whether `sentence` states a number within COUNT_REACH words of `head` (the counted
    word, compared by `stem`): "How many managers were disciplined?" is answered by "Four
    managers were disciplined", not by "In 2003 the managers met".
    """
    words = list(_WORDS.finditer(sentence))
    want = stem(head.lower())
    at = [i for i, w in enumerate(words) if stem(w.group().lower().strip(".,")) == want]
    # a count as NUMBER reads it in the sentence: not a year, a day of a month, an age, a sum
    counts = [m.start() for m in NUMBER.answers.finditer(sentence)]
    nums = [i for i, w in enumerate(words) if any(w.start() <= c < w.end() for c in counts)]
    return any(abs(i - j) <= COUNT_REACH + 1 for i in at for j in nums)


# A person and the office a question asks about are named within one clause: "Mr X, the
# trust's chief executive", "the panel was chaired by Mr X", "I asked X QC to act as counsel"
# (examples ours). Further apart, the name is someone else's ("Mr X wrote to the panel, whose
# chair ...").
ROLE_REACH = 6
# the short forms of an office that reports print
_ROLE_FORMS = {"chief executive": r"chief executive|CEO"}
_ROLE_ASKED = re.compile(rf"\b({'|'.join(PERSONAL_ROLES)})(?:ed)?\b", re.I)


def asked_role(question: str) -> str | None:
    """The office or relation a who-question asks the holder of, as the shortest listed form
    it begins with (a report may print 'chair' for 'chairman', and 'chaired by'): 'Who was the
    trust's chief executive?' -> 'chief executive', 'Who was its chairman?' -> 'chair'."""
    m = _ROLE_ASKED.search(question)
    if not m:
        return None
    asked = m.group(1).lower()
    return min((r for r in PERSONAL_ROLES if asked.startswith(r)), key=len)


def person_beside(sentence: str, role: str, people: list[tuple[str, int]]) -> bool:
    """Whether one of `people` (surname, where the name starts: index/persons.py
    `people_named`) is named within ROLE_REACH words of `role` ('chair' also reads 'chaired',
    'chairman')."""
    forms = _ROLE_FORMS.get(role, re.escape(role))
    return _beside(sentence, forms, [start for _, start in people], ROLE_REACH)


# An institution's name and its kind are printed together: "HMP Holloway", "the prison at
# Holloway", "Kingsmere Children's Hospital" (examples ours).
KIND_REACH = 3
_INSTITUTION = re.compile(rf"\b({'|'.join(NAMED_KINDS)})s?\b", re.I)
# a capitalised word, not a month's name ("released from prison in June" names no prison)
_NAME = re.compile(rf"\b(?!(?:{MONTHS})\b)[A-Z][a-z][\w'’-]*")


def asked_institution(question: str) -> str | None:
    """The kind of institution a which-question asks for ('In which prison ...?' -> 'prison')."""
    m = INSTITUTION.asks.search(question)
    return _INSTITUTION.search(m.group()).group(1).lower() if m else None


def institution_beside(sentence: str, kind: str, asked: set[str]) -> bool:
    """Whether `sentence` prints a name (a capitalised word that is neither a function word,
    a word of the question in `asked`, nor the kind's own word) within KIND_REACH words of a
    word naming `kind` (NAMED_KINDS): "Who was held at HMP Holloway" names a prison, "she
    was released from prison" none."""
    forms = NAMED_KINDS[kind]
    kind_word = re.compile(rf"(?:{forms})s?$", re.I)
    starts = [
        m.start()
        for m in _NAME.finditer(sentence)
        if m.group().lower() not in STOPWORDS
        and surname(m.group()) not in asked
        and not kind_word.match(m.group())
    ]
    return _beside(sentence, forms, starts, KIND_REACH)


def _beside(sentence: str, forms: str, starts: list[int], reach: int) -> bool:
    """Whether a name starting at one of `starts` is within `reach` words of a word that
    begins with one of `forms` (a pattern: 'chair' reads 'chaired', 'chairman')."""
    words = [w.start() for w in _WORDS.finditer(sentence)]
    at = [bisect_right(words, m.start()) for m in re.finditer(rf"\b(?:{forms})", sentence, re.I)]
    named = [bisect_right(words, start) for start in starts]
    return any(abs(i - j) <= reach for i in at for j in named)


_MONEY_ASKED = re.compile(
    rf"\b(?:what (?:was|were|is|are) (?:[\w.&'’-]+\s+){{0,3}}?|how (?:big|large) "
    rf"(?:a |an |was |were |is |are )?(?:[\w'’-]+\s+){{0,2}}?)({MONEY_NOUNS})s?\b",
    re.I,
)


def money_noun(question: str) -> str | None:
    """The sum a question asks for by name: 'What was the firm's share price?' -> 'price',
    'How big a bonus did she get?' -> 'bonus'. A sentence stating the sum names it."""
    m = _MONEY_ASKED.search(question)
    return m.group(1) if m else None


def given_values(question: str) -> frozenset[str]:
    """The words and figures of the question, lower-cased ('the 2013 Act' gives '2013')."""
    return frozenset(w.lower().strip(".,") for w in re.findall(r"[\w£$€%.,'’-]+", question))


def states(cue: re.Pattern, sentence: str, given: frozenset[str] = frozenset()) -> bool:
    """The sentence states a fact of the cue's kind that the question does not give already:
    a year the question uses as a name ('When did the 2013 Act come into force?') is not a
    date the sentence answers with, nor the question's own count ('how many of the 40 staff')
    a count."""
    return any(m.group().strip().lower().strip(".,") not in given for m in cue.finditer(sentence))


def states_any(cues, sentence: str, given: frozenset[str] = frozenset()) -> bool:
    """The sentence states a fact of one of the cues' kinds (see `states`)."""
    return any(states(c, sentence, given) for c in cues)


# An ordinal picks one of several ("her fifth review", "the second interim report", "the third
# meeting"; examples ours): a passage about the first one, or about reviews in general, does
# not answer it. "First" and "last" are left out: a question says "first" or "last" loosely
# ("When did the board first meet?" is answered by "The board met in May").
_ORDINALS = {
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}
# each ordinal's written forms, by either form: "fifth" and "5th" -> {"fifth", "5th"}
_FORMS = {f: frozenset(pair) for pair in _ORDINALS.items() for f in pair}
_ORDINAL = re.compile(
    rf"\b({'|'.join(_FORMS)})\b((?:\s+[\w’'-]+){{1,2}})",
    re.I,
)
_NOT_ORDINAL = re.compile(r"\b(?:per|\d+)\s*$", re.I)  # "per second", "1 second"


def ordinals(question: str) -> list[tuple[str, frozenset[str], str]]:
    """Each ordinal of the question: (as written, its written forms, the next two words: what
    it counts)."""
    out = []
    for m in _ORDINAL.finditer(question):
        if _NOT_ORDINAL.search(question[: m.start()]):
            continue
        out.append((m.group(1), _FORMS[m.group(1).lower()], m.group(2).strip()))
    return out
