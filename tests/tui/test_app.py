"""The app opens at once, loads the index in the background and shows its state."""

from __future__ import annotations

import re

from assistant.tui.chat_screen import ChatScreen
from assistant.tui.help_screen import HelpScreen
from assistant.tui.widgets.history_input import HistoryInput
from assistant.tui.widgets.status_bar import StatusBar
from tests.tui.conftest import ready, screen_text, submit, wait_for


async def test_opens_with_input_focused_and_then_shows_index_and_ollama(make, ollama):
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        bar = app.chat.query_one(StatusBar)
        if not app.index_text:  # the index opens in a worker: the first frame says so
            assert "index: loading…" in str(bar.render_bar())
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert isinstance(app.focused, HistoryInput)
        assert "Ask a question about the corpus" in screen_text(app)
        await ready(pilot)
        await wait_for(pilot, lambda: "Ollama 0.12.0" in screen_text(app), "status bar")
        bar = str(bar.render_bar())
        assert "model llama3.2" in bar
        assert re.search(r"index: \d+ papers · \d+ chunks", bar)
        assert "k=5 · auto" in bar
        assert not app.chat.query_one("#banner").has_class("shown")


async def test_f1_opens_help_with_every_command_and_escape_closes_it(make):
    from assistant.tui.commands import COMMANDS, KEYS, display_key

    app = make()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help screen")
        await pilot.pause()
        assert "Keys" in screen_text(app)
        text = "\n".join(
            str(w.render()) for w in app.screen.query("#help-body Static")
        )  # scrolls at this size
        for command in COMMANDS:
            assert f"/{command.name}" in text
        for key in KEYS:
            assert display_key(key.key) in text and key.help in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "back to chat")


async def test_ctrl_q_quits_after_the_index_build_it_interrupted(make):
    app = make()
    async with app.run_test() as pilot:
        loading = app.index_loading
        await pilot.press("ctrl+q")
        if loading and app.is_running:  # Python would wait for the build: the app says so
            assert any("Finishing the index build" in n.message for n in app._notifications)
        await wait_for(pilot, lambda: not app.is_running, "exit")
    assert app.return_code == 0


async def test_quit_command(make):
    app = make()
    async with app.run_test() as pilot:
        await ready(pilot)
        await submit(pilot, "/quit")
        await wait_for(pilot, lambda: not app.is_running, "exit")
    assert app.return_code == 0


async def test_engine_failures_become_one_sentence_not_a_crash(settings):
    from assistant.errors import StoreError
    from assistant.tui.app import make_app

    class BrokenEngine:
        def index_size(self):
            raise StoreError("The index is locked by another process.")

        def stream(self, *args, **kwargs):
            raise RuntimeError("boom")
            yield  # a generator, like the real one

    app = make_app(settings, engine=BrokenEngine())  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.index_error, "the index error")
        await pilot.pause()
        banner = app.chat.query_one("#banner")
        assert banner.has_class("shown")
        assert "The index could not be loaded: The index is locked" in str(banner.render())
        await submit(pilot, "Anything?")
        await wait_for(
            pilot,
            lambda: app.chat.conversation.exchanges and app.chat.job is None,
            "the failed answer",
        )
        answer = app.chat.conversation.exchanges[-1].answer
        assert answer.error == "Internal error while answering (RuntimeError: boom)."
        assert "✗ Internal error while answering" in screen_text(app)
        assert app.is_running


def test_the_readme_chat_section_lists_every_command_and_key_name():
    from pathlib import Path

    from assistant.tui.commands import COMMANDS, key_ids

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    chat = readme[readme.index("## The chat") : readme.index("## Batches")]
    for command in COMMANDS:
        assert f"`/{command.name}" in chat, command.name
    for name in key_ids():
        assert f"`{name}`" in chat, name
