"""The parts the engine is given, as small protocols: a retriever over the current index, an
embedder and a chat model. :mod:`assistant.runtime` supplies the real ones; tests hand in an
in-memory index and a word-hashing embedder (``tests/fakes/memory_index.py``)."""

from __future__ import annotations

import threading
from typing import Any, Protocol

import numpy as np

from assistant.answering.retrieval import Reader, SearchResult
from assistant.llm.stream import ChatStream
from index import Filters


class Searcher(Protocol):
    """Retrieval over one generation of the index (:class:`.retrieval.Retriever`)."""

    @property
    def reader(self) -> Reader: ...

    def search(
        self, query: str, k: int = 5, filters: Filters | None = None, mode: str = "hybrid"
    ) -> SearchResult: ...


class TextEmbedder(Protocol):
    """Unit vectors for texts (the index's embedder)."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


class ChatModel(Protocol):
    """An Ollama-like chat client (:class:`assistant.llm.OllamaLLM`): each call's stream
    carries its own :class:`~assistant.llm.Reply`."""

    def stream_chat(
        self,
        messages: list[dict[str, Any]],
        *,
        num_ctx: int | None = None,
        cancel: threading.Event | None = None,
        temperature: float | None = None,
    ) -> ChatStream: ...

    def chat(self, messages: list[dict[str, Any]], **kw: Any) -> str: ...

    def context_length(self, name: str | None = None) -> int | None: ...
