"""Every key and slash command (F1 or /help; Escape closes)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.tui.commands import COMMANDS, KEYS


def help_content() -> Content:
    """The help text, built from the same tables the dispatcher uses."""
    rows: list[Content] = [Content.styled("Keys", "bold $text-accent")]
    width = max(len(k) for k, _ in KEYS) + 2
    rows += [Content.assemble((key.ljust(width), "bold"), what) for key, what in KEYS]
    rows += [Content(""), Content.styled("Commands", "bold $text-accent")]
    usages = [f"/{c.name} {c.args}".rstrip() for c in COMMANDS]
    width = max(len(u) for u in usages) + 2
    rows += [
        Content.assemble((usage.ljust(width), "bold"), c.help)
        for usage, c in zip(usages, COMMANDS, strict=True)
    ]
    rows += [
        Content(""),
        Content(
            "Anything else you type is a question. Follow-up questions are rewritten with the "
            "conversation so far before searching. Conversations are saved after every answer."
        ),
    ]
    return Content("\n").join(rows)


class HelpScreen(ModalScreen[None]):
    """Static help; closes with Escape, F1 or q."""

    CSS_PATH = "help_screen.tcss"
    BINDINGS = [
        Binding("escape,f1,q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content.styled("Research assistant — help", "bold"), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(help_content(), id="help-text")
            yield Static("Escape: close", id="help-hint")

    def action_close(self) -> None:
        """Back to the conversation."""
        self.dismiss(None)
