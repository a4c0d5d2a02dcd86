"""Opening Chroma (embedded or on a server) and reading its failures: which errors mean another
process wrote meanwhile, and which mean a damaged or unwritable store (said in one line with
what to do)."""

from __future__ import annotations

import re
from pathlib import Path

from index.errors import NotIndexed, StoreError


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
    return fresh_persistent_client(path)


def fresh_persistent_client(path: Path):
    """A PersistentClient with its own Chroma system: it reads the files as they are now
    (Chroma shares one system, and its in-memory vector indexes, per path and process)."""
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient
    from chromadb.config import Settings

    key = str(path)
    SharedSystemClient._identifier_to_system.pop(key, None)
    SharedSystemClient._identifier_to_refcount.pop(key, None)
    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    return chromadb.PersistentClient(path=key, settings=settings)


def explain(e: Exception, where: str) -> Exception:
    """Chroma's and SQLite's failures as one line saying what is wrong and what to do."""
    text = str(e)
    reason = re.sub(r".*\(code: \d+\)\s*", "", text).rsplit(": ", 1)[-1].strip()
    reason = reason or type(e).__name__
    low = text.lower()
    if type(e).__name__ == "NotFoundError" or "does not exist" in low:
        return NotIndexed(f"nothing is indexed in {where} yet: run `inquiry ingest FOLDER` first")
    if any(m in low for m in ("malformed", "not a database", "file is encrypted", "corrupt")):
        return StoreError(
            f"the index at {where} is damaged ({reason}): restore that folder from a backup, "
            "or move it away and ingest the reports again"
        )
    if any(m in low for m in ("readonly", "read-only", "permission denied", "unable to open")):
        return StoreError(
            f"the index at {where} cannot be opened by this user ({reason}): Chroma needs to "
            "write in its folder even to read; make it writable, or copy it to a writable "
            "folder and point INQUIRY_HOME there"
        )
    return e


def is_stale_error(e: Exception) -> bool:
    """Chroma's error for a record its in-memory index holds but its files no longer do (or
    the reverse): another process wrote since this one opened the store."""
    return "Error finding id" in str(e)


def has_vanished(got: dict) -> bool:
    """A read result naming a record whose metadata is gone (deleted by another process)."""
    metas = got.get("metadatas")
    if not metas:
        return False
    rows = metas[0] if metas and isinstance(metas[0], list) else metas
    return any(m is None for m in rows)
