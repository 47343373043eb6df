"""``assistant sources``: the records in the index, with their metadata."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.config import Settings
from assistant.flags import check_collection, filters_from_args
from assistant.references import UNTITLED, short_authors
from assistant.runtime import open_index
from assistant.textsafe import plain, table_width


def list_records(
    settings: Settings, text_check: bool = False, collection: str | None = None
) -> list[dict[str, Any]]:
    """One entry per record of the index's current generation, in a stable order (only
    those filed in ``collection``, when given).

    ``text_check``: PDF records whose text is short for their pages also get a
    ``little_text`` note (scanned pages without a text layer, words run together)."""
    index = open_index(settings)
    try:
        reader = index.reader()
        if not reader:
            return []
        records = [r.to_json() for r in reader.records()]
        if collection:
            filed = set(reader.catalog.ids_in_collection(collection))
            records = [r for r in records if r["record_id"] in filed]
        if text_check:
            for record in records:
                note = _little_text(reader, record)
                if note:
                    record["little_text"] = note
        return records
    finally:
        index.close()


def _little_text(reader: Any, record: dict[str, Any]) -> str | None:
    """The ingest's "little text" note for a PDF record, from its stored chunks."""
    from ingest.pdf import little_text

    if not any(str(o).lower().endswith(".pdf") for o in record.get("origins") or []):
        return None
    chunks = [c for c in reader.chunks_of(record["record_id"]) if not c.meta.text_language]
    pages = max((c.meta.page or 1 for c in chunks), default=1)
    return little_text(" ".join(c.text for c in chunks), pages)


def missing_fields(record: dict[str, Any]) -> list[str]:
    """Which of title, authors and year a record lacks ("text" when its PDF gave little)."""
    missing = [name for name in ("title", "authors", "year") if not record.get(name)]
    return missing + (["text"] if record.get("little_text") else [])


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the records as JSON or as a table."""
    filters = filters_from_args(args)
    check_collection(filters, settings)
    text_check = getattr(args, "missing_metadata", False)
    records = list_records(settings, text_check=text_check, collection=filters.collection)
    if getattr(args, "missing_metadata", False):
        records = [r for r in records if missing_fields(r)]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    if not records:
        if getattr(args, "missing_metadata", False):
            print("Every record has a title, authors, a year and its text.", file=sys.stderr)
        else:
            print("The index is empty; run `assistant ingest` first.", file=sys.stderr)
        return 0
    from rich.console import Console

    width = table_width()
    console = Console(width=width, no_color=not sys.stdout.isatty())
    # Rendered first and written plainly: on a closed pipe rich itself exits with 1, while a
    # plain write raises BrokenPipeError, which the CLI edge treats as the reader being done.
    with console.capture() as captured:
        console.print(_table(records, getattr(args, "missing_metadata", False), width))
    sys.stdout.write(captured.get())
    untitled = sum(1 for r in records if not r["title"])
    print(f"{len(records)} records.", file=sys.stderr)
    for r in records:  # why a record's text is missing: the ingest's reading of its PDF
        if r.get("little_text"):
            print(f"  {plain(r['path'] or '')}: {r['little_text']}", file=sys.stderr)
    if untitled:
        print(UNTITLED_NOTE.format(n=untitled), file=sys.stderr)
    return 0


UNTITLED_NOTE = (
    "{n} shown as " + UNTITLED + ": their file gives the abstract but no title (answers name "
    "them by their opening words; `--missing-metadata` lists what to fix, `--json` shows all)."
)


def fit(
    columns: list[str],
    rows: list[dict[str, str]],
    caps: dict[str, int],
    floors: dict[str, int],
    width: int,
    want: int,
) -> dict[str, int]:
    """Column widths: each up to its cap, narrowed (widest first, down to its floor) until
    the title has ``want`` characters; the title takes what is left."""
    widths = {
        c: min(caps[c], max(len(c), *(len(row[c]) for row in rows)))
        for c in columns
        if c != "Title"
    }

    def room() -> int:
        return width - sum(widths.values()) - 2 * (len(columns) - 1)

    while room() < want:
        c = max(widths, key=lambda c: widths[c] - floors[c])
        if widths[c] <= floors[c]:
            break
        widths[c] -= 1
    longest = max(len("Title"), *(len(row["Title"]) for row in rows))
    widths["Title"] = max(8, min(room(), longest))
    return widths


def _table(records: list[dict[str, Any]], missing_metadata: bool, width: int) -> Any:
    """One line per record; long cells end in an ellipsis so the table fits ``width``."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False, width=width)
    # Narrow columns get what they need up to a cap; the title takes what is left.
    caps = {
        "Missing": 20,
        "Year": 4,
        "Authors": 22,
        "Venue": 24,
        "DOI": 26,
        "Chunks": 6,
        "Path": 28,
    }
    rows = []
    for r in records:  # corpus strings and file names are data: never markup, never escapes
        row = {
            "Missing": ", ".join(missing_fields(r)),
            "Year": str(r["year"] or ""),
            "Authors": short_authors(r["authors"]) if r["authors"] else "",
            "Title": r["title"] or UNTITLED,
            "Venue": r.get("venue") or "",
            "DOI": r["doi"] or "",
            "Chunks": str(r["chunks"]),
            "Path": r["path"] or "",
        }
        rows.append({k: " ".join(plain(v).split()) for k, v in row.items()})
    columns = ["Missing", "Year", "Authors", "Title", "Venue", "DOI", "Chunks", "Path"]
    if not missing_metadata:
        columns.remove("Missing")
    for optional in ("Venue", "DOI"):
        if not any(row[optional] for row in rows):
            columns.remove(optional)
    floors = {"Missing": 7, "Year": 4, "Authors": 10, "Venue": 6, "DOI": 8, "Chunks": 6, "Path": 12}
    longest_title = max(len("Title"), *(len(row["Title"]) for row in rows))
    want = min(40, longest_title)  # the title's room: about 40 characters
    while True:
        widths = fit(columns, rows, caps, floors, width, want)
        # On a narrow terminal the venue, then the DOI, give their room to the title.
        if widths["Title"] >= min(want, len(UNTITLED)) or not {"Venue", "DOI"} & set(columns):
            break
        columns.remove("Venue" if "Venue" in columns else "DOI")
    for row in rows:  # a path is told apart by its end: cut it at the start
        if len(row["Path"]) > widths["Path"]:
            row["Path"] = "…" + row["Path"][len(row["Path"]) - widths["Path"] + 1 :]
    for c in columns:
        table.add_column(
            c,
            no_wrap=True,
            overflow="ellipsis",
            width=widths[c],
            justify="right" if c == "Chunks" else "left",
        )
    for row in rows:
        table.add_row(*(Text(row[c]) for c in columns))
    return table
