"""Errors a user can meet, each with one clear sentence.

The CLI turns any :class:`AssistantError` into its message on stderr and exits with the
code :mod:`assistant.exits` gives it; nothing else reaches the user as a traceback.
"""

from __future__ import annotations

from vocab.errors import (  # noqa: F401  (re-exported: the one place callers import from)
    AssistantError,
    FilesystemError,
    StoreError,
    UsageError,
    filesystem_error,
)


class LLMError(AssistantError):
    """The language model could not produce an answer."""


class OllamaUnreachable(LLMError):
    """No Ollama server answered at the configured URL."""

    def __init__(self, host: str, detail: str = "") -> None:
        self.host = host
        super().__init__(
            f"Ollama is not reachable at {host}; start it with `ollama serve` "
            f"or set OLLAMA_HOST to where it runs{f' ({detail})' if detail else ''}."
        )


class ModelNotFound(LLMError):
    """The server answered, but the configured model is not pulled."""

    def __init__(self, model: str, available: list[str]) -> None:
        self.model = model
        self.available = available
        have = ", ".join(available) if available else "none"
        super().__init__(
            f"Model {model!r} is not available in Ollama; run `ollama pull {model}` "
            f"(models available: {have})."
        )


class LLMTimeout(LLMError):
    """Ollama took too long: to connect, to send the first token, or to finish."""

    def __init__(self, stage: str, seconds: float, partial: str = "") -> None:
        self.stage = stage
        self.seconds = seconds
        self.partial = partial
        super().__init__(f"Ollama timed out waiting for the {stage} after {seconds:g} s.")


class StreamCut(LLMError):
    """The answer stream ended before Ollama said it was done."""

    def __init__(self, partial: str, detail: str = "") -> None:
        self.partial = partial
        super().__init__(
            "The answer stream from Ollama was cut off before it finished"
            f"{f' ({detail})' if detail else ''}; the partial answer is kept and marked incomplete."
        )


class OllamaResponseError(LLMError):
    """Ollama answered with an error we have no better name for."""
