"""The recommendations register: each report's recommendations, numbered, listed under a
Recommendations / Lessons / "what must change" heading, or stated as "We recommend that ..."
(see listed.py for how, patterns.py for the patterns), with who they are addressed to; and
links between recommendations of different reports that make the same point."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.derive import patterns as P
from assistant.derive.document import DocView
from assistant.derive.items import RECOMMENDATION, Item
from assistant.derive.listed import Spec, extract
from index.lexical import tokenize

SPEC = Spec(
    kind=RECOMMENDATION,
    role="recommendation",
    numbered=P.NUMBERED_RECOMMENDATION,
    labelled=P.LABELLED_RECOMMENDATION,
    cue=P.RECOMMENDATION_CUE,
    normative=True,
)
SIMILAR = 0.35  # Jaccard similarity of stemmed words at which two reports' items are linked


def recommendations(view: DocView) -> list[Item]:
    return extract(view, SPEC)


@dataclass
class Link:
    item: Item
    other: Item
    similarity: float


def similar_across(items: list[Item], threshold: float = SIMILAR) -> list[Link]:
    """Pairs of items from different reports sharing at least `threshold` of their words
    (Jaccard over stemmed content words), most similar first."""
    words = [frozenset(tokenize(i.text)) for i in items]
    links = []
    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            if items[a].doc_id == items[b].doc_id or not words[a] or not words[b]:
                continue
            sim = len(words[a] & words[b]) / len(words[a] | words[b])
            if sim >= threshold:
                links.append(Link(items[a], items[b], round(sim, 3)))
    return sorted(links, key=lambda link: -link.similarity)
