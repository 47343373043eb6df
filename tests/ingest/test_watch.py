"""``ingest --watch``: folders kept in step with the index by the real pipeline, real file
events, real MiniLM and Chroma. Every wait is bounded and on an event, a queue or a
process, never a sleep."""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.core import DIRTY_FILE, Index
from index.embedder import MiniLMEmbedder
from index.lock import write_lock
from ingest.chunking import ChunkSettings
from ingest.pipeline import IngestReport, run_ingest
from ingest.watch import WatchTiming, watch
from tests.conftest import REPO, model_dir

pytestmark = pytest.mark.integration

WAIT = 120  # seconds any one step may take on a loaded two-core machine
QUICK = WatchTiming(step_ms=300)
SEED = REPO / "seeds" / "002_8e891bfb3820edb3.txt"
WORDS = (
    "peer support recovery service users mental health workers hope power relationships "
    "qualitative interviews participants clinicians community care outcomes stigma housing "
    "employment wellbeing practice policy evaluation trial cohort families carers"
).split()


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(model_dir())


def paper(i: int, extra: str = "") -> str:
    """A small paper's page: a title line and an abstract with a word only it has."""
    rng = random.Random(i)
    body = " ".join(rng.choice(WORDS) for _ in range(60))
    return (
        f"Study {i} of peer support in mental health services\n\n"
        f"Abstract. This study reports marker{i}word findings {extra}. {body}.\n"
    )


class Watching:
    """``watch`` running in a thread over one folder, each pass's report in a queue."""

    def __init__(self, folder: Path, home: Path, embed: Any, timing: WatchTiming) -> None:
        self.home = home
        self.index = Index(home)
        self.reports: queue.Queue[IngestReport] = queue.Queue()
        self.notes: queue.Queue[str] = queue.Queue()
        self.passes: queue.Queue[set[str] | None] = queue.Queue()  # the paths each pass got
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.error: BaseException | None = None

        def one_pass(roots: list[Path], changed: set[str] | None) -> None:
            self.passes.put(changed)
            self.reports.put(
                run_ingest(roots, self.index, embed, ChunkSettings(), 20_000_000, only=changed)
            )

        def run() -> None:
            try:
                watch(
                    [folder],
                    one_pass,
                    self.stop,
                    timing=timing,
                    on_note=self.notes.put,
                    on_watching=lambda changes: self.ready.set(),
                )
            except BaseException as err:  # noqa: BLE001 - reported by next()
                self.error = err
                self.reports.put(IngestReport(files_seen=-1))
            finally:
                self.index.close()  # in the thread that used it (SQLite's rule)

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert self.ready.wait(WAIT)

    def next(self) -> IngestReport:
        report = self.reports.get(timeout=WAIT)
        if self.error is not None:
            raise self.error
        return report

    def records(self) -> set[str]:
        """Paths of the papers the published generation holds."""
        index = Index(self.home)  # a reader of its own, as another process would be
        try:
            reader = index.reader()
            assert reader is not None
            return {Path(m.path or "").name for _, _, m in reader.catalog.rows()}
        finally:
            index.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(WAIT)
        assert not self.thread.is_alive()


@contextmanager
def watching(
    folder: Path, home: Path, embed: Any, timing: WatchTiming = QUICK
) -> Iterator[Watching]:
    w = Watching(folder, home, embed, timing)
    try:
        yield w
    finally:
        w.close()


def test_start_add_change_delete_and_rename(tmp_path: Path, embedder):
    folder, home = tmp_path / "papers", tmp_path / "home"
    folder.mkdir()
    (folder / "a.txt").write_text(paper(1))
    with watching(folder, home, embedder) as w:
        first = w.next()  # the start: what is already there
        assert (first.added, first.records) == (1, 1)

        assert w.passes.get_nowait() is None  # the first pass walks the folder
        (folder / "b.txt").write_text(paper(2))
        added = w.next()
        # Later passes look at the files the events named, not the whole folder.
        assert (added.files_seen, added.added, added.records) == (1, 1, 2)
        assert str(folder / "b.txt") in (w.passes.get_nowait() or ())
        assert w.records() == {"a.txt", "b.txt"}

        (folder / "b.txt").write_text(paper(2, "and a new sentence about stigma"))
        changed = w.next()
        assert (changed.updated, changed.records) == (1, 2) and changed.embedded >= 1

        os.rename(folder / "b.txt", folder / "c.txt")
        renamed = w.next()
        assert (renamed.added, renamed.removed, renamed.records) == (1, 1, 2)
        assert w.records() == {"a.txt", "c.txt"}

        (folder / "a.txt").unlink()
        deleted = w.next()
        assert (deleted.removed, deleted.records_removed, deleted.records) == (1, 1, 1)
        assert w.records() == {"c.txt"}

        moved_in = tmp_path / "moved"  # a folder arriving whole: walked, not listed
        moved_in.mkdir()
        (moved_in / "d.txt").write_text(paper(4))
        (moved_in / "e.txt").write_text(paper(5))
        os.rename(moved_in, folder / "sub")
        arrived = w.next()
        assert (arrived.added, arrived.records) == (2, 3)
        shutil.rmtree(folder / "sub")  # and leaving whole: what lay under it goes
        left = w.next()
        assert (left.removed, left.records) == (2, 1)
        assert w.records() == {"c.txt"}


def test_a_burst_of_200_files_is_one_pass(tmp_path: Path, embedder):
    folder, home = tmp_path / "papers", tmp_path / "home"
    folder.mkdir()
    (folder / "first.txt").write_text(paper(0))
    # A burst settles once nothing changed for 1.5 s (generous: the machine is shared).
    with watching(folder, home, embedder, WatchTiming(step_ms=1500, debounce_ms=60_000)) as w:
        assert w.next().records == 1
        for i in range(1, 201):
            (folder / f"sync-{i:03d}.txt").write_text(paper(i))
        burst = w.next()
        assert (burst.added, burst.records) == (200, 201)
        assert w.reports.empty()


def test_a_pass_waits_for_another_writer_and_then_runs(tmp_path: Path, embedder):
    folder, home = tmp_path / "papers", tmp_path / "home"
    folder.mkdir()
    with watching(folder, home, embedder) as w:
        assert w.next().files_seen == 0
        with write_lock(home / "index" / "corpus", what="assistant ingest elsewhere"):
            (folder / "a.txt").write_text(paper(1))
            note = w.notes.get(timeout=WAIT)  # told, not failed
            assert "assistant ingest elsewhere" in note and "Waiting" in note
        assert w.next().added == 1


def test_a_question_is_answered_while_a_pass_writes(tmp_path: Path, embedder):
    """``ask`` never waits for the writer: it answers from the last published generation
    while a pass holds the lock, and from the new one after."""
    folder, home = tmp_path / "papers", tmp_path / "home"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    inside, release = threading.Event(), threading.Event()

    class Gated:  # the real embedder, held in the middle of the write
        name, dim, max_tokens = embedder.name, embedder.dim, embedder.max_tokens

        def count_tokens(self, text: str) -> int:
            return embedder.count_tokens(text)

        def embed(self, texts: list[str]) -> np.ndarray:
            if w_ready.is_set():
                inside.set()
                assert release.wait(WAIT)
            return embedder.embed(texts)

    w_ready = threading.Event()
    env = {**os.environ, "ASSISTANT_HOME": str(home), "PYTHONPATH": str(REPO)}
    ask = [sys.executable, "-m", "assistant", "ask", "--no-llm", "--json"]
    old_topic = ["What helps relationships between professionals and service users?"]
    with watching(folder, home, Gated()) as w:
        assert w.next().records == 1
        w_ready.set()
        (folder / "new.txt").write_text(paper(7))
        assert inside.wait(WAIT)  # the pass holds the writer lock now
        try:
            during = subprocess.run(
                [*ask, *old_topic], env=env, cwd=REPO, capture_output=True, timeout=WAIT
            )
        finally:
            release.set()
        assert during.returncode == 0, during.stderr
        paths = {s["path"] for s in json.loads(during.stdout)["sources"]}
        assert paths and not any(p.endswith("new.txt") for p in paths)
        assert w.next().added == 1
        new_topic = ["What did the study of marker7word findings report?"]
        after = subprocess.run(
            [*ask, *new_topic], env=env, cwd=REPO, capture_output=True, timeout=WAIT
        )
        assert after.returncode == 0, after.stderr
        assert json.loads(after.stdout)["sources"][0]["path"].endswith("new.txt")


def test_zotero_database_and_storage_changes_trigger_a_pass(tmp_path: Path, embedder):
    zotero, home = tmp_path / "Zotero", tmp_path / "home"
    (zotero / "storage" / "ABCD1234").mkdir(parents=True)
    (zotero / "styles").mkdir()
    (zotero / "zotero.sqlite").write_bytes(b"")
    with watching(zotero, home, embedder) as w:
        w.next()
        (zotero / "styles" / "apa.csl").write_text("<style/>")  # not a library change
        (zotero / "storage" / "ABCD1234" / "paper.txt").write_text(paper(3))
        assert w.next().added == 1
        assert w.reports.empty()
        with open(zotero / "zotero.sqlite", "ab") as fh:  # Zotero saved an item
            fh.write(b"\0")
        w.next()  # a pass ran for the database change


# -- the command, as a process ----------------------------------------------------------
class WatchProcess:
    """``assistant ingest --watch FOLDER --json`` in a child process, its lines in queues."""

    def __init__(self, folder: Path, home: Path) -> None:
        env = {**os.environ, "ASSISTANT_HOME": str(home), "PYTHONPATH": str(REPO)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "ingest", "--watch", str(folder), "--json"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=_pump, args=(stream, sink), daemon=True).start()

    def report(self) -> dict[str, Any]:
        return json.loads(self.out.get(timeout=WAIT))

    def note(self, pred: Callable[[str], bool]) -> str:
        while True:
            line = self.err.get(timeout=WAIT)
            if pred(line):
                return line

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(WAIT)


def _pump(stream: Any, sink: queue.Queue[str]) -> None:
    for line in stream:
        sink.put(line)


def _until(condition: Callable[[], bool]) -> None:
    """Wait (bounded) for a condition another process makes true."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_ctrl_c_stops_cleanly(tmp_path: Path):
    folder, home = tmp_path / "papers", tmp_path / "home"
    folder.mkdir()
    (folder / "a.txt").write_text(paper(1))
    w = WatchProcess(folder, home)
    try:
        w.note(lambda line: "watching" in line)
        assert w.report()["added"] == 1
        (folder / "b.txt").write_text(paper(2))
        assert w.report()["added"] == 1
        w.proc.send_signal(signal.SIGINT)
        assert w.proc.wait(WAIT) == 0
    finally:
        w.kill()
    assert not (home / "index" / "corpus" / DIRTY_FILE).exists()  # no run left unfinished
    with write_lock(home / "index" / "corpus", wait=0):  # and the lock is free
        pass


def test_a_killed_watcher_loses_nothing(tmp_path: Path):
    folder, home = tmp_path / "papers", tmp_path / "home"
    folder.mkdir()
    (folder / "a.txt").write_text(paper(1))
    marker = home / "index" / "corpus" / DIRTY_FILE
    w = WatchProcess(folder, home)
    try:
        assert w.report()["added"] == 1
        for i in range(2, 42):
            (folder / f"p{i}.txt").write_text(paper(i))
        _until(marker.exists)  # a pass is writing: kill it there
        w.proc.send_signal(signal.SIGKILL)
        w.proc.wait(WAIT)
    finally:
        w.kill()
    (folder / "late.txt").write_text(paper(99))  # changed while nobody watched
    again = WatchProcess(folder, home)
    try:
        caught_up = again.report()
        assert caught_up["records"] == 42
        again.proc.send_signal(signal.SIGINT)
        assert again.proc.wait(WAIT) == 0
    finally:
        again.kill()
    index = Index(home)
    try:
        status = index.status()
        assert status.problems == [] and status.chunks == status.listed
        reader = index.reader()
        assert reader is not None and reader.record_count == 42
    finally:
        index.close()
