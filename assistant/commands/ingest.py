"""``assistant ingest``: read documents into the index."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import UsageError
from assistant.progress import progress_bars
from assistant.runtime import open_index, run_ingest
from assistant.textsafe import plain

# The assistant's own folders under ASSISTANT_HOME: its index, chats, exports and logs
# are never corpus, or exported answers would come back as sources.
OWN_FOLDERS = ("index", "chroma", "chats", "exports", "logs")


def own_folders(settings: Settings) -> list[Path]:
    """The folders under ``settings.home`` that ingest must never read."""
    return [settings.home / name for name in OWN_FOLDERS]


def _one_line(text: str) -> str:
    return " ".join(plain(text).split())


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The human summary of an ingest report."""
    lines = [
        f"{report['files_seen']} files: {report['added']} added, {report['updated']} updated, "
        f"{report['removed']} removed, {report['unchanged']} unchanged, "
        f"{len(report['skipped'])} skipped.",
        f"Index: {report['records']} records in {report['chunks']} chunks "
        f"({report['records_added']} records added, {report['records_updated']} updated, "
        f"{report['records_removed']} removed; {report['embedded']} chunks embedded).",
    ]
    if report.get("orphans_removed"):
        lines.append(f"Cleaned up {report['orphans_removed']} chunks left by an interrupted run.")
    for item in report["skipped"]:
        # File names are data: a name may carry escape sequences meant for the terminal.
        lines.append(f"  skipped {_one_line(item['path'])}: {_one_line(item['reason'])}")
    for item in report.get("notes", []):  # read, but not all of it
        lines.append(f"  note {_one_line(item['path'])}: {_one_line(item['note'])}")
    return lines


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest the given paths (default: the bundled seeds) and print a summary."""
    from ingest.seeds import bundled_seeds

    index = open_index(settings)
    try:
        paths = list(args.paths)
        if not paths and (args.rebuild or index.roots()):
            # Update (or rebuild) what was indexed, not the seeds: the index knows the roots
            # it was given, and a home of the user's own folders gets no demo papers.
            known = [Path(p) for p in index.roots()]
            paths = [p for p in known if os.path.lexists(p)]
            lost = [str(p) for p in known if not os.path.lexists(p)]
            if lost and not args.rebuild:  # none left: the seeds, as on a first run
                print(f"Not found, its papers kept: {', '.join(lost)}.", file=sys.stderr)
            elif lost:
                raise UsageError(
                    f"Cannot rebuild: {lost[0]} was indexed but no longer exists; "
                    "name the folders to rebuild from, e.g. `assistant ingest --rebuild ~/papers`."
                )
            if paths and args.rebuild and not args.json:
                print(f"Rebuilding from {', '.join(map(str, paths))}.", file=sys.stderr)
        paths = paths or [bundled_seeds()]
        with progress_bars(sys.stderr.isatty() and not args.json) as bars:
            report = run_ingest(
                settings,
                index,
                paths,
                rebuild=args.rebuild,
                progress=bars.update if bars else None,
                exclude=own_folders(settings),
            )
    finally:
        index.close()
    data = report.to_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(data)))
    return 0
