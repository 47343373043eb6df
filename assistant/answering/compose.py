"""Compose: the model writes an answer from numbered sources, within a token budget, its
citations checked as it streams and every sentence checked against what it cites; the step
returns what it made as one value.

A degenerate answer (a loop, only markers, only a list of sources, no citation at all) is
never returned as an answer: a loop stops the model as soon as it is seen, and either way
the step ends in a ``failure`` (the engine answers extractively, saying why) with the
model's text kept apart as ``attempt``. A finished answer's sentences are checked by
:mod:`assistant.answering.support`: a sentence no cited source supports is marked
``[unsupported]`` (with one warning), an uncited sentence that exactly one source clearly
supports gets that citation, and the per-sentence results travel as ``support``.

:func:`compose` yields the events to show (Status, Token — already citation-checked) and
returns a :class:`Composed`: the text, the sources the prompt kept, how the call ended and
what to warn about, or the error that stopped the model before it wrote anything (the
engine then answers extractively, or not at all for ``--require-llm``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from assistant.answering.answer import CANCELLED, Source
from assistant.answering.citations import StreamFilter, check_citations
from assistant.answering.degenerate import DegenerateCheck
from assistant.answering.events import AskOptions, Discarded, Event, Status, Token
from assistant.answering.prompting import answer_instructions, build_messages
from assistant.answering.protocols import ChatModel, TextEmbedder
from assistant.answering.support import SentenceSupport, check_support, support_warning
from assistant.answering.unsourced import strip_unsourced
from assistant.config import Settings
from assistant.errors import LLMError, LLMTimeout, StreamCut
from vocab.parts import Parts

INCOMPLETE = "The answer is incomplete: the model stopped mid-answer."
UNCITED = "The answer cites no source; treat it with caution."
UNSUPPORTED_MARK = " [unsupported]"


class DegenerateAnswer(LLMError):
    """The model wrote something that is not an answer (a loop, only markers, …)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"The model's answer was not usable: {reason.rstrip('.')}.")


@dataclass(frozen=True)
class Composed:
    """What the model made of the sources (or why it made nothing: ``failure``)."""

    text: str = ""
    sources: list[Source] = field(default_factory=list)
    citations: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    complete: bool = True
    error: str | None = None  # the answer is kept, but the stream broke
    failure: LLMError | None = None  # nothing usable was written: answer another way
    to_llm_ms: float = 0.0
    generate_ms: float = 0.0
    support: list[dict[str, object]] | None = None  # per sentence (support.SentenceSupport)
    attempt: str | None = None  # the model's text when it was not an answer


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
    embedder: TextEmbedder | None = None,
    opts: AskOptions | None = None,
    parts: Mapping[str, Parts] | None = None,
    facets: tuple[str, ...] = (),
) -> Generator[Event, None, Composed]:
    """Stream the model's answer to ``question`` from ``sources``.

    ``prefix`` is text already shown that the answer continues; with ``keep_sources``
    sources left out of the prompt stay listed (a catalogue cites them all). ``parts``
    (each record's, by id) and ``facets`` (what the question asks of them) shape the prompt.
    """
    notes: list[str] = []
    wants = opts or AskOptions()
    extra = answer_instructions(wants.system, wants.length, wants.style)
    messages, kept = build_messages(
        settings, question, list(sources), notes, num_ctx, extra, parts, facets
    )
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
    watch = DegenerateCheck(shown_sources)
    sampling = {"temperature": wants.temperature} if wants.temperature is not None else {}
    stream = llm.stream_chat(messages, num_ctx=num_ctx, cancel=cancel, **sampling)
    try:
        for piece in stream:
            text = shown.feed(piece)
            if text:
                yield Token(text)
            reason = watch.feed(piece)
            if reason is not None:  # a loop: stop the model now, not at its length limit
                stream.close()
                yield Discarded(reason)
                return Composed(
                    sources=shown_sources,
                    warnings=notes,
                    failure=DegenerateAnswer(reason),
                    to_llm_ms=to_llm_ms,
                    generate_ms=(time.perf_counter() - t_gen) * 1000,
                    attempt=stream.text,
                )
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
    composed = _checked(
        prefix + stream.text,
        shown_sources,
        notes,
        complete=complete,
        to_llm_ms=to_llm_ms,
        generate_ms=generate_ms,
    )
    if reply is None or reply.cancelled or not shown_sources:
        return composed  # cancelled: kept as shown, unchecked
    return (yield from _check_sentences(composed, len(prefix), embedder, stream.text))


def _check_sentences(
    composed: Composed, start: int, embedder: TextEmbedder | None, raw: str
) -> Generator[Event, None, Composed]:
    """Every sentence the model wrote (after ``start``, past an exact listing it continues)
    checked against the sources; a degenerate answer becomes a failure, the model's ``raw``
    text kept as its attempt."""
    head, body = composed.text[:start], composed.text[start:]
    checks = check_support(body, composed.sources, calibrated(embedder))
    watch = DegenerateCheck(composed.sources)
    watch.feed(_mark(body, checks, flag=False))  # judged with its repairs, without marks
    reason = watch.finish()
    marked = _mark(body, checks)
    checked = check_citations(head + marked, {s.n for s in composed.sources})
    if reason is not None:  # cut at its length limit or not: it is not an answer
        yield Discarded(reason)
        return Composed(
            sources=composed.sources,
            warnings=[w for w in composed.warnings if w != UNCITED],
            failure=DegenerateAnswer(reason),
            to_llm_ms=composed.to_llm_ms,
            generate_ms=composed.generate_ms,
            attempt=raw,
        )
    warnings = [w for w in composed.warnings if not (w == UNCITED and checked.cited)]
    warning = support_warning(checks)
    if warning:
        warnings.append(warning)
    return replace(
        composed,
        text=checked.text,
        citations=checked.cited,
        warnings=warnings,
        support=[c.to_json() for c in checks],
    )


def calibrated(embedder: TextEmbedder | None) -> TextEmbedder | None:
    """The embedder when support's thresholds were calibrated for it (all-MiniLM-L6-v2,
    float or int8); another model's similarities have another scale, so with it (or none)
    the lexical measure decides alone, against its own threshold."""
    name = str(getattr(embedder, "name", "")).lower()
    return embedder if "minilm" in name else None


def _mark(text: str, checks: Sequence[SentenceSupport], flag: bool = True) -> str:
    """``text`` with each repairable sentence's citation added and each unsupported one
    marked, before its final stop (from the end, so earlier offsets hold)."""
    out = text
    for check in sorted(checks, key=lambda c: -c.start):
        if check.repair is not None:
            insert = f" [{check.repair}]"
        elif check.flagged and flag:
            insert = UNSUPPORTED_MARK
        else:
            continue
        sentence = out[check.start : check.end]
        cut = len(sentence.rstrip().rstrip(".!?:;"))
        out = out[: check.start] + sentence[:cut] + insert + sentence[cut:] + out[check.end :]
    return out


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
