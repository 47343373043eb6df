"""Any llama-index LLM as the engine's :class:`~assistant.answering.engine.ChatModel`.

The engine budgets the prompt against :meth:`LlamaIndexChatModel.context_length` (the LLM's
``metadata.context_window``) and checks the citations of what comes back, exactly as with
its own Ollama client. The LLM's stream is a :class:`~assistant.llm.stream.ChatStream`, as
with the Ollama client: the caller's thread enforces the time limits and notices ``cancel``
within ~50 ms even while the model is silent, and the call's :class:`Reply` says how it ended.
A generic LLM offers no way to cut its connection, so on cancel or timeout the helper thread
drops the rest of the stream when the next piece arrives (it is a daemon; nothing waits).

Failures become :mod:`assistant.errors` classes so the engine's fallback to an extractive
answer and its "incomplete answer" handling apply unchanged. This is the boundary to code
we do not know, so any exception the LLM raises is translated, not only the expected ones.
"""

from __future__ import annotations

import contextvars
import threading
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, ChatResponse, MessageRole
from llama_index.core.llms import LLM

from assistant.config import Settings
from assistant.errors import (
    AssistantError,
    LLMError,
    LLMTimeout,
    ModelNotFound,
    StreamCut,
)
from assistant.llm.stream import ChatStream, Emit, Limits
from assistant.llm.transport import connect_detail, sentence

_STATS_KEYS = ("done_reason", "eval_count", "prompt_eval_count", "total_duration")


class LlamaIndexChatModel:
    """Wraps a llama-index ``LLM`` (e.g. ``llama_index.llms.ollama.Ollama``) for the engine.

    Args:
        llm: the llama-index LLM that writes the answers.
        settings: where the first-token, between-token and whole-answer time limits come
            from; default: no limits beyond the LLM's own.
    """

    def __init__(self, llm: LLM, settings: Settings | None = None) -> None:
        self.llm = llm
        self.settings = settings

    @property
    def model_name(self) -> str:
        """The model's name as the LLM reports it (used as the answer's ``model``)."""
        name = getattr(self.llm, "model", None) or getattr(self.llm, "model_name", None)
        if isinstance(name, str) and name:
            return name
        try:  # metadata may ask a server (Ollama's does, for its context window)
            return str(self.llm.metadata.model_name)
        except Exception:
            return type(self.llm).__name__

    def context_length(self, name: str | None = None) -> int | None:
        """The LLM's context window (``metadata.context_window``), or ``None`` if unknown."""
        try:
            window = self.llm.metadata.context_window
        except Exception as err:
            raise self._error(err, "", "model details") from None
        return int(window) if isinstance(window, int) and window > 0 else None

    def chat(self, messages: list[dict[str, Any]], **kw: Any) -> str:
        """The whole answer as one string (see :meth:`stream_chat`)."""
        return "".join(self.stream_chat(messages, cancel=kw.get("cancel")))

    def stream_chat(
        self,
        messages: list[dict[str, Any]],
        *,
        num_ctx: int | None = None,
        cancel: threading.Event | None = None,
        temperature: float | None = None,
    ) -> ChatStream:
        """The answer's pieces; stops quietly when ``cancel`` is set. The stream's
        ``reply`` says how it ended (``done_reason`` when the LLM's raw payload has one).

        ``num_ctx`` and ``temperature`` are not forwarded: a llama-index LLM was built with
        its own, and sends its own context window, which is at least what the engine
        budgeted for (the engine takes the smaller of the two).
        Raises :class:`LLMTimeout` or :class:`StreamCut` (with the partial text) or another
        :class:`LLMError`.
        """
        chat = [ChatMessage(role=MessageRole(m["role"]), content=m["content"]) for m in messages]
        cfg = self.settings
        limits = (
            Limits(cfg.first_token_timeout, cfg.token_timeout, cfg.total_timeout)
            if cfg is not None
            else Limits()
        )
        # copy_context: llama-index's instrumentation follows the call into the helper thread.
        ctx = contextvars.copy_context()

        def produce(emit: Emit, stop: threading.Event) -> None:
            ctx.run(self._produce, chat, emit, stop)

        return ChatStream(
            produce,
            limits,
            cancel,
            timeout=lambda stage, limit, partial: ModelTimeout(
                self.model_name, stage, limit, partial
            ),
            fail=lambda err, partial, stage, limit: self._error(err, partial, "chat"),
            name="llm-chat",
        )

    def _produce(self, chat: list[ChatMessage], emit: Emit, stop: threading.Event) -> None:
        """Helper thread: the LLM's stream as pieces, then its final counters if it has any."""
        stream = None
        so_far = ""
        counters: dict[str, Any] | None = None
        try:
            try:
                stream = self.llm.stream_chat(chat)
            except NotImplementedError:  # an LLM that cannot stream answers all at once
                emit("piece", self.llm.chat(chat).message.content or "")
                return
            for response in stream:
                if stop.is_set():
                    return
                piece = _delta(response, so_far)
                so_far += piece
                counters = _stats(response) or counters
                emit("piece", piece)
            if counters:
                emit("done", counters)
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:
                    pass  # the stream is being abandoned; a failing close changes nothing

    def _error(self, err: BaseException, partial: str, what: str) -> BaseException:
        """Our error for what the LLM raised."""
        if isinstance(err, AssistantError):
            return err
        if not isinstance(err, Exception):  # KeyboardInterrupt and the like stay themselves
            return err
        name = self.model_name
        if getattr(err, "status_code", None) == 404 and "model" in str(err).lower():
            return ModelNotFound(name, [])
        detail = sentence(err, 120) or type(err).__name__
        if partial:  # whatever stopped it, the text so far is kept and marked incomplete
            return StreamCut(partial, detail)
        if _is_timeout(err):
            return LLMError(f"The language model {name!r} timed out ({detail}).")
        if _is_connect(err):
            where = getattr(self.llm, "base_url", None) or getattr(self.llm, "api_base", None)
            place = f" at {where}" if where else ""
            return ModelUnreachable(
                f"The language model {name!r} is not reachable{place} ({connect_detail(err)})."
            )
        return LLMError(
            f"The language model {name!r} failed to answer the {what} request ({detail})."
        )


class ModelUnreachable(LLMError):
    """The llama-index LLM's server could not be reached."""


class ModelTimeout(LLMTimeout):
    """The llama-index LLM was silent longer than the configured limit."""

    def __init__(self, model: str, stage: str, seconds: float, partial: str = "") -> None:
        super().__init__(stage, seconds, partial)
        # LLMTimeout names Ollama; this model may be anything llama-index talks to.
        self.args = (
            f"The language model {model!r} timed out waiting for the {stage} after {seconds:g} s.",
        )


def _delta(response: ChatResponse, so_far: str) -> str:
    """The new text in one streamed response (``delta``, else the grown message)."""
    if response.delta is not None:
        return response.delta
    full = response.message.content or ""
    return full[len(so_far) :] if full.startswith(so_far) else full


def _is_timeout(err: BaseException) -> bool:
    # httpx, requests and aiohttp all name their timeouts ...Timeout / TimeoutException.
    name = type(err).__name__
    return isinstance(err, TimeoutError) or name.endswith(("Timeout", "TimeoutException"))


def _is_connect(err: BaseException) -> bool:
    """A refused or unreachable connection, whatever the LLM's HTTP library calls it."""
    return isinstance(err, ConnectionError) or type(err).__name__ == "ConnectError"


def _stats(response: ChatResponse) -> dict[str, Any] | None:
    """``done_reason`` and token counts from a response's raw payload, when it has them."""
    raw = response.raw
    if raw is None:
        return None
    get = raw.get if isinstance(raw, dict) else lambda k: getattr(raw, k, None)
    found = {k: get(k) for k in _STATS_KEYS if get(k) is not None}
    return found or None
