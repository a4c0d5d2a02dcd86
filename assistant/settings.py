"""One typed settings tree, read from the environment once, in the CLI or the app.

Every field has a description; `inquiry config` prints them with their current values.
Lower layers never read the environment: they take these values as arguments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path

from assistant.tuning import AnswerConfig, RetrievalConfig
from index.embedder import OFFLINE_ENV as _MODEL_OFFLINE
from ingest.errors import ConfigError

# Nothing phones home: no model downloads, no Gradio analytics, no Chroma telemetry.
OFFLINE_ENV = {
    **_MODEL_OFFLINE,
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_env() -> None:
    """Set the offline switches unless the user set them (Gradio analytics: always off)."""
    for k, v in OFFLINE_ENV.items():
        os.environ.setdefault(k, v)
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"


def _f(default, env: str, description: str):
    return field(default=default, metadata={"env": env, "description": description})


@dataclass
class Settings:
    home: Path = _f(Path("data"), "INQUIRY_HOME", "Data directory: Chroma files, caches, uploads.")
    corpus: Path = _f(
        Path("corpus"), "INQUIRY_CORPUS", "Folder ingested on first run and managed by the app."
    )
    chroma_url: str = _f(
        "", "INQUIRY_CHROMA_URL", "Chroma server URL (http://host:port); empty = embedded store."
    )
    embed_model: str = _f(
        "", "INQUIRY_EMBED_MODEL", "Path of a sentence-transformers model; empty = packaged MiniLM."
    )
    embed_max_tokens: int = _f(
        0,
        "INQUIRY_EMBED_MAX_TOKENS",
        "Longest input the encoder reads (0 = the model's own); part of the collection name.",
    )
    embed_query_prompt: str = _f(
        "",
        "INQUIRY_EMBED_QUERY_PROMPT",
        "Text before every question for models that want one ('query: ' for e5); empty = the "
        "model's own query prompt, if its directory defines one.",
    )
    embed_document_prompt: str = _f(
        "",
        "INQUIRY_EMBED_DOCUMENT_PROMPT",
        "Text before every passage ('passage: ' for e5); empty = the model's own.",
    )
    embed_batch: int = _f(
        32, "INQUIRY_EMBED_BATCH", "Embedding batch size (32 measured fastest on 2 cores)."
    )
    chunk_tokens: int = _f(
        200, "INQUIRY_CHUNK_TOKENS", "Max tokens per chunk, context header included."
    )
    max_file_mb: float = _f(100.0, "INQUIRY_MAX_FILE_MB", "Largest file ingest accepts, in MB.")
    max_unpacked_mb: float = _f(
        200.0,
        "INQUIRY_MAX_UNPACKED_MB",
        "Largest decompressed content of one DOCX, in MB: stops zip bombs; twice the largest "
        "file allowed, as images barely compress and text inflates only a few times.",
    )
    max_paragraphs: int = _f(
        100_000,
        "INQUIRY_MAX_PARAGRAPHS",
        "Most paragraphs one file may hold (the largest shared-corpus report has 6,337).",
    )
    max_parse_s: float = _f(
        120.0,
        "INQUIRY_MAX_PARSE_S",
        "Seconds allowed to parse one file (the slowest shared-corpus PDF takes about 3 s).",
    )
    top_k: int = _f(10, "INQUIRY_TOP_K", "Passages returned with every answer.")
    min_score: float = _f(
        -1.0,
        "INQUIRY_MIN_SCORE",
        "Evidence threshold for answering (negative = the calibrated default).",
    )
    llm: str = _f("none", "INQUIRY_LLM", "none | openai:MODEL | ollama:MODEL | gguf:PATH.")
    llm_url: str = _f("", "INQUIRY_LLM_URL", "Base URL of the OpenAI-compatible/Ollama server.")
    llm_key: str = _f("", "INQUIRY_LLM_KEY", "API key for the LLM endpoint (never logged).")
    llm_timeout: float = _f(60.0, "INQUIRY_LLM_TIMEOUT", "Seconds before an LLM call gives up.")
    host: str = _f("127.0.0.1", "INQUIRY_HOST", "Address the app listens on.")
    port: int = _f(7860, "INQUIRY_PORT", "Port the app listens on.")
    lock_stale_s: float = _f(
        60.0,
        "INQUIRY_LOCK_STALE_S",
        "Server mode: an ingest lock not renewed for this long (its holder renews it every "
        "quarter of it) was left by a dead process and is broken.",
    )
    users_file: str = _f(
        "", "INQUIRY_USERS", "File of app logins (user:role:bcrypt-hash); empty = open, read-only."
    )
    upload_quota_mb: float = _f(
        1000.0,
        "INQUIRY_UPLOAD_QUOTA_MB",
        "MB one admin may upload to the app per 24 hours (others may upload nothing).",
    )
    login_failures: int = _f(
        5,
        "INQUIRY_LOGIN_FAILURES",
        "Wrong passwords, from one address for one login name, before that pair is locked.",
    )
    lockout_s: float = _f(
        60.0,
        "INQUIRY_LOCKOUT_S",
        "Seconds a login name stays locked for the address that failed (slows guessing).",
    )
    # Branches of the tree: the tuned constants of retrieval and answers (assistant/tuning.py),
    # each field overridable as INQUIRY_RETRIEVAL_<FIELD> / INQUIRY_ANSWER_<FIELD>.
    retrieval: RetrievalConfig = field(
        default_factory=RetrievalConfig, metadata={"env": "INQUIRY_RETRIEVAL", "branch": True}
    )
    answer: AnswerConfig = field(
        default_factory=AnswerConfig, metadata={"env": "INQUIRY_ANSWER", "branch": True}
    )

    @classmethod
    def from_env(cls, env: dict | None = None, **overrides) -> Settings:
        env = os.environ if env is None else env
        values = {}
        for f in fields(cls):
            if f.metadata.get("branch"):
                values[f.name] = _branch(f, env, overrides.get(f.name))
                continue
            raw = overrides.get(f.name)
            if raw is None and f.metadata["env"] in env:
                raw = env[f.metadata["env"]]
            if raw is None:
                continue
            values[f.name] = _convert(f, raw)
        return cls(**values)

    def describe(self) -> list[tuple[str, str, str]]:
        """(env var, current value, description) for every setting; secrets masked."""
        rows = []
        for f in fields(self):
            if f.metadata.get("branch"):
                branch = getattr(self, f.name)
                for g in fields(branch):
                    env = f"{f.metadata['env']}_{g.name.upper()}"
                    rows.append((env, str(getattr(branch, g.name)), g.metadata["description"]))
                continue
            value = str(getattr(self, f.name))
            if f.name == "llm_key" and value:
                value = "****"
            rows.append((f.metadata["env"], value, f.metadata["description"]))
        return rows

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def read_limits(self):
        """The per-file caps ingest applies (ingest/limits.py)."""
        from ingest.limits import ReadLimits

        return ReadLimits(
            max_bytes=self.max_bytes,
            max_unpacked_bytes=int(self.max_unpacked_mb * 1024 * 1024),
            max_paragraphs=int(self.max_paragraphs),
            max_parse_s=float(self.max_parse_s),
        )


def _branch(f, env: dict, given):
    """A branch of the tree (RetrievalConfig ...): its defaults, the given object, or fields
    overridden one by one from the environment (`off` takes a comma-separated list)."""
    base = given if given is not None else f.default_factory()
    if not is_dataclass(base):
        raise ConfigError(f"{f.name}: expected a {f.default_factory.__name__}")
    changes = {}
    for g in fields(base):
        name = f"{f.metadata['env']}_{g.name.upper()}"
        if name not in env or g.name == "role_penalties":
            continue
        raw = env[name]
        if g.name == "off":
            changes[g.name] = tuple(x.strip() for x in raw.split(",") if x.strip())
        else:
            changes[g.name] = _convert(g, raw, name)
    try:
        return replace(base, **changes) if changes else base
    except ValueError as e:
        raise ConfigError(f"{f.metadata['env']}_*: {e}") from None


def _convert(f, raw, env: str | None = None):
    kind = f.type if isinstance(f.type, str) else f.type.__name__
    env = env or f.metadata["env"]
    try:
        if kind == "bool":
            if str(raw).lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(raw)
            return str(raw).lower() in ("1", "true", "yes")
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path":
            return Path(raw).expanduser()
        return str(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{env}={raw!r}: expected {kind}") from None
