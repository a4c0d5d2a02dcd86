"""Answers to broad questions: several cited sentences from different passages.

"What went wrong?", "What did the review recommend?", "What are the lessons for schools?" want
the report's own findings, not one fact. A broad answer takes up to `broad_points` sentences
from different chunks, preferring sentences that state what the question's kind of broad
question asks for (a recommendation, a finding, a lesson) and chunks from the report's own
findings, conclusions, recommendations and summary sections; never contents lines, front
matter or footnotes. A question about two reports gets points from each.

The word lists below are data: the vocabulary reports use for their own structure. Examples
are ours, not evaluation questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from math import fsum

from assistant.evidence import quotable, reference
from assistant.qtypes import JUDGING, WHY_NOT, is_broad
from assistant.sentences import names_in, sentence_scores, sentences
from assistant.tuning import AnswerConfig
from assistant.types import Passage
from index.tokens import query_terms, tokenize
from ingest.display import display_text

# Words a broad question uses to ask for the report's structure rather than a topic: they say
# WHAT KIND of statement is wanted ("what went wrong", "what was recommended") and are left out
# of the topic terms that passages must share ("What went wrong in the handover of care?" has
# the topic "handover care").
BROAD_WORDS = frozenset(
    tokenize(
        "went wrong recommend recommended recommendation recommendations conclude concluded "
        "conclusion conclusions find found finding findings lesson lessons learn learned "
        "learnt learning summarise summarize summary overview key main principal points "
        "themes theme issues problems failings failures failed fail say says said tell about "
        "report review inquiry committee panel what identify identified"
    )
)


@dataclass(frozen=True)
class Aim:
    """A kind of broad question: what in the question asks for it, what a sentence stating it
    looks like, the section titles where reports put such statements, and the block roles
    (ingest/roles.py) of those sections."""

    name: str
    asks: re.Pattern
    states: re.Pattern
    sections: re.Pattern
    roles: frozenset = frozenset()


_I = re.I
AIMS = (
    Aim(
        "recommendations",
        re.compile(
            r"\brecommend|\bpropos|\bwhat (?:should|must) .{0,40}\b(?:do|change)\b|\bmust change|"
            r"\btells? (?:\w+ ){0,3}?to do\b",
            _I,
        ),
        # the verb or a numbered recommendation, not the noun: "For ease of reference, all of
        # the recommendations are reprinted here" talks about recommendations, states none
        re.compile(
            r"\b(?:recommend(?:s|ed)?\b|recommendation\s+\d|should|must|ought to|needs? to|"
            r"we urge|calls? on)\b",
            _I,
        ),
        re.compile(
            r"recommend|what must change|next steps|actions?\b|"
            r"what (?:you |we |they |staff )?(?:should|must|need to|can) do|what to do",
            _I,
        ),
        frozenset({"recommendation"}),
    ),
    Aim(
        "findings",
        re.compile(
            r"\bwent wrong|\bfind|\bfail|\bproblems?\b|\bissues?\b|\bconclu|\bidentif|"
            rf"\bnobody\b|\bno one\b|{WHY_NOT}|\b(?:{JUDGING})\b",
            _I,
        ),
        re.compile(
            r"\b(?:fail\w*|did not|was not|were not|no one|missed|lack\w*|inadequate|"
            r"poor|flawed|wrong\w*|not (?:shared|followed|acted|recorded|escalated)|"
            r"should have|could have|conclud\w*|found that|find that|finding)\b",
            _I,
        ),
        re.compile(r"finding|conclusion|what went wrong|key issues|analysis|summary", _I),
        frozenset({"finding"}),
    ),
    Aim(
        "lessons",
        re.compile(r"\blesson|\blearn", _I),
        re.compile(r"\b(?:lesson\w*|learn\w*|should|must|need\w* to|important)\b", _I),
        re.compile(r"lesson|learning|implications|practice points|what this means", _I),
        frozenset({"finding", "recommendation"}),
    ),
    Aim(
        "summary",
        re.compile(r"\bsummari[sz]e|\boverview|\bsay about|\btell me about|\bkey points", _I),
        re.compile(r"\b(?:should|must|is|are|was|were)\b", _I),
        re.compile(r"summary|overview|introduction|key (?:points|messages)|conclusion", _I),
    ),
)

# Roles whose sentences are never points of an answer (ingest marks them).
NOT_POINTS = frozenset({"contents", "front", "footnote", "noise", "heading", "terms"})

# Signposts: sentences about the document or the inquiry's own work rather than about what it
# found (metadiscourse, in the sense of Hyland, "Metadiscourse", 2005): they share the topic's
# words with a broad question and state nothing. Examples (ours): "This chapter sets out the legal
# framework for adoption."; "The following section describes the method."; "See paragraph 4.2 for
# the timeline."; "In this chapter the panel examines the funding of the trust."; "Further
# guidance can be found in Annex B."; "As part of its inquiry, the
# committee took evidence from 40 witnesses."; "The panel reviewed 3,000 pages of records."; "To
# trace the referrals, the review team read 200 case files."; "The steps below apply to every
# visit."; "A summary for parents is published alongside this report."; "The funding question is
# considered further in Chapter 6."; "Each of the three parts of this review begins with a summary
# of the evidence."; "The panel made the following recommendations." (it announces what follows;
# not when what follows is given after a colon, and "the following year" is a time). A verb that
# states a result ("This report concludes that ...") is no signpost. Used for broad answers only:
# a pointed question may ask what a chapter covers.
_DOC_NOUNS = (
    r"(?:chapter|section|part|annex|appendix|volume|report|review|advice|guidance|document|"
    r"briefing|note|paper|summary|framework|table|figure|list|letter|submission)s?"
)
SIGNPOSTS = re.compile(
    r"^\W*(?:"
    rf"(?:(?:this|these|the following|the present|the next|the previous) |"
    rf"(?:each|every|all|both|most|some) (?:of )?(?:the |these |its )?(?:\w+ )?)"
    rf"{_DOC_NOUNS}\b.{{0,80}}?"
    r"\b(?:describes?|sets? out|covers?|includes?|brings? together|explains?|provides?|"
    r"(?:begins?|ends?|opens?|closes?|starts?) with|"
    r"summari[sz]es?|contains?|outlines?|considers?|looks? at|examines?|deals? with|"
    r"(?:is|are) (?:divided|structured|organi[sz]ed|set out|listed|published|intended))\b"
    r"|(?:in|within|throughout|across) (?:this|these|the present|each of the|a number of "
    rf"(?:the )?)\s*(?:[\w‑-]+ ){{0,2}}?{_DOC_NOUNS}\b[^.;:]{{0,80}}?\b(?:sets? out|ha(?:s|ve) "
    r"set out|describes?|summari[sz]es?|considers?|explains?|examines?|addresses|discusses|"
    r"looks at|deals with)\b"
    r"|(?:see|refer to) (?:also )?(?:paragraphs?|sections?|chapters?|annex|appendix|pages?)\b"
    r"|(?:references|further (?:information|details|guidance)|more information)\b.{0,40}?"
    r"\b(?:are to|can be found|is available|are available)\b"
    r"|as part of (?:its|the|this|our) (?:investigation|inquiry|review|work)\b"
    r"|(?:[^.;:]{0,100}?,\s*)?(?:the|our) (?:review |inquiry )?(?:sub)?(?:committee|inquiry|"
    r"panel|review|reviewers?|commission|team) (?:also )?(?:collected|subpoenaed|interviewed|"
    r"spoke|received|held(?! that)|reviewed|took evidence|conducted|gathered|obtained|read|"
    r"released|visited|requested)\b"
    r"|(?:the|these|those) (?:\w+ ){1,2}(?:below|above)\b(?!\s+(?:the|a|an|its|their|this|that)\b)"
    r"|.{0,200}?\b(?:the following|as follows)\b(?![^:]*:)(?!\s+(?:[\w-]+\s+)?(?:years?|days?|"
    r"weeks?|months?|morning|afternoon|evening|night|decade|spring|summer|autumn|winter|"
    r"weekend|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\b)"
    r"|.{0,200}?\b(?:is|are|was|were|has been|have been) (?:also )?published (?:alongside|with) "
    r"(?:this|the|it)\b"
    r"|.{0,80}?\b(?:is|are) (?:also |further )?(?:addressed|discussed|considered|covered|"
    r"described|examined|explained|dealt with|set out) (?:further |in (?:more )?detail )?"
    rf"(?:in|under) (?:the |this |that )?(?:[\w’'“”-]+ ){{0,3}}?(?:{_DOC_NOUNS}|headings?)\b"
    r")",
    re.I,
)


# A sentence that asks ("What is this advice for?", "Was the accident survivable?") heads what
# follows or puts a question to a witness: like a signpost, it states nothing.
_ASKS = re.compile(r"\?[\"”’')\]]*\s*$")


def signpost(sentence: str) -> bool:
    """A sentence about the document or the inquiry's own work (see SIGNPOSTS), or one that
    asks (see _ASKS)."""
    return bool(SIGNPOSTS.search(sentence) or _ASKS.search(sentence))


def aims_of(question: str) -> list[Aim]:
    return [a for a in AIMS if a.asks.search(question)] or [AIMS[-1]]


def wanted_roles(question: str) -> frozenset[str]:
    """The block roles a broad question asks for; empty for a pointed question."""
    if not is_broad(question):
        return frozenset()
    return frozenset().union(*(a.roles for a in aims_of(question)))


# A pointed question about what a report recommended ("What notice period did the panel
# propose?", "How long is the ban under the review's recommendations?", examples ours) is
# answered by a recommendation: the verb, or the noun as what the fact is found in ("under /
# in / according to the recommendations"). The noun as the object of another act ("respond to
# / implement the recommendations") asks about that act, not about what was recommended.
RECOMMENDED = re.compile(
    r"\b(?:recommend(?:s|ed)?|propos(?:e|es|ed|ing))\b|"
    r"\b(?:under|in|by|according to) (?:the |its |their |[\w’'-]+ ){0,2}"
    r"(?:recommendations?|proposals?)\b",
    re.I,
)


def pointed_roles(question: str) -> frozenset[str]:
    """The block roles a pointed question asks for: a recommendation when it asks what was
    recommended (see RECOMMENDED); empty otherwise, and for a broad question (`wanted_roles`)."""
    if is_broad(question) or not RECOMMENDED.search(question):
        return frozenset()
    return frozenset({"recommendation"})


def topic_terms(question: str) -> set[str]:
    """The question's terms without the words that ask for a kind of statement."""
    return set(query_terms(question)) - BROAD_WORDS


def whole_report(question: str) -> bool:
    """A broad question with no topic beyond the names it calls reports and bodies by ("What
    did the Harbour Board's review recommend?", "What went wrong?"): every statement of the
    kind it asks for is an answer, and similarity to its words (the report's name, repeated
    on its title page) tells nothing."""
    names = {t for n in names_in(question) for t in tokenize(n)}
    return is_broad(question) and not (topic_terms(question) - names - _REPORT_WORDS)


# Words that name a document rather than a topic ("its annual report", "the second volume").
_REPORT_WORDS = frozenset(tokenize("report reports volume part chapter document its their the"))


@dataclass
class Point:
    score: float
    chunk: int  # index into the chunks
    start: int
    end: int


def broad_points(
    question: str,
    chunks: list[Passage],
    idf: Callable[[str], float],
    cfg: AnswerConfig,
    *,
    docs: list[str] | None = None,
    fresh: Callable | None = None,
) -> list[Point]:
    """Up to `cfg.broad_points` sentences from the first `cfg.broad_reach` chunks, at most
    `cfg.broad_per_passage` from one, best first; with `docs` (reports the question names)
    each named report gets its share, and a question asking for two kinds of statement gets
    each (the best chunk of a kind that has none within reach is read too). A sentence scores
    its chunk's rank weight x (its share of the topic terms + `broad_states` when it states
    what is asked + `broad_section` when its section is titled for it)."""
    aims = aims_of(question)
    terms = topic_terms(question)
    weight = fsum(idf(t) for t in terms) or 1.0
    top = chunks[0].score if chunks and chunks[0].score > 0 else 1.0
    cands: list[Point] = []
    kinds = [a.roles for a in aims if a.roles] if len(aims) > 1 else []
    scan = list(range(min(cfg.broad_reach, len(chunks))))
    for roles in kinds:  # a kind asked for with no chunk in reach: its best chunk joins
        if not any((chunks[i].role or "") in roles for i in scan):
            scan += [i for i, c in enumerate(chunks) if (c.role or "") in roles][:1]
    floor = cfg.broad_rank_floor
    for ci in scan:
        c = chunks[ci]
        if c.footnotes or (c.role or "") in NOT_POINTS:
            continue
        sents = [
            x
            for x in sentences(c.text)
            if quotable(c, x)
            and _whole(c.text, x)
            and not signpost(c.text[x.start : x.end])
            and not reference(c.text[x.start : x.end])
            and (fresh is None or fresh(c.text, x))
        ]
        segs = [c.text[x.start : x.end] for x in sents]
        shares = (
            sentence_scores(segs, terms, idf, weight, [], 0.0, related=cfg.related_stems)
            if terms
            else [0.0] * len(segs)
        )
        in_section = any(a.sections.search(f"{c.section or ''} {c.role or ''}") for a in aims)
        rank_w = max(floor, c.score / top) if c.score > 0 else floor
        for x, seg, share in zip(sents, segs, shares):
            states = any(a.states.search(seg) for a in aims)
            score = rank_w * (share + cfg.broad_states * states + cfg.broad_section * in_section)
            cands.append(Point(score, ci, x.start, x.end))
    cands.sort(key=lambda p: -p.score)
    # a question asking for two kinds of statement ("what went wrong, and what was
    # recommended?") gets the best point of each kind first, as two named reports each do
    return _spread(cands, chunks, cfg, docs, kinds)


def _spread(cands, chunks, cfg: AnswerConfig, docs, kinds=()) -> list[Point]:
    """The best candidates, no more than `per_chunk` from one chunk, each named report and
    each kind of statement asked for (block roles) first served in turn; returned in the
    order they will be read (best chunk first, text order)."""
    taken: list[Point] = []
    used: dict[int, int] = {}
    seen: set[str] = set()

    def take(p: Point) -> bool:
        # as read: a sentence printed twice with other note markers is one point
        text = " ".join(display_text(chunks[p.chunk].text[p.start : p.end]).split()).lower()
        words = sum(len(t.split()) for t in seen)  # `seen`: the points taken, as read
        full = len(taken) >= cfg.broad_points or (taken and words >= cfg.broad_words)
        if used.get(p.chunk, 0) >= cfg.broad_per_passage or text in seen or full:
            return False
        used[p.chunk] = used.get(p.chunk, 0) + 1
        seen.add(text)
        taken.append(p)
        return True

    for doc in docs or []:  # a part per named report
        for p in cands:
            if chunks[p.chunk].doc_id == doc and take(p):
                break
    # a part per kind of statement asked for: half the answer is shared out evenly between
    # the kinds, in turn, so "what went wrong, and what was recommended?" hears both; the
    # other half goes by score
    rounds = max(1, cfg.broad_points // (2 * len(kinds))) if kinds else 0
    for _ in range(rounds):
        for roles in kinds:
            for p in cands:
                if (chunks[p.chunk].role or "") in roles and take(p):
                    break
    best = cands[0].score if cands else 0.0
    for p in cands:
        if p.score >= cfg.broad_keep * best:
            take(p)
    first = {}
    for p in taken:
        first.setdefault(p.chunk, -p.score)
    return sorted(taken, key=lambda p: (first[p.chunk], p.chunk, p.start))


# its last mark: sentence punctuation, or a closing quote or bracket (a straight single quote
# only after sentence punctuation, "... the Commission's conclusion.'": alone it may be an
# apostrophe)
_WHOLE_END = re.compile(r"(?:[.!?\"”’)\]]|[.!?]')\s*$")
# note markers after a sentence's last mark ("... as follows:[12]", "... the crew.[7]"): read
# past, for the mark before them ends the sentence (a "]" of a marker is no closing bracket)
_MARKERS_END = re.compile(r"(?:\s*\[\d+\]_?)+$")
# A run-in heading: a title whose words are all capitalised but a title's small words, ended
# by a full stop and followed on the same line by what it heads ("2. Require Stronger Vetting.
# Councils should ...", "Staffing Shortfalls. The ward ran ...", examples ours). It names a
# topic and states nothing; the sentence after it is the point.
_SMALL = frozenset(re.findall(r"\w+", "a an and as at by for from in into of on or the to with"))
_RUN_IN_WORDS = 8  # a title of more words is rare; a capitalised line that long is a name list


def run_in_heading(seg: str) -> bool:
    """A run-in heading (see above): two to `_RUN_IN_WORDS` words, each capitalised or small."""
    words = re.findall(r"[\w’'-]+", seg)
    caps = [w for w in words if w[0].isupper() or w[0].isdigit()]
    return (
        2 <= len(words) <= _RUN_IN_WORDS
        and len(caps) >= 2
        and all(w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL for w in words)
    )


def _whole(text: str, x) -> bool:
    """A whole sentence: starts with a capital or quote (after any Markdown emphasis: "**Keep
    a log** of every call.", "**The log was never read.**") and ends with sentence punctuation
    (not 'and', not ':' introducing a list that is not quoted with it), and not a run-in
    heading."""
    seg = _MARKERS_END.sub("", text[x.start : x.end].strip()).rstrip("*_")
    head = seg.lstrip("*_")
    return (
        bool(head)
        and (head[0].isupper() or head[0] in '"“‘(')
        and bool(_WHOLE_END.search(seg))
        and not run_in_heading(seg)
    )
