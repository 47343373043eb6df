"""``assistant ask``: one question, a streamed cited answer, the numbered sources."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.answer import Answer, Source
from assistant.config import Settings
from assistant.errors import EXIT_LLM, EXIT_OK, UsageError
from assistant.textsafe import plain


def options_from_args(args: argparse.Namespace, settings: Settings, **extra: object):
    """AskOptions from the shared flags (``-k``, ``--no-llm``, ``--require-llm``, filters)."""
    from assistant.engine import AskOptions
    from assistant.retrieval import Filters

    try:
        filters = Filters.parse(getattr(args, "year", None), getattr(args, "author", None))
    except ValueError as err:
        raise UsageError(f"Invalid --year: {err}.") from None
    mode = "extractive" if args.no_llm else "llm" if args.require_llm else "auto"
    return AskOptions(k=settings.top_k, filters=filters, mode=mode, model=settings.model, **extra)  # type: ignore[arg-type]


def reference(source: Source) -> str:
    """``[n] Author et al. (Year). Title. Venue. https://doi.org/...``"""
    parts = [f"[{source.n}] {source.short_ref()}"]
    parts.append(source.display_title())
    if source.venue:
        parts.append(source.venue)
    line = " ".join(p if p.rstrip('”’"').endswith((".", "?", "!", "…")) else p + "." for p in parts)
    if source.doi:
        line += f" https://doi.org/{source.doi}"
    elif source.path:
        line += f" [{source.path}]"
    return plain(line)


def exit_code(answer: Answer) -> int:
    """Non-zero when the model failed and no usable answer was given."""
    return EXIT_LLM if answer.error else EXIT_OK


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Answer the question on stdout (or as JSON); warnings go to stderr."""
    from assistant.engine import Done, Engine, Status, Token

    question = args.question.strip()
    if not question:
        raise UsageError("The question is empty.")
    engine = Engine(settings)
    opts = options_from_args(args, settings)
    from assistant.citations import StreamFilter
    from assistant.engine import Retrieved

    live = sys.stdout.isatty() and not args.json
    streamed = False
    answer: Answer | None = None
    shown = StreamFilter(set())
    for event in engine.stream(question, options=opts):
        if isinstance(event, Retrieved):
            shown = StreamFilter({s.n for s in event.sources})
        if isinstance(event, Status) and live:
            print(f"\r\x1b[2K\x1b[2m{event.text}\x1b[0m", end="", file=sys.stderr, flush=True)
        elif isinstance(event, Token) and live:
            if not streamed:
                print("\r\x1b[2K", end="", file=sys.stderr, flush=True)
                streamed = True
            print(plain(shown.feed(event.text)), end="", flush=True)
        elif isinstance(event, Done):
            answer = event.answer
    assert answer is not None
    if live and not streamed:  # once text streamed, the cursor is on the answer: keep it
        print("\r\x1b[2K", end="", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return exit_code(answer)
    if streamed:
        print(plain(shown.flush()))
    else:
        print(plain(answer.answer))
    if answer.sources:
        print("\nSources:")
        for source in answer.sources:
            print("  " + reference(source))
    for warning in answer.warnings:
        print(f"warning: {plain(warning)}", file=sys.stderr)
    if answer.error:
        print(f"assistant: {plain(answer.error)}", file=sys.stderr)
    return exit_code(answer)
