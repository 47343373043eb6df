"""Issue 24: the chat's state (index, Ollama, options) is reactive state on the chat screen;
the status bar, the banner and the tab strip follow it without anyone refreshing them."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from assistant.tui.messages import IndexState, OllamaState
from assistant.tui.widgets.status_bar import StatusBar
from tests.tui.conftest import ready, submit, wait_for, widget_text
from tests.tui.scripted_engine import PacedEngine, scripted_app


def bar(chat) -> str:
    return str(chat.query_one(StatusBar).render_bar())


async def test_every_tab_follows_the_apps_index_and_ollama_state(ollama):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        first = app.chat
        await submit(pilot, "/tab new")
        await wait_for(pilot, lambda: app.chat is not first, "the second tab")
        second = app.chat
        await pilot.pause()
        assert "Ollama 0.12.0" in bar(first) and "Ollama 0.12.0" in bar(second)

        app.ollama = OllamaState(online=False, error="connection refused")
        await pilot.pause()
        for chat in (first, second):  # the tab in the background too
            assert "Ollama: offline" in bar(chat)
            assert chat.query_one("#banner").has_class("shown")
            assert "Ollama is offline" in str(chat.query_one("#banner").render())
        assert "Ollama is offline" in widget_text(app, second.query_one("#banner"))

        app.index = IndexState("index: unavailable", "The index is locked.")
        await pilot.pause()
        for chat in (first, second):
            assert "index: unavailable" in bar(chat)
            assert "The index could not be loaded: The index is locked." in str(
                chat.query_one("#banner").render()
            )
        app.index = IndexState("index: 3 papers · 9 chunks")
        app.ollama = OllamaState(online=True, version="0.12.0", models=["llama3.2:latest"])
        await pilot.pause()
        for chat in (first, second):
            assert "index: 3 papers · 9 chunks" in bar(chat)
            assert not chat.query_one("#banner").has_class("shown")
        assert "▸2" in str(second.query_one("#tabs").render())
        assert "▸2" in str(first.query_one("#tabs").render())


async def test_options_are_replaced_not_changed_and_each_tab_shows_its_own(ollama):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        first = app.chat
        with pytest.raises(FrozenInstanceError):
            first.options.k = 9  # type: ignore[misc]
        await submit(pilot, "/tab new")
        await wait_for(pilot, lambda: app.chat is not first, "the second tab")
        second = app.chat
        second.options = second.options.but(k=7, model="mistral:7b")
        await pilot.pause()
        assert "k=7" in bar(second) and "model mistral:7b" in bar(second)
        assert "k=5" in bar(first) and "model llama3.2" in bar(first)
        # a model Ollama does not have: the banner of that tab says so, the other's does not
        assert second.query_one("#banner").has_class("shown")
        assert not first.query_one("#banner").has_class("shown")
        await submit(pilot, "/model llama3.2")
        await pilot.pause()
        assert not second.query_one("#banner").has_class("shown")
        assert "model llama3.2" in bar(second)


async def test_a_renamed_conversation_is_named_so_in_every_tabs_strip(ollama):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        first = app.chat
        await submit(pilot, "/tab new")
        await wait_for(pilot, lambda: app.chat is not first, "the second tab")
        await submit(pilot, "/rename Reading list")
        await pilot.pause()
        for chat in app.chats:
            assert "▸2 Reading list" in str(chat.query_one("#tabs").render())
