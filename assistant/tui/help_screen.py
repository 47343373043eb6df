"""Every key and slash command (F1 or /help; Escape closes).

Keys and commands are laid out as two-column tables, so a description that wraps on a
small terminal continues under itself rather than under the keys.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.tui.commands import APP_KEYS, COMMANDS, FIXED_KEYS, KEYS, display_key


def _default_key(action: str) -> str:
    return next(k.key for k in KEYS + APP_KEYS if k.id == action)


def key_rows(key_for: Callable[[str], str] = _default_key) -> list[tuple[str, str]]:
    """(keys, what they do) for every key; ``key_for`` gives the key bound now (remapped)."""
    rows = [(display_key(key_for(k.id)), f"{k.help}  [{k.id}]") for k in KEYS + APP_KEYS]
    return rows + list(FIXED_KEYS)


def command_rows() -> list[tuple[str, str]]:
    """(usage, what it does) for every slash command."""
    return [(f"/{c.name} {c.args}".rstrip(), c.help) for c in COMMANDS]


def notes(config_path: str = "") -> list[str]:
    """The paragraphs under the tables."""
    where = config_path or "$ASSISTANT_HOME/config.toml (or the file ASSISTANT_CONFIG names)"
    return [
        "Anything else you type is a question; a line starting with // is sent as a question "
        "even though it starts with a slash. Follow-up questions are rewritten with the "
        "conversation so far before searching.",
        "Conversations are saved after every answer, with the model, k, mode, filters and "
        "answer settings in use; `assistant chat --resume` continues the latest and "
        "`assistant chat --resume ID` a given one (the resume picker, F5, shows the ids).",
        "Each answer keeps the options it was asked with (model, k, mode, filters, /system, "
        "/temperature, /length, /style): Ctrl+R asks again with those, not the current ones. "
        "A long conversation shows its newest answers first; scroll up (or PageUp) to the "
        "top and the earlier ones appear.",
        "Select text by dragging with the mouse, then Ctrl+C copies it (in the question box "
        "too); Ctrl+Y copies a whole answer with its references.",
        "The theme (/theme, F7) is kept in $ASSISTANT_HOME/chat.json; NO_COLOR=1 draws in "
        "grey. `assistant chat --web` serves this chat to a browser at http://127.0.0.1:8000 "
        "(this machine only unless --host says otherwise; there is no password).",
        f"Keys in [brackets] are the names to remap in the config file's [keymap] table, "
        f'e.g. copy = "ctrl+k". The config file: {where}.',
    ]


def _table(rows: list[tuple[str, str]]) -> Grid:
    cells = []
    for key, what in rows:
        cells += [Static(Content(key), classes="key"), Static(Content(what), classes="what")]
    return Grid(*cells, classes="help-table")


class HelpScreen(ModalScreen[None]):
    """Static help; closes with Escape, F1 or q."""

    CSS_PATH = "help_screen.tcss"
    BINDINGS = [
        Binding("escape,f1,q", "close", "Close"),
    ]

    def __init__(self, key_for: Callable[[str], str] = _default_key, config_path: str = "") -> None:
        super().__init__()
        self.key_for = key_for
        self.config_path = config_path

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content.styled("Research assistant — help", "bold"), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(Content.styled("Keys", "bold $text-accent"), classes="heading")
                yield _table(key_rows(self.key_for))
                yield Static(Content.styled("Commands", "bold $text-accent"), classes="heading")
                yield _table(command_rows())
                for paragraph in notes(self.config_path):
                    yield Static(Content(paragraph), classes="note")
            yield Static("↑ ↓ PgUp PgDn: scroll · Escape: close", id="help-hint")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        """Back to the conversation."""
        self.dismiss(None)
