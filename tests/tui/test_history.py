"""Up/Down walk the input history; the draft being typed comes back."""

from __future__ import annotations

from assistant.tui.widgets.history_input import HistoryInput, InputHistory
from tests.tui.conftest import submit


def test_input_history_walks_back_and_forth_and_keeps_the_draft():
    history = InputHistory(["one", "two", "two", "three"])
    assert history.entries == ["one", "two", "three"]
    assert history.next() is None
    assert history.previous("draft") == "three"
    assert history.previous("three") == "two"
    assert history.previous("two") == "one"
    assert history.previous("one") is None
    assert history.next() == "two"
    assert history.next() == "three"
    assert history.next() == "draft"
    assert history.next() is None
    history.add("  four ")
    assert history.entries[-1] == "four" and history.previous("") == "four"


async def test_up_and_down_in_the_question_box(make):
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        box = app.chat.query_one(HistoryInput)
        for command in ("/k 3", "/mode extractive", "/k 4"):
            await submit(pilot, command)
        await pilot.pause()
        box.focus()
        await pilot.press(*"half typed")
        await pilot.press("up")
        assert box.value == "/k 4" and box.cursor_position == len("/k 4")
        await pilot.press("up", "up")
        assert box.value == "/k 3"
        await pilot.press("up")
        assert box.value == "/k 3"
        await pilot.press("down")
        assert box.value == "/mode extractive"
        await pilot.press("down", "down")
        assert box.value == "half typed"
        await pilot.press("enter")
        await pilot.press("up")
        assert box.value == "half typed"


async def test_history_starts_with_the_resumed_conversations_questions(make, settings):
    from assistant.answering.answer import Answer
    from assistant.conversations import Conversation, Exchange, save

    conv = Conversation(
        exchanges=[
            Exchange("first question", Answer("first question", "A [1].", "extractive", None, [])),
            Exchange("second question", Answer("second question", "B.", "extractive", None, [])),
        ]
    )
    save(conv, settings.chats_dir)
    app = make(resume=conv.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("up")
        assert app.chat.query_one(HistoryInput).value == "second question"
