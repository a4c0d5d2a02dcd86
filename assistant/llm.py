"""Choose a generative backend from a spec string (`INQUIRY_LLM` / `--llm`).

    none            no LLM: the extractive answerer (the default)
    openai:MODEL    any OpenAI-compatible endpoint (llama.cpp server, vLLM, a gateway) at `url`
    ollama:MODEL    an Ollama server at `url` (default http://127.0.0.1:11434)
    gguf:PATH       a local GGUF file run in-process with xllamacpp

Every backend is a LlamaIndex `LLM`. Backend packages are optional (`pip install
'inquiry-assistant[llm]'`) and imported only when a backend is made, so importing this module
stays cheap for the CLI.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from assistant.errors import LLMError
from ingest.errors import ConfigError, MissingDependency

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

SCHEMES = ("none", "openai", "ollama", "gguf")
DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
DEFAULT_TIMEOUT_S = 60.0
CONTEXT_WINDOW = 8192
MAX_TOKENS = 512
_EXTRA = "pip install 'inquiry-assistant[llm]'"


def parse_spec(spec: str | None) -> tuple[str, str]:
    """'openai:qwen2.5' -> ('openai', 'qwen2.5'); '' or 'none' -> ('none', '')."""
    spec = (spec or "none").strip()
    scheme, _, arg = spec.partition(":")
    scheme = scheme.strip().lower()
    if scheme not in SCHEMES:
        raise ConfigError(
            f"unknown LLM backend {spec!r}: use one of none, openai:MODEL, ollama:MODEL, gguf:PATH"
        )
    if scheme != "none" and not arg.strip():
        what = "PATH" if scheme == "gguf" else "MODEL"
        raise ConfigError(f"LLM backend {spec!r} needs a {what.lower()}: write {scheme}:{what}")
    return scheme, arg.strip()


def make_llm(
    spec: str | None,
    *,
    url: str | None = None,
    key: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> LLM | None:
    """A LlamaIndex LLM for `spec`, or None for 'none'. Nothing is contacted or loaded yet.

    Raises ConfigError (unknown scheme, missing URL), MissingDependency (backend package not
    installed; the message names the pip extra) or LLMError (GGUF file not found).
    """
    scheme, arg = parse_spec(spec)
    if scheme == "none":
        return None
    if timeout_s <= 0:
        raise ConfigError(f"LLM timeout must be positive, got {timeout_s}")
    if scheme == "openai":
        return _openai(arg, url, key, timeout_s)
    if scheme == "ollama":
        return _ollama(arg, url, timeout_s)
    return _gguf(arg, timeout_s)


def _openai(model: str, url: str | None, key: str | None, timeout_s: float) -> LLM:
    if not url:
        raise ConfigError(
            "openai:MODEL needs INQUIRY_LLM_URL, the endpoint's base URL, e.g. "
            "http://127.0.0.1:8080/v1 (llama.cpp server) or http://127.0.0.1:8000/v1 (vLLM)"
        )
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as exc:
        raise MissingDependency(
            f"openai:MODEL needs llama-index-llms-openai-like: {_EXTRA}"
        ) from exc
    return OpenAILike(
        model=model,
        api_base=url.rstrip("/"),
        api_key=key or "not-needed",
        is_chat_model=True,
        context_window=CONTEXT_WINDOW,
        max_tokens=MAX_TOKENS,
        temperature=0.0,
        timeout=timeout_s,
        max_retries=0,
    )


def _ollama(model: str, url: str | None, timeout_s: float) -> LLM:
    try:
        from llama_index.llms.ollama import Ollama
    except ImportError as exc:
        raise MissingDependency(f"ollama:MODEL needs llama-index-llms-ollama: {_EXTRA}") from exc
    return Ollama(
        model=model,
        base_url=(url or DEFAULT_OLLAMA_URL).rstrip("/"),
        request_timeout=timeout_s,
        context_window=CONTEXT_WINDOW,  # a fixed window: Ollama is not asked at construction
        temperature=0.0,
    )


def _gguf(path: str, timeout_s: float) -> LLM:
    path = os.path.expanduser(path)
    if not os.path.isfile(path):
        raise LLMError(f"GGUF model file not found: {path}")
    from assistant.llm_gguf import GGUFLLM, import_xllamacpp

    try:
        import_xllamacpp()
    except ImportError as exc:
        raise MissingDependency(f"gguf:PATH needs xllamacpp: {_EXTRA}") from exc

    return GGUFLLM(model_path=os.path.abspath(path), timeout_s=timeout_s)


def where(llm: object) -> str:
    """Where an LLM lives, for messages: its URL, or the GGUF path."""
    for attr in ("api_base", "base_url", "model_path"):
        value = getattr(llm, attr, None)
        if value:
            return str(value)
    return type(llm).__name__


def describe(llm: object) -> str:
    """'openai:qwen2.5 at http://...' style label for notes and logs."""
    scheme = {"OpenAILike": "openai", "Ollama": "ollama", "GGUFLLM": "gguf"}.get(
        type(llm).__name__, type(llm).__name__
    )
    model = getattr(llm, "model", None)
    return f"{scheme}:{model} at {where(llm)}" if model else f"{scheme}:{where(llm)}"
