"""The scrolling conversation, drawn newest first: a long conversation resumes at once.

Drawing an answer (Markdown, links, tables) is the slow part of a resume: 55 exchanges took
seconds before the question box appeared. Only the last :data:`FIRST` are drawn at once;
the earlier ones wait above behind a line saying how many there are, and are drawn a batch
at a time when the reader reaches the top (scrolling, PageUp or a click on the line).
They are not drawn in the background: drawing runs on the same loop as typing, and a
background batch would stall the keys of someone who only wants to ask the next question.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Static

if TYPE_CHECKING:
    from assistant.conversations import Exchange
    from assistant.tui.widgets.exchange import ExchangeView

FIRST = 4
"""Exchanges drawn when a conversation is shown (about two screens of answers)."""
BATCH = 8
"""Earlier exchanges drawn each time the reader reaches the top."""


class EarlierLine(Static):
    """``↑ 47 earlier exchanges: scroll up to show them`` (a click shows them too)."""

    def on_click(self, event: events.Click) -> None:
        event.stop()
        log = self.parent
        if isinstance(log, ConversationLog):
            self.run_worker(log.draw_earlier(), group="earlier", exclusive=True)


class ConversationLog(VerticalScroll):
    """The exchanges of one conversation, the newest drawn first and the rest on demand."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.exchanges: Sequence[Exchange] = ()
        self.show_timings = True
        self.undrawn = 0
        """How many of the first exchanges are not drawn yet."""
        self._drawing = False
        self.settling = False
        """Just drawn and not yet scrolled to its end: being at the top is no request for
        earlier exchanges (a redraw passes there on its way to the bottom)."""

    async def show(self, exchanges: Sequence[Exchange], show_timings: bool) -> ExchangeView:
        """Draw the last :data:`FIRST` of ``exchanges`` (there is at least one); returns the
        newest view."""
        self.exchanges, self.show_timings = exchanges, show_timings
        self.settling = True
        await self.remove_children()
        self.undrawn = max(0, len(exchanges) - FIRST)
        if self.undrawn:
            await self.mount(EarlierLine(self._earlier_text(), id="earlier", markup=False))
        views = await self._draw(self.undrawn, len(exchanges), before=None)
        return views[-1]

    def _earlier_text(self) -> str:
        n = self.undrawn
        noun = "exchange" if n == 1 else "exchanges"
        return f"↑ {n} earlier {noun}: scroll up (PageUp, or a click here) to show them"

    async def _draw(self, start: int, stop: int, before: object) -> list[ExchangeView]:
        from assistant.tui.widgets.exchange import ExchangeView

        views = [ExchangeView(self.exchanges[i].question, number=i + 1) for i in range(start, stop)]
        if before is None:
            await self.mount_all(views)
        else:
            await self.mount_all(views, before=before)  # type: ignore[arg-type]
        for view, exchange in zip(views, self.exchanges[start:stop], strict=True):
            await view.finish(exchange.answer, exchange.cancelled, self.show_timings)
        return views

    async def draw_earlier(self) -> int:
        """Draw the next batch of earlier exchanges above those shown, keeping the reader's
        place; returns how many were drawn."""
        if not self.undrawn or self._drawing:
            return 0
        self._drawing = True
        try:
            from assistant.tui.widgets.exchange import ExchangeView

            first = next(iter(self.query_children(ExchangeView)), None)
            start = max(0, self.undrawn - BATCH)
            for line in self.query_children(EarlierLine):
                line.update(f"↑ drawing {self.undrawn - start} earlier exchanges…")
            drawn = await self._draw(start, self.undrawn, before=first)
            self.undrawn = start
            lines = self.query_children(EarlierLine)
            if self.undrawn:
                lines.first().update(self._earlier_text())
            else:
                await lines.remove()
            if first is not None:
                # What the reader was looking at stays put; the new text is above it.
                self.call_after_refresh(self.scroll_to_widget, first, top=True, animate=False)
            return len(drawn)
        finally:
            self._drawing = False

    def settle(self) -> None:
        """Once the scroll to the end asked for after :meth:`show` is done, the top means
        the reader went there."""
        self.call_after_refresh(setattr, self, "settling", False)

    def at_top(self) -> bool:
        """Whether the reader is at the very top (where earlier exchanges would be)."""
        return self.scroll_y <= 0

    def reached_top(self, by_user: bool = True) -> None:
        """Draw earlier exchanges, if any wait, now that the reader is at the top
        (``by_user``: a key or the wheel, not a scroll position seen by a watcher)."""
        if self.settling and not by_user:
            return
        if self.undrawn and not self._drawing:
            self.run_worker(self.draw_earlier(), group="earlier", exclusive=True)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        # At the top already, the wheel moves nothing and no scroll watcher fires.
        if self.at_top():
            self.reached_top()
