"""Direct look-ups: the chunk labels a question names ("paragraph 4.12", "para 64", "page 21",
"Recommendation 3") and the named paragraph cut out whole (assistant/retrieve.py
`Retriever._direct`)."""

from __future__ import annotations

import re

from assistant.neighbours import merge_neighbours
from assistant.types import Passage


def para_match(label, wanted: list[str]) -> bool:
    """A chunk's paragraph label ('1.7', '1.6-1.8', '3.1, 3.4') names a wanted paragraph."""
    if not label:
        return False
    for piece in str(label).split(","):
        piece = piece.strip()
        if piece in wanted:
            return True
        if "-" in piece:  # a range of labels of one form: '3.5-3.7' holds 3.6, not 3.25
            lo, hi = (_label_key(x) for x in piece.split("-", 1))
            for w in map(_label_key, wanted):
                if len(lo) == len(w) == len(hi) and lo <= w <= hi:
                    return True
    return False


def whole_paragraphs(hits: list[Passage], wanted: list[str], fetch) -> list[Passage]:
    """Per document, the chunks of a named paragraph (consecutive ordinals) joined into one
    passage, its text cut to that paragraph alone when the chunks hold its neighbours too."""
    groups: list[list[Passage]] = []
    for p in sorted(hits, key=lambda p: (p.doc_id, p.ordinal)):
        g = groups[-1] if groups else None
        if g and g[-1].doc_id == p.doc_id and p.ordinal - g[-1].ordinal == 1:
            g.append(p)
        else:
            groups.append([p])
    first = {p.chunk_id: i for i, p in enumerate(hits)}
    groups.sort(key=lambda g: min(first[p.chunk_id] for p in g))
    out = []
    for g in groups:
        p = g[0] if len(g) == 1 else merge_neighbours(g, fetch, len(g), len(g))[0]
        p.score = 1.0
        out.append(_cut_to(p, wanted))
    return out


def _cut_to(p: Passage, wanted: list[str]) -> Passage:
    """The passage cut to the first wanted paragraph it holds: from its label at the start of
    a line to the next label of the same form (verbatim text; span and label follow)."""
    from dataclasses import replace

    for label in wanted:
        start = re.search(rf"(?m)^[ \t]*{re.escape(label)}\.?(?=\s)", p.text)
        if start is None:
            continue
        form = r"\d+" + r"\.\d+" * label.count(".")
        nxt = re.compile(rf"(?m)^[ \t]*{form}\.?(?=\s)")
        end = next(
            (m for m in nxt.finditer(p.text, start.end()) if m.group().strip(" \t.") != label), None
        )
        a, b = start.start(), end.start() if end else len(p.text)
        text = p.text[a:b].rstrip()
        if text == p.text:
            return p
        span = (p.span[0] + a, p.span[0] + a + len(text)) if p.span else None
        return replace(p, text=text, span=span, para=label)
    return p


def _label_key(label: str) -> tuple:
    return tuple(int(x) for x in label.split(".") if x.isdigit())


def page_match(meta: dict, wanted: list[str]) -> bool:
    label = str(meta.get("page_label") or "").lower()
    return any(w.lower() == label for w in wanted)


# A numbered item a question names: "What was Recommendation 3 of the review?", "finding 2".
ITEM_RE = re.compile(r"\b(recommendation|finding|conclusion|lesson)\s+(\d{1,3})\b", re.I)


def item_patterns(query: str) -> list[re.Pattern]:
    """For each numbered item the query names, the pattern of the block that states it: the
    item's name and number opening a line (after a paragraph number at most) and followed by
    ':' or '.' ("7.2 Recommendation 3: The council should ..."), not a mention of it in passing
    ("as Recommendation 3 asked")."""
    return [
        re.compile(rf"(?im)^[ \t\W]{{0,3}}(?:\d+(?:\.\d+)*\.?\s+)?{word}\s+{n}\s*[:.–—-]")
        for word, n in ITEM_RE.findall(query)
    ]


def item_span(query: str, text: str) -> tuple[int, int] | None:
    """(start, end) in `text` of the block stating the first numbered item the query names:
    from its name to the blank line after it."""
    found = next((m for pat in item_patterns(query) for m in [pat.search(text)] if m), None)
    if found is None:
        return None
    gap = re.search(r"\n\s*\n", text[found.end() :])
    return found.start(), found.end() + gap.start() if gap else len(text)
