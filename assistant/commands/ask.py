"""``assistant ask``: one question, a streamed cited answer, the numbered sources."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.answering.answer import Answer
from assistant.config import Settings
from assistant.errors import UsageError
from assistant.exits import EXIT_LLM, EXIT_OK
from assistant.flags import check_collection, options_from_args
from assistant.references import full_ref
from assistant.textsafe import plain


def exit_code(answer: Answer) -> int:
    """Non-zero when the model failed and no usable answer was given."""
    return EXIT_LLM if answer.error else EXIT_OK


SEEDING = "First run: indexing the bundled seed corpus (once)…"


def _seeding_progress(stage: str, done: int, total: int) -> None:
    """First run on a terminal: how far the indexing of the seeds is."""
    print(
        f"\r\x1b[2K\x1b[2m{SEEDING} {stage} {done}/{total}\x1b[0m",
        end="",
        file=sys.stderr,
        flush=True,
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Answer the question on stdout (or as JSON); warnings go to stderr."""
    from assistant.answering.events import Discarded, Done, Status, Token
    from assistant.runtime import Runtime

    question = args.question.strip()
    if not question:
        raise UsageError("The question is empty.")
    opts = options_from_args(args, settings)
    check_collection(opts.filters, settings)
    live = sys.stdout.isatty() and not args.json
    tty = sys.stderr.isatty() and not args.json
    runtime = Runtime(settings).open(
        on_seed=None if tty else lambda: print(SEEDING, file=sys.stderr, flush=True),
        progress=_seeding_progress if tty else None,
    )
    engine = runtime.engine()
    streamed = False
    answer: Answer | None = None
    for event in engine.stream(question, options=opts):
        if isinstance(event, Status) and live:
            print(f"\r\x1b[2K\x1b[2m{event.text}\x1b[0m", end="", file=sys.stderr, flush=True)
        elif isinstance(event, Token) and live:
            if not streamed:
                print("\r\x1b[2K", end="", file=sys.stderr, flush=True)
                streamed = True
            print(plain(event.text), end="", flush=True)
        elif isinstance(event, Discarded) and live and streamed:
            # What was shown is not an answer: say so; the answer that replaces it follows.
            print(f"\n\x1b[2m[set aside: {plain(event.reason)}]\x1b[0m\n", flush=True)
            streamed = False
        elif isinstance(event, Done):
            if event.failure is not None:  # the store or a bug: its own exit code
                raise event.failure
            answer = event.answer
    assert answer is not None
    if live and not streamed:  # once text streamed, the cursor is on the answer: keep it
        print("\r\x1b[2K", end="", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return exit_code(answer)
    if streamed:
        print()
    else:
        print(plain(answer.answer))
    if answer.sources:
        print("\nSources:")
        for source in answer.sources:
            print("  " + full_ref(source))
    if answer.read_as:
        print(f"read as: {plain(answer.read_as)}", file=sys.stderr)
    for warning in answer.warnings:
        print(f"warning: {plain(warning)}", file=sys.stderr)
    if answer.error:
        print(f"assistant: {plain(answer.error)}", file=sys.stderr)
    return exit_code(answer)
