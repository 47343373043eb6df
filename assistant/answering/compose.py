"""Compose: the model writes an answer from numbered sources, within a token budget, its
citations checked as it streams; the step returns what it made as one value.

:func:`compose` yields the events to show (Status, Token — already citation-checked) and
returns a :class:`Composed`: the text, the sources the prompt kept, how the call ended and
what to warn about, or the error that stopped the model before it wrote anything (the
engine then answers extractively, or not at all for ``--require-llm``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field

from assistant.answering.answer import CANCELLED, Source
from assistant.answering.citations import StreamFilter, check_citations
from assistant.answering.events import Event, Status, Token
from assistant.answering.prompting import build_messages
from assistant.answering.protocols import ChatModel
from assistant.answering.unsourced import strip_unsourced
from assistant.config import Settings
from assistant.errors import LLMError, LLMTimeout, StreamCut

INCOMPLETE = "The answer is incomplete: the model stopped mid-answer."
UNCITED = "The answer cites no source; treat it with caution."


@dataclass(frozen=True)
class Composed:
    """What the model made of the sources (or why it made nothing: ``failure``)."""

    text: str = ""
    sources: list[Source] = field(default_factory=list)
    citations: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    complete: bool = True
    error: str | None = None  # the answer is kept, but the stream broke
    failure: LLMError | None = None  # nothing was written: answer another way
    to_llm_ms: float = 0.0
    generate_ms: float = 0.0


def compose(
    settings: Settings,
    llm: ChatModel,
    model: str,
    num_ctx: int,
    question: str,
    sources: Sequence[Source],
    t0: float,
    cancel: threading.Event | None,
    prefix: str = "",
    keep_sources: bool = False,
) -> Generator[Event, None, Composed]:
    """Stream the model's answer to ``question`` from ``sources``.

    ``prefix`` is text already shown that the answer continues; with ``keep_sources``
    sources left out of the prompt stay listed (a catalogue cites them all).
    """
    notes: list[str] = []
    messages, kept = build_messages(settings, question, list(sources), notes, num_ctx)
    if sources and not kept:  # a model with no source could only answer ungrounded
        return Composed(
            warnings=notes,
            failure=LLMError(
                f"No source fits the model's context window (num_ctx={num_ctx}); raise "
                "ASSISTANT_NUM_CTX or lower ASSISTANT_ANSWER_TOKENS."
            ),
        )
    shown_sources = list(sources) if keep_sources else list(kept)
    yield Status(f"Asking {model}…")
    t_gen = time.perf_counter()
    to_llm_ms = (t_gen - t0) * 1000
    shown = StreamFilter({s.n for s in shown_sources})
    stream = llm.stream_chat(messages, num_ctx=num_ctx, cancel=cancel)
    try:
        for piece in stream:
            text = shown.feed(piece)
            if text:
                yield Token(text)
    except (StreamCut, LLMTimeout) as err:
        partial = getattr(err, "partial", "") or stream.text
        generate_ms = (time.perf_counter() - t_gen) * 1000
        if not partial.strip():
            return Composed(
                warnings=notes, failure=err, to_llm_ms=to_llm_ms, generate_ms=generate_ms
            )
        return _checked(
            prefix + partial,
            shown_sources,
            [*notes, INCOMPLETE],
            complete=False,
            error=str(err),
            to_llm_ms=to_llm_ms,
            generate_ms=generate_ms,
        )
    except LLMError as err:
        generate_ms = (time.perf_counter() - t_gen) * 1000
        return Composed(warnings=notes, failure=err, to_llm_ms=to_llm_ms, generate_ms=generate_ms)
    generate_ms = (time.perf_counter() - t_gen) * 1000
    rest = shown.flush()
    if rest:
        yield Token(rest)
    reply = stream.reply
    complete = True
    if reply is None or reply.cancelled or (cancel is not None and cancel.is_set()):
        complete = False
        notes.append(CANCELLED)
    elif reply.cut_at_length:
        complete = False
        notes.append(
            f"The answer reached its length limit of {settings.answer_tokens} tokens "
            "and was cut; raise ASSISTANT_ANSWER_TOKENS for longer answers."
        )
    return _checked(
        prefix + stream.text,
        shown_sources,
        notes,
        complete=complete,
        to_llm_ms=to_llm_ms,
        generate_ms=generate_ms,
    )


def _checked(
    text: str,
    sources: list[Source],
    notes: list[str],
    *,
    complete: bool,
    error: str | None = None,
    to_llm_ms: float,
    generate_ms: float,
) -> Composed:
    """The model's text with only valid citations; a reference list or links the model
    made up are not ours to show: only [n] cites."""
    checked = check_citations(strip_unsourced(text), {s.n for s in sources})
    warnings = list(notes)
    if checked.invalid:
        bad = ", ".join(f"[{n}]" for n in checked.invalid)
        warnings.append(f"Removed citations to sources that do not exist: {bad}.")
    if not checked.cited and checked.text:  # nothing written (e.g. cancelled): no claim
        warnings.append(UNCITED)
    return Composed(
        checked.text,
        sources,
        checked.cited,
        warnings,
        complete,
        error,
        None,
        to_llm_ms,
        generate_ms,
    )
