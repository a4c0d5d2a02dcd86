"""A BM25 index over the active chunks, derived from Chroma and kept in step with it.

The index is rebuilt whenever the store's generation (its set of active document versions)
changes, and cached on disk under that generation, so it can never disagree with Chroma.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import uuid
from collections import Counter
from pathlib import Path

from index.persons import titled_surnames
from index.shortforms import ShortFormIndex
from index.tokens import query_terms, tokenize
from ingest.model import one_block

LEXICAL_VERSION = 8  # bump when tokenizing or what is indexed changes: caches rebuild
# Words of the previous chunk read with each chunk: a chunk that continues what the one before
# introduced ("The steps were as follows:", "The letter said:") is found by the introduction's
# words, which a split at a chunk boundary would otherwise cut off (a context window, as in
# "late chunking" and contextual retrieval); 12 words is about one clause.
PREV_WORDS = 12
# ... and a chunk that goes on with a split paragraph also reads the paragraph's first words:
# about one sentence, the one that names the subject ("The harbour trust ran into debt ..."
# before "It was sold to ..."). Tune half: evidence recall 0.709 to 0.713, label accuracy 0.931 to
# 0.938, no answer lost; 15 and 40 words measured the same.
HEAD_WORDS = 25


def name_words(title: str | None, source: str | None) -> frozenset[str]:
    """The words a user may name a document by: its title's, its source path's and its title's
    initials ('Keeping children safe in education' -> 'kcsie')."""
    title = title or ""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", title)).lower()
    source = re.sub(r"[/_.-]+", " ", source or "")
    return frozenset(tokenize(f"{title} {source} {initials}"))


def index_text(meta: dict, text: str) -> str:
    """What the lexical index reads for a chunk: its source path (users name reports by file:
    'the Chilcot summary'), its context header (title > section) and its text."""
    source = re.sub(r"[/_.-]+", " ", meta.get("source") or "")
    header = (
        meta.get("embed_text") or f"{meta.get('title') or ''} {meta.get('section') or ''} {text}"
    )
    return f"{source} {header}"


def _previous_tails(
    texts: list[str], metas: list[dict], words: int = PREV_WORDS, head: int = HEAD_WORDS
) -> list[str]:
    """The last words of the chunk before each chunk ('The steps were as follows:' then finds
    the steps) and, for a chunk that goes on with a block (paragraph) the chunker split, the
    block's first words: its opening sentence names what the rest calls 'it' or 'the bank'."""
    at = {(m.get("doc_id"), m.get("ordinal")): i for i, m in enumerate(metas)}

    def before(m: dict) -> int | None:
        return at.get((m.get("doc_id"), (m.get("ordinal") or 0) - 1))

    out = []
    for m in metas:
        i = before(m)
        tail = " ".join(texts[i].split()[-words:]) if i is not None else ""
        first, cur = None, m
        while (j := before(cur)) is not None and one_block(metas[j].get("end"), cur.get("start")):
            first, cur = j, metas[j]
        opening = " ".join(texts[first].split()[:head]) if first is not None else ""
        out.append(f"{opening} {tail}".strip())
    return out


def _fold(text: str) -> str:
    """Text without accents, with straight apostrophes and single spaces (a name may break
    across lines): how a user may type a name."""
    import unicodedata

    text = unicodedata.normalize("NFKD", " ".join(text.replace("’", "'").split()))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _holds(text: str, phrase: str) -> bool:
    """`text` holds `phrase` as whole words (str.find, then the edges: a regex with
    look-arounds over the whole corpus is several times slower)."""
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-"):
            return True
        at = text.find(phrase, at + 1)
    return False


class LexicalIndex:
    """BM25 (bm25s) over chunk texts with their title and section."""

    def __init__(
        self,
        ids: list[str],
        retriever,
        metas: list[dict],
        texts: list[str],
        df: dict[str, int],
        terms: list[list[str]] | None = None,
        vectors=None,
    ):
        self.ids = ids
        self.metas = metas
        self.texts = texts
        self.df = df
        self._retriever = retriever
        self._rows = {cid: i for i, cid in enumerate(ids)}
        # each row's distinct terms (title, section, text), tokenized once at build and kept
        # with the cache: tokenizing the ~150 candidates of a question cost ~30 ms
        self._terms: dict[int, frozenset[str]] = {}
        self._row_terms = terms
        self.vectors = vectors  # one unit vector per row (numpy, float32), or None
        self._names: dict[str, frozenset[str]] | None = None
        self._order: dict[tuple, int] | None = None
        self._masks: dict[object, object] = {}  # role sets and filters -> row masks
        self._shares: dict[tuple, float] = {}
        self._doc_texts: dict[str, str] | None = None  # doc_id -> its chunks' text, when asked
        self._said: dict[str, frozenset[str]] = {}
        self._title_words: frozenset[str] | None = None
        self._short: ShortFormIndex | None = None
        self._titled: frozenset[str] | None = None
        self._doc_sizes: dict[str, int] | None = None
        self._spreads: dict[tuple, float] = {}

    def following(self, row: int, step: int = 1) -> int | None:
        """The row of the chunk `step` places after `row` in its document (None past the end;
        a negative step goes back)."""
        if self._order is None:
            self._order = {
                (m.get("doc_id"), m.get("version"), m.get("ordinal")): i
                for i, m in enumerate(self.metas)
            }
        m = self.metas[row]
        return self._order.get((m.get("doc_id"), m.get("version"), (m.get("ordinal") or 0) + step))

    def doc_names(self) -> dict[str, frozenset[str]]:
        """doc_id -> the words a user may name it by (`name_words`)."""
        if self._names is None:
            names: dict[str, frozenset[str]] = {}
            for m in self.metas:
                if m.get("doc_id") not in names:
                    names[m.get("doc_id")] = name_words(m.get("title"), m.get("source"))
            self._names = names
        return self._names

    def title_words(self) -> frozenset[str]:
        """Every word any document may be named by (`doc_names`, all documents), once."""
        if self._title_words is None:
            self._title_words = frozenset().union(*self.doc_names().values())
        return self._title_words

    def docs_saying(self, phrase: str) -> frozenset[str]:
        """The documents whose text holds `phrase` as written, as whole words ('Mr T', not
        'Mr Thomson'), accents and apostrophes aside ('Climbie' is 'Climbié'): for names the
        tokenizer cannot keep or splits. Computed once per phrase."""
        got = self._said.get(phrase)
        if got is None:
            folded = _fold(phrase)
            got = self._said[phrase] = frozenset(
                d for d, t in self.folded_texts().items() if _holds(t, folded)
            )
        return got

    def folded_texts(self) -> dict[str, str]:
        """doc_id -> its chunks' text as `_fold` makes it, built on first use (about a second
        over the shared corpus: `Assistant.warm` builds it before a server's first question)."""
        if self._doc_texts is None:
            by_doc: dict[str, list[str]] = {}
            for m, t in zip(self.metas, self.texts):
                by_doc.setdefault(m.get("doc_id"), []).append(t)
            self._doc_texts = {d: _fold("\n".join(ts)) for d, ts in by_doc.items()}
        return self._doc_texts

    def short_forms(self) -> ShortFormIndex:
        """The short forms the reports define (index/shortforms.py), found on first use (~0.1
        s over the shared corpus)."""
        if self._short is None:
            self._short = ShortFormIndex(self.metas, self.texts)
        return self._short

    def titled_names(self) -> frozenset[str]:
        """The surnames the reports print after a personal title (index/persons.py)."""
        if self._titled is None:
            self._titled = titled_surnames(self.texts)
        return self._titled

    def rows_with(self, terms) -> set[int]:
        """The rows (chunks) that use every one of these (stemmed) terms."""
        sc = self._retriever.scores if self.ids else None
        out: set[int] | None = None
        for term in terms:
            tid = self._vocab.get(term)
            if tid is None or sc is None:
                return set()
            rows = set(sc["indices"][sc["indptr"][tid] : sc["indptr"][tid + 1]].tolist())
            out = rows if out is None else out & rows
        return out or set()

    def share_in(self, terms, docs: set[str]) -> float:
        """Of the chunks that use all these (stemmed) terms, the share that belong to `docs`
        (computed once per terms and documents: a question asks it at several stages)."""
        key = (frozenset(terms), frozenset(docs))
        got = self._shares.get(key)
        if got is None:
            rows = self.rows_with(terms)
            hits = sum(self.metas[i].get("doc_id") in docs for i in rows)
            got = self._shares[key] = hits / len(rows) if rows else 0.0
        return got

    def spread(self, terms, doc_id: str) -> float:
        """The share of a document's chunks that use every one of these (stemmed) terms: near
        1 for what the report is about ('Challenger' in the Challenger report), small for one
        thing among the many it covers ('Scotland' in a report on English prosecutions)."""
        if self._doc_sizes is None:
            self._doc_sizes = Counter(m.get("doc_id") for m in self.metas)
        key = (frozenset(terms), doc_id)
        got = self._spreads.get(key)
        if got is None:
            size = self._doc_sizes.get(doc_id, 0)
            rows = self.rows_with(terms) if size else set()
            hits = sum(self.metas[i].get("doc_id") == doc_id for i in rows)
            got = self._spreads[key] = hits / size if size else 0.0
        return got

    def doc_freq(self, term: str) -> int:
        """How many chunks hold a (stemmed) term."""
        return self.df.get(term, 0)

    def row_of(self, chunk_id: str) -> int | None:
        return self._rows.get(chunk_id)

    def row_terms(self, row: int) -> frozenset[str]:
        """The distinct (stemmed) terms of a row's title, section and text, computed once."""
        got = self._terms.get(row)
        if got is None:
            words = self._row_terms[row] if self._row_terms is not None else None
            if words is None:
                words = tokenize(index_text(self.metas[row], self.texts[row]))
            got = self._terms[row] = frozenset(words)
        return got

    def nearest(self, vector, n: int, mask=None) -> list[tuple[str, float]]:
        """Exact nearest rows by cosine (unit vectors): (chunk id, similarity), best first;
        `mask` (one weight per row, 0 or 1) limits them to those rows. Ties go to the row
        first in the index, so the same question always gets the same rows."""
        import numpy as np

        if self.vectors is None or not self.ids:
            return []
        # einsum, not BLAS: OpenBLAS's threads stay spinning after a product and slowed the
        # next question's embedding 30 -> 70 ms on 2 cores (einsum: 4 ms, one thread)
        sims = np.einsum("ij,j->i", self.vectors, np.asarray(vector, dtype=np.float32))
        if mask is not None:
            sims = np.where(mask > 0, sims, -np.inf)
        n = min(n, len(self.ids))
        top = np.argpartition(-sims, n - 1)[:n]
        top = top[np.lexsort((top, -sims[top]))]
        return [(self.ids[i], float(sims[i])) for i in top if np.isfinite(sims[i])]

    def rows_where(self, allows, key) -> object:
        """A mask (numpy, one weight per row) of the rows whose metadata `allows`, computed
        once per `key` (what decides `allows`: the same filters ask again and again)."""
        import numpy as np

        got = self._masks.get(key)
        if got is None:
            got = self._masks[key] = np.array(
                [float(allows(m)) for m in self.metas], dtype=np.float32
            )
        return got

    def idf(self, term: str) -> float:
        """Inverse document frequency of a (stemmed) term; unseen terms weigh most."""
        n = len(self.ids) or 1
        return math.log(1 + (n - self.df.get(term, 0) + 0.5) / (self.df.get(term, 0) + 0.5))

    @classmethod
    def build(cls, rows: list[tuple[str, str, dict]]) -> LexicalIndex:
        import bm25s

        ids = [r[0] for r in rows]
        texts = [r[1] for r in rows]
        metas = [r[2] for r in rows]
        own = [tokenize(index_text(m, t)) for t, m in zip(texts, metas)]
        corpus = [
            (words + tokenize(prev)) or ["_empty_"]
            for words, prev in zip(own, _previous_tails(texts, metas))
        ]
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        if corpus:
            retriever.index(corpus, show_progress=False)
        df = Counter(t for toks in corpus for t in set(toks))
        return cls(ids, retriever, metas, texts, dict(df), [sorted(set(w)) for w in own])

    def role_mask(self, roles: frozenset[str]):
        """1.0 for the rows whose block role (or one of their roles) is among `roles`."""
        import numpy as np

        got = self._masks.get(roles)
        if got is None:
            got = self._masks[roles] = np.array(
                [
                    float(
                        bool(
                            roles & ({m.get("role") or ""} | set((m.get("roles") or "").split(",")))
                        )
                    )
                    for m in self.metas
                ],
                dtype=np.float32,
            )
        return got

    def search(
        self, query: str, n: int, allowed: set[str] | None = None, mask=None, spell=False
    ) -> list[tuple[int, float]]:
        """(row index, score) best first; `allowed` limits results to those doc ids, `mask`
        (one weight per row, 0 or 1) to those rows; `spell`: a short form in the query also
        searches for the words of its long form (index/shortforms.py)."""
        toks = [t for t in query_terms(query) if t in self._vocab]
        if spell:
            toks += [t for t in self.short_forms().spelled_out(query, toks) if t in self._vocab]
        if not toks or not self.ids:
            return []
        k = min(len(self.ids), n * 4 if allowed else n)
        if mask is not None:
            k = min(k, int(mask.sum()))
            if not k:
                return []
        docs, scores = self._retriever.retrieve(
            [toks], k=k, show_progress=False, n_threads=1, weight_mask=mask
        )
        out = []
        for i, s in zip(docs[0], scores[0]):
            if s <= 0:
                break
            if allowed is None or self.metas[int(i)].get("doc_id") in allowed:
                out.append((int(i), float(s)))
        return out[:n]

    @property
    def _vocab(self):
        return self._retriever.vocab_dict if self.ids else {}

    # -- persistence ---------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write to a private temporary folder, then rename: readers never see half a cache,
        and two processes saving the same generation don't collide."""
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        tmp.mkdir(parents=True)
        try:
            if self.ids:
                self._retriever.save(str(tmp / "bm25"))
            rows = [
                {"id": i, "text": t, "meta": m} for i, t, m in zip(self.ids, self.texts, self.metas)
            ]
            terms = [sorted(self.row_terms(i)) for i in range(len(self.ids))]
            (tmp / "rows.json").write_text(
                json.dumps({"rows": rows, "df": self.df, "terms": terms})
            )
            tmp.rename(folder)
        except OSError:
            pass  # another process saved this generation first: theirs is as good
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        import bm25s

        try:
            data = json.loads((folder / "rows.json").read_text())
            rows = data["rows"]
            retriever = bm25s.BM25.load(str(folder / "bm25")) if rows else None
            vectors = None
            if (folder / "vectors.npy").exists():
                import numpy as np

                vectors = np.load(folder / "vectors.npy")
        except (OSError, ValueError, KeyError):
            return None
        return cls(
            [r["id"] for r in rows],
            retriever,
            [r["meta"] for r in rows],
            [r["text"] for r in rows],
            data["df"],
            data.get("terms"),
            vectors if vectors is not None and len(vectors) == len(rows) else None,
        )
