"""`gguf:PATH`: a local GGUF model run in-process by xllamacpp, as a LlamaIndex CustomLLM.

The model is loaded lazily, once per GGUFLLM object, on the first request. xllamacpp's server
engine applies the model's own chat template, generates on its own thread and reports each
token to a callback; `_stream` turns those callbacks into an iterator with a deadline, and
stops generation when the consumer stops reading.
"""

from __future__ import annotations

import os
import queue
import secrets
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM

from assistant.errors import LLMError

_DONE = object()
_JOIN_S = 10.0  # wait this long for a cancelled generation to return
DEFAULT_STOP = ["\nQuestion:", "\nPassages:"]


class GGUFLLM(CustomLLM):
    """A GGUF chat model in this process. Thread-safe; one loaded model per object."""

    model_path: str = Field(description="Path to the .gguf file.")
    n_ctx: int = Field(default=4096, description="Context window in tokens.")
    max_tokens: int = Field(default=512, description="Most tokens generated per request.")
    temperature: float = Field(default=0.0)
    repeat_penalty: float = Field(default=1.1)
    seed: int = Field(default=42)
    n_threads: int = Field(default=0, description="CPU threads; 0 lets llama.cpp choose.")
    timeout_s: float = Field(default=120.0, description="Deadline for one whole request.")
    stop: list[str] = Field(default_factory=lambda: list(DEFAULT_STOP))

    _server: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def class_name(cls) -> str:
        return "GGUFLLM"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.n_ctx,
            num_output=self.max_tokens,
            is_chat_model=True,
            model_name=os.path.basename(self.model_path),
        )

    def load(self) -> Any:
        """The xllamacpp server for this model, created on first use."""
        with self._lock:
            if self._server is None:
                self._server = self._start()
            return self._server

    def _start(self) -> Any:
        if not os.path.isfile(self.model_path):
            raise LLMError(f"GGUF model file not found: {self.model_path}")
        xlc = import_xllamacpp()
        params = xlc.CommonParams()
        params.model.path = self.model_path
        params.n_ctx = self.n_ctx
        params.n_parallel = 1
        params.warmup = False
        params.verbosity = 0  # llama.cpp logs nothing but errors
        # xllamacpp always opens an HTTP listener (127.0.0.1, random port); lock it with a key
        # nobody knows, since this process calls the engine directly.
        params.hostnames = ["127.0.0.1"]
        params.api_keys = [secrets.token_hex(16)]
        if self.n_threads > 0:
            params.cpuparams.n_threads = self.n_threads
            params.cpuparams_batch.n_threads = self.n_threads
        try:
            return xlc.Server(params)
        except (RuntimeError, ValueError) as exc:
            raise LLMError(f"could not load GGUF model {self.model_path}: {exc}") from exc

    def _request(self, messages: list[dict], kwargs: dict) -> dict:
        return {
            "messages": messages,
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "temperature": kwargs.get("temperature", self.temperature),
            "repeat_penalty": kwargs.get("repeat_penalty", self.repeat_penalty),
            "seed": self.seed,
            "stop": kwargs.get("stop", self.stop),
            "stream": True,
        }

    def _stream(self, messages: list[dict], **kwargs: Any) -> Iterator[str]:
        """Text deltas as the model produces them. Raises LLMError on error or deadline."""
        server = self.load()
        request = self._request(messages, kwargs)
        chunks: queue.Queue = queue.Queue()
        cancel = threading.Event()
        # Not a daemon: interpreter exit waits for llama.cpp to return instead of killing the
        # thread inside native code (which aborts the process).
        worker = threading.Thread(target=_generate, args=(server, request, chunks, cancel))
        deadline = time.monotonic() + self.timeout_s
        worker.start()
        try:
            yield from _drain(chunks, deadline, self.timeout_s)
        finally:
            cancel.set()  # generation stops at its next token
            worker.join(timeout=_JOIN_S)

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = "".join(self._stream(_to_dicts(messages), **kwargs))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        def gen() -> ChatResponseGen:
            text = ""
            for delta in self._stream(_to_dicts(messages), **kwargs):
                text += delta
                message = ChatMessage(role=MessageRole.ASSISTANT, content=text)
                yield ChatResponse(message=message, delta=delta)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        messages = [{"role": "user", "content": prompt}]
        return CompletionResponse(text="".join(self._stream(messages, **kwargs)))

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            text = ""
            for delta in self._stream([{"role": "user", "content": prompt}], **kwargs):
                text += delta
                yield CompletionResponse(text=text, delta=delta)

        return gen()


def import_xllamacpp() -> Any:
    """Import xllamacpp with OpenMP threads that sleep rather than spin while waiting.

    llama.cpp's OpenMP threads busy-wait by default; on a machine whose cores are busy with
    other work that slows generation ~15-fold (measured: 4 instead of 60 tokens/s on 2 shared
    cores). libgomp reads the policy once, when xllamacpp first loads it. A value the user
    set is kept.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import xllamacpp

    return xllamacpp


def _to_dicts(messages: Sequence[ChatMessage]) -> list[dict]:
    return [{"role": m.role.value, "content": m.content or ""} for m in messages]


def _generate(server: Any, request: dict, chunks: queue.Queue, cancel: threading.Event) -> None:
    """Worker thread: run one streaming request, putting deltas (or an error) on `chunks`."""

    def on_chunk(chunk: dict) -> bool:
        if "error" in chunk:
            chunks.put(LLMError(f"GGUF model error: {chunk['error'].get('message', chunk)}"))
            return True
        for choice in chunk.get("choices", []):
            delta = (choice.get("delta") or {}).get("content")
            if delta:
                chunks.put(delta)
        return cancel.is_set()  # True stops generation

    try:
        server.handle_chat_completions(request, on_chunk)
    except Exception as exc:  # the binding's own failures, reported to the reader
        chunks.put(LLMError(f"GGUF model error: {exc}"))
    finally:
        chunks.put(_DONE)


def _drain(chunks: queue.Queue, deadline: float, timeout_s: float) -> Iterator[str]:
    while True:
        try:
            item = chunks.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise LLMError(f"GGUF model timed out after {timeout_s:g} s") from None
        if item is _DONE:
            return
        if isinstance(item, Exception):
            raise item
        yield item
