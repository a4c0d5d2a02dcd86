"""Hybrid retrieval as named stages (assistant/tuning.py lists them, assistant/stages.py holds
them): dense (Chroma) and lexical (BM25) candidates, fused (linear or RRF), rescored by query
coverage, named reports, block roles and best sentence, near-copies dropped, neighbours merged.
Each passage carries what every stage added (`Passage.stages`).

"paragraph 4.12 of the ward review", "para 64", "page 21 of the guidance" go straight to that
passage. A question asking two things of two named reports is searched part by part and the
results interleaved.
"""

from __future__ import annotations

import re
import threading
import time
from itertools import zip_longest
from math import fsum
from pathlib import Path

import numpy as np

from assistant import stages
from assistant.broad import pointed_roles, wanted_roles, whole_report
from assistant.filters import Filters
from assistant.lookup import item_patterns, page_match, para_match, whole_paragraphs
from assistant.neighbours import merge_neighbours, whole_blocks
from assistant.sentences import (
    GENERIC_NAMES,
    described_reports,
    letter_names,
    name_phrases,
    sub_questions,
)
from assistant.tuning import RetrievalConfig
from assistant.types import Passage, to_passage
from index.lexcache import load_or_build
from index.lexical import LexicalIndex
from index.tokens import query_terms, tokenize

__all__ = ["Filters", "Retriever", "to_passage"]

_PARA_RE = re.compile(r"\b(?:paragraphs?|paras?\.?|¶)\s*(\d+(?:\.\d+)*)", re.I)
_PAGE_RE = re.compile(r"\b(?:page|p\.)\s*(\d+|[ivxlc]+)\b", re.I)


class Retriever:
    """Dense + lexical retrieval over one ChunkStore. Thread-safe; models load once."""

    def __init__(
        self, store, embedder, cache_dir: Path | None, config: RetrievalConfig | None = None
    ):
        self.store = store
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.config = config or RetrievalConfig()
        self._lex: LexicalIndex | None = None
        self._gen = None
        self._lock = threading.Lock()

    def lexical(self, active: dict[str, str] | None = None) -> LexicalIndex:
        """The BM25 index for a snapshot of the catalogue (rebuilt when a document changed)."""
        active = self.store.active_versions() if active is None else active
        gen = self.store.generation(active)
        with self._lock:
            if self._lex is None or gen != self._gen:
                most = self.config.exact_dense_max if self.config.on("dense") else 0
                self._gen, self._lex = load_or_build(self.store, self.cache_dir, active, most)
            return self._lex

    def current(self) -> LexicalIndex:
        """The lexical index the last retrieval used (built now if there was none)."""
        return self._lex if self._lex is not None else self.lexical()

    def _snapshot_query(self, vecs, filters: Filters):
        """Dense results (one list per query vector) and the lexical index for ONE catalogue
        snapshot.

        Replacing a document flips its catalogue record between adding the new chunks and
        deleting the old ones; if the catalogue did not change while we queried, every chunk
        of the snapshot's versions was present, so the results hold one version of each
        document, never both and never neither. Otherwise query again.
        """
        for _ in range(10):
            active = self.store.active_versions()
            lex = self.lexical(active)
            dense = [
                self._dense(lex, v, self.config.candidates, filters, active=active)
                if v is not None
                else []
                for v in vecs
            ]
            if self.store.active_versions() == active:
                break
        return active, lex, dense

    def retrieve(
        self, query: str, k: int = 10, filters: Filters | None = None, timings: dict | None = None
    ) -> list[Passage]:
        """The k best passages. A question that asks two things is searched part by part and
        the results interleaved, so each part gets its passages (cross-report questions)."""
        filters = filters or Filters()
        timings = timings if timings is not None else {}
        cfg = self.config
        parts = self._parts(query)
        t0 = time.perf_counter()
        embed = getattr(self.embedder, "embed_query", self.embedder.embed)
        vecs = embed(parts) if cfg.on("dense") else [None] * len(parts)
        t1 = time.perf_counter()
        active, lex, dense = self._snapshot_query(vecs, filters)
        t2 = time.perf_counter()
        direct = self._direct(query, lex, filters)
        allowed = self._allowed_docs(lex, filters)
        rankings = []
        for part, vec, hits in zip(parts, vecs, dense):
            lexical = []
            if cfg.on("lexical"):
                lexical = lex.search(part, cfg.candidates, allowed, spell=cfg.on("spell"))
            if cfg.on("scope"):
                hits, lexical = self._scope(part, vec, hits, lexical, lex, filters, active)
            lexical = [
                (row, score)
                for row, score in lexical
                if active.get(lex.metas[row].get("doc_id")) == lex.metas[row].get("version")
            ]
            rankings.append(self._rank(vec, hits, lexical, lex, part))
        t3 = time.perf_counter()
        ranked = _interleave([direct, *rankings])
        if cfg.on("split") and len(rankings) == 1:
            ranked = _each_report(ranked, _docs_called(query, lex, cfg.name_share))
        overlap = cfg.duplicate_overlap if cfg.on("distinct") else 1.01
        ranked = _distinct(ranked, k + cfg.merge_window, overlap)
        if cfg.on("merge") and cfg.merge_span > 1 and not direct:  # "para 4.12": as it is
            for i, p in enumerate(ranked):
                p.rank = i + 1  # the parts of merged passages keep these
            ranked = merge_neighbours(ranked, self._neighbour, cfg.merge_window, cfg.merge_span)
        if cfg.on("whole") and cfg.whole_chunks > 1 and not direct:
            ranked = whole_blocks(ranked, self._neighbour, cfg.whole_window, cfg.whole_chunks)
        for i, p in enumerate(ranked[:k]):
            p.rank = i + 1
        timings.update(
            embed_ms=(t1 - t0) * 1000, dense_ms=(t2 - t1) * 1000, lexical_ms=(t3 - t2) * 1000
        )
        return ranked[:k]

    def _scope(self, part, vec, hits, lexical, lex: LexicalIndex, filters: Filters, active):
        """For a broad question, the chunks of the roles it asks for (in the reports it names)
        join the candidates: what 'what did the inquiry recommend about X' wants often shares
        few words with it. When it has no topic beyond the report's name (`whole_report`), they
        are the only candidates, if the reports have any."""
        roles = wanted_roles(part)
        if not roles:
            return hits, lexical
        n = self.config.scope_candidates
        docs = _docs_called(part, lex, self.config.name_share)
        scoped = Filters(sorted(docs) if docs else filters.doc_ids, filters.years)
        allowed = self._allowed_docs(lex, scoped)
        if allowed is not None and filters.doc_ids:
            allowed &= set(filters.doc_ids)
        s_hits, s_lex = [], []
        if vec is not None:
            s_hits = self._dense(lex, vec, n, scoped, roles, active)
        if self.config.on("lexical"):
            s_lex = lex.search(part, n, allowed, lex.role_mask(roles), self.config.on("spell"))
        if whole_report(part) and (s_hits or s_lex):
            return s_hits, s_lex
        have, seen = {h[0] for h in hits}, {row for row, _ in lexical}
        hits = hits + [h for h in s_hits if h[0] not in have]
        lexical = lexical + [(row, sc) for row, sc in s_lex if row not in seen]
        return hits, lexical

    def _dense(self, lex: LexicalIndex, vec, n: int, filters: Filters, roles=None, active=None):
        """The n nearest chunks by cosine: exact over the snapshot's vectors when the index
        holds them (`exact_dense_max`), else Chroma's approximate search."""
        if lex.vectors is not None:
            mask = lex.rows_where(filters.allows, filters.key()) if filters.where() else None
            if roles:
                by_role = lex.role_mask(frozenset(roles))
                mask = by_role if mask is None else mask * by_role
            return lex.nearest(vec, n, mask)
        where = filters.where()
        if roles:
            role_where = {"role": {"$in": sorted(roles)}}
            where = role_where if where is None else {"$and": [where, role_where]}
        return self.store.nearest(vec, n, where, active)

    def _parts(self, query: str) -> list[str]:
        """The question's parts when each names a different report, else the question."""
        parts = sub_questions(query) if self.config.on("split") else [query]
        if len(parts) == 1:
            return parts
        lex = self.lexical()
        called = [frozenset(_docs_called(p, lex, self.config.name_share)) for p in parts]
        return parts if all(called) and len(set(called)) == len(parts) else [query]

    def following(self, p: Passage) -> Passage | None:
        """The passage after `p` in its document (lists often run on past a chunk's end)."""
        return self._chunk_after(p.chunk_ids[-1], 1)

    def _neighbour(self, p: Passage, step: int) -> Passage | None:
        return self._chunk_after(p.chunk_id, step)

    def _chunk_after(self, chunk_id: str, step: int) -> Passage | None:
        """The chunk `step` places after `chunk_id` in its document (None past either end)."""
        lex = self.current()
        row = lex.row_of(chunk_id)
        nxt = None if row is None else lex.following(row, step)
        return None if nxt is None else to_passage(lex.ids[nxt], lex.texts[nxt], lex.metas[nxt])

    @staticmethod
    def _allowed_docs(lex: LexicalIndex, filters: Filters) -> set[str] | None:
        if not filters.doc_ids and not filters.years:
            return None
        return {m.get("doc_id") for m in lex.metas if filters.allows(m)}

    def _rank(self, vec, dense, lexical, lex: LexicalIndex, query: str) -> list[Passage]:
        """Fusion, then the rescoring stages, each adding its own named term."""
        cfg = self.config
        cands: dict[str, list] = {}  # id -> [row, cosine or None, BM25 / best BM25]
        for cid, sim in dense:
            row = lex.row_of(cid)
            if row is not None:
                cands[cid] = [row, sim, 0.0]
        top_l = lexical[0][1] if lexical else 1.0
        for row, score in lexical:
            cands.setdefault(lex.ids[row], [row, None, 0.0])[2] = score / top_l
        if cfg.fusion == "rrf":
            fused = stages.rrf_fusion(
                [cid for cid, _ in dense], [lex.ids[row] for row, _ in lexical], cfg
            )
        else:
            if vec is not None:
                self._fill_dense(vec, cands)
            fused = stages.linear_fusion(cands, cfg)
        out = []
        for cid, terms in fused.items():
            row, d, lscore = cands[cid]
            p = to_passage(cid, lex.texts[row], lex.metas[row])
            p.dense, p.lexical = d, lscore
            for stage, value in terms.items():
                stages.contribute(p, stage, value)
            out.append(p)
        terms = set(query_terms(query))
        weight = fsum(lex.idf(t) for t in terms) or 1.0
        if cfg.on("coverage"):
            stages.coverage(out, terms, weight, lex, cfg.coverage_weight)
        if cfg.on("named"):
            stages.named(out, _docs_called(query, lex, cfg.name_share), cfg.named_doc_bonus)
        if cfg.on("person"):
            stages.named(out, _docs_using(query, lex), cfg.person_bonus, stage="person")
        if cfg.on("role"):
            stages.role(out, cfg.role_penalties)
        if cfg.on("aim"):
            stages.aim(out, wanted_roles(query) or pointed_roles(query), cfg.aim_bonus)
        out.sort(key=lambda p: -p.score)
        if cfg.on("sentence") and cfg.sentence_weight:
            spell = lex.short_forms().expanded if cfg.on("spell") else None
            stages.by_sentence(out, query, terms, weight, lex.idf, cfg, spell)
            top = sorted(out[: cfg.sentence_top], key=lambda p: -p.score)
            out[: len(top)] = top
        return out

    def _fill_dense(self, q, cands: dict) -> None:
        """Lexical-only candidates get their dense similarity too, so both scores compare."""
        missing = [cid for cid, c in cands.items() if c[1] is None]
        if not missing:
            return
        lex = self.current()
        if lex.vectors is not None:
            for cid in missing:
                cands[cid][1] = float(lex.vectors[cands[cid][0]] @ q)
            return
        for cid, emb in self.store.embeddings(missing).items():
            cands[cid][1] = float(np.dot(q, np.asarray(emb)))
        for c in cands.values():
            c[1] = c[1] or 0.0

    # -- direct look-ups: "para 4.12", "page 21" ----------------------------------------------
    def _direct(self, query: str, lex: LexicalIndex, filters: Filters) -> list[Passage]:
        """A named paragraph ('paragraph 1.7 of the ward review') whole (its chunks joined
        when it spans several) and alone (cut out of a chunk holding its neighbours too); a
        named page; a numbered recommendation or finding ('Recommendation 3 of the review')."""
        paras = _PARA_RE.findall(query)
        pages = [] if paras else _PAGE_RE.findall(query)
        items = [] if paras or pages else item_patterns(query)
        if not paras and not pages and not items:
            return []
        docs = self._docs_named(query, lex, filters)
        rows = [
            i
            for i, meta in enumerate(lex.metas)
            if (docs is None or meta.get("doc_id") in docs)
            and filters.allows(meta)
            and (
                (paras and para_match(meta.get("para"), paras))
                or (pages and page_match(meta, pages))
                or any(item.search(lex.texts[i]) for item in items)
            )
        ]
        if docs is None and len(rows) > 3:
            # No report named: keep the matches whose text shares most with the question.
            terms = set(tokenize(query)) - GENERIC_NAMES
            rows.sort(key=lambda i: -fsum(lex.idf(t) for t in terms & lex.row_terms(i)))
            rows = rows[:2]
        hits = [to_passage(lex.ids[i], lex.texts[i], lex.metas[i], 1.0) for i in rows[:5]]
        if paras:
            hits = whole_paragraphs(hits, paras, self._neighbour)
        for p in hits:
            p.dense = 1.0  # exactly the passage the question named
            p.stages = {"direct": 1.0}
        return hits

    @staticmethod
    def _docs_named(query: str, lex: LexicalIndex, filters: Filters) -> set[str] | None:
        """Documents whose title shares a distinctive word with the query (None = no hint)."""
        if filters.doc_ids:
            return set(filters.doc_ids)
        q = set(tokenize(query)) - GENERIC_NAMES
        named = {d for d, words in lex.doc_names().items() if q & words}
        return named or None


def _interleave(rankings: list[list[Passage]]) -> list[Passage]:
    """Round robin over rankings (the first one, direct look-ups, goes whole first); each
    passage once."""
    out, seen = [], set()
    head, *rest = rankings
    for p in head:
        if p.chunk_id not in seen:
            seen.add(p.chunk_id)
            out.append(p)
    for group in zip_longest(*rest):
        for p in group:
            if p is not None and p.chunk_id not in seen:
                seen.add(p.chunk_id)
                out.append(p)
    return out


def _each_report(ranked: list[Passage], called: set[str]) -> list[Passage]:
    """A question that calls two or more reports by name in one breath ("What did the Horizon
    inquiry and the Challenger report each say ...") gets the best passage of each first, then
    the rest in rank order: one report's many close matches do not crowd the other out."""
    key = lambda p: p.report or p.doc_id  # noqa: E731
    best: dict[str, Passage] = {}
    for p in ranked:
        if p.doc_id in called:
            best.setdefault(key(p), p)
    if len(best) < 2:
        return ranked
    head = list(best.values())
    taken = {id(p) for p in head}
    return head + [p for p in ranked if id(p) not in taken]


def _distinct(ranked: list[Passage], k: int, overlap: float) -> list[Passage]:
    """The first k passages of `ranked` that are not near-copies of a better one (Jaccard
    overlap of their word sets at least `overlap`)."""
    out: list[tuple[Passage, set[str]]] = []
    for p in ranked:
        words = set(tokenize(p.text))
        if not any(len(words & w) >= overlap * len(words | w) for _, w in out):
            out.append((p, words))
            if len(out) == k:
                break
    return [p for p, _ in out]


def _docs_called(query: str, lex: LexicalIndex, share: float = 0.5) -> set[str]:
    """Documents the question calls by name: a name of the question (adjacent capitalised
    words: 'KCSIE', 'Chilcot', 'National Framework') all of whose words are in a document's
    title, file name or title initials, when at least `share` of the chunks using those words
    belong to the documents so named (a name, not common words that a title happens to hold:
    'School' in 'Virtual School Heads'). Empty when the name fits every document."""
    docs = lex.doc_names()

    def calls(terms: frozenset[str]) -> set[str]:
        named = {d for d, words in docs.items() if terms <= words}
        return named if named and lex.share_in(terms, named) >= share else set()

    called: set[str] = set()
    for terms in name_phrases(query):
        called |= calls(terms)
    for forms in described_reports(query):  # "the information sharing advice": its longest
        called |= next(filter(None, map(calls, forms)), set())  # form that calls a report
    return called if len(called) < len(docs) else set()


def _docs_using(query: str, lex: LexicalIndex) -> set[str]:
    """Documents that use an anonymised name the question gives ('Mr T', 'Child R'): the
    people a review writes about by a letter are its own (sentences.py `LETTER_NAME`)."""
    out: set[str] = set()
    for name in letter_names(query):
        out |= lex.docs_saying(name)
    return out
