"""Short forms a report defines ("the Office of Thrift Supervision (OTS)"), so that a sentence
"OTS" can be searched for by the words of "Office of Thrift Supervision" too.

Reports define an abbreviation once, in parentheses after its long form, and use the short
form from then on; a question may use either. The definitions are found as Schwartz and
Hearst do ("A simple algorithm for identifying abbreviation definitions in biomedical text",
PSB 2003): a parenthesised short form of 2-10 characters, at least two of them capitals, after
a long form of at most min(n + 5, 2n) words. Their check that the short form's characters
occur in the long form in order is made stricter here: each capital of the short form must
begin a word of the long form, in order, and every word of the long form but joining words
("of", "and", "the", "for" ...) must begin with one. That keeps "Data Protection Impact
Assessment (DPIA)", "News of the World (NoTW)", "Safety, Reliability and Quality Assurance
(SR&QA)" and drops "interview of Laura Schwartz (ACA)".

Definitions are read per report (a short form may mean different things in different reports:
"CRA" is a credit rating agency in one, the Crime Reporters Association in another; the parts
of a multi-file report share them); a search for "CRA" looks for the words of each.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from index.tokens import STOPWORDS, tokenize

_PAREN = re.compile(r"\(\s*([A-Za-z][A-Za-z&\-]{1,9})\s*\)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_REACH = 160  # characters before the parenthesis read for the long form (10 + 5 words)


def _initials(short: str) -> str:
    """The letters a long form's words must begin with: the short form's capitals ('NoTW' ->
    'NTW', 'CDOs' -> 'CDO', 'SR&QA' -> 'SRQA')."""
    return "".join(c for c in short if c.isupper())


def long_form(short: str, before: str) -> str | None:
    """The long form that `short` abbreviates, read backwards from the end of `before`."""
    caps = _initials(short)
    if len(caps) < 2:
        return None
    words = _WORD.findall(before)[-min(len(short) + 5, 2 * len(short)) :]
    start = _match(words, len(words) - 1, caps, len(caps) - 1, False)
    return None if start is None else " ".join(words[start:])


def _match(words: list[str], j: int, caps: str, i: int, begun: bool) -> int | None:
    """Where the long form starts when words[:j + 1] end with a long form of caps[:i + 1].
    A joining word is passed over if it can be (the O of "Office of Thrift Supervision (OTS)"
    is "Office", not "of"), and stands for a letter only when the short form needs it to (the
    T of "News of the World (NoTW)")."""
    if i < 0:
        return j + 1
    if j < 0:
        return None
    w = words[j]
    if w.lower() in STOPWORDS:
        skipped = _match(words, j - 1, caps, i, begun) if begun else None
        if skipped is not None or w[0].upper() != caps[i] or i == 0:
            return skipped  # a long form never begins with a joining word
        return _match(words, j - 1, caps, i - 1, True)
    return _match(words, j - 1, caps, i - 1, True) if w[0].upper() == caps[i] else None


def definitions(text: str) -> list[tuple[str, str]]:
    """(short form, long form) for each definition in `text`."""
    out = []
    for m in _PAREN.finditer(text):
        short = m.group(1)
        lf = long_form(short, text[max(0, m.start() - _REACH) : m.start()])
        if lf:
            out.append((short, lf))
    return out


@dataclass(frozen=True)
class ShortForm:
    """One definition: the short form as written ('OTS'), its stems and its long form's."""

    written: str
    short: frozenset[str]
    long: frozenset[str]
    # the short form as written, a word of its own (compiled once, matched per sentence)
    _as_written: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        pattern = re.compile(rf"(?<![\w&-]){re.escape(self.written)}(?![\w&-])")
        object.__setattr__(self, "_as_written", pattern)

    def used_in(self, text: str, words) -> bool:
        """`text` (tokenized as `words`) uses the short form as the report writes it: 'the
        SEND code', not 'send a referral'."""
        return self.short <= words and bool(self._as_written.search(text))


def short_forms(texts_by_report: dict[str, list[str]]) -> dict[str, tuple[ShortForm, ...]]:
    """report key -> its definitions. A short form defined with two different long forms in
    one report keeps the one written most often."""
    out = {}
    for key, texts in texts_by_report.items():
        seen: dict[str, Counter] = {}
        for text in texts:
            for short, long in definitions(text):
                lf = frozenset(tokenize(long))
                if lf and not set(tokenize(short)) <= lf:
                    seen.setdefault(short, Counter())[lf] += 1
        forms = tuple(
            ShortForm(w, frozenset(tokenize(w)), c.most_common(1)[0][0])
            for w, c in seen.items()
            if tokenize(w)
        )
        if forms:
            out[key] = forms
    return out


class ShortFormIndex:
    """The short forms of every report of an index, for searching and reading sentences. A
    short form counts only where it is written as defined, in capitals: 'SEND' is special
    educational needs and disabilities, 'send' is a verb."""

    def __init__(self, metas: list[dict], texts: list[str]):
        by_report: dict[str, list[str]] = {}
        self._report_of: dict[str, str] = {}  # doc_id -> report key
        for m, t in zip(metas, texts):
            key = self._report_of[m.get("doc_id")] = m.get("report") or m.get("doc_id")
            by_report.setdefault(key, []).append(t)
        self._keyed: dict[str, dict[str, list[ShortForm]]] = {}  # report -> first stem -> ...
        self._all: dict[str, list[ShortForm]] = {}  # first stem -> every report's
        self._spelled: dict[str, dict[str, list[ShortForm]]] = {}  # report -> long's stem -> ...
        for key, forms in short_forms(by_report).items():
            keyed = self._keyed[key] = {}
            spelled = self._spelled[key] = {}
            for f in forms:
                keyed.setdefault(min(f.short), []).append(f)
                self._all.setdefault(min(f.short), []).append(f)
                spelled.setdefault(min(f.long), []).append(f)

    def spelled_out(self, query: str, terms) -> list[str]:
        """The words of the long forms of the short forms `query` uses ('OTS' -> 'offic',
        'thrift', 'supervis'), as any report defines them, that its `terms` lack."""
        have = set(terms)
        extra = {w for f in _using(self._all, query, have) for w in f.long}
        return sorted(extra - have)

    def expanded(self, doc_id: str, text: str, words) -> set[str]:
        """The words `text` of `doc_id` holds through the short forms its report defines:
        the long form's words where it uses the short form ('DOP' -> 'defenc', 'oversea',
        'polici'), and the short form's where it spells the long form out ('the designated
        safeguarding lead' -> 'dsl')."""
        report = self._report_of.get(doc_id, doc_id)
        keyed = self._keyed.get(report, {})
        out = {w for f in _using(keyed, text, words) for w in f.long}
        spelled = self._spelled.get(report, {})
        for k in words & spelled.keys():
            out |= {w for f in spelled[k] if f.long <= words for w in f.short}
        return out


def _using(keyed: dict[str, list[ShortForm]], text: str, words) -> list[ShortForm]:
    return [f for k in words & keyed.keys() for f in keyed[k] if f.used_in(text, words)]
