"""``assistant ingest``: read documents into the index."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.runtime import chunk_settings, make_embedder, open_store
from assistant.textsafe import plain

# The assistant's own folders under ASSISTANT_HOME: its index, chats, exports and logs
# are never corpus, or exported answers would come back as sources.
OWN_FOLDERS = ("index", "chroma", "chats", "exports", "logs")


def own_folders(settings: Settings) -> list[Path]:
    """The folders under ``settings.home`` that ingest must never read."""
    return [settings.home / name for name in OWN_FOLDERS]


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Any]:
    """A progress callback: a bar on a terminal, silence elsewhere."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description:>10}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    with bar:
        yield update


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
    return lines


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest the given paths (default: the bundled seeds) and print a summary."""
    from ingest.pipeline import run_ingest
    from ingest.seeds import bundled_seeds

    paths = list(args.paths) or [bundled_seeds()]
    store = open_store(settings)
    try:
        with progress_bar(sys.stderr.isatty() and not args.json) as progress:
            report = run_ingest(
                paths,
                store,
                make_embedder(settings),
                chunk_settings(settings),
                int(settings.max_file_mb * 1_000_000),
                rebuild=args.rebuild,
                progress=progress,
                exclude=own_folders(settings),
            )
    finally:
        store.close()
    data = report.to_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(data)))
    return 0
