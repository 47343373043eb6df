"""Issue 12 item 6: paste keeps every line, no key is dropped, the box is free at once."""

from __future__ import annotations

from textual import events

from assistant.tui.widgets.exchange import ExchangeView
from tests.tui.conftest import flat, ready, submit, wait_for, widget_text
from tests.tui.scripted_engine import PacedEngine, scripted_app


async def test_a_two_line_paste_is_asked_whole_and_shift_enter_adds_a_line(ollama):
    engine = PacedEngine()
    app = scripted_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        box = app.chat.prompt
        app.post_message(events.Paste("What do peers give?\nAnd to whom?"))  # as a terminal does
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: engine.questions, "the question")
        assert engine.questions[0] == "What do peers give?\nAnd to whom?"
        await wait_for(pilot, lambda: app.chat.job is None, "the answer")
        await pilot.press(*"one", "shift+enter", *"two")
        assert box.value == "one\ntwo"


async def test_no_typed_key_is_lost(ollama):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"early")  # before the index or Ollama answered
        box = app.chat.prompt
        assert box.value == "early"
        await ready(pilot)
        await pilot.press("f3", "f3", *"x")  # to the sources and back: the draft is kept
        assert box.value == "earlyx"
        await pilot.press("f3")
        assert app.chat.sources_panel.has_focus
        await pilot.press(*"yz")  # typed in the sources list: they go to the box
        assert box.has_focus and box.value == "earlyxyz"


async def test_the_next_question_is_taken_as_soon_as_an_answer_is_shown(ollama):
    long = "\n\n".join(
        f"Paragraph {i} with **bold** and a list:\n\n- a [1]\n- b [2]" for i in range(60)
    )
    engine = PacedEngine(long)
    app = scripted_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        chat = app.chat
        await submit(pilot, "First question?")
        await wait_for(pilot, lambda: chat.conversation.exchanges, "the first answer")
        await submit(pilot, "Second question?")
        await pilot.pause()
        assert "still being written" not in flat(widget_text(app, chat.log_view))
        await wait_for(pilot, lambda: len(engine.questions) == 2, "the second question asked")
        await wait_for(pilot, lambda: len(chat.conversation.exchanges) == 2, "its answer")
        assert [v.question for v in chat.query(ExchangeView)] == [
            "First question?",
            "Second question?",
        ]
