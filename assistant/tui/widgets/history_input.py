"""The question box: a multi-line prompt that remembers what was sent (Up/Down walk it).

Enter sends; Shift+Enter (or Ctrl+J / Alt+Enter, for terminals that cannot tell Shift+Enter
from Enter) starts a new line; a pasted block keeps all its lines.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = ("shift+enter", "ctrl+j", "alt+enter")
"""Keys that insert a line break instead of sending."""


class InputHistory:
    """Entries oldest first, a cursor into them, and the unsent draft to come back to."""

    def __init__(self, entries: list[str] | None = None, limit: int = 500) -> None:
        self.entries: list[str] = []
        self.limit = limit
        self.position = 0
        self.draft = ""
        for entry in entries or []:
            self.add(entry)

    def add(self, text: str) -> None:
        """Remember a sent line (not twice in a row) and go back to a fresh draft."""
        text = text.strip()
        if text and (not self.entries or self.entries[-1] != text):
            self.entries.append(text)
            del self.entries[: -self.limit]
        self.position = len(self.entries)
        self.draft = ""

    def previous(self, current: str) -> str | None:
        """The entry before the cursor (``None`` at the oldest)."""
        if self.position == 0:
            return None
        if self.position == len(self.entries):
            self.draft = current
        self.position -= 1
        return self.entries[self.position]

    def next(self) -> str | None:
        """The entry after the cursor, then the draft (``None`` when already there)."""
        if self.position >= len(self.entries):
            return None
        self.position += 1
        return self.draft if self.position == len(self.entries) else self.entries[self.position]


class HistoryInput(TextArea):
    """Multi-line question box with a history of sent questions and commands."""

    DEFAULT_CSS = """
    HistoryInput { height: auto; max-height: 8; min-height: 3; }
    """
    BINDINGS = [
        Binding("up", "history_previous", "Previous", show=False),
        Binding("down", "history_next", "Next", show=False),
    ]

    class Submitted(Message):
        """Enter was pressed: ``value`` is what the box held."""

        def __init__(self, box: HistoryInput, value: str) -> None:
            super().__init__()
            self.box = box
            """The box it came from."""
            self.value = value
            """The text sent (may span lines)."""

    def __init__(
        self, history: list[str] | None = None, placeholder: str = "", **kwargs: object
    ) -> None:
        super().__init__(
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
            placeholder=placeholder,
            **kwargs,  # type: ignore[arg-type]
        )
        self.sent = InputHistory(history)
        self.completer: Callable[[str], str | None] | None = None
        """Tab completes the line with it (``/add`` paths) when it has a completion; else
        Tab moves the focus as usual."""

    @property
    def value(self) -> str:
        """The text in the box."""
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)

    @property
    def cursor_position(self) -> int:
        """The cursor as an offset into :attr:`value`."""
        row, col = self.cursor_location
        lines = self.text.split("\n")
        return sum(len(line) + 1 for line in lines[:row]) + col

    def remember(self, text: str) -> None:
        """Add a sent question to the history."""
        self.sent.add(text)

    def submit(self) -> None:
        """Send what the box holds and empty it at once.

        Emptied here, not when the screen gets round to the message: keys typed right after
        Enter (a fast typist, a terminal delivering a burst) belong to the next line and
        must neither be lost nor glued to this one.
        """
        text = self.text
        self.load_text("")
        self.post_message(self.Submitted(self, text))

    def put_back(self, text: str) -> None:
        """Return refused text to the box, before anything typed since."""
        rest = self.text
        self.value = f"{text}\n{rest}" if rest.strip() else text

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.submit()
            return
        if event.key == "tab" and self.completer is not None:
            completed = self.completer(self.text)
            if completed is not None:
                event.stop()
                event.prevent_default()
                self.value = completed
                return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)

    def _show(self, text: str | None) -> None:
        if text is not None:
            self.value = text

    def action_history_previous(self) -> None:
        """Up: the previous entry (on the first line; elsewhere the cursor moves up)."""
        if self.cursor_location[0] > 0:
            self.action_cursor_up()
        else:
            self._show(self.sent.previous(self.value))

    def action_history_next(self) -> None:
        """Down: the next entry, then the draft (on the last line; else the cursor moves)."""
        if self.cursor_location[0] < self.document.line_count - 1:
            self.action_cursor_down()
        else:
            self._show(self.sent.next())
