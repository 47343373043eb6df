"""Issue 12 items 1-2: a long streamed answer is followed; feedback is seen wherever one is."""

from __future__ import annotations

from assistant.tui.widgets.exchange import ExchangeView
from tests.tui.conftest import ready, screen_text, submit, wait_for, widget_text
from tests.tui.scripted_engine import PacedEngine, scripted_app

LONG = " ".join(f"Paragraph{i} says peers give hope [1].\n\n" for i in range(1, 26))


def at_bottom(log) -> bool:
    return log.scroll_y >= log.max_scroll_y - 1


async def test_a_long_answer_is_followed_until_the_user_scrolls_up(ollama):
    engine = PacedEngine(LONG, delay=0.02)
    app = scripted_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        chat = app.chat
        await submit(pilot, "What do peers give?")
        view = chat.query_one(ExchangeView)
        await wait_for(pilot, lambda: "Paragraph10" in view.partial, "half the answer")
        await pilot.pause()
        assert chat.log_view.max_scroll_y > 0 and at_bottom(chat.log_view)
        assert "Writing… (Escape cancels)" in widget_text(app, chat.log_view)
        await wait_for(pilot, lambda: chat.job is None and view.answer is not None, "the end")
        await pilot.pause()
        assert at_bottom(chat.log_view)
        assert "Paragraph25" in widget_text(app, chat.log_view)

        # scrolled up to read: the view stays put while the next answer streams
        await submit(pilot, "And again?")
        second = list(chat.query(ExchangeView))[-1]
        await wait_for(pilot, lambda: "Paragraph5" in second.partial, "the second answer")
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        held = chat.log_view.scroll_y
        await wait_for(pilot, lambda: "Paragraph18" in second.partial, "more text")
        await pilot.pause()
        assert chat.log_view.scroll_y == held and not at_bottom(chat.log_view)
        # back at the bottom: followed again
        chat.log_view.scroll_end(animate=False, immediate=True)
        await wait_for(pilot, lambda: chat.job is None and second.answer is not None, "the end")
        await pilot.pause()
        assert at_bottom(chat.log_view)
        assert "Paragraph25" in widget_text(app, chat.log_view)


async def test_command_feedback_is_seen_when_the_conversation_is_scrolled_up(ollama):
    app = scripted_app(PacedEngine(LONG))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        chat = app.chat
        await submit(pilot, "What do peers give?")
        await wait_for(pilot, lambda: chat.conversation.exchanges and chat.job is None, "answer")
        chat.log_view.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        await submit(pilot, "/k 3")
        await wait_for(
            pilot, lambda: "Answers will rest on up to 3" in screen_text(app), "the feedback"
        )
        await submit(pilot, "/year 2021-2018")
        await wait_for(pilot, lambda: "Usage: /year" in screen_text(app), "the refusal")
        assert chat.options.year is None  # a backwards range is refused, not kept
