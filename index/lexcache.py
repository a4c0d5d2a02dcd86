"""The lexical index for a snapshot of the catalogue, built from the store or loaded from the
disk cache of its generation (index/lexical.py), with every chunk's vector when the corpus is
small enough for exact dense search."""

from __future__ import annotations

import shutil
from pathlib import Path

from index.lexical import LEXICAL_VERSION, LexicalIndex


def load_or_build(
    store, cache_dir: Path | None, active: dict[str, str] | None = None, vectors_max: int = 0
) -> tuple[str, LexicalIndex]:
    """The lexical index for a snapshot of active versions (default: now), cached on disk;
    with every chunk's vector when there are at most `vectors_max` chunks (exact dense
    search, `LexicalIndex.nearest`). The generation is "" when the catalogue changed while
    the index was read: the caller must not keep it for that snapshot."""
    active = store.active_versions() if active is None else active
    gen = store.generation(active)
    folder = cache_dir / f"{store.stem}-v{LEXICAL_VERSION}-{gen}" if cache_dir else None
    if folder and folder.exists():
        idx = LexicalIndex.load(folder)
        if idx is not None and (idx.vectors is not None or len(idx.ids) > vectors_max):
            return gen, idx
        shutil.rmtree(folder, ignore_errors=True)  # built without the vectors now wanted
    idx = LexicalIndex.build(list(store.all_chunks(active)))
    if idx.ids and len(idx.ids) <= vectors_max:
        idx.vectors = _vectors(store, idx.ids)
    if store.active_versions() != active:
        # a writer changed the catalogue while we read (a document removed: its chunks may
        # be gone already): this index may lack some of `active`'s chunks, and the same
        # generation may come back (the document re-added), so it is neither saved nor kept
        return "", idx
    if folder:
        for old in cache_dir.glob(f"{store.stem}-*"):
            if old != folder and ".tmp-" not in old.name:
                shutil.rmtree(old, ignore_errors=True)
        idx.save(folder)
    return gen, idx


def _vectors(store, ids: list[str]):
    """Every chunk's stored vector, in the order of `ids`, as unit vectors (None when a chunk
    has none: the index then falls back to Chroma's search)."""
    import numpy as np

    got: dict = {}
    for i in range(0, len(ids), 5000):
        got.update(store.embeddings(ids[i : i + 5000]))
    if len(got) < len(ids):
        return None
    m = np.asarray([got[c] for c in ids], dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms > 0, norms, 1.0)
