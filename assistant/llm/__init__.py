"""Model clients, all on one deadline-bounded streaming primitive.

- :mod:`assistant.llm.stream`: :class:`ChatStream` (first-token, between-token and total
  limits; cancel noticed while the model is silent) ending in a per-call :class:`Reply`.
- :mod:`assistant.llm.ollama`: :class:`OllamaLLM`, our client for an Ollama server.
- :mod:`assistant.llm.transport`: the HTTP plumbing under it (a cuttable connection).
- The llama-index adapter, :mod:`assistant.integrations.li_llm`, uses the same primitive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.llm.stream import ChatStream, Limits, Reply
from assistant.llm.transport import model_matches

if TYPE_CHECKING:
    from assistant.llm.ollama import OllamaLLM

__all__ = ["ChatStream", "Limits", "Reply", "OllamaLLM", "model_matches"]


def __getattr__(name: str) -> Any:
    if name == "OllamaLLM":  # lazily: the client imports httpx and ollama
        from assistant.llm.ollama import OllamaLLM

        return OllamaLLM
    raise AttributeError(f"module 'assistant.llm' has no attribute {name!r}")
