"""The Markdown widget for model answers (imported only once there is an answer to show:
Markdown and its syntax highlighting cost ~90 ms of start-up)."""

from __future__ import annotations

import re

from textual.widgets import Markdown

from assistant.textsafe import plain
from assistant.tui.widgets.safe import safe_line

CITE_SCHEME = "cite:"
_CITATION = re.compile(r"(?<![\\\]])\[(\d{1,3})\](?!\()")


def link_citations(text: str) -> str:
    """``[2]`` -> a Markdown link ``[\\[2\\]](cite:2)`` that still reads ``[2]``."""
    return _CITATION.sub(lambda m: f"[\\[{m.group(1)}\\]]({CITE_SCHEME}{m.group(1)})", text)


class SafeMarkdown(Markdown):
    """Markdown for model answers: links are shown, never opened, and never act on the app.

    Textual's Markdown does not read Rich markup, but it turns links into click targets; the
    click is caught here: a citation link asks the screen to open that source, any other
    address is only shown.
    """

    def __init__(self, markdown: str = "", **kwargs: object) -> None:
        super().__init__(plain(markdown), open_links=False, **kwargs)  # type: ignore[arg-type]

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Open a cited source; show any other link's address instead of opening it."""
        event.stop()
        event.prevent_default()
        href = event.href
        if href.startswith(CITE_SCHEME) and href[len(CITE_SCHEME) :].isdigit():
            from assistant.tui.messages import CitationClicked

            self.post_message(CitationClicked(self, int(href[len(CITE_SCHEME) :])))
            return
        self.notify(f"Link not opened: {safe_line(href)}", markup=False)
