"""Keep the index in step with folders as files appear, change and disappear.

A long-lived process (``assistant ingest --watch``) keeps the embedder loaded and the
index's handles open, and runs the ordinary incremental ingest over the watched folders
(the caller's ``run_pass``) once a burst of changes has settled. Each pass takes the
writer lock for its own duration only, so ``ask``, ``chat`` and ``batch`` keep answering
(they never take it) and another ``ingest`` can run between passes. Nothing is held here
that a pass has not written: the watcher starts with a full pass over every folder, so a
killed watcher loses nothing (changes made while it was down are found then), and ingest
itself is safe to interrupt at any moment.

File events come from watchfiles (Rust ``notify``: inotify, FSEvents,
ReadDirectoryChangesW), debounced there. File systems that deliver no events (network
shares, some container mounts) are polled instead: asked for with ``poll``, or taken
when the event watcher cannot start (e.g. the inotify watch limit is reached).

A Zotero data directory (``zotero.sqlite`` beside ``storage/``) is watched as one root:
changes to its database or under ``storage/`` trigger a pass; its caches, styles and
translators do not.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index import StoreLocked

ZOTERO_DB = "zotero.sqlite"
ZOTERO_STORAGE = "storage"
LOCK_RETRY_S = 1.0  # how often a pass waiting for another writer tries again


@dataclass(frozen=True)
class WatchTiming:
    """How changes are grouped into passes (milliseconds)."""

    step_ms: int = 250  # a burst has settled once nothing changed for this long
    debounce_ms: int = 3000  # a burst that never settles is taken after this long
    poll_delay_ms: int = 500  # between scans, when polling


def is_zotero_dir(path: Path) -> bool:
    """Whether ``path`` is a Zotero data directory (its database beside ``storage/``)."""
    return (path / ZOTERO_DB).is_file()


def _prefix(folder: str) -> str:
    return folder if folder.endswith(os.sep) else folder + os.sep


class ChangeFilter:
    """Which changed paths matter: not editors' and tools' litter (watchfiles' default
    filter), not the assistant's own folders, and in a Zotero data directory only its
    database and ``storage/``."""

    def __init__(self, roots: Sequence[Path], exclude: Sequence[Path] = ()) -> None:
        from watchfiles import DefaultFilter

        self._default = DefaultFilter()
        self._excluded = [
            _prefix(f(p)) for p in exclude for f in (os.path.abspath, os.path.realpath)
        ]
        self._zotero = [
            (_prefix(str(r)), _prefix(str(r / ZOTERO_STORAGE)), str(r / ZOTERO_DB))
            for r in roots
            if is_zotero_dir(r)
        ]

    def __call__(self, change: Any, path: str) -> bool:
        if any(_prefix(path).startswith(ex) for ex in self._excluded):
            return False
        for base, storage, db in self._zotero:
            if path.startswith(base):
                # The database and its journal or WAL, and the attachments.
                return path in (db, db + "-journal", db + "-wal") or path.startswith(storage)
        return bool(self._default(change, path))


def roots_touched(paths: Iterable[str], roots: Sequence[Path]) -> list[Path]:
    """The watched ``roots`` (absolute) that any of ``paths`` lies in or is."""
    found = set(paths)
    out = []
    for root in roots:
        base = str(root)
        if any(p == base or p.startswith(_prefix(base)) for p in found):
            out.append(root)
    return out


class Changes:
    """Paths changed under the roots, collected by a thread while passes run, taken in one
    go. Watching starts in the constructor: nothing changed after it returns is missed."""

    def __init__(
        self,
        roots: Sequence[Path],
        exclude: Sequence[Path] = (),
        poll: bool = False,
        timing: WatchTiming = WatchTiming(),
        on_note: Callable[[str], None] | None = None,
    ) -> None:
        from watchfiles._rust_notify import RustNotify

        self._timing = timing
        self._filter = ChangeFilter(roots, exclude)
        watched = [str(r) for r in roots]
        self.polling = poll
        try:
            self._notify = RustNotify(watched, False, poll, timing.poll_delay_ms, True, True)
        except (OSError, RuntimeError) as err:
            if poll:
                raise
            # No events on this system (watch limit, unsupported file system): poll.
            self.polling = True
            self._notify = RustNotify(watched, False, True, timing.poll_delay_ms, True, True)
            if on_note:
                on_note(
                    f"file events unavailable ({err}); polling every "
                    f"{timing.poll_delay_ms / 1000:g} s instead"
                )
        self._pending: set[str] = set()
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._collect, name="watch-changes", daemon=True)
        self._thread.start()

    def _collect(self) -> None:
        t = self._timing
        try:
            while not self._stop.is_set():
                got = self._notify.watch(t.debounce_ms, t.step_ms, 1000, self._stop)
                if isinstance(got, str):  # 'timeout', 'stop' ('signal' never, off main)
                    continue
                kept = {path for change, path in got if self._filter(change, path)}
                if kept:
                    with self._cond:
                        self._pending |= kept
                        self._cond.notify_all()
        except BaseException as err:  # noqa: BLE001 - handed to the thread taking changes
            with self._cond:
                self.error = err
                self._cond.notify_all()

    def take(self, stop: threading.Event, timeout: float = 0.5) -> set[str]:
        """The paths changed since the last call, waiting until there are some or
        ``stop`` is set (checked every ``timeout`` seconds)."""
        with self._cond:
            while not self._pending and not stop.is_set() and self.error is None:
                self._cond.wait(timeout)
            if self.error is not None:
                raise self.error
            out, self._pending = self._pending, set()
            return out

    def close(self) -> None:
        """Stop watching."""
        self._stop.set()
        self._thread.join(timeout=5)
        self._notify.close()


# One ingest pass: over these roots, and (after the first) the changed paths under them.
RunPass = Callable[[list[Path], "set[str] | None"], None]


def watch(
    roots: Sequence[Path],
    run_pass: RunPass,
    stop: threading.Event,
    *,
    exclude: Sequence[Path] = (),
    poll: bool = False,
    timing: WatchTiming = WatchTiming(),
    on_note: Callable[[str], None] | None = None,
    on_watching: Callable[[Changes], None] | None = None,
) -> None:
    """Run ``run_pass`` over every root, then over the roots each settled burst of
    changes touched, with the changed paths, until ``stop`` is set (a pass under way is
    finished first).

    A pass that finds the index locked by another writer waits for it and tries again.
    """
    roots = [Path(os.path.abspath(r)) for r in roots]
    changes = Changes(roots, exclude, poll, timing, on_note)
    try:
        if on_watching:
            on_watching(changes)
        todo = list(roots)  # the first pass: whatever changed while nobody watched
        paths: set[str] | None = None
        while not stop.is_set():
            if todo:
                present = [r for r in todo if os.path.lexists(r)]
                for gone in sorted(set(todo) - set(present)):
                    if on_note:  # an unmounted share must not empty the index
                        on_note(f"{gone} is gone; its papers stay until `assistant forget`")
                if present and not _run_locked(run_pass, present, paths, stop, on_note):
                    continue  # stopped while waiting for another writer
            paths = changes.take(stop)
            todo = roots_touched(paths, roots)
    finally:
        changes.close()


def _run_locked(
    run_pass: RunPass,
    roots: list[Path],
    paths: set[str] | None,
    stop: threading.Event,
    on_note: Callable[[str], None] | None,
) -> bool:
    """Run one pass, waiting while another writer holds the index; False if stopped."""
    told = False
    while True:
        try:
            run_pass(roots, paths)
            return True
        except StoreLocked as err:
            if not told and on_note:
                on_note(f"{err} Waiting.")
                told = True
            if stop.wait(LOCK_RETRY_S):
                return False
