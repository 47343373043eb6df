"""What the main screens look like (SVG snapshots; update with ``--snapshot-update``).

The engine is scripted (fixed sources and answer) and timings are hidden, so the pictures
change only when the UI does. Ollama is the loopback fake, so the status bar says online.
"""

from __future__ import annotations

from assistant.config import load_settings
from assistant.tui.app import make_app
from assistant.tui.help_screen import HelpScreen
from assistant.tui.source_modal import SourceModal
from tests.tui.conftest import ready, submit, wait_for
from tests.tui.scripted_engine import ScriptedEngine

SIZE = (120, 36)


def scripted_app():
    app = make_app(load_settings(), engine=ScriptedEngine())  # type: ignore[arg-type]
    app.show_timings = False
    app.ollama_poll_seconds = 60.0  # one look is enough; no re-check mid-snapshot
    return app


async def answered(pilot) -> None:
    await ready(pilot)
    await submit(pilot, "What do service users value in peer support?")
    chat = pilot.app.chat
    await wait_for(pilot, lambda: chat.conversation.exchanges and chat.job is None, "the answer")
    await pilot.pause()


def test_start_screen(snap_compare, ollama):
    assert snap_compare(scripted_app(), terminal_size=SIZE, run_before=ready)


def test_answered_question(snap_compare, ollama):
    assert snap_compare(scripted_app(), terminal_size=SIZE, run_before=answered)


def test_help_screen(snap_compare, ollama):
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "help")

    assert snap_compare(scripted_app(), terminal_size=(120, 48), run_before=run_before)


def test_source_modal(snap_compare, ollama):
    async def run_before(pilot) -> None:
        await answered(pilot)
        await submit(pilot, "/source 2")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SourceModal), "modal")

    assert snap_compare(scripted_app(), terminal_size=SIZE, run_before=run_before)


def test_answered_question_at_80x24(snap_compare, ollama):
    """The footer keeps F1 Help; the answer and its status line are in view."""
    assert snap_compare(scripted_app(), terminal_size=(80, 24), run_before=answered)


def test_source_modal_at_80x24(snap_compare, ollama):
    """Metadata, the start of the passage and the close hint fit a small terminal."""

    async def run_before(pilot) -> None:
        await answered(pilot)
        await submit(pilot, "/source 2")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SourceModal), "modal")

    assert snap_compare(scripted_app(), terminal_size=(80, 24), run_before=run_before)
