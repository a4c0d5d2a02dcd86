"""The catalogue file beside an embedded store: the documents it holds, in one small JSON file,
so that `inquiry docs` and an ingest with nothing to do need not load Chroma at all.

The store writes it on every write, under the ingest lock: marked pending before it touches
Chroma, and rewritten with the catalogue once the write is done. It is trusted only when not
pending and when it names the Chroma file it describes (a store restored from a backup is a
new file): otherwise readers ask Chroma. A server store has no such file (other machines
write to it).

`CatalogueMixin` is ChunkStore's side of the catalogue: reading the `<stem>_docs` collection
(documents, active versions, the stamp record) and marking every write (`_mark`), which keeps
this file and the stamp up to date.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from index.records import DocRecord
from ingest.model import sha256

STAMP_ID = "~stamp"  # catalogue record changed by every write; not a document


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


class CatalogueMixin:
    """The catalogue half of ChunkStore (index/store.py), which provides what these methods
    use: `docs` (the `<stem>_docs` collection), `manifest` (this file, or None on a server),
    `_read()` and `refresh()` (read again after another process's write), and the state
    `_stamp` (the last stamp seen) and `_active` (the cached active versions)."""

    def _catalogue(self) -> tuple[list[str], list[dict], dict]:
        """(document ids, their metadata, the stamp record's metadata), reopening an embedded
        store first when another process wrote since this one last looked."""
        ids, metas, stamp = self._catalogue_raw()
        if self._stamp is None:
            self._stamp = stamp.get("stamp", "")
        elif stamp.get("stamp", "") != self._stamp:
            self.refresh()
            self._stamp = stamp.get("stamp", "")
        return ids, metas, stamp

    def _catalogue_raw(self) -> tuple[list[str], list[dict], dict]:
        got = self._read(lambda: self.docs.get(include=["metadatas"]))
        ids, metas, stamp = [], [], {}
        for i, m in zip(got["ids"], got["metadatas"]):
            if i == STAMP_ID:
                stamp = m or {}
            elif m is not None:
                ids.append(i)
                metas.append(m)
        return ids, metas, stamp

    def documents(self) -> dict[str, DocRecord]:
        ids, metas, _ = self._catalogue()
        return {i: DocRecord.from_meta(i, m) for i, m in zip(ids, metas)}

    def active_versions(self) -> dict[str, str]:
        """doc id -> active version. An embedded store answers from memory while its catalogue
        file is unchanged since a read that found no write under way: every write replaces
        that file before and after it touches Chroma (`_mark`), so a changed file means a
        fresh read (reading the catalogue from Chroma costs about 20 ms, and a question reads
        it twice). A server store is read every time: other machines write to it."""
        key = self._manifest_key()
        if key is not None and self._active is not None and self._active[0] == key:
            return dict(self._active[1])
        ids, metas, stamp = self._catalogue()
        active = {i: m.get("version", "") for i, m in zip(ids, metas)}
        if key is not None and not stamp.get("pending", 1):
            self._active = (key, dict(active))
        return active

    def _manifest_key(self) -> tuple | None:
        """The catalogue file's identity and time of change, and which Chroma file it describes
        (a store restored from a backup is a new file); None: no file, or a server."""
        if self.manifest is None:
            return None
        try:
            st = self.manifest.stat()
            return (
                st.st_dev,
                st.st_ino,
                st.st_mtime_ns,
                st.st_size,
                store_id(self.manifest.parent),
            )
        except OSError:
            return None

    def generation(self, active: dict[str, str] | None = None) -> str:
        """A fingerprint of what is indexed: changes whenever any document is added/replaced/removed."""
        versions = self.active_versions() if active is None else active
        return sha256(json.dumps(sorted(versions.items())))[:16]

    def _mark(self, pending: bool) -> None:
        """A new stamp (other processes' readers reopen); `pending` while chunks are written
        and not yet flipped in (a crash leaves it set: the next tidy() scans everything).
        The catalogue file is marked pending first, and rewritten once the write is done."""
        if pending and self.manifest is not None:
            write_manifest(self.manifest, None)
        token = uuid.uuid4().hex
        self._active = None
        self.docs.upsert(
            ids=[STAMP_ID],
            embeddings=[[1.0]],
            documents=[""],
            metadatas=[{"stamp": token, "pending": int(pending)}],
        )
        self._stamp = token
        if not pending and self.manifest is not None:
            ids, metas, _ = self._catalogue_raw()
            write_manifest(self.manifest, dict(zip(ids, metas)))
