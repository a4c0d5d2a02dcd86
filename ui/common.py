"""Helpers the tabs share: filters, document choices, starter questions, passage HTML, errors.

Nothing here imports Gradio, so it is unit-testable without a server.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

from ingest.errors import InquiryError
from ui.safety import esc, highlight, printable

log = logging.getLogger("inquiry.ui")

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


def user_message(e: BaseException) -> str:
    """One clear line for the page: our own errors verbatim, anything else generic (and logged)."""
    if isinstance(e, InquiryError):
        return str(e)
    log.exception("unexpected error in the app")
    return f"Something went wrong ({type(e).__name__}). The details are in the server log."


# -- documents and filters --------------------------------------------------------------------
def doc_choices(docs) -> list[tuple[str, str]]:
    """(label, doc_id) per document for a dropdown (the Library's Remove list: files are what
    it removes); duplicate titles get their source appended."""
    counts = Counter(d.title for d in docs)
    out = []
    for d in sorted(docs, key=lambda d: (d.title.lower(), d.source)):
        title = printable(d.title)
        label = title if counts[d.title] == 1 else f"{title} ({printable(d.source)})"
        if d.year:
            label = f"{label} · {d.year}"
        out.append((label, d.doc_id))
    return out


def report_choices(docs) -> list[tuple[str, str]]:
    """(label, doc ids joined by ",") per report for the filters users scope questions with:
    a report of several files (the Leveson Report's 79 chapters) is one entry."""
    groups: dict[str, list] = {}
    for d in docs:
        groups.setdefault(getattr(d, "report", "") or f"doc:{d.doc_id}", []).append(d)
    named = []
    for parts in groups.values():
        first = parts[0]
        title = first.report_title if getattr(first, "report", "") else first.title
        named.append((title or first.source, first, parts))
    counts = Counter(t for t, _, _ in named)
    out = []
    for title, first, parts in sorted(named, key=lambda x: (x[0].lower(), x[1].source)):
        label = printable(title)
        if counts[title] > 1:
            label = f"{label} ({printable(first.source)})"
        year = next((d.year for d in parts if d.year), None)
        if len(parts) > 1:
            label = f"{label} · {len(parts)} parts"
        if year:
            label = f"{label} · {year}"
        out.append((label, ",".join(sorted(d.doc_id for d in parts))))
    return out


def chosen_docs(values) -> list[str]:
    """The doc ids a filter's selected values stand for (a report's value holds several)."""
    return [d for v in values or [] for d in str(v).split(",") if d.strip()]


def year_choices(docs) -> list[str]:
    return [str(y) for y in sorted({int(d.year) for d in docs if d.year}, reverse=True)]


def make_filters(doc_ids, years):
    """A Filters from the dropdowns' values, or None when nothing is selected."""
    from assistant.retrieve import Filters

    doc_ids = chosen_docs(doc_ids)
    years = [int(y) for y in (years or []) if str(y).strip().isdigit()]
    if not doc_ids and not years:
        return None
    return Filters(doc_ids=doc_ids or None, years=years or None)


# -- starter questions -----------------------------------------------------------------------
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


# -- passages --------------------------------------------------------------------------------
def cite_label(n: int | None, p) -> str:
    """'[n] Title · para 3.41 · p. 12': the one citation format (Passage.citation) as shown."""
    head = f"[{n}] " if n is not None else ""
    return head + p.citation(" · ")


def source_context(assistant, p) -> list:
    """A passage with its neighbouring chunks, in document order; a passage merged from
    neighbouring chunks is its own context. Raises what the index raises."""
    if len(p.chunk_ids) > 1:
        return [p]
    context = assistant.context(p.chunk_id, around=1)
    return context if any(c.chunk_id == p.chunk_id for c in context) else [p]


def ocr_note(p) -> str:
    """What the app and the CLI say of a passage read (in part) by OCR."""
    pages = ", ".join(map(str, p.ocr_pages))
    return f"text of p. {pages} read by OCR from a scanned page: check it against the page image"


def passage_html(context, focus_id: str | None, quote: str | None, heading: str = "") -> str:
    """The verbatim passage with its neighbours, the cited one framed and the quote marked."""
    if not context:
        return empty_html("No passage to show.")
    focus = next((p for p in context if p.chunk_id == focus_id), context[0])
    meta = esc(focus.citation(" · "))
    sec = f'<div class="ia-section">{esc(focus.section)}</div>' if focus.section else ""
    head = f'<div class="ia-kicker">{esc(heading)}</div>' if heading else ""
    blocks = []
    for p in context:
        is_focus = p.chunk_id == focus.chunk_id
        body = highlight(p.text, quote) if is_focus else esc(p.text)
        parts = p.citation_parts()[1:] + ([ocr_note(p)] if p.ocr_pages else [])
        label = " · ".join(esc(x) for x in parts) or "&nbsp;"
        cls = "ia-block ia-focus" if is_focus else "ia-block ia-near"
        blocks.append(
            f'<div class="{cls}"><div class="ia-loc">{label}</div>'
            f'<div class="ia-text">{body}</div></div>'
        )
    return (
        f'<div class="ia-passage">{head}<div class="ia-title">{meta}</div>{sec}'
        + "".join(blocks)
        + "</div>"
    )


def empty_html(text: str) -> str:
    return f'<div class="ia-empty">{esc(text)}</div>'


def notice_html(text: str, kind: str = "info") -> str:
    return f'<div class="ia-notice ia-{esc(kind)}">{esc(text)}</div>'


THEME_ARGS = {"font": ["system-ui", "sans-serif"], "font_mono": ["ui-monospace", "monospace"]}

CSS = """
.ia-header {display:flex; align-items:baseline; justify-content:space-between; gap:1rem;
  padding:.25rem .25rem .5rem; border-bottom:1px solid var(--border-color-primary);}
.ia-header h1 {font-size:1.35rem; margin:0; font-weight:650;}
.ia-header .ia-sub {color:var(--body-text-color-subdued); font-size:.9rem;}
.ia-user {font-size:.9rem; color:var(--body-text-color-subdued); white-space:nowrap;}
.ia-user a {margin-left:.6rem;}
.ia-passage {font-size:.95rem; line-height:1.5;}
.ia-kicker {text-transform:uppercase; letter-spacing:.04em; font-size:.75rem;
  color:var(--body-text-color-subdued); margin-bottom:.25rem;}
.ia-title {font-weight:600; margin-bottom:.15rem;}
.ia-section {color:var(--body-text-color-subdued); font-size:.85rem; margin-bottom:.5rem;}
.ia-block {padding:.5rem .75rem; margin:.4rem 0; border-radius:6px; white-space:pre-wrap;
  overflow-wrap:anywhere;}
.ia-near {color:var(--body-text-color-subdued); border-left:3px solid var(--border-color-primary);}
.ia-focus {background:var(--background-fill-secondary); border-left:3px solid var(--color-accent);}
.ia-loc {font-size:.75rem; color:var(--body-text-color-subdued); margin-bottom:.2rem;
  white-space:normal;}
.ia-passage mark {background:#fde68a; color:#1f2937; padding:0 .1em; border-radius:2px;}
.ia-empty {color:var(--body-text-color-subdued); font-style:italic; padding:1rem .25rem;}
.ia-notice {padding:.6rem .8rem; border-radius:6px; margin:.25rem 0;}
.ia-info {background:var(--background-fill-secondary);}
.ia-warn {background:#fef3c7; color:#78350f;}
.ia-error {background:#fee2e2; color:#7f1d1d;}
.ia-ok {background:#dcfce7; color:#14532d;}
.ia-detail .ia-block {max-height:22rem; overflow:auto;}
.ia-page-caption {font-size:.85rem; color:var(--body-text-color-subdued);}
.ia-doc-box {max-height:30rem; overflow:auto;}
.ia-doc {font-family:Georgia, "Times New Roman", serif; line-height:1.55; padding:.25rem .5rem;}
.ia-doc h3 {font-size:1.05rem; margin:.6rem 0 .3rem;}
.ia-doc p {margin:.35rem 0; white-space:pre-wrap; overflow-wrap:anywhere;}
.ia-doc-part {color:var(--body-text-color-subdued);}
.ia-doc mark {background:#fde68a; color:#1f2937;}
footer {display:none !important;}
#ex-table *, #lib-docs *, #lib-outcome * {font-family:var(--font) !important;}
#ex-table .body-cell, #lib-docs .body-cell, #lib-outcome .body-cell {font-size:.9rem;}
#ex-table .header-icons, #lib-docs .header-icons, #lib-outcome .header-icons {display:none;}
/* Excerpts ticks are the server's: a click on the read-only box reaches its cell */
#ex-table .bool-cell input[type=checkbox] {pointer-events:none;}
#ex-table .bool-cell, #ex-table .checkbox-container.disabled {cursor:pointer; opacity:1;}
.ia-pool {gap:6px !important;}
.ia-pool > .html-container, .ia-pool .prose {padding:0 !important;}
button.ia-chip {justify-content:flex-start !important; text-align:left !important;
  font-weight:400 !important; white-space:normal !important; line-height:1.35 !important;}
.ia-chips {flex-wrap:wrap !important;}
.ia-chips > button.ia-chip {flex:0 1 auto !important; min-width:0 !important; width:auto !important;
  border-radius:999px !important; padding:4px 12px !important;}
button.ia-source {border-left:3px solid var(--color-accent) !important;}
"""
