"""Per-question choices from the command line's shared answering flags (``ask``, ``batch``)."""

from __future__ import annotations

import argparse

from assistant.answering.events import AskOptions
from assistant.config import Settings
from assistant.errors import UsageError
from index import Filters


def options_from_args(args: argparse.Namespace, settings: Settings, **extra: object) -> AskOptions:
    """AskOptions from the shared flags (``-k``, ``--no-llm``, ``--require-llm``, filters)."""
    try:
        filters = Filters.parse(getattr(args, "year", None), getattr(args, "author", None))
    except ValueError as err:
        raise UsageError(f"Invalid --year: {err}.") from None
    mode = "extractive" if args.no_llm else "llm" if args.require_llm else "auto"
    return AskOptions(k=settings.top_k, filters=filters, mode=mode, model=settings.model, **extra)  # type: ignore[arg-type]
