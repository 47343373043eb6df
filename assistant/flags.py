"""Per-question choices from the command line's shared answering flags (``ask``, ``batch``),
and the check every command with ``--collection`` makes of the name."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from assistant.answering.events import AskOptions
from assistant.config import Settings
from assistant.errors import UsageError
from index import Filters, in_collection

SHOWN_COLLECTIONS = 12  # an unknown name lists this many of the known ones


def filters_from_args(args: argparse.Namespace) -> Filters:
    """The ``--year``, ``--author`` and ``--collection`` filters (UsageError if malformed)."""
    try:
        return Filters.parse(
            getattr(args, "year", None),
            getattr(args, "author", None),
            getattr(args, "collection", None),
        )
    except ValueError as err:
        raise UsageError(f"Invalid --year: {err}.") from None


def options_from_args(args: argparse.Namespace, settings: Settings, **extra: object) -> AskOptions:
    """AskOptions from the shared flags (``-k``, ``--no-llm``, ``--require-llm``, filters)."""
    filters = filters_from_args(args)
    mode = "extractive" if args.no_llm else "llm" if args.require_llm else "auto"
    return AskOptions(k=settings.top_k, filters=filters, mode=mode, model=settings.model, **extra)  # type: ignore[arg-type]


def unknown_collection(name: str, known: Sequence[str]) -> str | None:
    """One sentence when ``name`` names none of the ``known`` collection paths (None when
    it names one), listing the known ones."""
    if any(in_collection(name, path) for path in known):
        return None
    if not known:
        return (
            f"No collection is named {name!r}: no paper in the index is filed in a collection "
            "(collections come from a Zotero library: `assistant ingest ~/Zotero`)."
        )
    shown = ", ".join(repr(p) for p in known[:SHOWN_COLLECTIONS])
    more = len(known) - SHOWN_COLLECTIONS
    rest = f" and {more} more" if more > 0 else ""
    return f"No collection is named {name!r}; the index's collections are {shown}{rest}."


def check_collection(filters: Filters, settings: Settings) -> None:
    """UsageError when ``--collection`` names no collection of the index's papers."""
    if not filters.collection:
        return
    from assistant.runtime import open_index

    index = open_index(settings)
    try:
        reader = index.reader()
        known = reader.catalog.collections() if reader is not None else []
    finally:
        index.close()
    problem = unknown_collection(filters.collection, known)
    if problem:
        raise UsageError(problem)
