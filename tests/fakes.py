"""Test doubles for unit-level speed (never the only test of a path): a fake embedder."""

from __future__ import annotations

import hashlib
import re

import numpy as np


class FakeEmbedder:
    """Deterministic hashed bag-of-words vectors: for fast unit tests only."""

    def __init__(self, dim: int = 64):
        self.dim = dim
        self.name = f"fake-{dim}"
        self.max_tokens = 256

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"[a-z0-9]+", t.lower()):
                h = int.from_bytes(hashlib.md5(w.encode()).digest()[:4], "little")
                out[i, h % self.dim] += 1.0
            n = np.linalg.norm(out[i])
            out[i] = out[i] / n if n else out[i]
        return out

    def count_tokens(self, text: str) -> int:
        return int(len(text.split()) * 1.3) + 2
