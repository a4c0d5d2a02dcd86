"""What the catalogue says of a document (DocRecord) and how the collections are named."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ingest.model import sha256


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
