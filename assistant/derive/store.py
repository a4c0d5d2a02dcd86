"""Derived items kept in step with the index: one JSON file per document under
`INQUIRY_HOME/derived/`, keyed by the document id and the version (fingerprint of the file's
content) it was derived from.

`refresh()` is the only way in: it compares every indexed document's active version with the
file's, derives again what is missing or out of date (a re-ingested report), deletes the files
of documents no longer indexed (a removed report), and returns the items. Readers call it
before reading, and ingest calls it after writing, so the items are never stale: at worst a
reader derives a changed document itself. Deriving reads the chunks from the lexical index
(which holds every active chunk's verbatim text and metadata) and needs no model.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.derive.chronology import events
from assistant.derive.document import build_view
from assistant.derive.findings import findings
from assistant.derive.items import Item
from assistant.derive.recommendations import recommendations
from ingest.model import sha256


@lru_cache(maxsize=1)
def derive_version() -> str:
    """A fingerprint of the extractors and patterns (this package's source): when the code
    that finds items changes, every document is derived again on the next read."""
    here = Path(__file__).resolve().parent
    return sha256("".join(p.read_text(encoding="utf-8") for p in sorted(here.glob("*.py"))))[:16]


@dataclass
class DocItems:
    doc_id: str
    version: str
    source: str
    title: str
    year: int | None = None
    recommendations: list[Item] = field(default_factory=list)
    findings: list[Item] = field(default_factory=list)
    events: list[Item] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "derive_version": derive_version(),
            "doc_id": self.doc_id,
            "version": self.version,
            "source": self.source,
            "title": self.title,
            "year": self.year,
            "recommendations": [i.to_json() for i in self.recommendations],
            "findings": [i.to_json() for i in self.findings],
            "events": [i.to_json() for i in self.events],
        }

    @classmethod
    def from_json(cls, d: dict) -> DocItems:
        return cls(
            doc_id=d["doc_id"],
            version=d["version"],
            source=d.get("source") or "",
            title=d.get("title") or "",
            year=d.get("year"),
            recommendations=[Item.from_json(x) for x in d.get("recommendations", [])],
            findings=[Item.from_json(x) for x in d.get("findings", [])],
            events=[Item.from_json(x) for x in d.get("events", [])],
        )


def derive(rows: list[tuple[str, str, dict]]) -> DocItems:
    """All derived items of one document version, from its chunks."""
    view = build_view(rows)
    return DocItems(
        doc_id=view.doc_id,
        version=view.version,
        source=view.source,
        title=view.title,
        year=view.year,
        recommendations=recommendations(view),
        findings=findings(view),
        events=events(view),
    )


class DerivedStore:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._memo: dict[str, DocItems] = {}
        self._lock = threading.Lock()

    def refresh(self, lex) -> dict[str, DocItems]:
        """doc_id -> its items, for every document in the lexical index `lex` (a snapshot of
        the active versions); derives what is missing or stale and drops what was removed."""
        by_doc: dict[str, list[int]] = {}
        for row, meta in enumerate(lex.metas):
            by_doc.setdefault(meta.get("doc_id") or "", []).append(row)
        out: dict[str, DocItems] = {}
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            for doc_id, rows in by_doc.items():
                version = lex.metas[rows[0]].get("version") or ""
                got = self._memo.get(doc_id)
                if got is None or got.version != version:
                    got = self._load(doc_id, version)
                if got is None:
                    got = derive([(lex.ids[r], lex.texts[r], lex.metas[r]) for r in rows])
                    self._save(got)
                self._memo[doc_id] = out[doc_id] = got
            for path in self.folder.glob("*.json"):
                if path.stem not in by_doc:
                    path.unlink(missing_ok=True)
            for doc_id in set(self._memo) - set(by_doc):
                del self._memo[doc_id]
        return out

    def _path(self, doc_id: str) -> Path:
        return self.folder / f"{doc_id}.json"

    def _load(self, doc_id: str, version: str) -> DocItems | None:
        try:
            data = json.loads(self._path(doc_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("derive_version") != derive_version() or data.get("version") != version:
            return None
        try:
            return DocItems.from_json(data)
        except (KeyError, TypeError):
            return None

    def _save(self, items: DocItems) -> None:
        """Write a private temporary file, then rename: readers never see half a file."""
        path = self._path(items.doc_id)
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            tmp.write_text(json.dumps(items.to_json()), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)


def refresh_derived(lex, home: Path) -> None:
    """Bring the derived items under `home` in step with the index (called after ingest)."""
    DerivedStore(Path(home) / "derived").refresh(lex)
