"""``/tab [N|new|close|next]``: the tabs (see :mod:`assistant.tui.tabs`) by command."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.tui.host import ChatView


class TabCommands:
    """``cmd_tab``, mixed into the slash commands."""

    screen: ChatView

    def cmd_tab(self, arg: str) -> None:
        """``/tab N`` goes to tab N, ``/tab new`` opens one, ``/tab close`` closes this one;
        ``/tab`` alone: the next."""
        app = self.screen.research_app
        word = arg.lower()
        if word in ("", "next"):
            app.next_tab()
        elif word == "new":
            app.open_tab()
        elif word == "close":
            app.close_tab()
        elif not (word.isdigit() and app.go_to_tab(int(word))):
            self.screen.note("Usage: /tab [N|new|close|next].", error=True)
