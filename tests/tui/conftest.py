"""Fixtures and helpers for the chat UI's Pilot and snapshot tests.

Waits are bounded loops on a condition (never fixed sleeps, never timing assertions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fakes.ollama_server import FakeOllama

WAIT = 15.0  # seconds a condition may take before the test fails (a bound, not a measure)


async def wait_for(
    pilot, condition: Callable[[], object], what: str = "condition", timeout: float = WAIT
) -> None:
    """Let the app run until ``condition()`` is true (fails after ``timeout`` seconds)."""
    steps = int(timeout / 0.02)
    for _ in range(steps):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def screen_text(app) -> str:
    """What the active screen shows, as plain lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)


def widget_text(app, widget) -> str:
    """What the screen shows inside ``widget``'s region (its visible part), as lines."""
    region = widget.region
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    return "\n".join(
        "".join(seg.text for seg in strip.crop(region.x, region.right)).rstrip() for strip in strips
    )


def flat(text: str) -> str:
    """``text`` with all whitespace runs (incl. line wraps and box borders) squeezed out."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "│▊▎")


async def ready(pilot) -> None:
    """Wait until the index is loaded and Ollama has been looked at once."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: app.index_text and app.ollama.online is not None,
        "the index and the first Ollama check",
    )


async def submit(pilot, text: str) -> None:
    """Type ``text`` into the question box (set at once: fast) and press Enter."""
    from assistant.tui.widgets.history_input import HistoryInput

    box = pilot.app.chat.query_one(HistoryInput)
    box.focus()
    box.value = text
    await pilot.press("enter")


def shown(chat) -> bool:
    """Whether every exchange on screen has its final answer drawn."""
    from assistant.tui.widgets.exchange import ExchangeView

    return all(view.answer is not None for view in chat.query(ExchangeView))


async def ask(pilot, question: str) -> object:
    """Ask ``question`` and wait for its answer; returns the saved exchange."""
    chat = pilot.app.chat
    before = len(chat.conversation.exchanges)
    await submit(pilot, question)
    await wait_for(
        pilot,
        lambda: len(chat.conversation.exchanges) > before and chat.job is None and shown(chat),
        f"the answer to {question!r}",
    )
    await pilot.pause()
    return chat.conversation.exchanges[-1]


@pytest.fixture(scope="session")
def shared_embedder() -> object:
    """One real MiniLM embedder for the whole session (loading it is the slow part)."""
    from assistant.config import Settings
    from assistant.runtime import make_embedder
    from tests.conftest import model_dir

    return make_embedder(Settings(embed_model_dir=model_dir()))


@pytest.fixture
def make(
    seeded_home: Path, shared_embedder: object, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., object]]:
    """``make(resume=None)``: the chat app for this test's environment (short Ollama polls)."""
    import assistant.runtime
    from assistant.config import load_settings
    from assistant.tui.app import make_app

    monkeypatch.setattr(assistant.runtime, "make_embedder", lambda settings: shared_embedder)

    def factory(resume: str | None = None, poll: float = 1.0):
        app = make_app(load_settings(), resume=resume)
        app.ollama_poll_seconds = poll
        return app

    yield factory


def serve_fake_on(port: int) -> FakeOllama:
    """A FakeOllama on a given loopback port (to make a server appear where none was)."""
    return FakeOllama(port=port).start()


class RecordingOpener:
    """Stands in for the app's opener: records what would be opened, launches nothing
    (``fail``: raise the opener's failure with this sentence instead)."""

    def __init__(self, fail: str = "") -> None:
        self.opened: list[object] = []
        self.fail = fail

    def open(self, launch: object) -> None:
        from assistant.tui.opener import OpenFailed

        self.opened.append(launch)
        if self.fail:
            raise OpenFailed(self.fail)
