"""Chroma storage: chunk vectors plus a catalogue of documents, embedded or on a Chroma server.

Two collections share one name stem (derived from the embedding model and chunking parameters,
so a change never mixes vectors):
- `<stem>`: one record per chunk (LlamaIndex TextNode through `ChromaVectorStore`), tagged with
  its document id and document version;
- `<stem>_docs`: one record per document: the catalogue, holding each document's *active* version.

Replacing a document is atomic for readers: the new version's chunks are added first, then the
catalogue record flips to the new version (one record write). The version it replaced is kept
for a grace period (so a query that read the catalogue just before the flip still finds every
chunk of the version it saw); older versions are deleted. Readers keep only chunks whose version
is the one their catalogue snapshot names, so they see the old document or the new one, never
both and never neither. A crash at any point leaves chunks of inactive versions behind;
`collect_garbage()` removes them (and expired previous versions) at the start of every ingest.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.errors import StoreError
from ingest.model import Chunk, sha256

CHUNK_FIELDS = (
    "source",
    "title",
    "page",
    "page_end",
    "page_label",
    "para",
    "section",
    "footnotes",
    "role",
    "roles",
    "pages",
    "report",
    "report_title",
    "part",
)
_BATCH = 1000
GRACE_S = 120.0  # how long a replaced version stays for queries that started before the flip


@dataclass
class DocRecord:
    """A catalogue entry: what `inquiry docs` lists."""

    doc_id: str
    source: str
    title: str
    version: str  # fingerprint of the file bytes and its sidecar metadata
    content_hash: str
    format: str = ""
    pages: int | None = None
    chunks: int = 0
    ingested_at: str = ""
    root: str = ""  # absolute path of the folder the document was ingested from
    path: str = ""  # absolute path of the file when ingested
    size: int = 0
    year: int | None = None
    organisation: str | None = None
    kind: str | None = None
    report: str = ""  # id of the report this document is part of ("" = a report on its own)
    report_title: str = ""  # that report's title
    part: str = ""  # the document's place in the report ("Part F, Chapter 2")
    previous: str = ""  # the version this one replaced: kept for GRACE_S after the flip
    replaced_at: float = 0.0  # when the flip happened (epoch seconds)
    extra: dict = field(default_factory=dict)

    def to_meta(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k not in ("doc_id", "extra")}
        d["extra"] = json.dumps(self.extra)
        return {k: ("" if v is None else v) for k, v in d.items()}

    @classmethod
    def from_meta(cls, doc_id: str, meta: dict) -> DocRecord:
        m = {k: (None if v == "" else v) for k, v in meta.items()}
        extra = json.loads(m.pop("extra", None) or "{}")
        known = {k: v for k, v in m.items() if k in cls.__dataclass_fields__}
        known.setdefault("chunks", 0)
        for k in (
            "source",
            "title",
            "version",
            "content_hash",
            "format",
            "ingested_at",
            "root",
            "previous",
            "report",
            "report_title",
            "part",
        ):
            known[k] = known.get(k) or ""
        return cls(doc_id=doc_id, extra=extra, **known)


def collection_stem(model_name: str, chunking: dict) -> str:
    """Name vectors by model and chunking parameters: changing either starts a new collection."""
    key = json.dumps({"model": model_name, **chunking}, sort_keys=True)
    safe = "".join(c if c.isalnum() else "-" for c in model_name.lower())[:30].strip("-")
    return f"ia-{safe}-{sha256(key)[:10]}"


def open_client(home: Path | None = None, url: str | None = None):
    """A Chroma client: `HttpClient` when `url` is given, else a `PersistentClient` under home."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if url:
        from urllib.parse import urlparse

        u = urlparse(url if "://" in url else f"http://{url}")
        try:
            client = chromadb.HttpClient(
                host=u.hostname or "127.0.0.1",
                port=u.port or 8000,
                ssl=u.scheme == "https",
                settings=settings,
            )
            client.heartbeat()
        except Exception as e:  # connection refused, DNS, TLS...
            raise StoreError(f"cannot reach the Chroma server at {url}: {e}") from e
        return client
    if home is None:
        raise StoreError("no data directory and no Chroma server URL given")
    path = Path(home) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


_LLAMA_KEYS = ("_node_content", "_node_type", "document_id", "ref_doc_id")


def _clean(meta: dict) -> dict:
    """Chroma metadata back to ours: LlamaIndex's bookkeeping keys out, "" back to None."""
    return {k: (None if v == "" else v) for k, v in meta.items() if k not in _LLAMA_KEYS}


class ChunkStore:
    """Chunks and the document catalogue in Chroma. Every write keeps readers consistent."""

    def __init__(self, client, stem: str):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.client = client
        self.stem = stem
        opts = {"embedding_function": None, "configuration": {"hnsw": {"space": "cosine"}}}
        self.chunks = client.get_or_create_collection(stem, **opts)
        self.docs = client.get_or_create_collection(f"{stem}_docs", **opts)
        self.vector_store = ChromaVectorStore(chroma_collection=self.chunks)

    # -- catalogue -------------------------------------------------------------------------
    def documents(self) -> dict[str, DocRecord]:
        got = self.docs.get(include=["metadatas"])
        return {i: DocRecord.from_meta(i, m) for i, m in zip(got["ids"], got["metadatas"])}

    def active_versions(self) -> dict[str, str]:
        got = self.docs.get(include=["metadatas"])
        return {i: m.get("version", "") for i, m in zip(got["ids"], got["metadatas"])}

    def generation(self, active: dict[str, str] | None = None) -> str:
        """A fingerprint of what is indexed: changes whenever any document is added/replaced/removed."""
        versions = self.active_versions() if active is None else active
        return sha256(json.dumps(sorted(versions.items())))[:16]

    # -- writes ------------------------------------------------------------------------------
    def put_document(self, record: DocRecord, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Add (or atomically replace) one document: new chunks, then flip, then drop the old."""
        if len(chunks) != len(vectors):
            raise StoreError(f"{record.source}: {len(chunks)} chunks but {len(vectors)} vectors")
        old = self.documents().get(record.doc_id)
        if old is not None and old.version != record.version:
            record.previous, record.replaced_at = old.version, time.time()
        self._delete_chunks({"$and": [{"doc_id": record.doc_id}, {"version": record.version}]})
        nodes = [self._node(c, v, record) for c, v in zip(chunks, vectors)]
        for i in range(0, len(nodes), _BATCH):
            self.vector_store.add(nodes[i : i + _BATCH])
        record.chunks = len(chunks)
        record.ingested_at = record.ingested_at or time.strftime("%Y-%m-%dT%H:%M:%S%z")
        self.docs.upsert(
            ids=[record.doc_id],
            embeddings=[[1.0]],
            documents=[record.title],
            metadatas=[record.to_meta()],
        )
        keep = [record.version] + ([record.previous] if record.previous else [])
        self._delete_chunks({"$and": [{"doc_id": record.doc_id}, {"version": {"$nin": keep}}]})

    def remove_document(self, doc_id: str) -> None:
        """Catalogue first (readers stop seeing it at once), then its chunks."""
        self.docs.delete(ids=[doc_id])
        self._delete_chunks({"doc_id": doc_id})

    def collect_garbage(self, grace_s: float = GRACE_S) -> int:
        """Delete chunks of inactive versions (left by a crash) and of previous versions
        replaced more than `grace_s` ago."""
        now, keep = time.time(), {}
        for doc_id, rec in self.documents().items():
            keep[doc_id] = {rec.version}
            if rec.previous and now - float(rec.replaced_at or 0) < grace_s:
                keep[doc_id].add(rec.previous)
        stale = [
            cid
            for cid, meta in self._iter_meta()
            if meta.get("version") not in keep.get(meta.get("doc_id"), ())
        ]
        for i in range(0, len(stale), _BATCH):
            self.chunks.delete(ids=stale[i : i + _BATCH])
        return len(stale)

    def _delete_chunks(self, where: dict) -> None:
        self.chunks.delete(where=where)

    @staticmethod
    def _node(chunk: Chunk, vector: np.ndarray, record: DocRecord):
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

        meta = {k: getattr(chunk, k) for k in CHUNK_FIELDS}
        meta.update(
            version=record.version,
            ordinal=chunk.ordinal,
            start=chunk.start,
            end=chunk.end,
            content_hash=chunk.content_hash,
            year=record.year,
            embed_text=chunk.embed_text,
        )
        return TextNode(
            id_=f"{record.doc_id}:{record.version[:10]}:{chunk.ordinal:05d}",
            text=chunk.text,
            metadata=meta,
            embedding=[float(x) for x in vector],
            excluded_embed_metadata_keys=list(meta),
            excluded_llm_metadata_keys=list(meta),
            relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=record.doc_id)},
        )

    # -- reads -------------------------------------------------------------------------------
    def _iter_meta(self, where: dict | None = None) -> Iterator[tuple[str, dict]]:
        offset = 0
        while True:
            got = self.chunks.get(
                where=where, include=["metadatas"], limit=_BATCH * 5, offset=offset
            )
            yield from zip(got["ids"], got["metadatas"])
            if len(got["ids"]) < _BATCH * 5:
                return
            offset += _BATCH * 5

    def all_chunks(self, active: dict[str, str] | None = None) -> Iterator[tuple[str, str, dict]]:
        """Every chunk of every active document: (id, verbatim text, metadata)."""
        active = self.active_versions() if active is None else active
        offset, step = 0, _BATCH * 5
        while True:
            got = self.chunks.get(include=["documents", "metadatas"], limit=step, offset=offset)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                if active.get(meta.get("doc_id")) == meta.get("version"):
                    yield cid, text, _clean(meta)
            if len(got["ids"]) < step:
                return
            offset += step

    def query(
        self,
        vector: np.ndarray,
        n: int,
        where: dict | None = None,
        active: dict[str, str] | None = None,
    ) -> list[tuple[str, str, dict, float]]:
        """Nearest chunks of active documents: (id, text, metadata, cosine similarity)."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        active = self.active_versions() if active is None else active
        if not active:
            return []
        q = VectorStoreQuery(query_embedding=[float(x) for x in vector], similarity_top_k=n)
        res = self.vector_store.query(q, where=where) if where else self.vector_store.query(q)
        out = []
        for node, sim in zip(res.nodes, res.similarities):
            meta = _clean(dict(node.metadata))
            meta["doc_id"] = node.ref_doc_id
            if active.get(meta["doc_id"]) == meta.get("version"):
                out.append((node.node_id, node.get_content(), meta, 1.0 + float(np.log(sim))))
        return out

    def get(self, ids: list[str]) -> list[tuple[str, str, dict]]:
        got = self.chunks.get(ids=ids, include=["documents", "metadatas"])
        return [
            (i, t, _clean(m)) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])
        ]

    def neighbours(self, doc_id: str, ordinal: int, before: int = 1, after: int = 1):
        """Chunks around `ordinal` in the active version of a document, in order."""
        version = self.active_versions().get(doc_id)
        if version is None:
            return []
        ids = [
            f"{doc_id}:{version[:10]}:{o:05d}"
            for o in range(max(0, ordinal - before), ordinal + after + 1)
        ]
        return sorted(self.get(ids), key=lambda r: r[2].get("ordinal", 0))

    def embeddings_for(self, doc_id: str) -> dict[str, list[float]]:
        """content_hash -> vector for a document's stored chunks: lets a changed document reuse
        the embeddings of its unchanged chunks."""
        got = self.chunks.get(where={"doc_id": doc_id}, include=["embeddings", "metadatas"])
        embs = got.get("embeddings")
        if embs is None:
            return {}
        return {m.get("content_hash"): e for m, e in zip(got["metadatas"], embs)}

    def count(self) -> int:
        return self.chunks.count()
