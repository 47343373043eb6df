"""Adding files to the index from a running process (the chat's ``/add PATH``), the
folders ingest never reads, and the human summary of an ingest report (``summary_lines``,
shared by ``assistant ingest`` and the chat).

:func:`add_paths` is the same incremental ingest as ``assistant ingest PATH`` (same
report, same crash safety, the path remembered for ``--rebuild`` and ``--watch``), made
safe to call from any worker thread: it opens its own :class:`~index.Index` and closes it
in the thread that used it (SQLite connections belong to one thread), and holds the
writer lock only while it writes. A watcher or a CLI ingest writing at that moment makes
it wait up to two seconds, then raise :class:`~index.StoreLocked` (one sentence naming
the holder: show it, and offer to try again).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.textsafe import plain

if TYPE_CHECKING:
    from index import Embedder
    from ingest.pipeline import IngestReport, Progress

# The assistant's own folders under ASSISTANT_HOME: its index, chats, exports and logs
# are never corpus, or exported answers would come back as sources.
OWN_FOLDERS = ("index", "chroma", "chats", "exports", "logs", "models")


def own_folders(settings: Settings) -> list[Path]:
    """The folders under ``settings.home`` that ingest must never read."""
    return [settings.home / name for name in OWN_FOLDERS]


def add_paths(
    settings: Settings,
    paths: Sequence[Path],
    embedder: Embedder,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest ``paths`` (files or folders) into the configured index; ``progress(stage,
    done, total)`` is called as files are read ("reading") and papers embedded and written
    ("embedding"). Pass the process's loaded embedder (``Runtime.embedder``)."""
    from assistant.runtime import open_index, run_ingest

    index = open_index(settings)
    try:
        return run_ingest(
            settings,
            index,
            list(paths),
            embedder,
            progress=progress,
            exclude=own_folders(settings),
        )
    finally:
        index.close()


def one_line(text: str) -> str:
    """``text`` as one printable line (file names and reasons are data)."""
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
        lines.append(f"  skipped {one_line(item['path'])}: {one_line(item['reason'])}")
    for item in report.get("notes", []):  # read, but not all of it
        lines.append(f"  note {one_line(item['path'])}: {one_line(item['note'])}")
    little = little_text_summary(report.get("notes", []))
    if little:
        lines.append(little)
    return lines


def little_text_summary(notes: list[dict[str, str]]) -> str | None:
    """How many PDFs gave little text for their pages, and why, from the ingest's notes."""
    reasons: dict[str, int] = {}
    for item in notes:
        note = item.get("note", "")
        if note.startswith("little text:"):
            why = "words run together" if "run together" in note else "no text layer on pages"
            reasons[why] = reasons.get(why, 0) + 1
    if not reasons:
        return None
    n = sum(reasons.values())
    parts = ", ".join(f"{count} {why}" for why, count in sorted(reasons.items()))
    noun = (
        "PDF gave little text for its pages" if n == 1 else "PDFs gave little text for their pages"
    )
    return (
        f"{n} {noun} ({parts}): scanned pages need OCR first; "
        "`assistant sources --missing-metadata` lists them."
    )
