"""Issue 26 item 2: a running chat follows the library.

What another process ingests reaches the chat without a restart (between answers, never
under one), and ``/add PATH`` ingests in the chat's own process with progress; errors are
one sentence. Real index, real MiniLM, a fake Ollama; every wait is bounded and on a
condition, never a sleep.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.tui.add_parts import AddProgress
from assistant.tui.papers_screen import PapersScreen
from index import Index
from index.lock import write_lock
from tests.conftest import REPO
from tests.tui.conftest import ask, flat, ready, screen_text, submit, wait_for

SLOW = 120.0  # an ingest in another process on a loaded two-core machine (a bound)


def a_paper(folder: Path, name: str, text: str) -> Path:
    """A one-record plain-text paper."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


BEES = (
    "Beekeepers in northern Lapland reported that shared honey cellars cut the winter "
    "losses of their colonies by a third, and cooperative cellars kept hives warmer."
)
LICHEN = (
    "Reindeer herders in Finnmark described how winter lichen pastures shrank when "
    "snow crusts froze over the grazing grounds, and herds were fed hay instead."
)


def paper_files(exchange) -> set[str]:
    return {Path(s.path or "").name for s in exchange.answer.sources}


def toasts(app) -> str:
    """Every notification the app has shown (kept: toasts expire)."""
    return " ".join(app.said)


def papers_in(app) -> int:
    """The paper count the status line shows."""
    return int(app.index_text.split("index: ")[1].split(" papers")[0])


def ingest_elsewhere(path: Path) -> None:
    """``assistant ingest PATH`` in another process, as a user in another terminal."""
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(path)],
        cwd=REPO,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=SLOW,
    )
    assert done.returncode == 0, done.stderr


class GatedEmbedder:
    """The shared MiniLM, whose batches holding a passage (an ingest's: a question is
    shorter) wait for :attr:`gate` while :attr:`hold` is set."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.hold = threading.Event()
        self.gate = threading.Event()
        self.waiting = threading.Event()

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed(self, texts):
        if self.hold.is_set() and any(len(t) > 100 for t in texts):
            self.waiting.set()
            assert self.gate.wait(SLOW)
        return self.inner.embed(texts)


@pytest.fixture
def gated(shared_embedder, monkeypatch) -> GatedEmbedder:
    import assistant.runtime

    embedder = GatedEmbedder(shared_embedder)
    monkeypatch.setattr(assistant.runtime, "make_embedder", lambda settings: embedder)
    return embedder


async def started(pilot) -> None:
    """The chat up, following the index every 0.1 s, its notifications recorded."""
    app = pilot.app
    app.said = []
    notify = app.notify

    def keep(message, **kwargs):
        app.said.append(str(message))
        notify(message, **kwargs)

    app.notify = keep
    app.library.poll_seconds = 0.1
    await ready(pilot)
    await wait_for(pilot, lambda: app.library._timer is not None, "the library followed")


async def test_another_process_s_ingest_reaches_the_open_chat_and_its_papers_view(
    make, ollama, tmp_path
):
    app = make()
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        before = papers_in(app)
        await submit(pilot, "/papers")
        await wait_for(pilot, lambda: isinstance(app.screen, PapersScreen), "the papers view")
        view = app.screen
        await wait_for(pilot, lambda: len(view.papers) == before, "the papers listed")

        ingest_elsewhere(a_paper(tmp_path / "elsewhere", "bees.txt", BEES))

        await wait_for(pilot, lambda: papers_in(app) == before + 1, "the status line", SLOW)
        await wait_for(pilot, lambda: "1 paper added" in toasts(app), "the quiet note")
        assert f"({before + 1} papers in the index)" in toasts(app)
        await wait_for(pilot, lambda: len(view.papers) == before + 1, "the view reloaded")
        assert any((p.path or "").endswith("bees.txt") for p in view.papers)
        await pilot.press("escape")

        await submit(pilot, "/mode extractive")
        exchange = await ask(pilot, "What cut the winter losses of bee colonies in Lapland?")
        assert "bees.txt" in paper_files(exchange)
        assert "shared honey cellars" in exchange.answer.answer


async def test_add_shows_progress_then_the_papers_are_answerable(make, gated, ollama, tmp_path):
    folder = tmp_path / "new"
    a_paper(folder, "lichen.txt", LICHEN)
    a_paper(folder, "bees.txt", BEES)
    app = make()
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        before = papers_in(app)
        gated.hold.set()
        await submit(pilot, f"/add {folder}")
        await wait_for(pilot, gated.waiting.is_set, "the add embedding", SLOW)
        bar = app.chat.query_one(AddProgress)
        await wait_for(pilot, lambda: "new: embedding 0/2 papers" in screen_text(app), "progress")
        # counted as papers are embedded: none is while the (one) batch waits
        assert bar.stage == ("embedding", 0, 2)
        await submit(pilot, f"/add {folder}")  # one at a time
        assert "Still adding new: wait for it to finish." in screen_text(app)
        assert app.is_running and app.chat.prompt.has_focus  # the UI is not blocked
        gated.gate.set()

        await wait_for(pilot, lambda: not app.chat.query(AddProgress), "the add done", SLOW)
        await wait_for(pilot, lambda: papers_in(app) == before + 2, "the new size")
        assert flat(f"Added {folder}: 2 files: 2 added") in flat(screen_text(app))
        await wait_for(pilot, lambda: "2 papers added" in toasts(app), "the note")

        await submit(pilot, "/mode extractive")
        exchange = await ask(pilot, "What happened to lichen pastures of reindeer herders?")
        assert "lichen.txt" in paper_files(exchange)


async def test_add_refuses_in_one_sentence(make, ollama, tmp_path, settings):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    app = make()
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        before = papers_in(app)
        chat = app.chat

        await submit(pilot, "/add")
        assert "Usage: /add PATH" in toasts(app)
        await submit(pilot, f"/add {tmp_path / 'nowhere.pdf'}")
        assert f"No such file or folder: {tmp_path / 'nowhere.pdf'}." in toasts(app)

        await submit(pilot, f"/add {broken}")
        await wait_for(pilot, lambda: "Nothing was added: could not read" in toasts(app), "bad")
        assert "broken PDF" in toasts(app)

        # Another writer holds the index: /add waits a little, then says who and why.
        with write_lock(Index(settings.home).dir, what="assistant ingest --watch papers"):
            await submit(pilot, f"/add {a_paper(tmp_path / 'x', 'bees.txt', BEES)}")
            await wait_for(pilot, lambda: not chat.query(AddProgress), "the refusal", SLOW)
        said = toasts(app)
        assert "is being written by process pid" in said
        assert "`assistant ingest --watch papers`" in said and "Nothing was added" in said
        assert papers_in(app) == before and "Traceback" not in screen_text(app)
        assert app.is_running


async def test_add_on_a_read_only_home_says_so(seeded_home, make, ollama, tmp_path, monkeypatch):
    mounted = tmp_path / "mnt"
    mounted.mkdir()
    if subprocess.run(["mount", "--bind", str(seeded_home), str(mounted)]).returncode:
        pytest.skip("bind mounts are not allowed here")
    try:
        assert not subprocess.run(["mount", "-o", "remount,ro,bind", str(mounted)]).returncode
        monkeypatch.setenv("ASSISTANT_HOME", str(mounted))
        app = make()
        async with app.run_test(size=(120, 36)) as pilot:
            await started(pilot)
            await submit(pilot, f"/add {a_paper(tmp_path / 'x', 'bees.txt', BEES)}")
            await wait_for(pilot, lambda: "Nothing was added" in toasts(app), "the refusal", SLOW)
            assert "the file system is read-only" in toasts(app)
            assert "Traceback" not in screen_text(app) and app.is_running
    finally:
        while not subprocess.run(["umount", "-l", str(mounted)], capture_output=True).returncode:
            pass


async def test_quitting_during_an_add_stops_it_and_loses_nothing(make, gated, ollama, tmp_path):
    path = a_paper(tmp_path / "new", "lichen.txt", LICHEN)
    app = make()
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        before = papers_in(app)
        gated.hold.set()
        await submit(pilot, f"/add {path}")
        await wait_for(pilot, gated.waiting.is_set, "the add embedding", SLOW)
        home = Path(os.environ["ASSISTANT_HOME"])
        published = Index(home).version()
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running, "the chat closed")
    gated.gate.set()  # the add's thread goes on to its next step, and stops there
    with write_lock(Index(home).dir, wait=SLOW):  # the add let go of the index
        pass
    assert Index(home).version() == published  # stopped before it published
    ingest_elsewhere(path)  # the next ingest finishes what was cut, and tidies up
    index = Index(home)
    reader = index.reader()
    assert reader is not None and reader.record_count == before + 1
    assert not index.status().problems
    index.close()


async def test_add_during_an_answer_leaves_the_answer_its_generation(make, ollama, tmp_path):
    ollama.delay_between_tokens = 0.05
    ollama.default_reply = " ".join(["Peer support offers hope [1]."] * 40)
    path = a_paper(tmp_path / "new", "bees.txt", BEES)
    app = make()
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        chat, before = app.chat, papers_in(app)
        await submit(pilot, "What do service users value in peer support?")
        await wait_for(pilot, lambda: chat.job is not None and chat.job_view.partial, "stream")
        await submit(pilot, f"/add {path}")
        await wait_for(pilot, lambda: "Added " in toasts(app), "the add", SLOW)
        assert chat.job is not None, "the answer should still be streaming"
        assert papers_in(app) == before  # nothing switches under an answer

        await wait_for(pilot, lambda: chat.job is None, "the answer", SLOW)
        first = chat.conversation.exchanges[-1]
        assert not first.answer.error and first.answer.sources
        assert "bees.txt" not in paper_files(first)
        await wait_for(pilot, lambda: papers_in(app) == before + 1, "the switch after it")

        await submit(pilot, "/mode extractive")
        second = await ask(pilot, "What cut the winter losses of bee colonies in Lapland?")
        assert "bees.txt" in paper_files(second)


async def test_a_watcher_and_the_chat_add_take_turns(make, gated, ollama, tmp_path):
    watched = tmp_path / "watched"
    watched.mkdir()
    watcher = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", "--watch", str(watched), "--json"],
        cwd=REPO,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    passes: queue.Queue[str] = queue.Queue()
    notes: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [passes.put(x) for x in watcher.stdout], daemon=True).start()
    threading.Thread(target=lambda: [notes.put(x) for x in watcher.stderr], daemon=True).start()
    try:
        passes.get(timeout=SLOW)  # the watcher's first pass is done
        app = make()
        async with app.run_test(size=(120, 36)) as pilot:
            await started(pilot)
            before = papers_in(app)
            gated.hold.set()
            await submit(pilot, f"/add {a_paper(tmp_path / 'mine', 'lichen.txt', LICHEN)}")
            await wait_for(pilot, gated.waiting.is_set, "the chat's add writing", SLOW)

            a_paper(watched, "bees.txt", BEES)  # the watcher's turn comes while we write
            waiting = ""
            while "Waiting." not in waiting:
                waiting = notes.get(timeout=SLOW)
            assert "is being written by process pid" in waiting

            gated.gate.set()
            passes.get(timeout=SLOW)  # the watcher's pass ran once the lock was free
            await wait_for(pilot, lambda: papers_in(app) == before + 2, "both papers", SLOW)
            assert "Added " in toasts(app)
    finally:
        watcher.terminate()
        watcher.wait(timeout=SLOW)
    index = Index(Path(os.environ["ASSISTANT_HOME"]))
    reader = index.reader()
    assert reader is not None
    names = {Path(m.path or "").name for _, _, m in reader.catalog.rows()}
    assert {"bees.txt", "lichen.txt"} <= names
    index.close()
