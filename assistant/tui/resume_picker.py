"""Pick a saved conversation to resume, and rename, delete or search them (``/resume``, F5).

Typing filters the list (id, title or any question); Enter resumes; F2 renames the
highlighted conversation (type the title, Enter); Ctrl+D deletes it (pressed twice).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from assistant.conversations import (
    ConversationInfo,
    ConversationNotFound,
    delete,
    list_conversations,
    rename,
)
from assistant.tui.widgets.safe import safe_line

HINT = "Type: search · Enter: resume · F2: rename · Ctrl+D twice: delete · Escape: close"


def describe(info: ConversationInfo, current: bool = False) -> Content:
    """``● 2025-01-01 12:00  3 Q  Title   20250101-120000-3fa2``"""
    when = info.updated[:16].replace("T", " ")
    return Content.assemble(
        ("● " if current else "  ", "$text-accent"),
        (when, "$text-muted"),
        f"  {info.exchanges:>2} Q  ",
        safe_line(info.title),
        ("  " + info.id, "$text-muted"),
    )


class ResumePicker(ModalScreen[str | None]):
    """Dismisses with the chosen conversation id, or ``None`` on Escape."""

    CSS_PATH = "resume_picker.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f2", "rename", "Rename"),
        Binding("ctrl+d", "delete", "Delete", priority=True),  # not the search box's own
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, folder: Path, search: str = "", current: str = "") -> None:
        super().__init__()
        self.folder = folder
        self.current = current
        self.search = search
        self.conversations: list[ConversationInfo] = []
        self.renaming: str | None = None
        self.deleting: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Saved conversations, newest first", id="picker-title")
            yield Input(self.search, placeholder="search…", id="search")
            yield OptionList(id="conversations")
            yield Static(HINT, id="picker-hint")

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#search", Input).focus()

    @property
    def options(self) -> OptionList:
        """The list of conversations."""
        return self.query_one("#conversations", OptionList)

    def reload(self) -> None:
        """List the conversations matching the search box."""
        self.conversations = list_conversations(self.folder, self.search)
        self.options.clear_options()
        self.options.add_options(
            [Option(describe(c, c.id == self.current)) for c in self.conversations]
        )
        if self.conversations:
            self.options.highlighted = 0

    def highlighted(self) -> ConversationInfo | None:
        """The conversation under the cursor."""
        index = self.options.highlighted
        return self.conversations[index] if index is not None and self.conversations else None

    def say(self, text: str) -> None:
        """A line of feedback where the hint is."""
        self.query_one("#picker-hint", Static).update(Content(safe_line(text)))

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the user types (unless a new title is being typed)."""
        if self.renaming is None:
            self.search = event.value
            self.deleting = None
            self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: resume the highlighted conversation, or save the title being typed."""
        event.stop()
        if self.renaming is not None:
            conversation_id, self.renaming = self.renaming, None
            try:
                rename(self.folder, conversation_id, event.value)
            except ConversationNotFound as err:
                self.say(str(err))
            else:
                self.say(f"Renamed {conversation_id}. {HINT}")
            event.input.value = self.search  # back to the list as it was
            self.reload()
            return
        chosen = self.highlighted()
        if chosen is not None:
            self.dismiss(chosen.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Resume the clicked conversation."""
        event.stop()
        self.dismiss(self.conversations[event.option_index].id)

    def action_move(self, step: int) -> None:
        """Up/Down move through the list while the search box has focus."""
        if self.conversations:
            index = (self.options.highlighted or 0) + step
            self.options.highlighted = max(0, min(index, len(self.conversations) - 1))

    def action_rename(self) -> None:
        """F2: type a new title for the highlighted conversation."""
        chosen = self.highlighted()
        if chosen is None:
            return
        self.renaming = chosen.id
        box = self.query_one("#search", Input)
        box.value = chosen.title
        box.cursor_position = len(chosen.title)
        box.focus()
        self.say(f"New title for {chosen.id}, then Enter (empty: its first question).")

    def action_delete(self) -> None:
        """Ctrl+D: delete the highlighted conversation (asks for a second press)."""
        chosen = self.highlighted()
        if chosen is None:
            return
        if self.deleting != chosen.id:
            self.deleting = chosen.id
            self.say(f"Press Ctrl+D again to delete “{chosen.title}” ({chosen.id}).")
            return
        self.deleting = None
        try:
            delete(self.folder, chosen.id)
        except ConversationNotFound as err:
            self.say(str(err))
        else:
            self.say(f"Deleted {chosen.id}.")
        self.reload()

    def action_close(self) -> None:
        """Stay in the current conversation."""
        self.dismiss(None)
