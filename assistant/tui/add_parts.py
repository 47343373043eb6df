"""``/add``'s parts: the path it is given, Tab completing it, the bar showing its
progress, and the note on what it did (:mod:`assistant.tui.library` runs it)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from assistant.errors import AssistantError
from assistant.tui.widgets.safe import safe_line

if TYPE_CHECKING:
    from ingest.pipeline import IngestReport

USAGE = "Usage: /add PATH, a file or a folder of papers (Tab completes the path)."


class AddProgress(Horizontal):
    """``Adding papers: embedding 4/12 papers ▇▇▇▁▁▁`` above the question box."""

    DEFAULT_CSS = """
    AddProgress { height: 1; padding: 0 1; background: $boost; }
    AddProgress > Static { width: 1fr; }
    AddProgress > ProgressBar { width: 34; }
    """

    def __init__(self, name: str) -> None:
        super().__init__(id="add-progress")
        self.what = name
        self.stage: tuple[str, int, int] = ("starting", 0, 0)
        """Set by the worker thread (a tuple: replaced whole), drawn by a timer."""

    def compose(self) -> ComposeResult:
        yield Static(f"Adding {self.what}…", id="add-label", markup=False)
        yield ProgressBar(show_eta=False, id="add-bar")

    def on_mount(self) -> None:
        self.set_interval(0.1, self.draw)

    def draw(self) -> None:
        """Show the stage the worker last reported."""
        stage, done, total = self.stage
        label = self.query_one("#add-label", Static)
        bar = self.query_one("#add-bar", ProgressBar)
        if stage == "reading":
            label.update(f"Adding {self.what}: reading {done}/{total} files")
        elif stage == "embedding":
            label.update(f"Adding {self.what}: embedding {done}/{total} papers")
        if total:
            bar.update(total=total, progress=done)


def path_of(arg: str) -> Path | None:
    """The path ``/add`` was given: quotes stripped, ``~`` expanded; None when empty."""
    text = arg.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return Path(text).expanduser() if text else None


def complete(line: str) -> str | None:
    """``/add pa`` + Tab -> ``/add papers/`` (the longest common start of what exists);
    None when the line is not an ``/add`` or nothing matches."""
    head, sep, typed = line.partition(" ")
    if head.lower() != "/add" or not sep or "\n" in line:
        return None
    typed = typed.lstrip()
    folder, _, start = typed.rpartition("/")
    where = Path(folder or ("/" if typed.startswith("/") else ".")).expanduser()
    try:
        names = sorted(e.name for e in os.scandir(where) if e.name.startswith(start))
    except OSError:
        return None
    if not start.startswith("."):
        names = [n for n in names if not n.startswith(".")]
    if not names:
        return None
    common = os.path.commonprefix(names)
    done = (folder + "/" if folder or typed.startswith("/") else "") + common
    if len(names) == 1 and (where / names[0]).is_dir():
        done += "/"
    return None if done == typed else f"/add {done}"


class AddStopped(AssistantError):
    """Raised in the ``/add`` worker to end it when the chat quits (an AssistantError, so
    the index's writer lets it through as it is)."""


def failed_write(err: OSError, home: Path) -> str:
    """One sentence for a file-system refusal during ``/add``."""
    from vocab.errors import filesystem_error

    refused = filesystem_error(err, str(home))
    if refused is not None:
        return str(refused)
    return f"Could not add: {safe_line(err.strerror or str(err))} ({safe_line(str(err.filename))})."


def nothing_read(report: IngestReport) -> bool:
    """Whether ``/add`` found nothing it could read."""
    return len(report.skipped) >= report.files_seen


def added_text(path: Path, report: IngestReport) -> str:
    """What ``/add`` did, in the words ``assistant ingest`` prints."""
    from assistant.adding import summary_lines

    if report.files_seen == 0:
        return f"Found no file to read in {path}: nothing was added."
    if nothing_read(report):
        reasons = "; ".join(f"{s['path']}: {s['reason']}" for s in report.skipped[:3])
        return f"Nothing was added: could not read {reasons}."
    lines = summary_lines(report.to_dict())
    return f"Added {path}: " + " ".join(line.strip() for line in lines)
