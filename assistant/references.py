"""Every way a source is written out: short reference, full reference, CSV cell.

One home for citation formatting, so the CLI, batch files, the chat and exports name a
paper the same way. All text passes through :func:`assistant.textsafe.plain` where it
leaves for a terminal or a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from assistant.textsafe import plain
from vocab.names import surname  # noqa: F401  (also this module's API)


class Citable(Protocol):
    """What a reference needs to know about a source (read-only)."""

    @property
    def n(self) -> int: ...

    @property
    def title(self) -> str | None: ...

    @property
    def authors(self) -> list[str]: ...

    @property
    def year(self) -> int | None: ...

    @property
    def venue(self) -> str | None: ...

    @property
    def doi(self) -> str | None: ...

    @property
    def path(self) -> str | None: ...

    @property
    def text(self) -> str: ...

    @property
    def volume(self) -> str | None: ...

    @property
    def pages(self) -> str | None: ...

    @property
    def page(self) -> int | None: ...


def short_authors(authors: Sequence[str]) -> str:
    """``Strand``, ``Strand & Gammon`` or ``Strand et al.``; ``Anonymous`` when unknown."""
    if not authors:
        return "Anonymous"
    first = surname(authors[0])
    if len(authors) == 1:
        return first
    if len(authors) == 2:
        return f"{first} & {surname(authors[1])}"
    return f"{first} et al."


def short_ref(source: Citable) -> str:
    """``Strand et al. (2018)``: how the answer text can name a source."""
    return f"{short_authors(source.authors)} ({source.year or 'n.d.'})"


def first_words(text: str, n: int = 12) -> str:
    """The opening words of a text, quoted: how an untitled abstract is named."""
    words = text.split()
    return "“" + " ".join(words[:n]) + ("…”" if len(words) > n else "”")


def display_title(source: Citable) -> str:
    """The title, or for an untitled abstract its opening words in quotes."""
    return source.title or first_words(source.text)


def locator(source: Citable) -> str:
    """``12(3), 45–67`` / ``p. 4``: volume, pages and the passage's page, where known."""
    parts = []
    if source.volume:
        parts.append(source.volume)
    if source.pages:
        parts.append(source.pages)
    where = ", ".join(parts)
    if source.page is not None:
        where = f"{where}; p. {source.page}" if where else f"p. {source.page}"
    return where


def full_ref(source: Citable) -> str:
    """``[n] Author et al. (Year). Title. Venue, 12, 45–67. https://doi.org/...``"""
    parts = [f"[{source.n}] {short_ref(source)}", display_title(source)]
    venue = ", ".join(p for p in (source.venue, locator(source)) if p)
    if venue:
        parts.append(venue)
    line = " ".join(p if p.rstrip('”’"').endswith((".", "?", "!", "…")) else p + "." for p in parts)
    if source.doi:
        line += f" https://doi.org/{source.doi}"
    elif source.path:
        line += f" [{source.path}]"
    return plain(line)


def cited_refs(sources: Iterable[Citable], citations: Iterable[int]) -> str:
    """``[1] Strand et al. (2018); [3] Lee (2020)``: the sources an answer cites."""
    by_n = {s.n: s for s in sources}
    return "; ".join(f"[{n}] {short_ref(by_n[n])}" for n in citations if n in by_n)
