"""Showing untrusted text: corpus passages, file names and model output are data.

Everything shown goes through :func:`assistant.textsafe.plain` (no terminal escapes) and is
wrapped in :class:`~textual.content.Content` built *without* markup, so ``[/]``,
``[link=…]`` or ``[@click=…]`` in a document are shown as typed and never act.
"""

from __future__ import annotations

from textual.content import Content

from assistant.textsafe import plain


def safe(text: str | None, style: str = "") -> Content:
    """Untrusted ``text`` as literal content (escapes stripped, no markup)."""
    content = Content(plain(text or ""))
    return content.stylize(style) if style else content


def safe_line(text: str | None) -> str:
    """Untrusted ``text`` on one line (for labels and notifications with ``markup=False``)."""
    return " ".join(plain(text or "").split())
