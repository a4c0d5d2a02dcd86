"""Helpers the tabs share: filters, document choices, passage HTML, errors (the starter
questions are in ui/starters.py, re-exported here).

Nothing here imports Gradio, so it is unit-testable without a server.
"""

from __future__ import annotations

import logging
from collections import Counter

from ingest.errors import InquiryError
from ui.safety import esc, highlight, printable
from ui.starters import short_title as short_title  # re-exported: tests import them from here
from ui.starters import starter_questions as starter_questions

log = logging.getLogger("inquiry.ui")


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
