"""The chat's theme: ``/theme [light|dark|NAME]`` and a key that swaps light and dark.

The choice is kept in ``ASSISTANT_HOME/chat.json`` (the chat's own preferences; the config
file is the user's to write) and comes back at the next start. ``NO_COLOR`` is honoured by
Textual itself: whatever the theme, the screen is drawn in shades of grey.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.files import atomic_write

if TYPE_CHECKING:
    from assistant.tui.host import ChatView

LIGHT, DARK = "textual-light", "textual-dark"
ALIASES = {"light": LIGHT, "dark": DARK}
PREFERENCES = "chat.json"


def saved_theme(home: Path) -> str | None:
    """The theme chosen last time, if any (a damaged file is ignored)."""
    try:
        data = json.loads((home / PREFERENCES).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if isinstance(theme, str) else None


def save_theme(home: Path, theme: str) -> None:
    """Remember ``theme`` for the next start."""
    path = home / PREFERENCES
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        data = {}
    data = data if isinstance(data, dict) else {}
    data["theme"] = theme
    atomic_write(path, json.dumps(data, indent=1) + "\n")


class Appearance:
    """``cmd_theme`` and the light/dark key, mixed into the slash commands."""

    screen: ChatView

    def cmd_theme(self, arg: str) -> None:
        """``/theme light|dark|NAME``; ``/theme`` alone names the current one and the others."""
        app = self.screen.app
        names = sorted(app.available_themes)
        if not arg:
            self.screen.note(
                f"Theme: {app.theme}. /theme light, /theme dark or one of: {', '.join(names)}."
            )
            return
        wanted = ALIASES.get(arg.lower(), arg.lower())
        if wanted not in app.available_themes:
            self.screen.note(
                f"No theme {arg}. Use light, dark or one of: {', '.join(names)}.", error=True
            )
            return
        self.use_theme(wanted)

    def toggle_theme(self) -> None:
        """Light if the theme is dark, dark if it is light."""
        self.use_theme(DARK if self.screen.app.current_theme.dark is False else LIGHT)

    def use_theme(self, theme: str) -> None:
        """Switch to ``theme`` and keep it for the next start."""
        self.screen.app.theme = theme
        try:
            save_theme(self.screen.settings.home, theme)
        except OSError as err:
            self.screen.note(f"Theme {theme}, for now only: cannot save it ({err}).", error=True)
            return
        self.screen.note(f"Theme {theme} (kept for the next start).")
