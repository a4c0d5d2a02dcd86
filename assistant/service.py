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
from typing import TYPE_CHECKING

from assistant import documents
from assistant.errors import NotFound
from assistant.removal import Removal, dispose
from assistant.settings import Settings
from assistant.types import Answer, Passage

if TYPE_CHECKING:  # retrieval and answering load only for questions
    from assistant.extractive import ExtractiveAnswerer
    from assistant.retrieve import Filters, Retriever

CHUNKING = {"chunker": 1}
_FOLLOW_UP = re.compile(
    r"^(and|also|what about|how about|so|but|then)\b|\b(it|its|they|them|their|that|this|those|these|he|she|his|her)\b",
    re.I,
)


class Assistant:
    def __init__(self, settings: Settings, *, embedder=None, read_only: bool = False):
        """`read_only`: for commands that only read; the store is opened, never created."""
        self.settings = settings
        self._embedder = embedder
        self.read_only = read_only
        self._lock = threading.Lock()

    # -- components (lazy) ---------------------------------------------------------------------
    @cached_property
    def embedder(self):
        if self._embedder is None:
            from index.embedder import SentenceTransformerEmbedder

            s = self.settings
            self._embedder = SentenceTransformerEmbedder(
                s.embed_model or None,
                batch_size=s.embed_batch,
                max_tokens=s.embed_max_tokens,
                query_prompt=s.embed_query_prompt or None,
                document_prompt=s.embed_document_prompt or None,
            )
        return self._embedder

    @cached_property
    def stem(self) -> str:
        """The collections' name: from the embedding model and the chunking parameters."""
        from index.records import collection_stem

        chunking = {**CHUNKING, "max_tokens": self.settings.chunk_tokens}
        return collection_stem(self.embedder.name, chunking)

    @cached_property
    def store(self):
        from index.store import open_store

        url = self.settings.chroma_url or None
        return open_store(self.stem, self.settings.home, url, create=not self.read_only)

    def catalogue(self) -> dict:
        """doc id -> DocRecord: from the catalogue file beside an embedded store when it can
        be trusted (no Chroma to load), else from the store."""
        recs = self._catalogue_file()
        return recs if recs is not None else self.store.documents()

    def _catalogue_file(self) -> dict | None:
        if self.settings.chroma_url or "store" in self.__dict__:
            return None  # a server store, or one already open: ask it
        from index.catalogue import manifest_path, read_manifest
        from index.records import DocRecord

        docs = read_manifest(manifest_path(Path(self.settings.home), self.stem))
        if docs is None:
            return None
        return {i: DocRecord.from_meta(i, m) for i, m in docs.items()}

    @cached_property
    def retriever(self) -> Retriever:
        from assistant.retrieve import Retriever

        return Retriever(
            self.store, self.embedder, Path(self.settings.home) / "lexical", self.settings.retrieval
        )

    def extractive(self) -> ExtractiveAnswerer:
        """The extractive answerer over the lexical index the last retrieval used."""
        from assistant.extractive import ExtractiveAnswerer
        from assistant.reportuse import ReportUse

        kw = {}
        if self.settings.min_score >= 0:
            kw["min_coverage"] = self.settings.min_score
        lex = self.retriever.current()
        use = ReportUse(
            lex.spread, lex.title_words(), lex.short_forms().expanded, titled=lex.titled_names
        )
        return ExtractiveAnswerer(
            lex.idf,
            lex.doc_freq,
            config=self.settings.answer,
            following=self.retriever.following,
            says=lex.docs_saying,
            report_words=lex.title_words(),
            use=use,
            **kw,
        )

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
        """Load the model and the lexical index (with the text that names are looked for in
        and the reports' short forms) now rather than on the first question."""
        self.embedder.embed(["warm up"])
        lex = self.retriever.lexical()
        lex.folded_texts()
        lex.short_forms()
        lex.titled_names()

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
        answer = self._answer(question, query, passages, history)
        t2 = time.perf_counter()
        answer.timings_ms.update(timings)
        answer.timings_ms.update(
            retrieve_ms=(t1 - t0) * 1000, answer_ms=(t2 - t1) * 1000, total_ms=(t2 - t0) * 1000
        )
        return answer

    def _answer(self, question: str, query: str, passages: list[Passage], history=None) -> Answer:
        """A follow-up ("When did that happen?") is judged as the question it stands for: the
        LLM's standalone rewrite is answered as it is; without an LLM (the previous question
        and the follow-up run together) the follow-up picks the sentences and the whole decides
        whether to refuse. Shown as the user asked it."""
        if query == question or self.llm is not None:
            answer = self.answerer.answer(query, passages)
        else:
            from assistant.extractive import said

            # never the previous answer again: its sentences are not quoted a second time
            avoid = frozenset(
                said(s) for _, prev in history or [] for s in re.split(r"\n\n", prev or "")
            )
            answer = self.answerer.answer(question, passages, about=query, avoid=avoid)
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

    def passage(self, chunk_id: str) -> Passage:
        """One chunk as a passage; NotFound naming the id when it is not in the index."""
        from assistant.retrieve import to_passage

        rows = self.store.get([chunk_id])
        if not rows:
            raise NotFound(f"no passage {chunk_id!r} in the index")
        return to_passage(*rows[0])

    def context(self, chunk_id: str, around: int = 1) -> list[Passage]:
        """A passage with its neighbouring chunks, in document order."""
        from assistant.retrieve import to_passage

        p = self.passage(chunk_id)
        near = self.store.neighbours(p.doc_id, p.ordinal, around, around)
        return [to_passage(cid, text, m) for cid, text, m in near]

    def page_view(self, chunk_id: str, quote: str | None = None, page: int | None = None):
        """The cited PDF page as printed, the quote highlighted (assistant/pageview.py)."""
        from assistant.pageview import page_view

        p = self.passage(chunk_id)
        record = self.catalogue().get(p.doc_id) or self.store.documents().get(p.doc_id)
        if record is None:
            raise NotFound(f"{chunk_id}: its document is no longer in the index")
        return page_view(p, record, Path(self.settings.home) / "pages", quote, page)

    # -- library -------------------------------------------------------------------------------
    def chunk_metas(self) -> list[dict]:
        """The metadata of every active chunk (title, section, role ...), in index order."""
        return self.retriever.lexical().metas

    def docs(self) -> list:
        return sorted(self.catalogue().values(), key=lambda r: r.source)

    def find_doc(self, ref: str):
        """A document by id, source path or (unique) title substring (assistant/documents.py)."""
        return documents.find_doc(self.catalogue(), ref)

    def find_docs(self, ref: str) -> list:
        """The documents `ref` stands for: all parts of a report, or one document."""
        return documents.find_docs(self.catalogue(), ref)

    def ingest_lock(self, wait_s: float = 0.0):
        """The lock every write takes: a file in the data directory for an embedded store, a
        lock held in the Chroma server for a shared one."""
        from index.lock import ingest_lock, server_lock

        if not self.settings.chroma_url:
            return ingest_lock(Path(self.settings.home), wait_s=wait_s)
        name = f"{self.store.stem}_lock"
        stale = self.settings.lock_stale_s
        return server_lock(
            self.store.client, name, self.settings.chroma_url, wait_s=wait_s, stale_s=stale
        )

    def plan(self, paths: list[Path], *, exclude=(), prune: bool = False, ocr: bool = True):
        from index.sync import make_plan
        from ingest.load import discover

        files = discover([Path(p) for p in paths], list(exclude))
        roots = [Path(p) for p in paths if Path(p).is_dir()] if prune else []
        return make_plan(files, self.catalogue(), prune_roots=roots, ocr=ocr)

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
        on_step: Callable[[str], None] | None = None,
        ocr: bool = True,
        on_ocr: Callable[[str, int, int], None] | None = None,
    ):
        """Plan and apply under the ingest lock. Returns (plan, chunks embedded).

        Callbacks: `on_plan(plan)` once planned, `progress(item)` after each file,
        `on_embed(n)` after each batch of n chunks embedded, `on_ocr(path, page, pages)`
        before each scanned page is read by OCR, `on_step("keywords")` when the keyword
        index starts rebuilding (the last step). `ocr=False` refuses scanned pages instead.
        """
        from index.sync import IngestOptions, Ingestor

        with self.ingest_lock(wait_s):
            plan = self.plan(paths, exclude=exclude, prune=prune, ocr=ocr)
            if on_plan:
                on_plan(plan)
            work = any(i.action in ("new", "changed", "removed") for i in plan.items)
            if not work and self._nothing_to_tidy():
                for item in plan.items:  # nothing to write: Chroma need not even load
                    if progress:
                        progress(item)
                return plan, 0
            opts = IngestOptions(
                self.settings.max_bytes,
                self.settings.chunk_tokens,
                self.settings.read_limits(),
                ocr=ocr,
            )
            ingestor = Ingestor(self.store, self.embedder, opts)
            ingestor.apply(plan, progress, on_embed, on_ocr)
        if work:
            if on_step:
                on_step("keywords")
            self.retriever.lexical()  # rebuild BM25 now, so the next question doesn't wait
        self._refresh_derived()
        return plan, ingestor.embedded

    def _refresh_derived(self) -> None:
        """Recommendations, findings and chronology follow the index (assistant/derive), and
        the cached page images of files no longer indexed go (assistant/pageview.py)."""
        from assistant.derive.store import refresh_derived
        from assistant.pageview import prune_pages

        refresh_derived(self.retriever.lexical(), Path(self.settings.home))
        prune_pages(Path(self.settings.home) / "pages", [d.content_hash for d in self.docs()])

    def _nothing_to_tidy(self) -> bool:
        """The catalogue file is current, and no replaced version is due for deletion."""
        from index.store import GRACE_S

        recs = self._catalogue_file()
        now = time.time()
        return recs is not None and not any(
            r.previous and now - float(r.replaced_at or 0) >= GRACE_S for r in recs.values()
        )

    def remove(
        self,
        ref: str,
        *,
        delete_file: bool = False,
        wait_s: float = 0.0,
        on_step: Callable[[str], None] | None = None,
    ) -> Removal:
        """Take a document out of the index, under the ingest lock; with `delete_file` also
        delete its file, when it is still the file that was ingested (same bytes) and lies in
        the folder it was ingested from. The result says what happened to the file.
        `on_step("removing")`, then `on_step("keywords")` as the keyword index rebuilds."""
        with self.ingest_lock(wait_s):
            rec = self.find_doc(ref)
            if on_step:
                on_step("removing")
            self.store.remove_document(rec.doc_id)
            outcome = dispose(rec, delete_file)
        if on_step:
            on_step("keywords")
        self.retriever.lexical()
        self._refresh_derived()
        return outcome
