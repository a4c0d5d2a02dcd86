"""Retrieval stages as small functions: fusion, then rescorers that each ADD a named term.

A passage's `stages` dict holds what every stage contributed and `score` is their sum, so no
stage mutates another's number and each one's worth can be measured by switching it off
(`RetrievalConfig.off`, `inquiry eval --ablate STAGE`). The order and the reasons for each
weight are in assistant/tuning.py.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.qtypes import answer_patterns
from assistant.sentences import idf_share, sentence_scores, sentences
from assistant.tuning import RetrievalConfig
from assistant.types import Passage


def contribute(p: Passage, stage: str, value: float) -> None:
    """Record what `stage` adds to `p` and keep `score` the sum of all contributions."""
    if value:
        p.stages[stage] = p.stages.get(stage, 0.0) + float(value)
    p.score = sum(p.stages.values())


# -- fusion ------------------------------------------------------------------------------------
def linear_fusion(cands: dict[str, list], cfg: RetrievalConfig) -> dict[str, dict[str, float]]:
    """score = w_d * cosine + w_l * BM25 / best BM25 (raw scores, so a near-perfect match keeps
    its margin). `cands`: chunk id -> [row, cosine or None, BM25 relative to the best]."""
    out = {}
    for cid, (_, dense, lexical) in cands.items():
        terms = {}
        if cfg.on("dense"):
            terms["dense"] = cfg.dense_weight * (dense or 0.0)
        if cfg.on("lexical"):
            terms["lexical"] = cfg.lexical_weight * lexical
        out[cid] = terms
    return out


def rrf_fusion(
    dense_order: list[str], lexical_order: list[str], cfg: RetrievalConfig
) -> dict[str, dict[str, float]]:
    """Reciprocal rank fusion (Cormack, Clarke & Buettcher, "Reciprocal rank fusion
    outperforms Condorcet and individual rank learning methods", SIGIR 2009): each list adds
    1 / (k + rank). Scaled by (k + 1) so that a first place is worth 1.0, the unit of the
    other stages' weights."""
    k = cfg.rrf_k
    out: dict[str, dict[str, float]] = {}
    for stage, order, w in (
        ("dense", dense_order, cfg.dense_weight),
        ("lexical", lexical_order, cfg.lexical_weight),
    ):
        if not cfg.on(stage):
            continue
        for rank, cid in enumerate(order, 1):
            out.setdefault(cid, {})[stage] = w * (k + 1) / (k + rank)
    return out


# -- rescorers ---------------------------------------------------------------------------------
def coverage(ps: list[Passage], terms: set[str], weight: float, lex, w: float) -> None:
    """The idf-weighted share of the question's terms each chunk (with its title, section and
    path) holds."""
    for p in ps:
        row = lex.row_of(p.chunk_id)
        if row is not None:
            contribute(p, "coverage", w * idf_share(terms, lex.row_terms(row), lex.idf, weight))


def named(ps: list[Passage], docs: set[str], bonus: float, stage: str = "named") -> None:
    """Chunks of the reports the question calls by name (or, as the `person` stage, of the
    reports that use the anonymised name it gives)."""
    for p in ps:
        if p.doc_id in docs:
            contribute(p, stage, bonus)


def role(ps: list[Passage], penalties: dict[str, float]) -> None:
    """Chunks whose block role is navigation or reference (contents, front matter,
    footnotes) are pushed down by their role's penalty."""
    for p in ps:
        r = "footnote" if p.footnotes else (p.role or "")
        if r in penalties:
            contribute(p, "role", -penalties[r])


def aim(ps: list[Passage], roles: frozenset[str], bonus: float) -> None:
    """Chunks whose block role (or one of their roles) is among `roles`: what a broad question
    asks for (assistant/broad.py `wanted_roles`), or a pointed question about what was
    recommended (`pointed_roles`)."""
    if not roles:
        return
    for p in ps:
        mine = {p.role or ""} | set(filter(None, (p.roles or "").split(",")))
        if mine & roles:
            contribute(p, "aim", bonus)


def by_sentence(
    ps: list[Passage],
    question: str,
    terms: set[str],
    weight: float,
    idf: Callable[[str], float],
    cfg: RetrievalConfig,
    expand=None,
) -> None:
    """The top passages gain their best sentence's score: the share of the question's terms
    in ONE sentence (and `sentence_near` of its neighbour's), plus `sentence_cue` when it holds
    what the question's type asks for (assistant/qtypes.py)."""
    cues = answer_patterns(question)
    for p in ps[: cfg.sentence_top]:
        segs = [p.text[x.start : x.end] for x in sentences(p.text)]
        scores = sentence_scores(
            segs,
            terms,
            idf,
            weight,
            cues,
            cfg.sentence_cue,
            cfg.sentence_near,
            cfg.sentence_related,
            None if expand is None else (lambda text, words, d=p.doc_id: expand(d, text, words)),
        )
        contribute(p, "sentence", cfg.sentence_weight * max(scores, default=0.0))
