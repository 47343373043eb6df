"""One answer, run in a worker thread: the engine's events in, UI messages out.

The worker iterates :meth:`Engine.stream` itself. The engine notices Escape within ~50 ms
while the model is silent or writing, and ends every question — answered, cancelled or
failed — with one :class:`Done` whose answer is shown as it is: the chat builds no answer
and infers no mode. The index is opened (and a first run's seeds ingested) before the first
question, in the chat's loading step, so a question never waits for an ingest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.answering.answer import Answer
from assistant.answering.events import Done, Retrieved, Status, Token
from assistant.textsafe import plain
from assistant.tui.messages import AnswerDone, AnswerRetrieved, AnswerStatus, AnswerToken

if TYPE_CHECKING:
    from textual.message import Message

    from assistant.answering.engine import Engine
    from assistant.answering.events import AskOptions, Turn

_ESC_HOLD = 64  # an escape sequence split across tokens is held back this far


@dataclass
class AnswerJob:
    """A question being answered."""

    id: int
    question: str
    history: list[Turn]
    options: AskOptions
    cancel: threading.Event = field(default_factory=threading.Event)
    asked_with: dict[str, Any] = field(default_factory=dict)
    """The chat options it was asked with, kept with its exchange (for a regenerate)."""


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
    hold = EscapeHold()
    answer: Answer | None = None
    for event in engine.stream(job.question, job.history, job.options, job.cancel):
        if isinstance(event, Done):
            answer = event.answer
        elif job.cancel.is_set():
            continue  # after Escape nothing new is shown
        elif isinstance(event, Status):
            post(AnswerStatus(job.id, plain(event.text)))
        elif isinstance(event, Retrieved):
            post(AnswerRetrieved(job.id, list(event.sources), event.standalone_question))
        elif isinstance(event, Token):
            text = hold.feed(event.text)
            if text:
                post(AnswerToken(job.id, text))
    assert answer is not None  # the engine always ends with Done
    post(AnswerDone(job.id, answer, job.cancel.is_set()))
    return answer
