"""Plan and apply an ingest: new, changed, unchanged and (with prune) removed documents.

Unchanged documents cost one hash of their bytes. A changed document is replaced atomically
(see store.py), reusing the vectors of chunks whose text did not change. A file that cannot be
read is reported with its reason and leaves the index untouched; the rest of the batch goes on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import IngestError, InquiryError
from ingest.model import PARSER_VERSION, sha256
from ingest.titles import NOTE_NAMES

if TYPE_CHECKING:
    import numpy as np

EMBED_STEP = 256  # chunks embedded per progress update
REPORT_DEPTH = 6  # folders above a file whose _meta.json or note can change how it is read
NEW, CHANGED, UNCHANGED, REMOVED, FAILED = "new", "changed", "unchanged", "removed", "failed"


@dataclass
class PlanItem:
    action: str
    source: str
    doc_id: str
    path: str = ""
    root: str = ""
    version: str = ""
    reason: str = ""
    chunks: int = 0
    seconds: float = 0.0
    note: str = ""  # what reading the file said: "OCR read 3 scanned pages; page 2: ..."
    replaces: str = ""  # a catalogue id this document was known by before (ids now hold the root)


@dataclass
class Plan:
    items: list[PlanItem] = field(default_factory=list)

    def of(self, action: str) -> list[PlanItem]:
        return [i for i in self.items if i.action == action]

    def counts(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in (NEW, CHANGED, UNCHANGED, REMOVED, FAILED)}

    def to_json(self) -> dict:
        return {"counts": self.counts(), "items": [asdict(i) for i in self.items]}


def sidecar_bytes(path: Path) -> bytes:
    """Sidecar metadata files that belong to `path` (they are part of its version)."""
    out = b""
    for cand in (
        path.with_name(path.name + ".meta.json"),
        path.with_suffix(".meta.json"),
        path.parent / "_meta.json",
    ):
        if cand.is_file():
            out += cand.name.encode() + cand.read_bytes()
    # what else ingest reads about a file: a report object in an ancestor's _meta.json and
    # folder notes that give a title (ingest/reports.py, ingest/titles.py)
    for folder in list(path.parents)[1:REPORT_DEPTH]:
        cand = folder / "_meta.json"
        if cand.is_file():
            out += str(cand).encode() + cand.read_bytes()
    for folder in list(path.parents)[:REPORT_DEPTH]:
        for name in NOTE_NAMES:
            if (folder / name).is_file():
                out += f"{folder / name}:{(folder / name).stat().st_size}".encode()
    return out


def fingerprint(path: Path, ocr: bool = True) -> tuple[str, str]:
    """(content hash of the bytes, version = hash of bytes + sidecar metadata + the parser
    version: a new reader or chunker re-reads every document on the next ingest). A PDF read
    without OCR (`--no-ocr`) has a version of its own, so a later ingest with OCR re-reads it."""
    data = path.read_bytes()
    content = sha256(data)
    skipped = ":no-ocr" if not ocr and b"%PDF-" in data[:1024] else ""
    key = f"{content}:p{PARSER_VERSION}{skipped}".encode()
    return content, sha256(key + sidecar_bytes(path))[:20]


def catalogue_id(root: Path | str, source: str) -> str:
    """A document's identity in the catalogue: its folder (absolute) and its path in it, so
    `A/report.md` and `B/report.md`, or one name in two corpora, are two documents. The
    `source` shown and scored stays the path relative to the folder."""
    return sha256(f"{Path(root).resolve()}\n{source}")[:16]


def make_plan(
    files: list[tuple[Path, Path]],
    catalogue: dict,
    *,
    prune_roots: list[Path] = (),
    ocr: bool = True,
) -> Plan:
    """Compare files on disk with the catalogue. `prune_roots`: folders mirrored exactly;
    `ocr`: whether the ingest reads scanned PDF pages (part of a PDF's version)."""
    by_place = {(rec.root, rec.source): rec for rec in catalogue.values()}
    plan, seen = Plan(), set()
    for path, root in files:
        source = path.relative_to(root).as_posix()
        doc_id = catalogue_id(root, source)
        seen.add(doc_id)
        item = PlanItem(NEW, source, doc_id, str(path), str(root.resolve()))
        try:
            _, item.version = fingerprint(path, ocr)
        except OSError as e:
            item.action, item.reason = FAILED, f"cannot read: {e.strerror or e}"
            plan.items.append(item)
            continue
        rec = catalogue.get(doc_id)
        if rec is None:
            rec = by_place.get((item.root, source))
            if rec is not None:  # catalogued under the id of an older release: re-key it
                item.replaces = rec.doc_id
                seen.add(rec.doc_id)
                item.action = CHANGED
        else:
            item.action = UNCHANGED if rec.version == item.version else CHANGED
        plan.items.append(item)
    roots = {str(Path(r).resolve()) for r in prune_roots}
    current = {(i.root, i.source): i.doc_id for i in plan.items if not i.replaces}
    for doc_id, rec in sorted(catalogue.items(), key=lambda kv: kv[1].source):
        stale_key = current.get((rec.root, rec.source), doc_id) != doc_id  # re-keying cut short
        if doc_id not in seen and (rec.root in roots or stale_key):
            plan.items.append(PlanItem(REMOVED, rec.source, doc_id, rec.path, rec.root))
    return plan


@dataclass
class IngestOptions:
    max_bytes: int = 100 * 1024 * 1024
    max_tokens: int = 200
    limits: object = None  # ingest.limits.ReadLimits; None = its defaults with max_bytes
    ocr: bool = True  # read scanned PDF pages by OCR (ingest/ocr.py); False = refuse them


class Ingestor:
    """Applies a plan to a ChunkStore with an Embedder. Explicit arguments, no globals."""

    def __init__(self, store, embedder, options: IngestOptions | None = None):
        self.store = store
        self.embedder = embedder
        self.options = options or IngestOptions()
        self.embedded = 0  # chunks embedded by this object (reused vectors not counted)
        self._on_embed = self._on_ocr = None  # apply()'s callbacks

    def apply(
        self,
        plan: Plan,
        progress: Callable[[PlanItem], None] | None = None,
        on_embed: Callable[[int], None] | None = None,
        on_ocr: Callable[[str, int, int], None] | None = None,
    ) -> Plan:
        """Carry out the plan. `progress(item)` after each file, `on_embed(n)` per batch,
        `on_ocr(path, page, pages)` before each scanned page is read by OCR."""
        self._on_embed = on_embed
        self._on_ocr = on_ocr
        self.store.tidy()
        for item in plan.items:
            t0 = time.perf_counter()
            try:
                if item.action in (NEW, CHANGED):
                    item.chunks = self._put(item)
                elif item.action == REMOVED:
                    self.store.remove_document(item.doc_id)
            except InquiryError as e:
                item.action = FAILED
                item.reason = e.reason if isinstance(e, IngestError) else str(e)
            item.seconds = time.perf_counter() - t0
            if progress:
                progress(item)
        return plan

    def _put(self, item: PlanItem) -> int:
        from index.records import DocRecord
        from ingest.chunking import chunk_document
        from ingest.load import read_document
        from ingest.ocr import OcrOptions

        doc = read_document(
            Path(item.path),
            Path(item.root),
            max_bytes=self.options.max_bytes,
            limits=self.options.limits,
            ocr=OcrOptions(self.options.ocr, on_page=self._on_ocr),
        )
        item.note = "; ".join(doc.notes)
        chunks = chunk_document(
            doc, max_tokens=self.options.max_tokens, count_tokens=self.embedder.count_tokens
        )
        if not chunks:
            raise IngestError(item.path, "no text could be extracted")
        vectors = self._vectors(item.replaces or item.doc_id, chunks)
        meta = doc.metadata or {}
        record = DocRecord(
            doc_id=item.doc_id,
            source=doc.source,
            title=doc.title,
            version=item.version,
            content_hash=doc.content_hash,
            format=doc.format,
            pages=doc.pages,
            root=item.root,
            path=str(Path(item.path).resolve()),
            size=Path(item.path).stat().st_size,
            year=_int_or_none(meta.get("year")),
            organisation=meta.get("organisation"),
            kind=meta.get("kind"),
            report=doc.report,
            report_title=doc.report_title,
            part=doc.part,
        )
        self.store.put_document(record, chunks, vectors)
        if item.replaces:
            self.store.remove_document(item.replaces)
        return len(chunks)

    def _embed(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        parts = []
        for i in range(0, len(texts), EMBED_STEP):
            parts.append(self.embedder.embed(texts[i : i + EMBED_STEP]))
            self.embedded += len(parts[-1])
            if getattr(self, "_on_embed", None):
                self._on_embed(len(parts[-1]))
        return np.vstack(parts)

    def _vectors(self, doc_id: str, chunks) -> np.ndarray:
        import numpy as np

        known = self.store.embeddings_for(doc_id)
        todo = [i for i, c in enumerate(chunks) if c.content_hash not in known]
        fresh = self._embed([chunks[i].embed_text for i in todo]) if todo else None
        out, j = [], 0
        for i, c in enumerate(chunks):
            if fresh is not None and j < len(todo) and todo[j] == i:
                out.append(np.asarray(fresh[j], dtype=np.float32))
                j += 1
            else:
                out.append(np.asarray(known[c.content_hash], dtype=np.float32))
        return np.vstack(out) if out else np.zeros((0, 1), dtype=np.float32)


def _int_or_none(v) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def summary_json(plan: Plan, seconds: float, embedded: int) -> str:
    return json.dumps({**plan.to_json(), "seconds": round(seconds, 2), "embedded": embedded})
