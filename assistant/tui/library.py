"""The chat follows the library: papers another process published, and ``/add PATH``.

Any writer (``assistant ingest``, ``ingest --watch``, another chat's ``/add``, this chat's)
ends by publishing a new index generation. A timer on the app looks at the index's version
every second (:class:`~index.GenerationWatch`: one small header file read, in a worker
thread, so a Chroma server's slower answer never stalls the screen) while no tab is
answering; when it moved, the worker opens the new generation, so the next question is
answered from it at once, compares its papers with the last generation's and reports back:
the status line shows the new size, an open papers view reloads, and a quiet notification
says what changed ("2 papers added, 1 updated"). An answer in flight keeps the reader it
started with (the engine takes one per question), so nothing switches under it.

``/add PATH`` ingests a file or folder in this process, in a worker thread, through
:func:`assistant.adding.add_paths` (the same incremental ingest as ``assistant ingest
PATH``, holding the writer lock only while it writes); a bar above the question box shows
the files read and the papers embedded. Its result is one note; what it changed reaches
the chat through the same look at the version as any other writer's work.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from textual.message import Message

from assistant.errors import AssistantError
from assistant.tui.add_parts import (
    USAGE,
    AddProgress,
    AddStopped,
    added_text,
    failed_write,
    nothing_read,
    path_of,
)
from assistant.tui.messages import IndexState
from assistant.tui.widgets.safe import safe_line

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.timer import Timer

    from assistant.config import Settings
    from assistant.runtime import Runtime
    from assistant.tui.host import ChatView
    from index import GenerationWatch, IndexReader
    from ingest.pipeline import IngestReport

log = logging.getLogger(__name__)


class LibraryEvent(Message):
    """Something a library worker found, applied in the UI thread (``run()``)."""

    def __init__(self, run: Callable[[], None]) -> None:
        super().__init__()
        self.run = run


class LibraryHost(Protocol):
    """The app as the library sees it."""

    settings: Settings
    runtime: Runtime | None
    index: IndexState
    """The index's size line or why it is unavailable (reactive: every tab follows it)."""
    index_loading: bool

    @property
    def index_text(self) -> str:
        """The size line once loaded, else ''."""
        ...

    @property
    def index_error(self) -> str:
        """Why the index could not be loaded, else ''."""
        ...

    @property
    def chats(self) -> list[Any]:
        """The open tabs' chat screens."""
        ...

    @property
    def screen_stack(self) -> list[Screen[Any]]:
        """Screens shown, the front one last."""
        ...

    def set_interval(self, interval: float, callback: Callable[[], object]) -> Timer:
        """Call ``callback`` every ``interval`` seconds."""
        ...

    def run_worker(
        self,
        work: Callable[[], None],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> object:
        """Run ``work`` (here: in a thread)."""
        ...

    def post_message(self, message: Message) -> bool:
        """Queue a message for the app (thread-safe)."""
        ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Literal["information", "warning", "error"] = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast."""
        ...


@dataclass(frozen=True)
class Change:
    """What a new generation changed, counted in papers (records)."""

    added: int
    updated: int
    removed: int
    papers: int
    chunks: int

    def sentence(self) -> str:
        """``2 papers added, 1 updated (7 papers in the index).``; empty if none changed."""
        parts = [
            f"{n} {what}"
            for n, what in (
                (self.added, "added"),
                (self.updated, "updated"),
                (self.removed, "removed"),
            )
            if n
        ]
        if not parts:
            return ""
        total = self.added + self.updated + self.removed
        first, *rest = parts
        noun = "paper" if total == 1 else "papers"
        lead = first.replace(" ", f" {noun} ", 1)
        size = f"{self.papers} paper{'s' if self.papers != 1 else ''} in the index"
        return f"{', '.join([lead, *rest])} ({size})."


def fingerprints(reader: object) -> dict[str, int]:
    """The papers of a retriever's reader (an :class:`index.IndexReader`), fingerprinted."""
    return cast("IndexReader", reader).record_fingerprints()


def diff(before: dict[str, int], after: dict[str, int]) -> tuple[int, int, int]:
    """(added, updated, removed) papers between two generations' fingerprints."""
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    updated = sum(1 for rid in after.keys() & before.keys() if after[rid] != before[rid])
    return added, updated, removed


class Library:
    """Follows the index for the chat's tabs and runs ``/add`` (one at a time)."""

    poll_seconds = 1.0

    def __init__(self, app: LibraryHost) -> None:
        self.app = app
        self._watch: GenerationWatch | None = None
        self._prints: dict[str, int] = {}
        self._timer: Timer | None = None
        self._looking = False
        self._stop = threading.Event()
        self.adding: AddProgress | None = None
        """The bar of the ``/add`` under way (None when none is)."""

    # -- following --------------------------------------------------------------------
    def baseline(self) -> None:
        """Worker thread, once the index is loaded: what later generations are compared with."""
        from index import GenerationWatch

        runtime = self.app.runtime
        if runtime is None:
            return  # an engine handed in (tests): no index of ours to follow
        watch = GenerationWatch(runtime.index)  # first: a generation published meanwhile
        try:  # is reported by the first look
            self._prints = fingerprints(runtime.retriever().reader)
        except Exception:  # noqa: BLE001 - then the first change is counted from nothing
            log.warning("listing the index's papers failed", exc_info=True)
        self._watch = watch

    def start(self) -> None:
        """Look at the index every :attr:`poll_seconds` from now on (UI thread); a Chroma
        server, asked over the network, every five times that."""
        runtime = self.app.runtime
        if self._timer is None and runtime is not None:
            every = self.poll_seconds * (5 if runtime.index.shared else 1)
            self._timer = self.app.set_interval(every, self.look)

    def answering(self) -> bool:
        """Whether any tab has an answer in flight."""
        return any(chat.job is not None for chat in self.app.chats)

    def look(self) -> None:
        """Timer: has a writer published? (never while a tab answers: between answers)"""
        if self._watch is None or self._looking or self._stop.is_set() or self.answering():
            return
        self._looking = True
        self.app.run_worker(self._look, thread=True, group="library", exit_on_error=False)

    def _look(self) -> None:
        try:
            watch = self._watch
            if watch is not None and watch.changed():
                self._switch()
        except Exception:  # noqa: BLE001 - the chat goes on; the next look tries again
            log.warning("following the index failed", exc_info=True)
        finally:
            self._looking = False

    def _switch(self) -> None:
        """Worker: open the new generation now (the next question uses it), then report."""
        runtime = self.app.runtime
        assert runtime is not None
        try:
            reader = runtime.retriever().reader
        except AssistantError as err:  # emptied by `assistant forget`, a server gone…
            error = str(err)
            self.app.post_message(LibraryEvent(lambda: self._unavailable(error)))
            return
        prints = fingerprints(reader)
        added, updated, removed = diff(self._prints, prints)
        self._prints = prints
        change = Change(added, updated, removed, reader.record_count, len(reader))
        self.app.post_message(LibraryEvent(lambda: self._changed(change)))

    def _changed(self, change: Change) -> None:
        from assistant.tui.papers_screen import PapersScreen

        app = self.app
        app.index = IndexState(f"index: {change.papers} papers · {change.chunks} chunks")
        for screen in app.screen_stack:
            if isinstance(screen, PapersScreen):
                screen.fetch()  # the view reads the engine, now on the new generation
        said = change.sentence()
        if said:
            app.notify(said, title="Library", markup=False)

    def _unavailable(self, error: str) -> None:
        self.app.index = IndexState("index: unavailable", error)

    # -- /add ---------------------------------------------------------------------------
    def add(self, screen: ChatView, arg: str) -> None:
        """``/add PATH`` from ``screen`` (UI thread): checked here, ingested in a worker."""
        app = self.app
        path = path_of(arg)
        if path is None:
            screen.note(USAGE, error=True)
        elif app.runtime is None and app.index_error:
            screen.note(f"/add needs the index, which could not be opened: {app.index_error}", True)
        elif app.runtime is None:
            screen.note("This chat was given an engine without an index: /add cannot add.", True)
        elif app.index_loading or not app.index_text:
            screen.note("The index is still loading: /add again once it is ready.", error=True)
        elif self.adding is not None:
            screen.note(f"Still adding {self.adding.what}: wait for it to finish.", error=True)
        elif not os.path.lexists(path):
            screen.note(f"No such file or folder: {safe_line(str(path))}.", error=True)
        else:
            bar = AddProgress(safe_line(path.name or str(path)))
            self.adding = bar
            target = cast("Screen[Any]", screen)
            target.mount(bar, before=target.query_one("#prompt"))
            app.run_worker(
                lambda: self._add(screen, path.resolve(), bar),
                thread=True,
                group="add",
                exit_on_error=False,
            )

    def _add(self, screen: ChatView, path: Path, bar: AddProgress) -> None:
        """Worker: the ingest; its report, or the one sentence it failed with, goes back."""
        from assistant.adding import add_paths

        runtime = self.app.runtime
        assert runtime is not None

        def progress(stage: str, done: int, total: int) -> None:
            if self._stop.is_set():  # quitting: stop between files and batches (the
                raise AddStopped()  # ingest is crash-safe; the next one tidies up)
            bar.stage = (stage, done, total)

        report: IngestReport | None = None
        error = ""
        try:
            report = add_paths(runtime.settings, [path], runtime.embedder, progress)
        except AddStopped:
            return
        except AssistantError as err:
            error = str(err)
        except OSError as err:
            error = failed_write(err, runtime.settings.home)
        except Exception as err:  # noqa: BLE001 - one sentence here, the whole in the log
            log.exception("/add failed")
            error = f"Could not add {path} (internal error: {type(err).__name__}: {err})."
        self.app.post_message(LibraryEvent(lambda: self._added(screen, path, bar, report, error)))

    def _added(
        self,
        screen: ChatView,
        path: Path,
        bar: AddProgress,
        report: IngestReport | None,
        error: str,
    ) -> None:
        self.adding = None
        if bar.is_attached:
            bar.remove()
        where = screen if screen in self.app.chats else self.app.chats[0]
        if report is None:
            where.note(f"{error} Nothing was added; /add it again to retry.", error=True)
        else:
            where.note(added_text(path, report), error=nothing_read(report))
        self.look()  # take the new generation in now, not at the next tick

    def stop(self) -> None:
        """Quitting: end an ``/add`` at its next file or batch, stop following."""
        self._stop.set()
