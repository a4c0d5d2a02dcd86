"""Sentence spans in verbatim passage text, and the cues that tell an answer sentence apart.

Spans index into the passage text, so every quoted sentence stays a verbatim substring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from math import fsum

from index.tokens import tokenize

_ABBREV = (
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bNo)(?<!\bpara)(?<!\bparas)(?<!\bSt)"
    r"(?<!\bvol)(?<!\bp)(?<!\bpp)(?<!\be\.g)(?<!\bi\.e)(?<!\bv)(?<!(?<![-–])\b[A-Z])"
)
# A capital letter alone before a full stop is an initial ("J. Smith"), not the end of a
# sentence, unless a hyphen joins it to what precedes: a designation ("Mission 51-L.",
# "Appendix V-C.") ends a sentence like any word.
_SENT_END = re.compile(
    _ABBREV + r"[.!?][\"'”’)\]]*(?:\s*\[\d+\]_?)*\s+(?=[\"“‘(\[•*-]?\s*[A-Z0-9])"
)
_BLOCK_BREAK = re.compile(r"\n\s*\n")
# Used with .match(text, pos): anchored at pos (a "^" would only match at the text's start).
_LEADING_LABEL = re.compile(r"(?:\(?\d{1,3}(?:\.\d+)*[.)]?|\(?[a-z]{1,3}\)|[•*–-])\s+")
_BULLETS = frozenset("•*–-")  # glyphs that mark a list item (a number may mark a heading)
_RUNS_ON = re.compile(r"(?:,|\b(?:and|or|but|of|the|to))$")  # a list item, not a heading
# A sentence's end: its punctuation, then perhaps a footnote mark: "[7]" as HTML exports print
# it, or the digits a PDF's text layer glues on after a word or a year ("... the crew.12",
# "... approved in March 1983.5"), not a heading's number ("Part 4.5").
_END_PUNCT = re.compile(
    r"(?:[.!?:;\"”’)]\s*(?:\[\d+\]_?)?|(?:[A-Za-z]{2}|\d{4})[.!?][\"”’)]?\d{1,3})$"
)


@dataclass
class Sentence:
    start: int
    end: int
    heading: bool  # a short line without sentence punctuation: not an answer on its own
    item: bool = False  # the first sentence of a bulleted list item ("• Purpose limitation")


def _sentences_in(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    spans, start = [], lo
    for m in _SENT_END.finditer(text, lo, hi):
        spans.append((start, m.start() + len(m.group(0).rstrip())))
        start = m.end()
    spans.append((start, hi))
    return spans


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `text`; blocks (blank-line separated) never
    share a sentence; leading paragraph numbers and bullets are left out of the span."""
    return [(s.start, s.end) for s in sentences(text)]


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    blocks = []
    for m in _BLOCK_BREAK.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    for lo, hi in _rejoin(text, blocks):
        while lo < hi and text[lo].isspace():
            lo += 1
        label = _LEADING_LABEL.match(text, lo, hi)
        bullet = bool(label) and label.group().strip() in _BULLETS
        if label:
            lo = label.end()
        for n, (s, e) in enumerate(_sentences_in(text, lo, hi)):
            s, e = _trim(text, s, e)
            if e - s < 2:
                continue
            seg = text[s:e]
            heading = (
                not bullet  # a bulleted line is a list item, however short
                and len(seg.split()) <= 12
                and not _END_PUNCT.search(seg)
                and (seg[0].isupper() or seg[0].isdigit())
                and not _RUNS_ON.search(seg)
            )
            out.append(Sentence(s, e, heading, bullet and n == 0))
    return out


def _rejoin(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A block that starts in lower case after one that ends mid-sentence is the same line,
    broken by the converter ('... through the UN weapons' | 'inspectors had been exhausted').
    List items ('... a coalition,' | 'the crisis was quiescent, and') stay apart."""
    out: list[tuple[int, int]] = []
    for lo, hi in blocks:
        head = text[lo:hi].lstrip()
        prev = text[out[-1][0] : out[-1][1]].rstrip() if out else ""
        if head[:1].islower() and prev[-1:].isalnum() and not _RUNS_ON.search(prev):
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    m = _LEADING_LABEL.match(text, s, e)
    if m and m.end() < e:
        s = m.end()
    return s, e


_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][a-zA-Z\u00C0-\u017F'’-]{2,}|[A-Z]{2,})")


# Adjectives of nationality: capitalised, but they describe rather than name, and a report may
# say the country's short form instead ("British troops" in a report that writes "UK forces"),
# as two-letter names ('UK', 'US') are too common to tell.
NATIONALITIES = (
    "british english scottish welsh irish american french german dutch spanish italian "
    "european russian chinese japanese indian pakistani australian canadian iraqi iranian "
    "syrian afghan kuwaiti saudi israeli palestinian turkish egyptian"
)
# Words that name a kind of document, not one document ("the Inquiry", "the Report"), and
# adjectives of nationality.
GENERIC_NAMES = frozenset(
    tokenize(f"report reports inquiry review volume part chapter page paragraph {NATIONALITIES}")
)


def name_terms(question: str) -> set[str]:
    """The (stemmed) terms of the names a question calls things by, without two-letter names
    ('UK', 'US': too common to tell) and generic document words."""
    return {t for n in names_in(question) if len(n) > 2 for t in tokenize(n)} - GENERIC_NAMES


def name_phrases(question: str) -> list[frozenset[str]]:
    """The question's names as phrases of adjacent capitalised words ('National Framework',
    'Virtual School Heads'), each the set of its terms as `name_terms` keeps them."""
    phrases: list[list[str]] = []
    end = -1
    for m in _NAME.finditer(question):
        if phrases and question[end : m.start()].strip() == "":
            phrases[-1].append(m.group(1))
        else:
            phrases.append([m.group(1)])
        end = m.end()
    out = []
    for words in phrases:
        terms = {t for w in words if len(w) > 2 for t in tokenize(w)} - GENERIC_NAMES
        if terms:
            out.append(frozenset(terms))
    return out


# A report called by what it is rather than by its name: "the", up to three words, and a word
# for a kind of document ("the information sharing advice", "the seven-minute briefing", "the
# parole article"; ours: "the school meals guidance", "the flood review"). Words of a title
# said in lower case; whether they call a report is decided as for names (retrieve.py
# `_docs_called`: the title holds them, and most chunks using them are that report's).
_DOC_KINDS = (
    r"(?:advice|briefing|note|guidance|framework|review|report|summary|article|chronology|"
    r"code|handbook|strategy|statement|paper|letter|bulletin|digest)"
)
_DESCRIBED = re.compile(rf"\bthe\s+((?:[\w’'-]+\s+){{1,3}}?{_DOC_KINDS})\b", re.I)


def described_reports(question: str) -> list[list[frozenset[str]]]:
    """Each report the question calls by what it is (see _DESCRIBED), as the terms of its
    phrase from the longest to the shortest ('the government's information sharing advice' ->
    {government, information, sharing, advice}, {information, sharing, advice}, {sharing,
    advice}): a user may add a word that the title lacks. A phrase of generic words only
    ('the final report') calls nothing."""
    out = []
    for m in _DESCRIBED.finditer(question):
        words = m.group(1).split()
        kind = set(tokenize(words[-1]))
        forms = []
        for i in range(len(words) - 1):
            terms = frozenset(t for w in words[i:] for t in tokenize(w)) - GENERIC_NAMES
            if terms - kind:
                forms.append(terms)
        if forms:
            out.append(forms)
    return out


# A name of several capitalised words, as statutes, bodies and people are named ("the Crime
# and Courts Act", "the Board of Education", "Jane Ashdown"): joined by "and" or "of (the)",
# not by "for" or "on", which as often join a name to a place ("Smith for the UK").
_NAME_WORD = r"(?:[A-Z][a-zA-Z\u00C0-\u017F-]+|[A-Z]{2,}[a-z]?)"
_LONG_NAME = re.compile(
    rf"(?<!^)(?<![.?!]\s)\b({_NAME_WORD}(?:(?:\s+and|\s+of(?:\s+the)?)?\s+{_NAME_WORD})+)"
)


def long_names(question: str) -> list[str]:
    """The question's names of two or more capitalised words (not sentence-initial); a name
    word holds no apostrophe, so 'the Crime and Courts Act's reach' -> 'Crime and Courts Act'."""
    return [m.group(1) for m in _LONG_NAME.finditer(question)]


# Anonymised people: a title or a family role and one capital letter ("Mr T", "Child R's",
# "Baby P", "Mother A"), as serious case reviews and practice reviews name the people in them.
# The tokenizer drops one-letter words, so such a name is looked for as written.
LETTER_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Child|Baby|Infant|Sibling|Brother|Sister|Mother|Father|"
    r"Parent|Adult|Family|Person|Patient|Pupil|Student)\.?\s[A-Z](?![\w-])"
)


def letter_names(question: str) -> list[str]:
    """The anonymised people a question names (see LETTER_NAME), as written."""
    return [m.group(0) for m in LETTER_NAME.finditer(question)]


def names_in(question: str) -> list[str]:
    """Capitalised words of a question that are not sentence-initial: names of people,
    places and reports ('KCSIE', 'Chilcot', 'Barker')."""
    return [m.group(1) for m in _NAME.finditer(question)]


_PART_BREAK = re.compile(
    r"(?:\?\s+|[,;]\s+and\s+|;\s+)(?=(?:what|how|why|which|who|when|where|whether|does|do|"
    r"did|is|are|was|were)\b)",
    re.I,
)


def sub_questions(question: str) -> list[str]:
    """The parts of a question that asks two things ("what did the inquiry identify, and what
    does KCSIE tell a school to do ...?"); one part when it asks one thing."""
    parts = [p.strip(" ,;") for p in _PART_BREAK.split(question)]
    parts = [p for p in parts if len(p.split()) >= 4]
    return parts if len(parts) > 1 else [question]


def idf_share(terms: set[str], words: set[str] | frozenset[str], idf, total: float) -> float:
    """The idf-weighted share of the question's (stemmed) terms found among `words`."""
    return fsum(idf(t) for t in terms & words) / (total or 1.0)


def related_words(terms: set[str], words: set[str], least: int) -> set[str]:
    """The question's terms that `words` hold as a word of the same family: one stem begins
    with the other, both of at least `least` letters. The Snowball stemmer keeps derivational
    endings apart ("opposed" -> "oppos", "opposition" -> "opposit"; "refer", "referr"), so a
    sentence saying "opposition from France" shares nothing with "who opposed it?" by stems.
    0: off."""
    if not least:
        return set()
    long = [w for w in words if len(w) >= least]
    return {
        t
        for t in terms - words
        if len(t) >= least and any(w.startswith(t) or t.startswith(w) for w in long)
    }


def term_share(
    text: str, terms: set[str], idf, total: float, related: int = 0, expand=None
) -> float:
    """The idf-weighted share of the question's (stemmed) terms that `text` holds (with
    `related`, also as a word of the same family: see related_words; with `expand(text,
    words)`, also as the words it adds to the text's own, such as a short form's long form)."""
    words = set(tokenize(text))
    if expand is not None:
        words |= expand(text, words)
    return idf_share(terms, words | related_words(terms, words, related), idf, total)


def sentence_scores(
    segs: list[str],
    terms: set[str],
    idf,
    total: float,
    cues,
    cue: float,
    near: float = 0.5,
    related: int = 0,
    expand=None,
) -> list[float]:
    """How well each sentence answers: its share of the question's terms, `near` times the
    best share of its neighbours (the answer often follows the sentence naming the topic),
    plus `cue` when it holds what the question asks for (see answer_cues)."""
    share = [term_share(seg, terms, idf, total, related, expand) for seg in segs]
    out = []
    for i, seg in enumerate(segs):
        ctx = max(share[i - 1] if i else 0.0, share[i + 1] if i + 1 < len(share) else 0.0)
        hit = cue if any(c.search(seg) for c in cues) else 0.0
        out.append(share[i] + near * ctx + hit)
    return out
