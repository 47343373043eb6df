"""``assistant papers``: the evidence table, one row per paper with its parts.

Columns aim, design, participants, setting and findings, each cell read from the paper's
parts (:mod:`ingest.parts`) and backed by the sentence it came from (in ``--format json``,
and as the cell itself where no shorter value was read). Filterable like ``ask``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

from assistant.answering.evidence import markdown, rows_of, table
from assistant.config import Settings
from assistant.flags import check_collection, filters_from_args
from assistant.runtime import open_index
from assistant.textsafe import table_width
from index import Filters


def evidence_rows(settings: Settings, filters: Filters) -> list[dict[str, Any]]:
    """One row per paper passing ``filters``, in catalogue order."""
    index = open_index(settings)
    try:
        reader = index.reader()
        return [] if reader is None else rows_of(reader, filters)
    finally:
        index.close()


def render(rows: list[dict[str, Any]], fmt: str, width: int) -> str:
    """The table as text in ``fmt`` (terminal, csv, md, json)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    header, flat = table(rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        for line in flat:  # no cell may run as a spreadsheet formula
            writer.writerow(
                ["'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in line]
            )
        return out.getvalue()
    if fmt == "md":
        return markdown(header, flat)
    return _terminal(header, flat, width)


def _terminal(header: list[str], flat: list[list[str]], width: int) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold", width=width, show_lines=True)
    for name in header:
        table.add_column(name, overflow="fold", ratio=1 if name in ("paper",) else 2)
    for line in flat:
        table.add_row(*(Text(v) for v in line))
    console = Console(width=width, no_color=not sys.stdout.isatty())
    with console.capture() as captured:
        console.print(table)
    return captured.get()


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the evidence table."""
    filters = filters_from_args(args)
    check_collection(filters, settings)
    rows = evidence_rows(settings, filters)
    if not rows and args.format != "json":
        said = (
            f"No paper in the index matches ({filters.describe()})."
            if filters
            else "The index is empty; run `assistant ingest` first."
        )
        print(said, file=sys.stderr)
        return 0
    sys.stdout.write(render(rows, args.format, table_width()))
    return 0
