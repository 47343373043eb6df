"""What the main screens look like (SVG snapshots; update with ``--snapshot-update``).

The engine is scripted (fixed sources and answer) and timings are hidden, so the pictures
change only when the UI does. Ollama is the loopback fake, so the status bar says online.

The question box's cursor blinks on a 0.5 s timer that starts when the box takes focus.
A picture is taken once the index has loaded in the background, which on a loaded machine
can take any number of half-seconds: the cursor was then drawn or not by chance, and the
start screen, help and source pictures failed now and then. ``steady`` stops the blinking
(the cursor stays drawn where focus is) before and after each test's own steps.
"""

from __future__ import annotations

from assistant.config import load_settings
from assistant.tui.app import make_app
from assistant.tui.help_screen import HelpScreen
from assistant.tui.source_modal import SourceModal
from tests.tui.conftest import ready, submit, wait_for
from tests.tui.scripted_engine import ScriptedEngine

SIZE = (120, 36)


def freeze_cursors(app) -> None:
    """Stop every text box's cursor blinking (shown while focused): no timer in the picture."""
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if hasattr(widget, "cursor_blink"):
                widget.cursor_blink = False


def steady(run_before):
    """``run_before`` with the cursors frozen, so the picture does not depend on timing."""

    async def run(pilot) -> None:
        freeze_cursors(pilot.app)
        await run_before(pilot)
        freeze_cursors(pilot.app)  # widgets mounted meanwhile (a modal's own)
        await pilot.pause()

    return run


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
    assert snap_compare(scripted_app(), terminal_size=SIZE, run_before=steady(ready))


def test_answered_question(snap_compare, ollama):
    assert snap_compare(scripted_app(), terminal_size=SIZE, run_before=steady(answered))


def test_help_screen(snap_compare, ollama, monkeypatch):
    async def run_before(pilot) -> None:
        await ready(pilot)
        # The help names the config file: a fixed path, so the drawing does not depend on
        # the length of the test's temporary folder (it wraps differently).
        monkeypatch.setenv("ASSISTANT_CONFIG", "/home/me/.config/research-assistant.toml")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "help")

    assert snap_compare(scripted_app(), terminal_size=(120, 48), run_before=steady(run_before))


def test_source_modal(snap_compare, ollama):
    async def run_before(pilot) -> None:
        await answered(pilot)
        await submit(pilot, "/source 2")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SourceModal), "modal")

    assert snap_compare(scripted_app(), terminal_size=SIZE, run_before=steady(run_before))


def test_answered_question_at_80x24(snap_compare, ollama):
    """The footer keeps F1 Help; the answer and its status line are in view."""
    assert snap_compare(scripted_app(), terminal_size=(80, 24), run_before=steady(answered))


def test_source_modal_at_80x24(snap_compare, ollama):
    """Metadata, the start of the passage and the close hint fit a small terminal."""

    async def run_before(pilot) -> None:
        await answered(pilot)
        await submit(pilot, "/source 2")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SourceModal), "modal")

    assert snap_compare(scripted_app(), terminal_size=(80, 24), run_before=steady(run_before))
