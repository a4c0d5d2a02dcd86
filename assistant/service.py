"""The application facade the CLI and the app share: wires settings to store, models, answerers.

This is the only place (with the CLI and the app) that reads Settings; everything below takes
explicit arguments. Heavy objects (embedding model, Chroma client, lexical index) load lazily,
once per Assistant.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path

from assistant.derive.store import refresh_derived
from assistant.extractive import ExtractiveAnswerer
from assistant.retrieve import Filters, Retriever
from assistant.settings import Settings
from assistant.types import Answer, Passage
from ingest.errors import NotFound

CHUNKING = {"chunker": 1}
_FOLLOW_UP = re.compile(
    r"^(and|also|what about|how about|so|but|then)\b|\b(it|its|they|them|their|that|this|those|these|he|she|his|her)\b",
    re.I,
)


class Assistant:
    def __init__(self, settings: Settings, *, embedder=None):
        self.settings = settings
        self._embedder = embedder
        self._lock = threading.Lock()

    # -- components (lazy) ---------------------------------------------------------------------
    @cached_property
    def embedder(self):
        if self._embedder is None:
            from index.embedder import SentenceTransformerEmbedder

            self._embedder = SentenceTransformerEmbedder(
                self.settings.embed_model or None, batch_size=self.settings.embed_batch
            )
        return self._embedder

    @cached_property
    def store(self):
        from index.store import ChunkStore, collection_stem, open_client

        client = open_client(self.settings.home, self.settings.chroma_url or None)
        chunking = {**CHUNKING, "max_tokens": self.settings.chunk_tokens}
        return ChunkStore(client, collection_stem(self.embedder.name, chunking))

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.store, self.embedder, Path(self.settings.home) / "lexical")

    def extractive(self) -> ExtractiveAnswerer:
        """The extractive answerer over the lexical index the last retrieval used."""
        kw = {}
        if self.settings.min_score >= 0:
            kw["min_coverage"] = self.settings.min_score
        lex = self.retriever.current()
        return ExtractiveAnswerer(lex.idf, lex.doc_freq, following=self.retriever.following, **kw)

    @cached_property
    def llm(self):
        """The configured LLM (LlamaIndex interface), or None for the extractive default."""
        if (self.settings.llm or "none") == "none":
            return None
        from assistant.llm import make_llm

        return make_llm(
            self.settings.llm,
            url=self.settings.llm_url or None,
            key=self.settings.llm_key or None,
            timeout_s=self.settings.llm_timeout,
        )

    @property
    def answerer(self):
        """Extractive, or a generative answerer held to the evidence when an LLM is set."""
        fallback = self.extractive()
        if self.llm is None:
            return fallback
        from assistant.generative import GenerativeAnswerer

        return GenerativeAnswerer(self.llm, fallback)

    def warm(self) -> None:
        """Load the model and the lexical index now rather than on the first question."""
        self.embedder.embed(["warm up"])
        self.retriever.lexical()

    # -- questions -----------------------------------------------------------------------------
    def search(
        self, query: str, *, k: int | None = None, filters: Filters | None = None
    ) -> list[Passage]:
        return self.retriever.retrieve(query, k or self.settings.top_k, filters)

    def retrieval_query(self, question: str, history: list[tuple[str, str]] | None) -> str:
        """A follow-up ('and what did it recommend?') carries the conversation into retrieval:
        condensed by the LLM when one is configured, else the previous question's terms."""
        if not history:
            return question
        if self.llm is not None:
            from assistant.generative import condense_question

            return condense_question(self.llm, history, question)
        if not _FOLLOW_UP.search(question):
            return question
        return f"{history[-1][0]} {question}"

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        filters: Filters | None = None,
        history: list[tuple[str, str]] | None = None,
    ) -> Answer:
        t0 = time.perf_counter()
        timings: dict = {}
        query = self.retrieval_query(question, history)
        passages = self.retriever.retrieve(
            query, max(k or self.settings.top_k, 10), filters, timings
        )
        t1 = time.perf_counter()
        answer = self._answer(question, query, passages)
        t2 = time.perf_counter()
        answer.timings_ms.update(timings)
        answer.timings_ms.update(
            retrieve_ms=(t1 - t0) * 1000, answer_ms=(t2 - t1) * 1000, total_ms=(t2 - t0) * 1000
        )
        return answer

    def _answer(self, question: str, query: str, passages: list[Passage]) -> Answer:
        """A follow-up ("When did that happen?") is judged as the question it stands for: the
        LLM's standalone rewrite is answered as it is; without an LLM (the previous question
        and the follow-up run together) the follow-up picks the sentences and the whole decides
        whether to refuse. Shown as the user asked it."""
        if query == question or self.llm is not None:
            answer = self.answerer.answer(query, passages)
        else:
            answer = self.answerer.answer(question, passages, about=query)
        answer.question = question
        return answer

    def ask_stream(self, question: str, **kw) -> Iterator[str | Answer]:
        """Text as it is produced, then the final Answer (extractive: sentence by sentence)."""
        answerer = self.answerer
        if hasattr(answerer, "stream"):
            query = self.retrieval_query(question, kw.get("history"))
            passages = self.retriever.retrieve(query, kw.get("k") or 10, kw.get("filters"))
            for item in answerer.stream(query, passages):
                if isinstance(item, Answer):
                    item.question = question
                yield item
            return
        answer = self.ask(question, **kw)
        for part in answer.answer.split("\n\n"):
            yield part + "\n\n"
        yield answer

    def context(self, chunk_id: str, around: int = 1) -> list[Passage]:
        """A passage with its neighbouring chunks, in document order."""
        from assistant.retrieve import to_passage

        rows = self.store.get([chunk_id])
        if not rows:
            raise NotFound(f"no passage {chunk_id!r} in the index")
        meta = rows[0][2]
        near = self.store.neighbours(meta["doc_id"], int(meta.get("ordinal") or 0), around, around)
        return [to_passage(cid, text, m) for cid, text, m in near]

    # -- library -------------------------------------------------------------------------------
    def docs(self) -> list:
        return sorted(self.store.documents().values(), key=lambda r: r.source)

    def find_doc(self, ref: str):
        """A document by id, source path or (unique) title substring."""
        docs = self.store.documents()
        if ref in docs:
            return docs[ref]
        by_source = [r for r in docs.values() if r.source == ref or r.path == ref]
        if not by_source:
            by_source = [r for r in docs.values() if ref.lower() in r.title.lower()]
        if len(by_source) == 1:
            return by_source[0]
        if not by_source:
            raise NotFound(f"no indexed document matches {ref!r} (see `inquiry docs`)")
        names = ", ".join(r.source for r in by_source[:5])
        raise NotFound(f"{ref!r} matches several documents: {names}; give the id or source")

    def plan(self, paths: list[Path], *, exclude=(), prune: bool = False):
        from index.sync import make_plan
        from ingest.load import discover

        files = discover([Path(p) for p in paths], list(exclude))
        roots = [Path(p) for p in paths if Path(p).is_dir()] if prune else []
        return make_plan(files, self.store.documents(), prune_roots=roots)

    def ingest(
        self,
        paths: list[Path],
        *,
        exclude=(),
        prune: bool = False,
        progress: Callable | None = None,
        wait_s: float = 0.0,
        on_plan: Callable | None = None,
        on_embed: Callable | None = None,
    ):
        """Plan and apply under the ingest lock. Returns (plan, chunks embedded).

        Callbacks: `on_plan(plan)` once planned, `progress(item)` after each file,
        `on_embed(n)` after each batch of n chunks embedded.
        """
        from index.lock import ingest_lock
        from index.sync import IngestOptions, Ingestor

        with ingest_lock(Path(self.settings.home), wait_s=wait_s):
            plan = self.plan(paths, exclude=exclude, prune=prune)
            if on_plan:
                on_plan(plan)
            opts = IngestOptions(self.settings.max_bytes, self.settings.chunk_tokens)
            ingestor = Ingestor(self.store, self.embedder, opts)
            ingestor.apply(plan, progress, on_embed)
        if any(i.action in ("new", "changed", "removed") for i in plan.items):
            self.retriever.lexical()  # rebuild BM25 now, so the next question doesn't wait
        refresh_derived(self.retriever.lexical(), Path(self.settings.home))  # derive/store.py
        return plan, ingestor.embedded

    def remove(self, ref: str, *, wait_s: float = 0.0):
        from index.lock import ingest_lock

        with ingest_lock(Path(self.settings.home), wait_s=wait_s):
            rec = self.find_doc(ref)
            self.store.remove_document(rec.doc_id)
        refresh_derived(self.retriever.lexical(), Path(self.settings.home))  # derive/store.py
        return rec
