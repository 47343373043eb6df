"""Plumbing under the Ollama client: connection errors in words, a cancellable stream.

``ollama`` and ``httpx`` are imported lazily (together ~0.5 s) so ``assistant --help``
stays fast. Nothing here knows about settings or answers; :mod:`assistant.llm.ollama` does.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ollama


def model_matches(wanted: str, listed: str) -> bool:
    """Whether Ollama would serve ``wanted`` as ``listed`` (``llama3.2`` = ``llama3.2:latest``)."""
    return _full_name(wanted) == _full_name(listed)


def _full_name(name: str) -> str:
    name = name.strip().lower()
    return name if ":" in name.rsplit("/", 1)[-1] else name + ":latest"


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def sentence(text: Any, limit: int = 200) -> str:
    """Server text squeezed into a clause: one line, no final period, not too long."""
    flat = " ".join(str(text).split()).rstrip(".")
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


_WEB_PAGE = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


def is_web_page(text: Any) -> bool:
    """Whether a reply's body is an HTML page (a web server, a proxy's error page), not
    the JSON Ollama speaks."""
    return isinstance(text, str) and _WEB_PAGE.match(text[:4096]) is not None


def connect_detail(err: BaseException) -> str:
    """A short reason for a failed connection, from the OSError deep in the exception chain."""
    seen: BaseException | None = err
    for _ in range(6):
        if seen is None:
            break
        if isinstance(seen, socket.gaierror):
            return "host name not found"
        if isinstance(seen, ConnectionRefusedError) or getattr(seen, "errno", None) == (
            errno.ECONNREFUSED
        ):
            return "connection refused"
        if isinstance(seen, OSError) and seen.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable"
        seen = seen.__cause__ or seen.__context__
    text = str(err)
    if "refused" in text.lower():
        return "connection refused"
    if "name or service not known" in text.lower() or "nodename nor servname" in text.lower():
        return "host name not found"
    return sentence(text, 80) or type(err).__name__


class Wire:
    """The TCP socket a streamed request runs on, so another thread can cut it off.

    Captured through httpcore's documented ``trace`` extension when the connection is made.
    ``shutdown()`` (unlike ``close()``) wakes a thread blocked reading that socket at once,
    and tells Ollama the client has gone, so it stops working on the answer.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._cut = False

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event != "connection.connect_tcp.complete":
            return
        stream = info.get("return_value")
        try:
            sock = stream.get_extra_info("socket") if stream is not None else None
        except Exception:  # tracing must never break the request
            sock = None
        with self._lock:
            self._sock = sock
            if self._cut:
                self._shutdown()

    def cut(self) -> None:
        with self._lock:
            self._cut = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class TracingTransport:
    """An httpx transport that tags every request with the wire's trace hook."""

    def __init__(self, inner: Any, wire: Wire) -> None:
        self._inner = inner
        self._wire = wire

    def handle_request(self, request: Any) -> Any:
        request.extensions["trace"] = self._wire.trace
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()

    def __enter__(self) -> TracingTransport:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._inner.__exit__(*exc)


def chat_producer(
    client: ollama.Client,
    model: str,
    messages: list[dict[str, Any]],
    options: dict[str, Any],
) -> Callable[[Callable[[str, Any], None], threading.Event], None]:
    """The producer of a :class:`~assistant.llm.stream.ChatStream` for one Ollama chat:
    each chunk's content as a piece (thinking pieces left out), its final counters as done."""

    def produce(emit: Callable[[str, Any], None], stop: threading.Event) -> None:
        with client:
            for part in client.chat(model=model, messages=messages, stream=True, options=options):
                if stop.is_set():
                    return
                message = getattr(part, "message", None)
                emit("piece", getattr(message, "content", None) or "")
                if getattr(part, "done", False):
                    emit("done", stats(part))
                    return

    return produce


def stats(part: Any) -> dict[str, Any]:
    keys = (
        "done_reason",
        "total_duration",
        "load_duration",
        "prompt_eval_count",
        "prompt_eval_duration",
        "eval_count",
        "eval_duration",
    )
    return {key: getattr(part, key, None) for key in keys}
