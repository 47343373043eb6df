"""The Markdown widget for model answers (imported only once there is an answer to show:
Markdown and its syntax highlighting cost ~90 ms of start-up)."""

from __future__ import annotations

from textual.widgets import Markdown

from assistant.textsafe import plain
from assistant.tui.widgets.safe import safe_line


class SafeMarkdown(Markdown):
    """Markdown for model answers: links are shown, never opened, and never act on the app.

    Textual's Markdown does not read Rich markup, but it turns links into click targets; the
    click is caught here and the address is only shown.
    """

    def __init__(self, markdown: str = "", **kwargs: object) -> None:
        super().__init__(plain(markdown), open_links=False, **kwargs)  # type: ignore[arg-type]

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Show the link's address instead of opening it."""
        event.stop()
        event.prevent_default()
        self.notify(f"Link not opened: {safe_line(event.href)}", markup=False)
