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

_DEPTH = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})*)\.?\s|^(?P<a>[A-Za-z]|[IVXivx]{1,5})[.)]\s")
_WORDS = re.compile(r"\w+")
DUPLICATE = 0.85  # share of the shorter item's words in the other: the same item restated
MIN_WORDS_TO_MATCH = 8  # ... when the shorter has at least this many distinct words


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
    'finding', 'chronology', 'mixed' or None).

    A section of a kind runs from its heading to the next heading of the same or a higher
    level. An unnumbered heading under a numbered one is a sub-heading ("Autumn 2022" under
    "3. Chronology"); under an unnumbered one it is a sub-heading when the paragraph after it
    carries on the list (the next number, a list item), else the section has ended. Paragraph
    3.3 under "2. Recommendations" has left chapter 2. Table-of-contents lines and footnotes
    are left out."""
    out: list[tuple[Paragraph, str | None]] = []
    area, area_depth, chapter, on_trial, last, own_list = None, 0, None, False, 0, None
    paragraphs = view.paragraphs()
    skip = False
    for n, p in enumerate(paragraphs):
        if skip:
            skip = False
            continue
        text = view.span(p.start, p.end)
        nxt = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
        if p.first.heading and nxt is not None and _runs_on(view, p, nxt):
            p, skip = Paragraph(p.units + nxt.units), True  # "### Do this. Regulators should"
            text = view.span(p.start, p.end)  # + "> do it": one sentence
        elif p.first.heading:
            if P.CONTENTS_LINE.search(text):
                continue
            kind = P.heading_kind(text)
            depth = heading_depth(text)
            if kind:
                own_list = own_list if kind == area else None  # a list running on
                area, area_depth, on_trial = kind, depth, False
                chapter = text.split(".")[0].strip() if depth == 1 and text[:1].isdigit() else None
            elif area and area_depth and not depth or area and _sub_heading(text, area):
                pass  # a sub-heading of a numbered section
            elif area and not area_depth and not depth:
                on_trial = True  # kept if the list carries on after it
            elif area:
                area = None
            continue
        number = _list_number(text, p)
        if area and own_list is None and number is not None:
            own_list = number == 1  # the section's own list, not paragraph numbers running on
        if on_trial:
            on_trial = False
            if number is None or not (number == 1 or own_list and last < number <= last + 3):
                area = None
        if area and chapter and p.first.label and p.first.label.split(".")[0] != chapter:
            area = None  # paragraph 3.3 under "2. Recommendations": chapter 2 has ended
        if number is not None:
            last = number
        if not p.first.footnotes:
            out.append((p, area))
    return out


def _list_number(text: str, p: Paragraph) -> int | None:
    """The number of a list item or numbered paragraph ("12. ...", "(3) ..."), if any."""
    if p.first.label and p.first.label.isdigit():
        return int(p.first.label)
    m = P.LIST_ITEM.match(text)
    return int(m.group("n")) if m and m.group("n") and m.group("n").isdigit() else None


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
            items.extend(_run_on(view, item) if item.how in ("section", "role") else [item])
        i += 1
    return _dedupe(items)


def _runs_on(view: DocView, p: Paragraph, nxt: Paragraph) -> bool:
    """A 'heading' the converter cut from its sentence: the next block starts in lower case
    and the heading ends on a word that cannot end a sentence ("... regulators should")."""
    head = view.span(p.start, p.end).rstrip()
    body = view.span(nxt.start, nxt.end).lstrip("> \t\n")
    return bool(body[:1].islower() and head[-1:].isalpha() and len(head.split()) >= 4)


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
    skip = _body(text) if p.first.label else 0  # a paragraph label, not a list number
    body = text[skip:]
    if len(_WORDS.findall(body)) < 4:
        return None
    li = P.LIST_ITEM.match(body)
    listed = li or body.startswith("#.") or (p.first.label and p.first.label.isdigit())
    if spec.normative and not listed and not P.NORMATIVE.search(_first_sentence(body)):
        return None  # a list item under a Recommendations heading is one; prose must ask
    how = "role" if p.first.role == spec.role else "section"
    number = None
    if li and li.group("n"):
        number = li.group("n")
    elif body.startswith("#."):
        number = str(n)
    elif p.first.label and p.first.label.isdigit():  # "1. Ensure ..." read as paragraph 1
        number = p.first.label
    at = skip + (li.end() if li else 0)
    return _item(view, p, spec, number, at, how)


def _first_sentence(text: str) -> str:
    """The first sentence, and the second when the first is a title ("Strengthen
    Disclosure. The SEC should ...")."""
    spans = split_sentences(text)
    if not spans:
        return text
    end = spans[1][1] if len(spans) > 1 and len(text[: spans[0][1]].split()) <= 8 else spans[0][1]
    return text[spans[0][0] : end]


def _run_on(view: DocView, item: Item) -> list[Item]:
    """Split "1. Do this. 2. Do that." (a list run into one block) into its items."""
    number = item.number
    if not number or not number.isdigit():
        return [item]
    cuts = []
    want = int(number) + 1
    for m in P.RUN_ON_ITEM.finditer(item.text):
        if int(m.group("n")) == want:
            cuts.append(m.start("n"))
            want += 1
    if not cuts:
        return [item]
    out = []
    bounds = [0, *cuts, len(item.text)]
    for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
        part = item.text[a:b].rstrip()
        piece = Item(**{**item.__dict__, "chunk_ids": list(item.chunk_ids), "repeated_at": []})
        piece.text, piece.start, piece.end = part, item.start + a, item.start + a + len(part)
        piece.number = str(int(number) + k)
        piece.addressee = addressee(re.sub(r"^\d{1,2}\.\s+", "", part))
        out.append(piece)
    return out


def _cued(view: DocView, paragraphs: list[Paragraph], i: int, text: str, spec: Spec):
    """(item, paragraphs used) for a cue sentence in running text, else (None, 0)."""
    p = paragraphs[i]
    if not spec.cue.search(text):
        return None, 0
    for s, e in split_sentences(text):
        sentence = text[s:e]
        cue = spec.cue.search(sentence)
        if not cue or P.INTRODUCTION.search(sentence) or _quoted(text, s + cue.start()):
            continue  # a quoted recommendation is another body's
        if sentence.rstrip().endswith(":"):
            # "Accordingly, I recommend:" introduces the text after it; "I recommend that
            # the panel:" starts it
            own = len(sentence[cue.end() :].split()) >= 3
            rest = text[e:].strip()
            if rest:  # the recommendation follows in the same paragraph (its list or quote)
                at = p.start + (s if own else e + len(text[e:]) - len(text[e:].lstrip()))
                return _span_item(view, p, spec, at, p.end, "cue"), 1
            if i + 1 < len(paragraphs) and not paragraphs[i + 1].first.heading:
                q = paragraphs[i + 1]
                if own:
                    units = [u for u in p.units if u.end > p.start + s] + q.units
                    return _span_item(view, Paragraph(units), spec, p.start + s, q.end, "cue"), 2
                return _item(view, q, spec, None, _body(view.span(q.start, q.end)), "cue"), 2
            return None, 0
        return _span_item(view, p, spec, p.start + s, p.start + e, "cue"), 1
    return None, 0


def _quoted(text: str, at: int) -> bool:
    """Whether offset `at` is inside a quotation ("... responded: “I would recommend ...")."""
    before = text[:at]
    curly = before.count("“") - before.count("”")
    return curly > 0 or before.count('"') % 2 == 1 or text[at - 1 : at] in ("“", '"', "‘")


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
            (
                k
                for k, w in seen
                if words
                and w
                and len(words & w) >= DUPLICATE * min(len(words), len(w))
                and min(len(words), len(w)) >= MIN_WORDS_TO_MATCH
            ),
            None,
        )
        if twin is not None:
            if item.para and item.para not in twin.repeated_at:
                twin.repeated_at.append(item.para)
            continue
        kept.append(item)
        seen.append((item, words))
    return kept
