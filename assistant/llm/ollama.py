"""Our client for a local Ollama server: pre-flight checks and a streamed, cancellable chat.

Built on the official ``ollama`` package (which wraps ``httpx``). Nothing here prints; every
failure a user can meet comes out as one of the :mod:`assistant.errors` classes, never as a
raw ``httpx`` or ``ollama`` exception. It takes the one settings object: the host, the time
limits, the context window, the temperature and the answer-length cap all come from there.

Time limits are separate because they fail for different reasons:

- ``connect_timeout``: nothing listens, or a firewall drops the packets;
- ``first_token_timeout``: Ollama may have to load the model from disk first (minutes, cold);
- ``token_timeout``: once an answer flows, a long silence means Ollama is stuck;
- ``total_timeout``: an upper bound on the whole answer.

The streamed chat is a :class:`~assistant.llm.stream.ChatStream`: its HTTP request runs in a
helper thread, the caller's thread enforces every limit and notices ``cancel`` within ~50 ms
even while Ollama is silent (e.g. loading the model), and the call's own :class:`Reply`
says why the model stopped. On timeout or cancel the TCP connection is shut down, which
makes Ollama abandon the request and wakes the helper thread at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from assistant.config import Settings
from assistant.errors import (
    AssistantError,
    LLMError,
    LLMTimeout,
    ModelNotFound,
    OllamaResponseError,
    OllamaUnreachable,
    StreamCut,
)
from assistant.llm.stream import ChatStream, Limits
from assistant.llm.transport import (
    TracingTransport,
    Wire,
    chat_producer,
    connect_detail,
    is_loopback,
    is_web_page,
    model_matches,
    sentence,
)

if TYPE_CHECKING:
    import ollama

REQUEST_TIMEOUT = 30.0  # seconds for the small calls (version, model list, model details)
_T = TypeVar("_T")


class OllamaLLM:
    """Talks to one Ollama server about one configured model."""

    def __init__(
        self, settings: Settings, model: str | None = None, request_timeout: float = REQUEST_TIMEOUT
    ) -> None:
        self.settings = settings
        self.model = model or settings.model
        self.request_timeout = request_timeout
        self._client: ollama.Client | None = None
        self._ssl_context: Any = None
        self._lock = threading.Lock()

    # -- connection plumbing ----------------------------------------------------------------

    @property
    def host(self) -> str:
        """The Ollama URL as configured (``OLLAMA_HOST``)."""
        return self.settings.ollama_host

    def _url(self) -> str:
        host = self.host.strip()
        return host if "://" in host else "http://" + host

    def _transport(self) -> Any:
        """A direct connection for loopback; otherwise the proxy the environment names."""
        import urllib.request

        import httpx

        if self._ssl_context is None:
            self._ssl_context = httpx.create_ssl_context()
        parts = urlsplit(self._url())
        hostname = parts.hostname or ""
        proxy = None
        if not is_loopback(hostname) and not urllib.request.proxy_bypass(hostname):
            proxies = urllib.request.getproxies()
            proxy = proxies.get(parts.scheme) or proxies.get("all")
        return httpx.HTTPTransport(verify=self._ssl_context, proxy=proxy)

    def _make_client(self, read_timeout: float, transport: Any = None) -> ollama.Client:
        import httpx
        import ollama

        cfg = self.settings
        timeout = httpx.Timeout(
            connect=cfg.connect_timeout,
            read=read_timeout,
            write=max(cfg.connect_timeout, self.request_timeout),
            pool=cfg.connect_timeout,
        )
        try:
            return ollama.Client(
                host=self.host, timeout=timeout, transport=transport or self._transport()
            )
        except (ValueError, httpx.InvalidURL) as err:
            raise OllamaUnreachable(self.host, f"not a valid URL: {sentence(err, 80)}") from None

    def _meta_client(self) -> ollama.Client:
        with self._lock:
            if self._client is None:
                self._client = self._make_client(self.request_timeout)
            return self._client

    def close(self) -> None:
        """Release the pooled connection of the small calls (optional)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def __enter__(self) -> OllamaLLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ask(self, what: str, call: Callable[[ollama.Client], _T]) -> _T:
        """Run one small request, turning transport trouble into our errors.

        ``ollama.ResponseError`` (an HTTP error status) is left to the caller.
        """
        import httpx

        cfg = self.settings
        try:
            return call(self._meta_client())
        except AssistantError:
            raise
        except httpx.ConnectTimeout:
            raise OllamaUnreachable(
                self.host, f"no connection within {cfg.connect_timeout:g} s"
            ) from None
        except httpx.ConnectError as err:
            raise OllamaUnreachable(self.host, connect_detail(err)) from None
        except httpx.TimeoutException:
            raise LLMTimeout(what, self.request_timeout) from None
        except (httpx.TransportError, httpx.StreamError) as err:
            raise OllamaResponseError(
                f"The connection to Ollama at {self.host} broke while asking for the {what} "
                f"({sentence(err, 80) or type(err).__name__})."
            ) from None
        except httpx.InvalidURL as err:
            raise OllamaUnreachable(self.host, f"not a valid URL: {sentence(err, 80)}") from None
        except ConnectionError as err:  # what ollama raises for httpx.ConnectError
            raise OllamaUnreachable(self.host, connect_detail(err)) from None
        except ValueError as err:  # bad JSON or a reply that does not parse as Ollama's
            if is_web_page(getattr(err, "doc", None)):
                raise self._web_page() from None
            raise OllamaResponseError(
                f"The server at {self.host} sent an unreadable {what}; is it really Ollama?"
            ) from None

    def _http_error(self, err: ollama.ResponseError, what: str) -> OllamaResponseError:
        if is_web_page(err.error):
            return self._web_page(err.status_code)
        return OllamaResponseError(
            f"Ollama at {self.host} answered HTTP {err.status_code} to the {what} request: "
            f"{sentence(err.error)}."
        )

    def _web_page(self, status: int = 200) -> OllamaResponseError:
        """A web server or a proxy's error page where Ollama was expected."""
        how = "" if status == 200 else f" HTTP {status}"
        return OllamaResponseError(
            f"The server at {self.host} answered{how} with a web page, not Ollama's API; set "
            "OLLAMA_HOST to where Ollama runs (usually http://127.0.0.1:11434)."
        )

    # -- small calls --------------------------------------------------------------------------

    def version(self) -> str:
        """Ollama's version string, e.g. ``0.12.0``; raises :class:`OllamaUnreachable`."""
        import ollama

        # ollama-python has no public call for /api/version; _request_raw is its own helper
        # (it maps HTTP errors and refused connections the same way the public calls do).
        try:
            reply = self._ask("version", lambda c: c._request_raw("GET", "/api/version").json())
        except ollama.ResponseError as err:
            raise self._http_error(err, "version") from None
        if not isinstance(reply, dict) or "version" not in reply:
            raise OllamaResponseError(
                f"The server at {self.host} did not report a version; is it really Ollama?"
            )
        return str(reply["version"])

    def list_models(self) -> list[str]:
        """Names of the pulled models as Ollama lists them, e.g. ``llama3.2:latest``."""
        import ollama

        try:
            reply = self._ask("model list", lambda c: c.list())
        except ollama.ResponseError as err:
            raise self._http_error(err, "model list") from None
        names = []
        for entry in reply.models:
            name = entry.model or getattr(entry, "name", None)
            if name:
                names.append(str(name))
        return names

    def chat_models(self) -> list[str]:
        """The pulled models that can chat (embedding-only models left out, e.g. for a picker).

        Ollama says what a model can do in ``/api/show``'s ``capabilities``; a model whose
        details cannot be read is kept (better offered than hidden).
        """
        import ollama

        out = []

        def details(model: str) -> Any:
            return self._ask("model details", lambda c: c.show(model))

        for name in self.list_models():
            try:
                reply = details(name)
            except (LLMError, ollama.ResponseError):
                out.append(name)
                continue
            capabilities = set(getattr(reply, "capabilities", None) or ())
            if not capabilities or "completion" in capabilities:
                out.append(name)
        return out

    def _available_quietly(self) -> list[str]:
        try:
            return self.list_models()
        except LLMError:
            return []

    def has_model(self, name: str | None = None) -> bool:
        """Whether the model (default: the configured one) is pulled."""
        wanted = name or self.model
        return any(model_matches(wanted, listed) for listed in self.list_models())

    def context_length(self, name: str | None = None) -> int | None:
        """The model's trained context window from ``/api/show``, or ``None`` if not given.

        Raises :class:`ModelNotFound` when the model is not pulled.
        """
        import ollama

        model = name or self.model
        try:
            reply = self._ask("model details", lambda c: c.show(model))
        except ollama.ResponseError as err:
            if err.status_code == 404:
                raise ModelNotFound(model, self._available_quietly()) from None
            raise self._http_error(err, "model details") from None
        info = dict(reply.modelinfo or {})
        arch = info.get("general.architecture")
        candidates = [f"{arch}.context_length"] if arch else []
        candidates += sorted(k for k in info if k.endswith(".context_length"))
        for key in candidates:
            value = info.get(key)
            if isinstance(value, (int, float)) and value > 0:
                return int(value)
        return None

    # -- the answer -------------------------------------------------------------------------

    def chat(self, messages: list[dict[str, Any]], **kw: Any) -> str:
        """The whole answer as one string (see :meth:`stream_chat`)."""
        return "".join(self.stream_chat(messages, **kw))

    def stream_chat(
        self,
        messages: list[dict[str, Any]],
        *,
        num_ctx: int | None = None,
        cancel: threading.Event | None = None,
        temperature: float | None = None,
    ) -> ChatStream:
        """The answer's content pieces as Ollama produces them; the stream's ``reply``
        says how it ended (``done_reason``, token counts) once it has.

        Always sends ``options.num_ctx`` (the setting unless given), ``options.temperature``
        and ``options.num_predict`` (``answer_tokens``: a runaway answer is cut there).
        Thinking pieces of thinking models are not yielded.
        When ``cancel`` is set the stream stops promptly and returns without error.

        Raises :class:`OllamaUnreachable`, :class:`ModelNotFound`, :class:`LLMTimeout`
        (stage ``first token``, ``next token`` or ``whole answer``, with the partial text),
        :class:`StreamCut` (with the partial text) or :class:`OllamaResponseError`.
        """
        cfg = self.settings
        options = {
            "num_ctx": int(num_ctx or cfg.num_ctx),
            "temperature": cfg.temperature if temperature is None else temperature,
            # the answer may take what the prompt budget kept free for it, and no more
            "num_predict": cfg.answer_tokens,
        }
        wire = Wire()
        # The helper's own read timeout is only a backstop; the caller's thread enforces
        # the limits.
        backstop = max(cfg.first_token_timeout, cfg.token_timeout) + 5.0
        client = self._make_client(backstop, TracingTransport(self._transport(), wire))

        def close(clean: bool) -> None:
            if not clean:
                wire.cut()

        return ChatStream(
            chat_producer(client, self.model, list(messages), options),
            Limits(cfg.first_token_timeout, cfg.token_timeout, cfg.total_timeout),
            cancel,
            timeout=LLMTimeout,
            fail=self._stream_error,
            ended=lambda partial: StreamCut(partial, "it ended without Ollama's final message"),
            close=close,
            name="ollama-chat",
        )

    def _stream_error(
        self, err: BaseException, partial: str, stage: str, limit: float | None
    ) -> BaseException:
        """Our error for what the chat helper thread ran into."""
        import httpx
        import ollama

        cfg = self.settings
        if isinstance(err, AssistantError):
            return err
        if isinstance(err, ollama.ResponseError):
            if is_web_page(err.error):
                return self._web_page(err.status_code)
            if err.status_code == 404 and "model" in str(err.error).lower():
                return ModelNotFound(self.model, self._available_quietly())
            if err.status_code == -1:  # an {"error": ...} line inside the stream
                if partial:
                    return StreamCut(partial, f"Ollama reported: {sentence(err.error, 120)}")
                return OllamaResponseError(f"Ollama failed to answer: {sentence(err.error)}.")
            return self._http_error(err, "chat")
        if isinstance(err, httpx.ConnectTimeout):
            return OllamaUnreachable(self.host, f"no connection within {cfg.connect_timeout:g} s")
        if isinstance(err, (httpx.ConnectError, ConnectionRefusedError)):
            return OllamaUnreachable(self.host, connect_detail(err))
        if type(err) is ConnectionError:  # ollama's own wording for a refused connection
            return OllamaUnreachable(self.host, connect_detail(err))
        if isinstance(err, httpx.TimeoutException):
            return LLMTimeout(stage, limit or 0.0, partial)
        if isinstance(err, httpx.InvalidURL):
            return OllamaUnreachable(self.host, f"not a valid URL: {sentence(err, 80)}")
        if isinstance(err, (httpx.TransportError, httpx.StreamError, OSError)):
            return StreamCut(partial, "the connection was closed")
        if isinstance(err, ValueError):
            import json

            if not partial and is_web_page(getattr(err, "doc", None)):
                return self._web_page()
            if isinstance(err, json.JSONDecodeError):
                return StreamCut(partial, "a line of the stream was incomplete")
            return OllamaResponseError(
                f"The server at {self.host} sent a chat reply this client cannot read; "
                "is it really Ollama?"
            )
        return err  # a bug of ours: let it surface as itself


__all__ = ["OllamaLLM", "model_matches"]
