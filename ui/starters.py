"""Starter questions: what the Ask tab offers before the first question, drawn from the
biggest real sections of what is indexed (`starter_questions`), with titles shortened to fit
a question (`short_title`).

Nothing here imports Gradio, so it is unit-testable without a server.
"""

from __future__ import annotations

import re
from collections import Counter

GENERIC_SECTIONS = {
    "contents",
    "table of contents",
    "foreword",
    "preface",
    "acknowledgements",
    "acknowledgments",
    "glossary",
    "index",
    "references",
    "bibliography",
    "appendix",
    "annex",
    "introduction",
    "abbreviations",
    "list of abbreviations",
    "terms of reference",
    "notes",
    "endnotes",
    "footnotes",
    "about this report",
    "copyright",
    "background",
    "summary",
    "purpose",
    "conclusion",
    "conclusions",
}
_NUMBERING = re.compile(
    r"^\s*(?:(?:chapter|part|section|volume|annex|appendix)\s+)?[\divxlcIVXLC]+(?:\.\d+)*[.:)]?\s+",
    re.I,
)


def _clean_section(section: str) -> str:
    s = _NUMBERING.sub("", section or "").strip(" .:-–—")
    return re.sub(r"\s+", " ", s)


def short_title(title: str, limit: int = 56) -> str:
    """A title short enough for a question, never cut mid-phrase: a long title gives its head
    before a colon or dash ("Wall Street and the Financial Crisis"), else stays whole."""
    title = re.sub(r"\s+", " ", title or "").strip()
    if len(title) <= limit:
        return title
    head = re.split(r"\s*(?::|\s[—–-])\s", title, maxsplit=1)[0].strip()
    return head if len(head.split()) >= 2 and len(head) < len(title) else title


def _topic(section: str) -> str | None:
    """A section heading as the object of a question, or None when it makes a poor one."""
    sec = _clean_section(section)
    head, colon, rest = sec.partition(":")
    if colon and rest.strip() and len(head.split()) <= 3:
        sec = rest.strip()
    words = sec.split()
    if not (1 <= len(words) <= 8) or len(sec) > 60 or not any(c.isalpha() for c in sec):
        return None
    if sec.lower() in GENERIC_SECTIONS or sec.isupper() or sec.endswith("?"):
        return None
    if _META.search(sec):
        return None
    if words[0].lower() in _WH and not _RECOMMEND.search(sec):
        return None
    if len(words) == 1 and not _RECOMMEND.search(sec) and words[0].lower() not in _ONE_WORD_OK:
        return None
    if _cut(words):
        return None
    return sec


# A heading cut by the converter or OCR ("scope ments for Standards Related to Rubber and"):
# it starts in lower case, ends on a word that needs a continuation, holds a word-end fragment
# or a token that is not a word.
_CONTINUES = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "its",
        "of",
        "on",
        "or",
        "the",
        "their",
        "to",
        "with",
        "without",
    ]
)
_FRAGMENTS = frozenset(
    [
        "ment",
        "ments",
        "tion",
        "tions",
        "sion",
        "sions",
        "ing",
        "ings",
        "ness",
        "ity",
        "ities",
        "ance",
        "ence",
    ]
)
_WORD = re.compile(r"^[(“\"‘']?[A-Za-z][A-Za-z'’-]*[)”\"’',;]?$|^\d{1,4}s?$|^[A-Z]{2,}s?$")


def _cut(words: list[str]) -> bool:
    if not (words[0][0].isupper() or words[0][0].isdigit()):
        return True
    if words[-1].lower().strip(",;:") in _CONTINUES or words[-1][-1] in "-,;":
        return True
    return any(w.lower() in _FRAGMENTS or not _WORD.match(w) for w in words)


_META = re.compile(
    r"\b(this|these) \w+|^purpose\b|^case stud(y|ies)$|"
    r"^(volume|part|chapter|module|section|annex|appendix|schedule|issue|item|finding|table|"
    r"figure|exhibit) [\w.]+$|\bI\b|^\w+,",
    re.I,
)
_WH = {"what", "how", "why", "when", "who", "where", "which"}
_RECOMMEND = re.compile(r"\brecommend", re.I)
_ONE_WORD_OK = {"escalation", "safeguarding", "neglect", "supervision", "training", "findings"}


def starter_questions(metas, titles: dict[str, str], n: int = 4) -> list[str]:
    """Questions drawn from what is indexed: the biggest real sections of each document.

    `metas`: chunk metadata (doc_id, section, roles); `titles`: doc_id -> title (the report's
    title for a part of a multi-file report). Round-robin over titles so every report gets a
    turn, however many files it has; falls back to the titles alone.
    """
    titles = {d: titles[d] for d in titles}
    by_title = {t: min(d for d in titles if titles[d] == t) for t in set(titles.values())}
    metas = [{**m, "doc_id": by_title.get(titles.get(m.get("doc_id") or ""), "")} for m in metas]
    titles = {d: t for t, d in by_title.items()}
    per_doc: dict[str, Counter] = {}
    for m in metas:
        roles = set((m.get("roles") or m.get("role") or "body").split(","))
        if roles & _NOT_TOPICS:
            continue  # contents, title pages and OCR noise make no questions
        topic = _topic(m.get("section") or "")
        title = titles.get(m.get("doc_id") or "", "")
        if topic and topic.lower() not in title.lower():
            per_doc.setdefault(m.get("doc_id") or "", Counter())[topic] += 1
    ranked = {d: [s for s, _ in c.most_common()] for d, c in per_doc.items()}
    out: list[str] = []
    docs = sorted(titles, key=lambda d: titles[d].lower())
    depth = 0
    while len(out) < n and any(depth < len(ranked.get(d, [])) for d in docs):
        for d in docs:
            secs = ranked.get(d, [])
            if len(out) >= n:
                break
            if depth < len(secs):
                q = _question(secs[depth], short_title(titles[d]))
            elif depth == 0:  # no section makes a question: the report still gets its turn
                q = f"What are the main findings of {short_title(titles[d])}?"
            else:
                continue
            if q not in out:
                out.append(q)
        depth += 1
    for d in docs:
        if len(out) >= n:
            break
        q = f"What are the main findings of {short_title(titles[d])}?"
        if q not in out:
            out.append(q)
    return out[:n]


_NOT_TOPICS = frozenset({"contents", "front", "noise"})


def _question(topic: str, title: str) -> str:
    if _RECOMMEND.search(topic):
        return f"What does {title} recommend?"
    if topic.lower() in ("findings", "conclusions", "key findings"):
        return f"What are the main findings of {title}?"
    words = topic.split()
    proper = len(words) > 1 and words[1][:1].isupper() and words[0].lower() not in _ARTICLES
    proper = proper or words[0].lower() in _MONTHS
    if not topic[:2].isupper() and not proper:  # keep acronyms and names ("Neil Wallis")
        topic = topic[0].lower() + topic[1:]
    return f"What does {title} say about {topic}?"


_ARTICLES = {"the", "a", "an"}
_MONTHS = set(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
