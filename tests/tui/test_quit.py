"""Issue 12 item 3: quitting mid-answer keeps the question and the partial answer."""

from __future__ import annotations

from assistant.conversations import load
from assistant.tui.widgets.exchange import ExchangeView
from tests.tui.conftest import ready, submit, wait_for
from tests.tui.scripted_engine import PacedEngine, scripted_app

WORDS = "Peers give hope [1]. " + " ".join(f"w{i}" for i in range(400))


async def test_ctrl_q_mid_answer_saves_it_marked_incomplete(ollama, settings):
    app = scripted_app(PacedEngine(WORDS, delay=0.02))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await submit(pilot, "What do peers give?")
        view = app.chat.query_one(ExchangeView)
        await wait_for(pilot, lambda: "w5" in view.partial, "part of the answer")
        conversation_id = app.chat.conversation.id
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running, "exit")
    saved = load(settings.chats_dir, conversation_id)
    exchange = saved.exchanges[-1]
    assert exchange.question == "What do peers give?"
    assert exchange.cancelled and not exchange.answer.complete
    assert exchange.answer.answer.startswith("Peers give hope [1]. w0 w1")
    assert "w399" not in exchange.answer.answer
    assert exchange.answer.citations == [1] and exchange.answer.sources


async def test_quit_command_mid_answer_saves_it_too(ollama, settings):
    app = scripted_app(PacedEngine(WORDS, delay=0.02))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await submit(pilot, "What do peers give?")
        view = app.chat.query_one(ExchangeView)
        await wait_for(pilot, lambda: "w3" in view.partial, "part of the answer")
        conversation_id = app.chat.conversation.id
        await submit(pilot, "/quit")
        await wait_for(pilot, lambda: not app.is_running, "exit")
    exchange = load(settings.chats_dir, conversation_id).exchanges[-1]
    assert exchange.question == "What do peers give?" and not exchange.answer.complete
