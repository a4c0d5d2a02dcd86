"""Listed items of a report: its recommendations or its findings, found three ways.

1. **Numbered**: a paragraph that starts "Recommendation 4:", "R12.", "4.271 Recommendation",
   "Finding 3:" (patterns.py), wherever it is.
2. **Section**: the paragraphs and list items under a heading of the kind ("7. Recommendations",
   "Key findings", "What must change"), up to the next heading of the same or a higher level;
   the sentence that introduces them ("The review makes the following recommendations") is not
   one, and a recommendation asks for something (should, must, shall, ensure...).
3. **Cue** (recommendations only): a sentence that says so in running text ("We recommend
   that ...", "The Committee recommends ..."); one that ends with a colon ("Accordingly, I
   recommend:") introduces the item, which is the text after it.

A chunk whose metadata carries a block `role` of the kind (set at ingest) counts as in a
section of that kind. Each item is the whole paragraph (with its list items and its
continuation across chunk and page breaks), verbatim. A report restating an item it already
made (a summary list repeated in the body) keeps the first and notes where it is repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.derive import patterns as P
from assistant.derive.document import DocView, Paragraph
from assistant.derive.items import Item, make_item
from assistant.sentences import split_sentences
from index.lexical import tokenize

_DEPTH = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})*)\.?\s|^(?P<a>[A-Z]|[IVX]{1,5})\.\s")
_WORDS = re.compile(r"\w+")
DUPLICATE = 0.85  # share of an item's words found in an earlier item: the same item restated


@dataclass
class Spec:
    kind: str  # items.RECOMMENDATION | items.FINDING
    role: str  # the block role ingest gives such paragraphs
    numbered: re.Pattern
    labelled: re.Pattern | None
    cue: re.Pattern | None
    normative: bool  # a section paragraph must ask for something


def heading_depth(text: str) -> int:
    """1 for "7. Recommendations", 2 for "6.2 Findings", 0 for an unnumbered heading."""
    m = _DEPTH.match(text.strip())
    if not m:
        return 0
    return len(m.group("n").split(".")) if m.group("n") else 1


def walk(view: DocView) -> list[tuple[Paragraph, str | None]]:
    """The body paragraphs of a document with the kind of section each is in ('recommendation',
    'finding', 'chronology' or None). A section of a kind runs from its heading to the next
    heading of the same or a higher level (an unnumbered heading under a numbered one is a
    sub-heading; "Autumn 2022" continues a chronology); lines of a table of contents and
    footnotes are left out."""
    out: list[tuple[Paragraph, str | None]] = []
    area, area_depth = None, 0
    for p in view.paragraphs():
        text = view.span(p.start, p.end)
        if p.first.heading:
            if P.CONTENTS_LINE.search(text):
                continue
            kind = P.heading_kind(text)
            depth = heading_depth(text)
            if kind:
                area, area_depth = kind, depth
            elif area and not (area_depth and not depth) and not _sub_heading(text, area):
                area = None
            continue
        if not p.first.footnotes:
            out.append((p, area))
    return out


def extract(view: DocView, spec: Spec) -> list[Item]:
    items: list[Item] = []
    paragraphs = walk(view)
    body = [p for p, _ in paragraphs]
    listed, last_area = 0, None
    i = 0
    while i < len(paragraphs):
        p, area = paragraphs[i]
        text = view.span(p.start, p.end)
        if area != last_area:
            listed, last_area = 0, area
        item = _numbered(view, p, text, spec)
        if item is None and (area == spec.kind or p.first.role == spec.role):
            listed += 1
            item = _in_section(view, p, text, spec, listed)
        if item is None and spec.cue is not None:
            item, used = _cued(view, body, i, text, spec)
            if item is not None:
                items.append(item)
                i += used
                continue
        if item is not None:
            items.append(item)
        i += 1
    return _dedupe(items)


def _sub_heading(text: str, area: str) -> bool:
    return area == "chronology" and bool(P.CHRONOLOGY_SUBHEADING.match(text.strip()))


def _body(text: str) -> int:
    """Offset of the body after a leading paragraph label."""
    m = re.match(r"\d{1,3}(?:\.\d{1,3}){0,3}\.?\s+", text)
    return m.end() if m else 0


def _numbered(view: DocView, p: Paragraph, text: str, spec: Spec) -> Item | None:
    m = spec.numbered.match(text) or (spec.labelled.match(text) if spec.labelled else None)
    if not m:
        return None
    number = m.groupdict().get("number") or m.groupdict().get("r")
    return _item(view, p, spec, number, m.end(), "numbered")


def _in_section(view: DocView, p: Paragraph, text: str, spec: Spec, n: int) -> Item | None:
    first = " ".join(text.split())[:300]
    if P.INTRODUCTION.search(first):
        return None
    body = text[_body(text) :]
    if len(_WORDS.findall(body)) < 4:
        return None
    if spec.normative and not P.NORMATIVE.search(body):
        return None
    how = "role" if p.first.role == spec.role else "section"
    li = P.LIST_ITEM.match(body)
    number = None
    if li and li.group("n"):
        number = li.group("n")
    elif body.startswith("#."):
        number = str(n)
    at = _body(text) + (li.end() if li else 0)
    return _item(view, p, spec, number, at, how)


def _cued(view: DocView, paragraphs: list[Paragraph], i: int, text: str, spec: Spec):
    """(item, paragraphs used) for a cue sentence in running text, else (None, 0)."""
    p = paragraphs[i]
    for s, e in split_sentences(text):
        sentence = text[s:e]
        if not spec.cue.search(sentence) or P.INTRODUCTION.search(sentence):
            continue
        if sentence.rstrip().endswith(":"):
            rest = text[e:].strip()
            if rest:  # the recommendation follows in the same paragraph (its list or quote)
                at = p.start + e + (len(text[e:]) - len(text[e:].lstrip()))
                return _span_item(view, p, spec, at, p.end, "cue"), 1
            if i + 1 < len(paragraphs) and not paragraphs[i + 1].first.heading:
                q = paragraphs[i + 1]
                return _item(view, q, spec, None, _body(view.span(q.start, q.end)), "cue"), 2
            return None, 0
        return _span_item(view, p, spec, p.start + s, p.start + e, "cue"), 1
    return None, 0


def _item(view: DocView, p: Paragraph, spec: Spec, number, offset: int, how: str) -> Item:
    """The whole paragraph; `offset`: where its body starts, after the label and number."""
    item = _span_item(view, p, spec, p.start, p.end, how)
    item.number = number
    if spec.kind == "recommendation":
        item.addressee = addressee(view.span(p.start, p.end)[offset:])
    return item


def _span_item(view: DocView, p: Paragraph, spec: Spec, start: int, end: int, how: str) -> Item:
    units = [u for u in p.units if u.end > start and u.start < end] or p.units[:1]
    item = make_item(spec.kind, view, units, start, end, how=how)
    if spec.kind == "recommendation":
        item.addressee = addressee(view.span(start, end)[_body(view.span(start, end)) :])
    return item


def addressee(body: str) -> str | None:
    """Who the text says should act: 'The NSCP should ...' -> 'The NSCP'."""
    body = re.sub(r"^[*_“\"]+", "", body.strip())
    body = re.sub(r"^that\s+", "", body, flags=re.I)
    m = P.ADDRESSEE_VERB.search(body, 0, 240)
    if not m:
        return None
    who = body[: m.start()].strip(" ,*_")
    if "," in who and P.LEADING_CLAUSE.match(who):  # "Within a year, the Board should"
        who = who.rsplit(",", 1)[1].strip()
    if (
        not (who[:1].isupper() or who.startswith("the "))
        or len(who.split()) > 14
        or re.search(r"[.;:!?\n]", who)
    ):
        return None
    if who.lower() in ("it", "this", "there", "that", "they", "we", "i"):
        return None
    return who


def _dedupe(items: list[Item]) -> list[Item]:
    kept: list[Item] = []
    seen: list[tuple[Item, set[str]]] = []
    for item in items:
        words = set(tokenize(item.text))
        twin = next(
            (k for k, w in seen if words and len(words & w) >= DUPLICATE * len(words)), None
        )
        if twin is not None:
            if item.para and item.para not in twin.repeated_at:
                twin.repeated_at.append(item.para)
            continue
        kept.append(item)
        seen.append((item, words))
    return kept
