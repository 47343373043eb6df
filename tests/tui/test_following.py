"""Issue 12 items 1-2: a long streamed answer is followed; feedback is seen wherever one is."""

from __future__ import annotations

import queue

from textual import events

from assistant.answering.answer import Answer
from assistant.answering.events import Done, Retrieved, Token
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


LONGER = " ".join(f"Paragraph{i} says peers give hope [1].\n\n" for i in range(1, 31))


class GatedEngine(PacedEngine):
    """Streams a paragraph each time the test calls :meth:`release`; ends on :meth:`finish`."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: queue.Queue[str | None] = queue.Queue()

    def release(self, n: int) -> None:
        for _ in range(n):
            self.released = getattr(self, "released", 0) + 1
            self.pieces.put(f"Paragraph{self.released} says peers give hope [1].\n\n")

    def finish(self) -> None:
        self.pieces.put(None)

    def stream(self, question, history=(), options=None, cancel=None):
        yield Retrieved(list(self.sources), question)
        text = ""
        while (piece := self.pieces.get(timeout=30)) is not None:
            text += piece
            yield Token(piece)
        yield Done(Answer(question, text, "llm", "m", list(self.sources), citations=[1]))


async def test_page_down_back_to_the_bottom_follows_the_stream_again(ollama):
    engine = GatedEngine()
    app = scripted_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        chat, log = app.chat, app.chat.log_view
        await submit(pilot, "What do peers give?")
        engine.release(30)
        await wait_for(pilot, lambda: log.max_scroll_y > 30, "a long answer")
        await pilot.press("pageup", "pageup")
        assert log.scroll_y < log.max_scroll_y - 1
        # PageDown until the bottom, the answer growing while each page scrolls (a key does
        # not wait for the previous scroll to finish)
        for _ in range(8):
            grown = log.max_scroll_y
            app.post_message(events.Key("pagedown", None))
            engine.release(1)
            await wait_for(pilot, lambda g=grown: log.max_scroll_y > g, "more text")
        engine.release(3)
        engine.finish()
        await wait_for(pilot, lambda: chat.job is None and chat.conversation.exchanges, "the end")
        await pilot.pause()
        assert log.scroll_y >= log.max_scroll_y - 1
        assert f"Paragraph{engine.released}" in widget_text(app, log)


async def test_end_jumps_to_the_newest_text_and_a_marker_says_there_is_more(ollama):
    engine = PacedEngine(LONGER, delay=0.03)
    app = scripted_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        chat, log = app.chat, app.chat.log_view
        await submit(pilot, "What do peers give?")
        view = chat.query_one(ExchangeView)
        await wait_for(pilot, lambda: "Paragraph8" in view.partial, "some of the answer")
        await pilot.press("pageup")
        await wait_for(pilot, lambda: "Paragraph12" in view.partial, "more text below")
        await wait_for(pilot, lambda: "new text below" in screen_text(app), "the marker")
        await pilot.press("end")
        await wait_for(pilot, lambda: chat.job is None and view.answer is not None, "the end")
        await pilot.pause()
        assert log.scroll_y >= log.max_scroll_y - 1
        assert "new text below" not in screen_text(app)
