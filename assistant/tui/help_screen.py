"""Every key and slash command (F1 or /help; Escape closes)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.tui.commands import APP_KEYS, COMMANDS, FIXED_KEYS, KEYS, display_key


def _default_key(action: str) -> str:
    return next(k.key for k in KEYS + APP_KEYS if k.id == action)


def help_content(key_for: Callable[[str], str] = _default_key) -> Content:
    """The help text, built from the tables the dispatcher and the bindings use.

    ``key_for`` gives the key bound to an action now, so a remapped key is listed as such.
    """
    keys = [(display_key(key_for(k.id)), f"{k.help}  [{k.id}]") for k in KEYS + APP_KEYS]
    keys += list(FIXED_KEYS)
    rows: list[Content] = [Content.styled("Keys", "bold $text-accent")]
    width = max(len(k) for k, _ in keys) + 2
    rows += [Content.assemble((key.ljust(width), "bold"), what) for key, what in keys]
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
            "conversation so far before searching. Conversations are saved after every answer, "
            "with the model, k, mode and filters in use. Keys in [brackets] are the names to "
            'remap in the config file\'s [keymap] table, e.g. copy = "ctrl+k".'
        ),
    ]
    return Content("\n").join(rows)


class HelpScreen(ModalScreen[None]):
    """Static help; closes with Escape, F1 or q."""

    CSS_PATH = "help_screen.tcss"
    BINDINGS = [
        Binding("escape,f1,q", "close", "Close"),
    ]

    def __init__(self, key_for: Callable[[str], str] = _default_key) -> None:
        super().__init__()
        self.key_for = key_for

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content.styled("Research assistant — help", "bold"), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(help_content(self.key_for), id="help-text")
            yield Static("Escape: close", id="help-hint")

    def action_close(self) -> None:
        """Back to the conversation."""
        self.dismiss(None)
