"""One streaming primitive for every model client: a producer in a helper thread, the
caller's thread enforcing the time limits and noticing ``cancel``, and a per-call
:class:`Reply` at the end.

The model's stream runs in a daemon thread that hands pieces over a queue, so the caller's
thread can wait with a deadline: for the first token (a cold model loads first), between
tokens (a long silence means the server is stuck) and for the whole answer, and can look at
``cancel`` every ~50 ms even while the model is silent. What the call ended with (why the
model stopped, token counts) belongs to the call — :attr:`ChatStream.reply` — never to the
client, so two answers on one client cannot report each other's completion.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any

CANCEL_POLL = 0.05  # seconds between two looks at the cancel event while the model is silent


@dataclass(frozen=True)
class Reply:
    """How one model call ended.

    ``done_reason`` is the server's word ("stop", "length", …) or ``None`` when it gave
    none; ``cancelled`` when the caller stopped it.
    """

    text: str
    done_reason: str | None = None
    prompt_tokens: int | None = None
    answer_tokens: int | None = None
    cancelled: bool = False

    @property
    def cut_at_length(self) -> bool:
        """The model stopped because it reached its answer-length limit."""
        return self.done_reason == "length"


@dataclass(frozen=True)
class Limits:
    """Seconds to wait for the first token, between tokens and for the whole answer
    (``None``: no limit of that kind)."""

    first_token: float | None = None
    between_tokens: float | None = None
    total: float | None = None


# What a producer hands the caller: a piece of text, the call's final counters, or the end.
Emit = Callable[[str, Any], None]


class StreamFailure(Exception):
    """Raised in the caller's thread for what ended a stream early; clients translate it."""


class ChatStream(Iterator[str]):
    """The pieces of one answer; :attr:`reply` is set once the stream has ended.

    Args:
        produce: runs in a helper thread as ``produce(emit, stop)``; calls
            ``emit("piece", text)`` per piece, ``emit("done", counters)`` with the final
            counters (``done_reason``, ``eval_count``, ``prompt_eval_count``), and returns;
            an exception it raises is handed to ``fail``. It should return soon after
            ``stop`` is set.
        limits: the time limits.
        cancel: set by the caller to stop the stream; iteration then ends without error.
        timeout: the exception for a limit that ran out: ``timeout(stage, seconds, partial)``.
        fail: the exception for what the producer raised: ``fail(err, partial, stage, limit)``.
        ended: what a stream that ended without ``done`` means: an exception, or ``None``
            when that is a normal end for this client.
        close: called once when iteration stops, with ``True`` after a clean end (e.g. to
            cut the connection of an abandoned request otherwise).
    """

    def __init__(
        self,
        produce: Callable[[Emit, threading.Event], None],
        limits: Limits,
        cancel: threading.Event | None,
        *,
        timeout: Callable[[str, float, str], BaseException],
        fail: Callable[[BaseException, str, str, float | None], BaseException],
        ended: Callable[[str], BaseException | None] = lambda partial: None,
        close: Callable[[bool], None] = lambda clean: None,
        name: str = "model-stream",
    ) -> None:
        self.reply: Reply | None = None
        self._limits = limits
        self._cancel = cancel
        self._timeout, self._fail, self._ended, self._close = timeout, fail, ended, close
        self._events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._stop = threading.Event()
        self._parts: list[str] = []
        self._gen = self._run(produce, name)

    def __next__(self) -> str:
        return next(self._gen)

    def __iter__(self) -> ChatStream:
        return self

    def close(self) -> None:
        """Stop early (as a generator's ``close``): the helper is told to stop and an
        unfinished request is cut."""
        self._gen.close()

    @property
    def text(self) -> str:
        """The text received so far."""
        return "".join(self._parts)

    def _pump(self, produce: Callable[[Emit, threading.Event], None]) -> None:
        def emit(kind: str, item: Any) -> None:
            self._events.put((kind, item))

        try:
            produce(emit, self._stop)
            self._events.put(("end", None))
        except BaseException as err:  # noqa: BLE001 - handed to the caller's thread
            self._events.put(("error", err))

    def _finish(self, counters: dict[str, Any] | None, cancelled: bool = False) -> None:
        counters = counters or {}
        reason = counters.get("done_reason")
        self.reply = Reply(
            self.text,
            reason if isinstance(reason, str) and reason else None,
            _count(counters.get("prompt_eval_count")),
            _count(counters.get("eval_count")),
            cancelled,
        )

    def _run(
        self, produce: Callable[[Emit, threading.Event], None], name: str
    ) -> Generator[str, None, None]:
        cancel, limits = self._cancel, self._limits
        if cancel is not None and cancel.is_set():
            self._finish(None, cancelled=True)
            return
        helper = threading.Thread(target=self._pump, args=(produce,), name=name, daemon=True)
        started = clean = False
        begun = last = time.monotonic()
        total_deadline = begun + limits.total if limits.total is not None else None
        helper.start()
        try:
            while True:
                if cancel is not None and cancel.is_set():
                    self._finish(None, cancelled=True)
                    return
                stage, limit = (
                    ("next token", limits.between_tokens)
                    if started
                    else ("first token", limits.first_token)
                )
                now = time.monotonic()
                if total_deadline is not None and now >= total_deadline:
                    raise self._timeout("whole answer", limits.total or 0.0, self.text)
                ends = [t for t in (last + limit if limit else None, total_deadline) if t]
                wait = (min(ends) - now) if ends else CANCEL_POLL
                if cancel is not None or not ends:
                    wait = min(wait, CANCEL_POLL)
                try:
                    # A piece already queued is never a timeout, however slow our caller is.
                    kind, item = (
                        self._events.get(timeout=wait) if wait > 0 else self._events.get_nowait()
                    )
                except queue.Empty:
                    if limit is not None and time.monotonic() >= last + limit:
                        raise self._timeout(stage, limit, self.text) from None
                    continue
                if kind == "piece":
                    started, last = True, time.monotonic()
                    if item:
                        self._parts.append(item)
                        yield item
                elif kind == "done":
                    clean = True
                    self._finish(item)
                    return
                elif kind == "end":
                    problem = self._ended(self.text)
                    if problem is not None:
                        raise problem
                    clean = True
                    self._finish(None)
                    return
                else:
                    raise self._fail(item, self.text, stage, limit) from None
        finally:
            self._stop.set()
            self._close(clean)
            helper.join(timeout=1.0)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
