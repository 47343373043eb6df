"""``assistant sources``: the records in the index, with their metadata."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.config import Settings
from assistant.references import short_authors
from assistant.runtime import open_index
from assistant.textsafe import plain


def list_records(settings: Settings) -> list[dict[str, Any]]:
    """One entry per record of the index's current generation, in a stable order."""
    index = open_index(settings)
    try:
        reader = index.reader()
        return [r.to_json() for r in reader.records()] if reader else []
    finally:
        index.close()


def _short_authors(authors: list[str]) -> str:
    return short_authors(authors) if authors else ""


def _cell(text: str) -> Any:
    """One table cell: plain text on one line, without anything a terminal would act on."""
    from rich.text import Text

    return Text(" ".join(plain(text).split()))


def missing_fields(record: dict[str, Any]) -> list[str]:
    """Which of title, authors and year a record lacks."""
    return [name for name in ("title", "authors", "year") if not record.get(name)]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the records as JSON or as a table."""
    records = list_records(settings)
    if getattr(args, "missing_metadata", False):
        records = [r for r in records if missing_fields(r)]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    if not records:
        if getattr(args, "missing_metadata", False):
            print("Every record has a title, authors and a year.", file=sys.stderr)
        else:
            print("The index is empty; run `assistant ingest` first.", file=sys.stderr)
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    columns: tuple[str, ...] = ("Year", "Authors", "Title", "Venue", "DOI", "Chunks", "Path")
    if getattr(args, "missing_metadata", False):
        columns = ("Missing", *columns)
    for col in columns:
        table.add_column(col, overflow="fold", no_wrap=col in ("Year", "Chunks"))
    for r in records:  # corpus strings and file names are data: never markup, never escapes
        missing = [_cell(", ".join(missing_fields(r)))] if "Missing" in columns else []
        table.add_row(
            *missing,
            _cell(str(r["year"] or "")),
            _cell(_short_authors(r["authors"])),
            _cell(r["title"] or "(untitled)"),
            _cell(r["venue"] or ""),
            _cell(r["doi"] or ""),
            _cell(str(r["chunks"])),
            _cell(r["path"] or ""),
        )
    # In a pipe there is no terminal width to fit: keep each record on one line.
    console = Console(width=None if sys.stdout.isatty() else 400)
    # Rendered first and written plainly: on a closed pipe rich itself exits with 1, while a
    # plain write raises BrokenPipeError, which the CLI edge treats as the reader being done.
    with console.capture() as captured:
        console.print(table)
    sys.stdout.write(captured.get())
    print(f"{len(records)} records.", file=sys.stderr)
    return 0
