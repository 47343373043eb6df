"""One answer, run in a worker thread: engine events in, UI messages out.

The engine's generator runs in its own daemon thread and hands events over a queue, so the
worker notices Escape within ~50 ms even while the engine is in a step it cannot stop midway
(a Chroma query, embedding, or the first run's ingest of the seeds; the model calls
themselves do stop on cancel). After a cancel the worker waits a moment for
the engine's own final answer, then finishes on its own with what was already shown.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.answer import Answer, Source, partial_answer
from assistant.errors import AssistantError
from assistant.textsafe import plain
from assistant.tui.messages import AnswerDone, AnswerRetrieved, AnswerStatus, AnswerToken

if TYPE_CHECKING:
    from textual.message import Message

    from assistant.engine import Engine
    from assistant.events import AskOptions, Turn

CANCEL_GRACE = 1.0  # seconds to wait for the engine's final answer after Escape
INTERRUPTED = "The app was closed before the answer was finished."
_END = object()
_ESC_HOLD = 64  # an escape sequence split across tokens is held back this far
log = logging.getLogger(__name__)


@dataclass
class AnswerJob:
    """A question being answered."""

    id: int
    question: str
    history: list[Turn]
    options: AskOptions
    cancel: threading.Event = field(default_factory=threading.Event)


class EscapeHold:
    """Strips escape sequences from streamed text even when one is split across pieces."""

    def __init__(self) -> None:
        self.tail = ""

    def feed(self, piece: str) -> str:
        """Text safe to show now (a trailing, possibly unfinished escape is held)."""
        text = self.tail + piece
        cut = max(text.rfind("\x1b"), text.rfind("\x9b"))
        if cut >= 0 and len(text) - cut <= _ESC_HOLD:
            text, self.tail = text[:cut], text[cut:]
        else:
            self.tail = ""
        return plain(text)

    def flush(self) -> str:
        """What is still held, made safe."""
        rest, self.tail = self.tail, ""
        return plain(rest)


def run_job(engine: Engine, job: AnswerJob, post: Callable[[Message], Any]) -> Answer:
    """Stream ``job`` through ``engine``, posting messages; returns the final answer."""
    events: queue.Queue[Any] = queue.Queue()

    def pump() -> None:
        try:
            for event in engine.stream(job.question, job.history, job.options, job.cancel):
                events.put(event)
        except BaseException as err:  # noqa: BLE001 - handed to the worker, reported there
            events.put(err)
        finally:
            events.put(_END)

    threading.Thread(target=pump, name=f"answer-{job.id}", daemon=True).start()
    from assistant.events import Done, Retrieved, Status, Token

    hold = EscapeHold()
    raw: list[str] = []
    sources: list[Source] = []
    standalone = job.question
    done: Answer | None = None
    failure: BaseException | None = None
    give_up_at: float | None = None
    while True:
        if job.cancel.is_set() and give_up_at is None:
            give_up_at = time.monotonic() + CANCEL_GRACE
        try:
            event = events.get(timeout=0.05)
        except queue.Empty:
            if give_up_at is not None and time.monotonic() >= give_up_at:
                break
            continue
        if event is _END:
            break
        if isinstance(event, BaseException):
            failure = event
        elif isinstance(event, Done):
            done = event.answer
        elif job.cancel.is_set():
            continue  # after Escape nothing new is shown
        elif isinstance(event, Status):
            post(AnswerStatus(job.id, plain(event.text)))
        elif isinstance(event, Retrieved):
            sources, standalone = list(event.sources), event.standalone_question
            post(AnswerRetrieved(job.id, sources, standalone))
        elif isinstance(event, Token):
            raw.append(event.text)
            text = hold.feed(event.text)
            if text:
                post(AnswerToken(job.id, text))
    answer = _final(engine, job, done, failure, raw, sources, standalone)
    post(AnswerDone(job.id, answer, job.cancel.is_set()))
    return answer


def _final(
    engine: Engine,
    job: AnswerJob,
    done: Answer | None,
    failure: BaseException | None,
    raw: list[str],
    sources: list[Source],
    standalone: str,
) -> Answer:
    """The answer to keep: the engine's own, or (cancelled before it came) what was shown."""
    if done is not None:
        return done
    use_llm = job.options.mode != "extractive" and bool(raw)
    if job.cancel.is_set():
        return engine.partial_answer(
            job.question,
            sources,
            standalone,
            "".join(raw),
            "llm" if use_llm else "extractive",
            job.options.model if use_llm else None,
        )
    answer = Answer(
        question=job.question,
        answer="",
        mode="extractive",
        model=None,
        sources=sources,
        standalone_question=standalone,
        complete=False,
    )
    if isinstance(failure, AssistantError):
        answer.error = str(failure)
    elif failure is not None:
        log.error("answer failed", exc_info=failure)
        answer.error = f"Internal error while answering ({type(failure).__name__}: {failure})."
    else:
        answer.error = "The answer ended without a result."
    return answer


def interrupted_answer(
    job: AnswerJob, shown: str, sources: list[Source], standalone: str | None
) -> Answer:
    """What to keep of an answer the app quits in the middle of: the text shown so far
    (already citation-checked by the engine), marked as interrupted."""
    use_llm = job.options.mode != "extractive" and bool(shown.strip())
    return partial_answer(
        job.question,
        sources,
        standalone or job.question,
        shown,
        "llm" if use_llm else "extractive",
        job.options.model if use_llm else None,
        INTERRUPTED,
    )


def failed_answer(job: AnswerJob, err: BaseException) -> Answer:
    """The answer to show when the worker itself failed (e.g. the engine would not start)."""
    log.error("answer worker failed", exc_info=err)
    return Answer(
        question=job.question,
        answer="",
        mode="extractive",
        model=None,
        sources=[],
        error=f"Internal error while answering ({type(err).__name__}: {err}).",
        complete=False,
    )
