"""Pick a saved conversation to resume (``/resume`` or F5)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.conversations import ConversationInfo
from assistant.tui.widgets.safe import safe_line


def describe(info: ConversationInfo) -> Content:
    """``2025-01-01 12:00  3 Q  What do service users value…``"""
    when = info.updated[:16].replace("T", " ")
    return Content.assemble(
        (when, "$text-muted"), f"  {info.exchanges:>2} Q  ", safe_line(info.title)
    )


class ResumePicker(ModalScreen[str | None]):
    """Dismisses with the chosen conversation id, or ``None`` on Escape."""

    CSS_PATH = "resume_picker.tcss"
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, conversations: list[ConversationInfo]) -> None:
        super().__init__()
        self.conversations = list(conversations)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                "Saved conversations, newest first (Enter: resume, Escape: close)",
                id="picker-title",
            )
            yield OptionList(*[Option(describe(c)) for c in self.conversations], id="conversations")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Resume the selected conversation."""
        event.stop()
        self.dismiss(self.conversations[event.option_index].id)

    def action_close(self) -> None:
        """Stay in the current conversation."""
        self.dismiss(None)
