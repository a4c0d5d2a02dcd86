"""The catalogue file beside an embedded store: the documents it holds, in one small JSON file,
so that `inquiry docs` and an ingest with nothing to do need not load Chroma at all.

The store writes it on every write, under the ingest lock: marked pending before it touches
Chroma, and rewritten with the catalogue once the write is done. It is trusted only when not
pending and when it names the Chroma file it describes (a store restored from a backup is a
new file): otherwise readers ask Chroma. A server store has no such file (other machines
write to it).
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path


def manifest_path(home: Path, stem: str) -> Path:
    return Path(home) / f"catalogue-{stem}.json"


def store_id(home: Path) -> str:
    """Which Chroma file this is: its inode and device (a copied-back store differs)."""
    st = (Path(home) / "chroma" / "chroma.sqlite3").stat()
    return f"{st.st_dev}:{st.st_ino}"


def read_manifest(path: Path) -> dict[str, dict] | None:
    """doc id -> catalogue metadata, or None when the file is missing, pending or stale."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("pending") or data.get("store") != store_id(path.parent):
            return None
        return dict(data["docs"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_manifest(path: Path, docs: dict[str, dict] | None) -> None:
    """Replace the file at once (write, then rename); `docs=None` marks a write under way."""
    try:
        store = store_id(path.parent)
    except OSError:
        store = ""
    data = {"pending": docs is None, "store": store, "docs": docs or {}}
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)
