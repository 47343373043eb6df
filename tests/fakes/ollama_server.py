"""An Ollama-compatible HTTP server on loopback, for tests that must not need a real Ollama.

It speaks enough of Ollama's REST API for the official ``ollama`` client (and anything else
built on the same endpoints) to work against it::

    with FakeOllama(models=["llama3.2:latest"]) as server:
        server.enqueue("The answer is 42 [1].")
        client = ollama.Client(host=server.url)
        text = "".join(p.message.content for p in client.chat("llama3.2", msgs, stream=True))

Streamed replies use chunked transfer encoding, one NDJSON line per chunk, like Ollama.
Fault knobs are plain attributes (``server.slow_first_token = 0.5``); :meth:`reset` puts
them, the scripted replies and the request log back to their defaults.

Only the standard library is used; the server thread and its handler threads are daemons.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_MODELS = ("llama3.2:latest", "nomic-embed-text:latest")
DEFAULT_REPLY = "The retrieved abstracts support this answer [1]."
_MODIFIED_AT = "2025-01-01T12:00:00.000000Z"

Reply = str | Sequence[str]
"""A scripted reply: a text (streamed word by word) or an explicit list of pieces."""


def unused_loopback_url() -> str:
    """The URL of a loopback port nobody listens on (for "connection refused" tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def split_pieces(text: str) -> list[str]:
    """Split ``text`` into the pieces the server streams: one word plus its trailing space.

    ``"".join(split_pieces(text)) == text`` always holds.
    """
    return re.findall(r"\S+\s*|\s+", text)


def fake_embedding(text: str, dim: int) -> list[float]:
    """A deterministic, L2-normalised hashed bag-of-words vector of ``dim`` floats."""
    vec = [0.0] * dim
    for word in re.findall(r"\w+", text.lower()):
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
        slot = int.from_bytes(digest[:4], "little") % dim
        sign = 1.0 if digest[4] & 1 else -1.0
        vec[slot] += sign
    norm = math.sqrt(sum(v * v for v in vec))
    if norm == 0.0:  # no words: a fixed unit vector rather than zeros (no NaN cosines)
        vec[0] = 1.0
        return vec
    return [v / norm for v in vec]


def _base_name(name: str) -> str:
    """``llama3.2`` and ``llama3.2:latest`` are the same model to Ollama."""
    name = name.strip().lower()
    return name if ":" in name.rsplit("/", 1)[-1] else name + ":latest"


@dataclass
class RecordedRequest:
    """One request the server received. Unpacks as ``(method, path, body)``."""

    method: str
    path: str
    body: Any

    def __iter__(self):
        return iter((self.method, self.path, self.body))


class _Abort(Exception):
    """Raised inside a handler to drop the connection without finishing the response."""


class FakeOllama:
    """A fake Ollama server on ``127.0.0.1:<free port>``.

    Constructor arguments (all also plain attributes you may change later):

    - ``models``: names ``/api/tags`` lists and the other endpoints accept.
    - ``version``: what ``/api/version`` reports.
    - ``context_length``: ``<architecture>.context_length`` in ``/api/show``'s ``model_info``.
    - ``architecture``: the model family in ``/api/show`` (default ``llama``).
    - ``embedding_dim``: length of the vectors ``/api/embed`` returns.
    - ``default_reply``: the chat reply used when nothing is queued and no ``reply_with``.
    - ``port``: the loopback port to bind (default 0: any free one), e.g. to make a server
      appear where a client was already told to look.

    Fault knobs (reset by :meth:`reset`):

    - ``slow_first_token``: seconds to wait before the response starts (like a model load).
    - ``delay_between_tokens``: seconds to wait before each streamed chunk after the first.
    - ``cut_after_chunks``: send this many content chunks, then drop the connection without
      the closing ``done`` line and without the chunked terminator (a truncated stream).
    - ``end_without_done``: finish the HTTP response cleanly but never send ``done: true``.
    - ``stream_error``: ``(after_chunks, message)``: after that many content chunks send
      ``{"error": message}`` as Ollama does when its runner fails mid-answer.
    - ``status_error``: ``(code, message)``: every endpoint (or only ``status_error_paths``)
      answers ``code`` with ``{"error": message}``.
    - ``hang_forever``: accept and read requests but never answer (until reset or stop).
    - ``thinking``: a text streamed first as ``message.thinking`` pieces (thinking models).
    """

    def __init__(
        self,
        models: Iterable[str] = DEFAULT_MODELS,
        *,
        version: str = "0.12.0",
        context_length: int = 131072,
        architecture: str = "llama",
        embedding_dim: int = 64,
        default_reply: str = DEFAULT_REPLY,
        port: int = 0,
    ) -> None:
        self.models: list[str] = list(models)
        self.version = version
        self.context_length = context_length
        self.architecture = architecture
        self.embedding_dim = embedding_dim
        self.default_reply = default_reply
        self.requested_port = port  # 0: any free port
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeOllama:
        """Bind to the loopback port asked for (default: a free one); serve in a daemon thread."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _Server(("127.0.0.1", self.requested_port), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.name = f"fake-ollama-{self.port}"
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wakes up handlers that are sleeping or hanging."""
        self._stopping.set()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeOllama is not started")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: pass it as the Ollama host."""
        return f"http://127.0.0.1:{self.port}"

    # -- scripting -------------------------------------------------------------------------

    def reset(self) -> None:
        """Clear fault knobs, scripted replies and the request log."""
        with self._lock:
            self._replies: deque[Reply] = deque()
            self._reply_fn: Callable[[dict[str, Any]], Reply] | None = None
            self.requests.clear()
        self.slow_first_token: float = 0.0
        self.delay_between_tokens: float = 0.0
        self.cut_after_chunks: int | None = None
        self.end_without_done: bool = False
        self.stream_error: tuple[int, str] | None = None
        self.status_error: tuple[int, str] | None = None
        self.status_error_paths: set[str] | None = None
        self.hang_forever: bool = False
        self.thinking: str = ""

    def enqueue(self, *replies: Reply) -> None:
        """Queue replies for successive chat/generate calls (a text, or a list of pieces)."""
        with self._lock:
            self._replies.extend(replies)

    def reply_with(self, fn: Callable[[dict[str, Any]], Reply] | None) -> None:
        """Compute replies from the request JSON when nothing is queued (``None`` to undo)."""
        self._reply_fn = fn

    def next_reply_pieces(self, body: dict[str, Any]) -> list[str]:
        """The pieces of the reply to ``body`` (consumes a queued reply)."""
        with self._lock:
            reply: Reply | None = self._replies.popleft() if self._replies else None
        if reply is None:
            reply = self._reply_fn(body) if self._reply_fn is not None else self.default_reply
        return split_pieces(reply) if isinstance(reply, str) else [str(p) for p in reply]

    # -- inspection ------------------------------------------------------------------------

    def requests_to(self, path: str) -> list[Any]:
        """JSON bodies of the requests made to ``path`` (e.g. ``/api/chat``), oldest first."""
        return [r.body for r in list(self.requests) if r.path == path]

    @property
    def chat_requests(self) -> list[Any]:
        return self.requests_to("/api/chat")

    @property
    def last_chat(self) -> Any:
        """The body of the last ``/api/chat`` request."""
        bodies = self.chat_requests
        if not bodies:
            raise AssertionError("no /api/chat request was made")
        return bodies[-1]

    # -- helpers for the handler -----------------------------------------------------------

    def find_model(self, name: str | None) -> str | None:
        if not name:
            return None
        wanted = _base_name(name)
        return next((m for m in self.models if _base_name(m) == wanted), None)

    def model_entry(self, name: str) -> dict[str, Any]:
        digest = hashlib.sha256(name.encode()).hexdigest()
        return {
            "name": name,
            "model": name,
            "modified_at": _MODIFIED_AT,
            "size": 2019393189,
            "digest": digest,
            "details": self.details(),
        }

    def details(self) -> dict[str, Any]:
        return {
            "parent_model": "",
            "format": "gguf",
            "family": self.architecture,
            "families": [self.architecture],
            "parameter_size": "3.2B",
            "quantization_level": "Q4_K_M",
        }

    def sleep(self, seconds: float) -> None:
        """Sleep, but wake up at once when the server stops."""
        if seconds > 0:
            self._stopping.wait(seconds)

    def hang(self) -> None:
        while self.hang_forever and not self._stopping.is_set():
            self._stopping.wait(0.02)

    def record(self, method: str, path: str, body: Any) -> None:
        with self._lock:
            self.requests.append(RecordedRequest(method, path, body))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeOllama

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer is a normal event here, not worth a traceback.
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, _Abort, TimeoutError)):
            return
        super().handle_error(request, client_address)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked transfer encoding, like Ollama
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet

    @property
    def fake(self) -> FakeOllama:
        return self.server.fake

    # -- plumbing --------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _read_body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")

    def _dispatch(self, method: str) -> None:
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        body = self._read_body()
        fake = self.fake
        fake.record(method, path, body)
        try:
            if fake.hang_forever:
                fake.hang()
                raise _Abort
            err = fake.status_error
            if err is not None and (
                fake.status_error_paths is None or path in fake.status_error_paths
            ):
                self._send_json(err[0], {"error": err[1]})
                return
            routes = {
                ("GET", "/"): self._root,
                ("HEAD", "/"): self._root,
                ("GET", "/api/version"): self._version,
                ("GET", "/api/tags"): self._tags,
                ("POST", "/api/show"): self._show,
                ("POST", "/api/chat"): self._chat,
                ("POST", "/api/generate"): self._generate,
                ("POST", "/api/embed"): self._embed,
                ("POST", "/api/embeddings"): self._embeddings,
            }
            handler = routes.get((method, path))
            if handler is None:
                self._send_text(404, "404 page not found")
                return
            handler(body if isinstance(body, dict) else {})
        except _Abort:
            self.close_connection = True
        except (ConnectionError, TimeoutError):  # the client went away
            self.close_connection = True

    def _send_json(self, status: int, obj: Any) -> None:
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send_text(self, status: int, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _send_chunk(self, obj: Any) -> None:
        data = json.dumps(obj).encode("utf-8") + b"\n"
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _not_found(self, name: str | None, quote: str = '"') -> None:
        suffix = ", try pulling it first" if quote == '"' else ""
        self._send_json(404, {"error": f"model {quote}{name}{quote} not found{suffix}"})

    # -- endpoints -------------------------------------------------------------------------

    def _root(self, body: dict[str, Any]) -> None:
        self._send_text(200, "Ollama is running")

    def _version(self, body: dict[str, Any]) -> None:
        self._send_json(200, {"version": self.fake.version})

    def _tags(self, body: dict[str, Any]) -> None:
        self._send_json(200, {"models": [self.fake.model_entry(m) for m in self.fake.models]})

    def _show(self, body: dict[str, Any]) -> None:
        fake = self.fake
        name = body.get("model") or body.get("name")
        if fake.find_model(name) is None:
            self._not_found(name, quote="'")
            return
        arch = fake.architecture
        self._send_json(
            200,
            {
                "license": "LLAMA 3.2 COMMUNITY LICENSE AGREEMENT",
                "modelfile": f"FROM {name}\n",
                "parameters": 'stop "<|eot_id|>"',
                "template": "{{ .Prompt }}",
                "details": fake.details(),
                "model_info": {
                    "general.architecture": arch,
                    "general.parameter_count": 3212749888,
                    f"{arch}.context_length": fake.context_length,
                    f"{arch}.embedding_length": 3072,
                },
                # as Ollama reports it: an embedding model cannot chat
                "capabilities": ["embedding"] if "embed" in str(name) else ["completion", "tools"],
                "modified_at": _MODIFIED_AT,
            },
        )

    def _chat(self, body: dict[str, Any]) -> None:
        self._answer(body, chat=True)

    def _generate(self, body: dict[str, Any]) -> None:
        self._answer(body, chat=False)

    def _answer(self, body: dict[str, Any], *, chat: bool) -> None:
        fake = self.fake
        model = body.get("model")
        if fake.find_model(model) is None:
            self._not_found(model)
            return
        pieces = fake.next_reply_pieces(body)
        # As Ollama does: stop at options.num_predict tokens (a piece stands for a token here)
        # and say so in done_reason.
        limit = (body.get("options") or {}).get("num_predict")
        reason = "stop"
        if isinstance(limit, int) and 0 <= limit < len(pieces):
            pieces, reason = pieces[:limit], "length"
        if chat:
            prompt_words = sum(
                len(str(m.get("content") or "").split())
                for m in body.get("messages") or []
                if isinstance(m, dict)
            )
        else:
            prompt_words = len(str(body.get("prompt") or "").split())

        def line(content: str, thinking: str = "") -> dict[str, Any]:
            out: dict[str, Any] = {"model": model, "created_at": _now()}
            if chat:
                msg: dict[str, Any] = {"role": "assistant", "content": content}
                if thinking:
                    msg["thinking"] = thinking
                out["message"] = msg
            else:
                out["response"] = content
                if thinking:
                    out["thinking"] = thinking
            out["done"] = False
            return out

        def final(content: str) -> dict[str, Any]:
            out = line(content)
            out.update(
                done=True,
                done_reason=reason,
                total_duration=123456789,
                load_duration=1234567,
                prompt_eval_count=prompt_words,
                prompt_eval_duration=2345678,
                eval_count=len(pieces),
                eval_duration=3456789,
            )
            return out

        fake.sleep(fake.slow_first_token)
        if body.get("stream", True) is False:
            self._send_json(200, final("".join(pieces)))
            return

        self._start_stream()
        first = True
        for piece in split_pieces(fake.thinking):
            if not first:
                fake.sleep(fake.delay_between_tokens)
            first = False
            self._send_chunk(line("", thinking=piece))
        for sent, piece in enumerate(pieces):
            if fake.cut_after_chunks is not None and sent >= fake.cut_after_chunks:
                raise _Abort  # no done line, no chunked terminator: a truncated body
            if fake.stream_error is not None and sent >= fake.stream_error[0]:
                self._send_chunk({"error": fake.stream_error[1]})
                self._end_stream()
                return
            if not first:
                fake.sleep(fake.delay_between_tokens)
            first = False
            self._send_chunk(line(piece))
        if fake.cut_after_chunks is not None:
            raise _Abort
        if fake.stream_error is not None:
            self._send_chunk({"error": fake.stream_error[1]})
        elif not fake.end_without_done:
            if not first:
                fake.sleep(fake.delay_between_tokens)
            self._send_chunk(final(""))
        self._end_stream()

    def _embed(self, body: dict[str, Any]) -> None:
        fake = self.fake
        model = body.get("model")
        if fake.find_model(model) is None:
            self._not_found(model)
            return
        inputs = body.get("input", "")
        texts = [inputs] if isinstance(inputs, str) else [str(t) for t in inputs]
        self._send_json(
            200,
            {
                "model": model,
                "embeddings": [fake_embedding(t, fake.embedding_dim) for t in texts],
                "total_duration": 1000000,
                "load_duration": 100000,
                "prompt_eval_count": sum(len(t.split()) for t in texts),
            },
        )

    def _embeddings(self, body: dict[str, Any]) -> None:
        """The legacy single-prompt endpoint."""
        fake = self.fake
        model = body.get("model")
        if fake.find_model(model) is None:
            self._not_found(model)
            return
        text = str(body.get("prompt") or "")
        self._send_json(200, {"embedding": fake_embedding(text, fake.embedding_dim)})


__all__ = [
    "DEFAULT_MODELS",
    "DEFAULT_REPLY",
    "FakeOllama",
    "RecordedRequest",
    "fake_embedding",
    "split_pieces",
    "unused_loopback_url",
]
