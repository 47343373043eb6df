"""The question box: an Input that remembers what was typed (Up/Down walk the history)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


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


class HistoryInput(Input):
    """Single-line input with a history of sent questions and commands."""

    BINDINGS = [
        Binding("up", "history_previous", "Previous", show=False),
        Binding("down", "history_next", "Next", show=False),
    ]

    def __init__(self, history: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.history = InputHistory(history)

    def remember(self, text: str) -> None:
        """Add a sent line to the history."""
        self.history.add(text)

    def _show(self, text: str | None) -> None:
        if text is not None:
            self.value = text
            self.cursor_position = len(text)

    def action_history_previous(self) -> None:
        """Up: the previous entry."""
        self._show(self.history.previous(self.value))

    def action_history_next(self) -> None:
        """Down: the next entry, then back to what was being typed."""
        self._show(self.history.next())
