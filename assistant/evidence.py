"""What the retrieved chunks can support: which sentences are quotable, and whether the
evidence is enough to answer at all (the refusal checks).

Kept apart from the answerer so that the rules for refusing are in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from math import fsum

from assistant.factcues import (
    OCCASIONS,
    asked_institution,
    asked_role,
    count_beside,
    counted,
    given_values,
    institution_beside,
    money_noun,
    ordinals,
    person_beside,
    states_any,
)
from assistant.qtypes import HOLDER, INSTITUTION, fact_types
from assistant.reportuse import ReportUse
from assistant.sentences import (
    idf_share,
    letter_names,
    long_names,
    names_in,
    sentence_scores,
    sentences,
)
from assistant.types import Passage
from index.persons import people_named, surname, titled_known
from index.tokens import query_terms, stem, tokenize

NOT_ANSWERED = (
    "The indexed reports don't answer this: no passage contains enough of what was asked. "
    "The nearest passages are listed below."
)


_FOOTNOTE = re.compile(
    r"\d{1,3}\s+(?:[A-Z][a-z]+\s+){0,3}(?:Paper|Minute|Letter|Report|Email|"
    r"Note|Statement|See|Ibid|Transcript|Evidence|Public hearing)\b"
)


def _footnote(p: Passage, x) -> bool:
    """A footnote line ('25 Paper Cabinet Office, 19 July 2002, ...') is no answer; the
    sentence span may start after the footnote's number."""
    line = p.text.rfind("\n", 0, x.start) + 1
    return bool(_FOOTNOTE.match(p.text, line, x.end))


# A line that names a web page rather than saying something: it ends with the page's address
# in brackets or a URL ("Drivers of activity in social care - GOV.UK (nationalarchives.gov.uk)",
# "See https://example.org/guide"), as reference lists and further-reading sections print them.
# An address in the text ("write to help@example.org.uk", "found on GOV.UK") is part of what it
# says and stays.
WEB_REFERENCE = re.compile(
    r"(?:https?://\S+|\((?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:uk|com|org|net|gov|edu|int|eu)"
    r"(?:/[^\s)]*)?\))[\W\d]*$",
    re.I,
)

# A row of a table or a figure's labels, read out as text: figures and capitalised labels with
# not one lower-case word ("North Ward 2019 2020 12% South Ward 9% 14%", "| Acme Ltd | 13 | 9 |
# 364,153", "3/9/2007 Board Minutes, Exhibit 4/13-43.", examples ours). A statement has verbs
# and small words; a title may carry a year or two, so it takes `TABLE_FIGURES` figures. Over
# the shared corpus the rule marks 235 sentences; a sample of 40 were all table rows,
# citations or OCR debris.
TABLE_FIGURES = 3
_FIGURE = re.compile(r"(?<![\w.])[$£€]?\d[\d,.]*%?(?!\w)")
_LOWER_WORD = re.compile(r"\b[a-z][a-z]+\b")


def table_text(text: str) -> bool:
    """A table row or figure labels (see above), not a statement."""
    return len(_FIGURE.findall(text)) >= TABLE_FIGURES and not _LOWER_WORD.search(text)


def quotable(p: Passage, x) -> bool:
    """Not a heading (nor the section title repeated in the text), not a footnote, not a line
    naming a web page, not a table row."""
    text = p.text[x.start : x.end].strip()
    if len(re.findall(r"[A-Za-z]{2,}", text)) < (1 if getattr(x, "item", False) else 3):
        return False  # a stray label ('1.') or a number on its own says nothing; a bulleted
        # item may be a word or two ("• Accountability")
    if WEB_REFERENCE.search(text):
        return False
    if table_text(text):
        return False
    return not (x.heading or _footnote(p, x) or (p.section and text in p.section))


def fact_first(cues: list, given, chunks: list[Passage], picked: list[tuple]) -> list[tuple]:
    """The answer leads with the passage whose sentence states the asked kind of fact when
    the first picked sentence states none: "how much did it cost?" reads the cost first.
    `cues`: the patterns of the checkable fact types asked for (assistant/qtypes.py); `given`:
    the values the question itself gives. Each passage's sentences stay together, in the order
    they were picked."""
    if not cues or not picked:
        return picked

    def holds(c) -> bool:
        return states_any(cues, chunks[c[1]].text[c[2] : c[3]], given)

    if holds(picked[0]):
        return picked
    lead = next((c[1] for c in picked if holds(c)), None)
    if lead is None:
        return picked
    return [c for c in picked if c[1] == lead] + [c for c in picked if c[1] != lead]


def ranked_chunks(passages: list[Passage]) -> list[Passage]:
    """The chunks the passages are made of, in the order they were ranked before neighbours
    merged; a chunk merged in between (rank 0) comes last."""
    chunks = [part for p in passages for part in (p.parts or (p,))]
    if any(p.parts for p in passages):
        chunks.sort(key=lambda c: (c.rank <= 0, c.rank))
    return chunks


# Chunk roles (ingest/roles.py) that are navigation or reference, never an answer's text.
NOT_ANSWERS = frozenset({"front", "contents", "footnote", "noise"})


def body(chunks: list[Passage]) -> list[Passage]:
    """Chunks of footnotes only, contents lines, title pages and OCR noise are references or
    navigation, not answers: left out unless all are."""
    return [c for c in chunks if not c.footnotes and (c.role or "") not in NOT_ANSWERS] or chunks


def unknown_names(
    question: str,
    df: Callable[[str], int],
    says: Callable[[str], Collection[str]] | None = None,
    report_words: frozenset[str] = frozenset(),
) -> list[str]:
    """Names in the question (capitalised, not sentence-initial) that no indexed text contains:
    a question about 'the Jay report on Rotherham' cannot be answered from reports that never
    mention Rotherham. With `says` (the documents whose text holds this phrase), a name of
    several words counts as one: reports that mention crime, courts and many Acts still never
    name 'the Crime and Courts Act'; a person named with a rank or title is known to a report
    that names them and uses the title (see `titled_known`). A name using a word of a report's
    title ('the House Challenger report', `report_words`) is how the user calls a report, not a
    name the text must hold."""
    out = []
    for name in names_in(question):
        stems = tokenize(name)
        if stems and all(df(t) == 0 for t in stems):
            out.append(name)
    if says is not None:
        for name in long_names(question):
            known = set(tokenize(name)) & report_words or says(name) or titled_known(name, says)
            if not known and not any(n in name for n in out):
                out.append(name)
    return out


@dataclass
class Evidence:
    """Features of the retrieved evidence that decide between answering and refusing."""

    coverage: float  # idf-weighted share of the question's terms found in the best passage
    dense: float | None  # best cosine similarity among the top passages (None: not known)


def evidence_of(
    question: str, passages: list[Passage], idf: Callable[[str], float], terms: set | None = None
) -> Evidence:
    """`terms`: the question's terms to look for (default: all of them)."""
    terms = set(query_terms(question)) if terms is None else terms
    total = fsum(idf(t) for t in terms) or 1.0
    best_cov, dense = 0.0, [p.dense for p in passages[:3] if p.dense is not None]
    for p in passages[:3]:
        words = set(tokenize(f"{p.title} {p.section or ''} {p.text}"))
        best_cov = max(best_cov, idf_share(terms, words, idf, total))
    return Evidence(best_cov, max(dense) if dense else None)


def holding(
    question: str,
    chunks: list[Passage],
    cues,
    idf: Callable[[str], float],
    min_share: float,
    skip: set[str] = frozenset(),
    need: set[str] = frozenset(),
    beside: Callable[[str], bool] | None = None,
    named: Callable[[Passage, str], bool] | None = None,
    own: Callable[[set[str], Passage], set[str]] | None = None,
) -> tuple | None:
    """The sentence of `chunks` that holds one of `cues` and shares most of the question (at
    least `min_share` of its idf weight): (score, chunk index, start, end), or None. Terms in
    `skip` (the names asked about) do not count towards the share; terms in `need` (what a
    count counts) must be in the sentence or the one before it; and `named` (see ReportUse) must
    accept the sentence with the ones either side of it and the chunk's section title. `own`:
    the terms a chunk's share is counted over (ReportUse.event_terms; default all)."""
    asked = set(query_terms(question))
    terms = (asked - skip) or asked
    given = given_values(question)
    best = None
    for pi, p in enumerate(chunks):
        sents = [x for x in sentences(p.text) if quotable(p, x)]
        segs = [p.text[x.start : x.end] for x in sents]
        mine = own(terms, p) if own is not None else terms
        scores = sentence_scores(segs, mine, idf, fsum(idf(t) for t in mine) or 1.0, [], 0.0)
        for i, (sc, x, seg) in enumerate(zip(scores, sents, segs)):
            holds = sc >= min_share and states_any(cues, seg, given)
            if holds and need:
                holds = need <= set(tokenize(seg + " " + (segs[i - 1] if i else "")))
            if holds and named is not None:
                holds = named(p, " ".join([p.section or "", *segs[max(i - 1, 0) : i + 2]]))
            if holds and beside is not None:
                holds = beside(seg)
            if holds and (best is None or sc > best[0]):
                best = (sc, pi, x.start, x.end)
    return best


_HOW_MANY = re.compile(r"\bhow many\b", re.I)


def fact_missing(
    question: str,
    chunks: list[Passage],
    idf: Callable[[str], float],
    min_share: float,
    use: ReportUse | None = None,
    says: Callable[[str], Collection[str]] | None = None,
    names_checked: bool = True,
) -> str | None:
    """A question that asks for a checkable fact (a number, a sum, a date, a duration: see
    assistant/qtypes.py) is not answered by chunks that only share its topic: a sentence of
    `chunks`, in a report naming whom or what the question names, must state that kind of
    fact and share enough of the question's other words. A name that few of its report's
    chunks use (`use.rare`) singles out what is asked ('when did the Scotland act come into
    force'): that sentence, the ones either side or its section must name it too, for a date
    stated for its neighbour ('the England act came into force on ...') does not answer;
    and the words its report is about (`use.topic`) do not count towards the share.
    With `names_checked`, a question for the holder of an office ('who was the chief
    executive?') or for an institution of a kind ('which prison?') needs a person or a name
    beside that office or kind. The reason to refuse, or None."""
    kinds = fact_types(question)
    if not names_checked:  # a person or an institution is not checked (settings: name_check)
        kinds.pop(HOLDER.name, None)
        kinds.pop(INSTITUTION.name, None)
    if not kinds:
        return None
    names = {t for n in names_in(question) for t in tokenize(n)}
    docs = {c.doc_id for c in chunks if names & set(tokenize(f"{c.title} {c.section} {c.text}"))}
    for person in letter_names(question) if says is not None else []:
        docs |= {c.doc_id for c in chunks} & set(says(person))  # 'Ms S': the review's own
    for short in [n for n in names_in(question) if _SHORT_FORM.match(n)] if says else []:
        # 'DSL': a report that uses the short form names it, even in chunks that spell it out
        docs |= {c.doc_id for c in chunks} & set(says(short))
    if docs:  # the fact must be stated in a report about the people or places asked about
        chunks = [c for c in chunks if c.doc_id in docs]
    head = counted(question) if {"number", "amount", "percent"} & set(kinds) else None
    if head is None and "amount" in kinds:
        head = money_noun(question)
    if head and head.lower() in OCCASIONS:
        # "How many times did the lock keeper ring the depot?" is answered by "he made 41 such
        # calls": what a count of occasions counts is named by the question's verb, not by
        # "times" (examples ours, as in tests/test_assistant_unit.py)
        head = None
    need = set(tokenize(head)) if head else set()
    beside = None
    if head and set(kinds) == {"number"} and _HOW_MANY.search(question):
        # a count is stated next to what it counts
        beside = lambda seg: count_beside(seg, head, stem)  # noqa: E731
    if len(kinds) == 1 and (HOLDER.name in kinds or INSTITUTION.name in kinds):
        beside = _name_beside(question, use)
    cues = list(kinds.values())
    named = use.check(question) if use is not None and use.rare > 0 else None
    own = use.event_terms if use is not None and use.topic > 0 else None
    if holding(
        question,
        chunks,
        cues,
        idf,
        min_share,
        skip=names,
        need=need,
        beside=beside,
        named=named,
        own=own,
    ):
        return None
    return (
        f"The indexed reports don't answer this: the passages about it give no "
        f"{' or '.join(kinds)} of the kind asked for. The nearest passages are listed below."
    )


# a short form: two to six capitals ("DSL", "PCC", "HMRC")
_SHORT_FORM = re.compile(r"^[A-Z]{2,6}$")


def _name_beside(question: str, use: ReportUse | None) -> Callable[[str], bool] | None:
    """For a question asking who holds an office or which institution of a kind: whether a
    sentence names one beside the office or kind, other than those the question names ("Who
    did Mr A appoint as chair?" is not answered by "Mr A said ..."; "Which prison is Ms B
    in?" not by "Ms B left prison")."""
    asked = {surname(w.strip("'’?,.")) for w in question.split()}
    if role := asked_role(question):
        titled = use.titled() if use is not None and use.titled is not None else frozenset()
        return lambda seg: person_beside(
            seg, role, [(n, at) for n, at in people_named(seg, titled) if n not in asked]
        )
    if kind := asked_institution(question):
        return lambda seg: institution_beside(seg, kind, asked)
    return None


def ordinal_missing(question: str, chunks: list[Passage]) -> str | None:
    """A question picking one of several by its ordinal ('her fifth review', see
    assistant/factcues.py) is refused when no sentence (nor section title) of `chunks` has that
    ordinal with a word of what it counts: the passages speak of another one. The reason, or
    None."""
    for word, forms, what in ordinals(question):
        counts = set(tokenize(what))
        for c in chunks:
            spans = [c.section or ""] + [c.text[x.start : x.end] for x in sentences(c.text)]
            if any(_ordinal_in(span, forms, counts) for span in spans):
                break
        else:
            return (
                f"The indexed reports don't answer this: the passages about it never speak of "
                f"the {word} {what}. "
                "The nearest passages are listed below."
            )
    return None


def _ordinal_in(span: str, forms: frozenset[str], counts: set[str]) -> bool:
    words = {w.lower() for w in re.findall(r"\w+", span)}
    return bool(words & forms) and (not counts or bool(counts & set(tokenize(span))))


# A bibliographic reference printed as a line of text (a footnote a converter left among the
# paragraphs, a source list): a title, a date, an identifier, and nothing said; never a point
# of an answer (a quotation asked for keeps it: assistant/extractive.py). Examples (ours):
# "Home Office, Review of Vetting Practice, March 2011, Cm 8010, paragraph 12."; "Harbour
# Board minutes, 3 May 1998, page 4."; "Northshire Council, Annual Report 2019, HC 212.";
# "The Riverside Press, 2004." It ends with a locator after a comma, or it gives a
# year after a comma and its lower-case words are only those a title uses (articles,
# prepositions) and locators: a sentence says something with a lower-case verb or noun ("In
# March 2005, the board reported a loss."; "Mr Hale disagreed with the account (Minutes, 4 May
# 1990, p. 9):"), and a timeline's item starts with its date ("May 2010 – June 2011: The
# Rt Hon Jane Doe MP and the Department for Health, Care and Housing").
_LOCATOR = (
    r"(?:paragraphs?|paras?\.?|pages?|pp?\.|chapter|section|volume|vol\.|annex|appendix|no\.)"
)
_ENDS_IN_LOCATOR = re.compile(rf",\s*{_LOCATOR}\s*[\dA-Z][\d.\-–]*\W*$", re.I)
_DATED = re.compile(r",[^,]*?\b(?:1[6-9]|20)\d\d\b")  # a year after a comma: ", March 2005"
_TITLE_LOWER = frozenset(
    re.findall(
        r"\w+",
        "a an and as at by for from in into of on or the to with its their his her our "
        "before after between under over about against during through upon within without "
        "among across towards toward onto per via "
        "paragraph paragraphs para paras page pages p pp chapter section volume vol annex "
        "appendix no",
    )
)


_BROKEN_WORD = re.compile(r"(\w)-\s+(?=[a-z])")


def reference(sentence: str) -> bool:
    """A bibliographic reference rather than a sentence (see _ENDS_IN_LOCATOR)."""
    text = sentence.strip()
    if "," not in text:  # both forms have one: most sentences stop here
        return False
    locator = _ENDS_IN_LOCATOR.search(text)
    if not locator and not _DATED.search(text):
        return False
    words = _BROKEN_WORD.sub(r"\1", text)  # a word a line end hyphenated: "Shut- tle"
    lower = [w for w in re.findall(r"\b[a-z][a-z’'-]*\b", words) if w not in _TITLE_LOWER]
    # a title may hold a verb ("The Decision to go to War", then ", paragraph 27.")
    return len(lower) <= 1 if locator else not lower
