"""A source named in text: short and full references, list lines, source-list labels,
and the parts every style is built from (names, initials, volume and issue, page range).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.textsafe import plain
from vocab.names import ORGANISATION, surname
from vocab.paper import CitedPaper, PaperMeta

UNTITLED = "(untitled abstract)"
"""How a list names a record whose file gives no title."""


Citable = CitedPaper
"""What a reference reads: a numbered source (any :class:`vocab.paper.CitedPaper`)."""


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


def short_ref(paper: PaperMeta) -> str:
    """``Strand et al. (2018)``: how the answer text can name a source."""
    return f"{short_authors(paper.authors)} ({paper.year or 'n.d.'})"


def list_ref(paper: PaperMeta, untitled: str | None = None) -> str:
    """A catalogue answer's line: every author, ``(year).``, the title (``untitled``, the
    record's pseudo-title, when it has none), the venue and the DOI, each only when stated.
    Every part is closed by a full stop, even after a quoted pseudo-title."""
    who = "; ".join(paper.authors) if paper.authors else "Anonymous"
    parts = [f"{who} ({paper.year or 'n.d.'}).", _close(paper.title or untitled or UNTITLED)]
    if paper.venue:
        parts.append(_close(paper.venue))
    if paper.doi:
        parts.append(f"https://doi.org/{paper.doi}")
    return " ".join(parts)


def _close(text: str) -> str:
    return text if text.rstrip()[-1:] in ".?!" else text + "."


def first_words(text: str, n: int = 12) -> str:
    """The opening words of a text, quoted: how an untitled abstract is named."""
    words = text.split()
    return "“" + " ".join(words[:n]) + ("…”" if len(words) > n else "”")


class TitleBook:
    """One pseudo-title per untitled record: the first one given is kept for all its
    passages (an export, a conversation, the chat's panels)."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def name(self, source: Citable) -> str:
        """The title, or the untitled record's one pseudo-title."""
        if source.title:
            return source.title
        key = getattr(source, "record_id", "") or first_words(source.text)
        return self._names.setdefault(key, first_words(source.text))


def display_title(source: Citable, titles: TitleBook | None = None) -> str:
    """The title, or for an untitled abstract its opening words in quotes."""
    return titles.name(source) if titles is not None else source.title or first_words(source.text)


def label(source: Citable, titles: TitleBook | None = None) -> str:
    """``[n] Strand et al. (2018) Title``: a line of a source list."""
    return f"[{source.n}] {short_ref(source)} {display_title(source, titles)}"


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


def full_ref(source: Citable, titles: TitleBook | None = None) -> str:
    """``[n] Author et al. (Year). Title. Venue, 12, 45–67. https://doi.org/...``"""
    parts = [f"[{source.n}] {short_ref(source)}", display_title(source, titles)]
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


# -- the parts of a reference ----------------------------------------------------------
_VOLUME_ISSUE = re.compile(r"^\s*([^\s(]+)\s*\(\s*([^)]+?)\s*\)\s*$")


def volume_issue(volume: str | None) -> tuple[str, str]:
    """``"23 (2)"`` -> ``("23", "2")``: pages store a volume with its issue in brackets."""
    if not volume:
        return "", ""
    match = _VOLUME_ISSUE.match(volume)
    return (match.group(1), match.group(2)) if match else (volume.strip(), "")


def page_range(pages: str | None) -> tuple[str, str]:
    """``"45-67"`` -> ``("45", "67")``; a single page or article number -> ``("e12", "")``."""
    if not pages:
        return "", ""
    first, _, last = re.sub(r"\s*[-–—]+\s*", "-", pages.strip()).partition("-")
    return first, last


def name_parts(name: str) -> tuple[str, str]:
    """(family, given) of an author as stored ("Strand, Monica" or "Monica Strand");
    an organisation is all family."""
    name = " ".join(name.split())
    if ORGANISATION.search(name):
        return name, ""
    family = surname(name)
    if "," in name:
        return family, name.split(",", 1)[1].strip()
    return family, name[: len(name) - len(family)].strip()


def initials(given: str, dots: bool = True) -> str:
    """``"Monica Anne"`` -> ``"M. A."`` (``"MA"`` without dots); hyphens kept."""
    out = []
    for part in given.replace(".", " ").split():
        pieces = [p[0].upper() for p in part.split("-") if p]
        out.append(("-" if dots else "").join(p + ("." if dots else "") for p in pieces))
    return (" " if dots else "").join(out)


def end_sentence(text: str) -> str:
    """``text`` closed by a full stop unless it already ends a sentence (a closing quote
    after the stop counts)."""
    text = text.strip()
    return text if text.rstrip('”’"').endswith((".", "?", "!", "…")) else text + "."
