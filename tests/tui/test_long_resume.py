"""Issue 24 defect 9: a long conversation resumes as fast as a fresh start.

The newest exchanges are drawn (after the first paint, with the box already taking keys);
earlier ones are drawn a batch at a time when the reader reaches the top.
"""

from __future__ import annotations

from assistant.answering.answer import Answer
from assistant.config import load_settings
from assistant.conversations import Conversation, Exchange, save
from assistant.tui.app import make_app
from assistant.tui.widgets.conversation_log import BATCH, FIRST, EarlierLine
from assistant.tui.widgets.exchange import ExchangeView
from tests.tui.conftest import ready, wait_for
from tests.tui.scripted_engine import SOURCES, ScriptedEngine

LONG = 30


def long_conversation(settings, n: int = LONG) -> Conversation:
    conv = Conversation()
    for i in range(1, n + 1):
        text = f"Answer number {i} says peers give hope [1].\n\n- one\n- two\n- three"
        answer = Answer(f"Question {i}?", text, "llm", "m", list(SOURCES), citations=[1])
        conv.exchanges.append(Exchange(f"Question {i}?", answer))
    save(conv, settings.chats_dir)
    return conv


def numbers(app) -> list[int]:
    return [v.number for v in app.chat.query(ExchangeView)]


async def test_only_the_newest_exchanges_are_drawn_on_resume(ollama):
    settings = load_settings()
    conv = long_conversation(settings)
    app = make_app(settings, engine=ScriptedEngine(), resume=conv.id)  # type: ignore[arg-type]
    app.ollama_poll_seconds = 60.0
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: numbers(app) and not app.chat.undrawn, "the newest")
        assert numbers(app) == list(range(LONG - FIRST + 1, LONG + 1))
        assert app.chat.focused is app.chat.prompt
        line = app.chat.query_one(EarlierLine)
        assert f"{LONG - FIRST} earlier exchanges" in str(line.render())
        # The sources panel and the status bar speak of the last answer, as before.
        assert app.chat.sources_panel.number == LONG


async def test_reaching_the_top_draws_the_earlier_ones_in_batches(ollama):
    settings = load_settings()
    conv = long_conversation(settings)
    app = make_app(settings, engine=ScriptedEngine(), resume=conv.id)  # type: ignore[arg-type]
    app.ollama_poll_seconds = 60.0
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: numbers(app) and not app.chat.undrawn, "the newest")
        first_shown = numbers(app)[0]
        for _ in range(40):  # PageUp until the first batch arrives
            await pilot.press("pageup")
            await pilot.pause()
            if numbers(app)[0] < first_shown:
                break
        await wait_for(pilot, lambda: numbers(app)[0] == first_shown - BATCH, "a batch")
        # The reader's place is kept: the exchange that was first is still on screen.
        old_first = next(v for v in app.chat.query(ExchangeView) if v.number == first_shown)
        await wait_for(
            pilot,
            lambda: app.chat.log_view.scroll_offset.y <= old_first.virtual_region.y,
            "the place kept",
        )
        for _ in range(200):
            if numbers(app)[0] == 1:
                break
            await pilot.press("pageup")
            await pilot.pause()
        await wait_for(pilot, lambda: numbers(app)[0] == 1, "every exchange")
        assert numbers(app) == list(range(1, LONG + 1))
        assert not app.chat.query(EarlierLine)


async def test_a_question_asked_before_the_resume_is_drawn_comes_after_it(ollama):
    settings = load_settings()
    conv = long_conversation(settings, 6)
    app = make_app(settings, engine=ScriptedEngine(), resume=conv.id)  # type: ignore[arg-type]
    app.ollama_poll_seconds = 60.0
    async with app.run_test(size=(100, 30)) as pilot:
        # Typed at once: the answer must land after the conversation, not be wiped by it.
        await pilot.press(*"new one?", "enter")
        await ready(pilot)
        await wait_for(pilot, lambda: len(app.chat.conversation.exchanges) == 7, "the answer")
        await wait_for(pilot, lambda: app.chat.job is None, "the end of the answer")
        await pilot.pause()
        assert numbers(app)[-1] == 7
        assert app.chat.query(ExchangeView).last().question == "new one?"


async def test_a_regenerate_in_a_long_conversation_stays_at_the_newest(ollama):
    """A redraw passes the top on its way to the bottom: that draws nothing earlier."""
    settings = load_settings()
    conv = long_conversation(settings)
    app = make_app(settings, engine=ScriptedEngine(), resume=conv.id)  # type: ignore[arg-type]
    app.ollama_poll_seconds = 60.0
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: numbers(app) and not app.chat.undrawn, "the newest")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.chat.job is None and numbers(app)[-1] == LONG, "again")
        await wait_for(pilot, lambda: app.chat.query(ExchangeView).last().answer, "drawn")
        for _ in range(10):
            await pilot.pause(0.05)
        # The redraw drew the newest FIRST of the 29 left, then the new answer came.
        assert numbers(app) == list(range(LONG - FIRST, LONG + 1))
        assert app.chat.at_bottom()
