"""Showing untrusted text: corpus passages, file names and model output are data.

Everything shown goes through :func:`assistant.textsafe.plain` (no terminal escapes) and is
wrapped in :class:`~textual.content.Content` built *without* markup, so ``[/]``,
``[link=…]`` or ``[@click=…]`` in a document are shown as typed and never act.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Markdown

from assistant.textsafe import plain


def safe(text: str | None, style: str = "") -> Content:
    """Untrusted ``text`` as literal content (escapes stripped, no markup)."""
    content = Content(plain(text or ""))
    return content.stylize(style) if style else content


def safe_line(text: str | None) -> str:
    """Untrusted ``text`` on one line (for labels and notifications with ``markup=False``)."""
    return " ".join(plain(text or "").split())


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
