"""The values one question's walk through the engine carries: what was asked, and the
last step's outcome (from which :mod:`assistant.answering.engine` makes the answer)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from assistant.answering.answer import Answer, Mode, Source
from assistant.answering.events import AskOptions
from assistant.answering.question.planner import Plan


@dataclass(frozen=True)
class Asked:
    """One question as the engine walks it: what it was, what was searched, and when."""

    question: str
    standalone: str
    opts: AskOptions
    model: str
    t0: float
    cancel: threading.Event | None
    facets: tuple[str, ...] = ()  # what the question asks of the papers' parts (once planned)

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()


@dataclass(frozen=True)
class Outcome:
    """The last step's result; :func:`finish` makes the :class:`Answer` from it."""

    text: str
    sources: list[Source] = field(default_factory=list)
    citations: list[int] = field(default_factory=list)
    mode: Mode = Mode.EXTRACTIVE
    model: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    complete: bool = True
    timings: dict[str, float] = field(default_factory=dict)
    related: list[Source] = field(default_factory=list)  # closest papers, not sources
    support: list[dict[str, Any]] | None = None  # each sentence of a model's answer, checked
    attempt: str | None = None  # the model's text when it was set aside


def finish(asked: Asked, the_plan: Plan | None, outcome: Outcome) -> Answer:
    """The answer, made once from the walk's values."""
    interpreted = the_plan.interpreted() if the_plan is not None else None
    timings = {**outcome.timings, "total_ms": (time.perf_counter() - asked.t0) * 1000}
    return Answer(
        question=asked.question,
        answer=outcome.text,
        mode=outcome.mode,
        model=outcome.model,
        sources=list(outcome.sources),
        citations=list(outcome.citations),
        warnings=[*(the_plan.notes() if the_plan else []), *outcome.warnings],
        error=outcome.error,
        timings=timings,
        id=asked.opts.id,
        standalone_question=asked.standalone,
        complete=outcome.complete,
        interpreted=interpreted,
        read_as=the_plan.interpretation.describe() if the_plan and interpreted else None,
        support=outcome.support,
        attempt=outcome.attempt,
        related=list(outcome.related),
    )
