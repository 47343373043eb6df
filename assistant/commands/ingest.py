"""``assistant ingest``: read documents into the index."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from assistant.adding import one_line as _one_line
from assistant.adding import own_folders, summary_lines
from assistant.config import Settings
from assistant.errors import UsageError
from assistant.progress import progress_bars
from assistant.runtime import open_index, run_ingest


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest the given paths (default: the bundled seeds) and print a summary."""
    from ingest.seeds import bundled_seeds

    if args.watch or args.poll:
        if args.rebuild or not args.watch:
            raise UsageError("--rebuild cannot be combined with --watch, and --poll needs --watch.")
        return watch(args, settings)
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


def watch(args: argparse.Namespace, settings: Settings) -> int:
    """``ingest --watch``: one pass over the folders, then one per settled burst of
    changes, until Ctrl-C (which lets the pass under way finish)."""
    from assistant.runtime import chunk_settings, make_embedder
    from ingest.pipeline import run_ingest as ingest_paths
    from ingest.watch import watch as watch_roots

    index = open_index(settings)
    try:
        paths = list(args.paths) or [Path(p) for p in index.roots()]
        if not paths:
            raise UsageError(
                "Nothing to watch yet: name the folders, e.g. `assistant ingest --watch ~/papers`."
            )
        missing = [str(p) for p in paths if not os.path.lexists(p)]
        if missing:
            raise UsageError(f"No such file or folder: {missing[0]}.")
        embedder = make_embedder(settings)  # loaded once, for every pass
        stop = threading.Event()
        passes = 0

        def note(text: str) -> None:
            print(f"assistant: {_one_line(text)}", file=sys.stderr, flush=True)

        def one_pass(roots: list[Path], changed: set[str] | None) -> None:
            nonlocal passes
            report = ingest_paths(
                roots,
                index,
                embedder,
                chunk_settings(settings),
                int(settings.max_file_mb * 1_000_000),
                exclude=own_folders(settings),
                only=changed,  # after the first pass: the files events named, not a walk
            ).to_dict()
            passes += 1
            if args.json:  # one object per pass, one line each
                print(json.dumps(report, ensure_ascii=False), flush=True)
                return
            if passes > 1 and not _changed(report):
                return
            lines = summary_lines(report)
            if passes > 1:  # the skipped files were listed by the first pass
                lines = lines[:2]
            print(time.strftime("[%H:%M:%S] ") + "\n".join(lines), flush=True)

        def on_signal(signum: int, frame: object) -> None:
            if stop.is_set():
                raise KeyboardInterrupt  # a second Ctrl-C: stop now (ingest is safe to cut)
            stop.set()
            note("stopping after the pass under way (Ctrl-C again to stop at once)")

        old_int = signal.signal(signal.SIGINT, on_signal)
        old_term = signal.signal(signal.SIGTERM, on_signal)
        try:
            watch_roots(
                paths,
                one_pass,
                stop,
                exclude=own_folders(settings),
                poll=args.poll,
                on_note=note,
                on_watching=lambda changes: note(
                    f"watching {', '.join(_one_line(str(p)) for p in paths)}"
                    f"{' (polling)' if changes.polling else ''}; Ctrl-C stops"
                ),
            )
        finally:
            signal.signal(signal.SIGINT, old_int)
            signal.signal(signal.SIGTERM, old_term)
    finally:
        index.close()
    note("stopped; the index is up to date with every pass reported")
    return 0


def _changed(report: dict[str, Any]) -> bool:
    """Whether a pass changed anything worth a line."""
    keys = ("added", "updated", "removed", "records_added", "records_updated", "records_removed")
    return any(report[k] for k in keys) or bool(report.get("orphans_removed"))
