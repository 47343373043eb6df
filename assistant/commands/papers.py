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
import os
import shutil
import sys
from typing import Any

from assistant.answering.asked import stated
from assistant.answering.paperparts import papers_with_parts
from assistant.config import Settings
from assistant.errors import UsageError
from assistant.references import short_ref
from assistant.runtime import open_index
from assistant.textsafe import plain
from index import Filters
from vocab.paper import PaperMeta
from vocab.parts import Parts

COLUMNS = ("aim", "design", "participants", "setting", "findings")
_FACET = {"design": "method"}


def cell(column: str, parts: Parts) -> dict[str, str] | None:
    """One cell: ``{"value", "sentence"}`` (None when the paper does not state it)."""
    what = stated(_FACET.get(column, column), parts)
    if column == "design":
        what = [(v, s) for v, s in what if v]
    if not what:
        return None
    values = "; ".join(dict.fromkeys(v for v, _ in what if v))
    return {"value": values or what[0][1], "sentence": what[0][1]}


def evidence_rows(settings: Settings, filters: Filters) -> list[dict[str, Any]]:
    """One row per paper passing ``filters``, in catalogue order."""
    index = open_index(settings)
    try:
        reader = index.reader()
        if reader is None:
            return []
        rows = []
        for record_id, meta, parts in papers_with_parts(reader):
            if not filters.accepts(meta):
                continue
            row: dict[str, Any] = {
                "record_id": record_id,
                "authors": list(meta.authors),
                "year": meta.year,
                "title": meta.title,
                "doi": meta.doi,
            }
            row.update({c: cell(c, parts) for c in COLUMNS})
            rows.append(row)
        return rows
    finally:
        index.close()


def _flat(row: dict[str, Any], column: str) -> str:
    got = row.get(column)
    return " ".join(plain(got["value"]).split()) if got else ""


def _paper(row: dict[str, Any]) -> str:
    return short_ref(PaperMeta(authors=tuple(row["authors"]), year=row["year"]))


def render(rows: list[dict[str, Any]], fmt: str, width: int) -> str:
    """The table as text in ``fmt`` (terminal, csv, md, json)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    header = ["paper", "title", *COLUMNS]
    flat = [
        [_paper(r), " ".join(plain(r["title"] or "").split()), *(_flat(r, c) for c in COLUMNS)]
        for r in rows
    ]
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
        esc = lambda v: v.replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(esc(v) for v in line) + " |" for line in flat]
        return "\n".join(lines) + "\n"
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


def table_width() -> int:
    """The terminal's width; in a pipe, ``COLUMNS`` or 120."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size((120, 24)).columns
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 120


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the evidence table."""
    try:
        filters = Filters.parse(args.year, args.author)
    except ValueError as err:
        raise UsageError(f"Invalid --year: {err}.") from None
    rows = evidence_rows(settings, filters)
    if not rows and args.format != "json":
        print("No paper in the index matches; run `assistant ingest` first?", file=sys.stderr)
        return 0
    sys.stdout.write(render(rows, args.format, table_width()))
    return 0
