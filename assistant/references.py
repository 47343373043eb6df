"""Every way a source is written out: short and full references, Markdown, CSV cells,
BibTeX, RIS, CSL-JSON, and APA / Vancouver citation strings — one home, so the CLI, batch
files, the chat and exports name a paper the same way (text passes :func:`plain` on the way
out). An untitled record is named by the opening words of its text; a :class:`TitleBook`
keeps the first such name per record, so every later mention uses the same one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from assistant.textsafe import plain
from vocab.names import ORGANISATION, surname  # noqa: F401  (surname: also this module's API)


class Citable(Protocol):
    """What a reference needs to know about a source (read-only)."""

    @property
    def n(self) -> int: ...

    @property
    def title(self) -> str | None: ...

    @property
    def authors(self) -> Sequence[str]: ...

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


def _end(text: str) -> str:
    text = text.strip()
    return text if text.rstrip('”’"').endswith((".", "?", "!", "…")) else text + "."


# -- citation strings ------------------------------------------------------------------
def apa(source: Citable, titles: TitleBook | None = None) -> str:
    """An APA 7 reference: ``Strand, M., & Gammon, D. (2018). Title. Venue, 23(2), 45–67.
    https://doi.org/…``"""
    names = []
    for author in source.authors:
        family, given = name_parts(author)
        names.append(f"{family}, {initials(given)}" if given else family)
    if len(names) > 20:
        names = names[:19] + ["…", names[-1]]
    if len(names) > 1:
        who = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        who = names[0] if names else ""
    when = f"({source.year or 'n.d.'})."
    title = _end(display_title(source, titles))
    head = f"{who} {when} {title}" if who else f"{title} {when}"
    volume, issue = volume_issue(source.volume)
    first, last = page_range(source.pages)
    where = source.venue or ""
    if volume:
        where += f", {volume}" + (f"({issue})" if issue else "")
    if first:
        where += f", {first}" + (f"–{last}" if last else "")
    line = head + (f" {_end(where)}" if where else "")
    if source.doi:
        line += f" https://doi.org/{source.doi}"
    return plain(" ".join(line.split()))


def vancouver(source: Citable, titles: TitleBook | None = None) -> str:
    """A Vancouver (ICMJE) reference: ``Strand M, Gammon D. Title. Venue. 2018;23(2):45-67.
    doi:…``"""
    names = []
    for author in source.authors[:6]:
        family, given = name_parts(author)
        names.append(f"{family} {initials(given, dots=False)}".strip())
    who = ", ".join(names) + (", et al." if len(source.authors) > 6 else ".") if names else ""
    parts = [who] if who else []
    parts.append(_end(display_title(source, titles)))
    if source.venue:
        parts.append(_end(source.venue))
    volume, issue = volume_issue(source.volume)
    first, last = page_range(source.pages)
    when = str(source.year or "")
    if volume:
        when += f";{volume}" + (f"({issue})" if issue else "")
    if first:
        when += f":{first}" + (f"-{last}" if last else "")
    if when:
        parts.append(when + ".")
    if source.doi:
        parts.append(f"doi:{source.doi}")
    return plain(" ".join(" ".join(parts).split()))


CITATION_STYLES = {"apa": apa, "vancouver": vancouver}
"""Ready citation strings by style name."""


# -- BibTeX ----------------------------------------------------------------------------
_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_STOP_WORDS = {"a", "an", "the", "on", "of", "in", "and", "for", "to"}


def one_line(text: str) -> str:
    """Plain text on one line, with any lone surrogate replaced (always writable as UTF-8)."""
    safe = plain(text).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return " ".join(safe.split())


def bibtex_escape(text: str) -> str:
    """``text`` safe inside a braced BibTeX field: specials escaped, whitespace collapsed."""
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in one_line(text))


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def bibtex_key(source: Citable, taken: set[str]) -> str:
    """``strand2018peer``: first author's surname, year, first title word; made unique."""
    who = _ascii_word(surname(source.authors[0])) if source.authors else ""
    words = [_ascii_word(w) for w in (source.title or "").split()]
    word = next((w for w in words if w and w not in _STOP_WORDS), "")
    base = f"{who or 'anon'}{source.year or 'nd'}{word}"
    key, suffix = base, ord("b")
    while key in taken:
        key, suffix = f"{base}{chr(suffix)}", suffix + 1
    taken.add(key)
    return key


def _bib_author(name: str) -> str:
    escaped = bibtex_escape(name)
    # "and" inside one name (or an organisation) would split it: protect it with braces.
    whole = re.search(r"\band\b", escaped, re.IGNORECASE) or ORGANISATION.search(name)
    return f"{{{escaped}}}" if whole else escaped


def bibtex_entry(source: Citable, key: str, titles: TitleBook | None = None) -> str:
    """One entry that reference managers import as it is: ``@article`` with a journal,
    ``@misc`` without; no ``year`` when it is unknown; an untitled record has no title (its
    opening words are a ``note``); the issue in ``number``, not inside ``volume``."""
    fields: list[tuple[str, str]] = []
    authors = [a for a in source.authors if a.strip()]
    if authors:
        fields.append(("author", " and ".join(_bib_author(a) for a in authors)))
    if source.title:
        fields.append(("title", bibtex_escape(source.title)))
    if source.venue:
        fields.append(("journal", bibtex_escape(source.venue)))
    volume, issue = volume_issue(source.volume)
    if volume:
        fields.append(("volume", bibtex_escape(volume)))
    if issue:
        fields.append(("number", bibtex_escape(issue)))
    first, last = page_range(source.pages)
    if first:
        fields.append(("pages", bibtex_escape(f"{first}--{last}" if last else first)))
    if source.year:
        fields.append(("year", str(int(source.year))))
    notes = []
    if not source.title:
        notes.append(f"Untitled; begins {display_title(source, titles)}")
    if source.page is not None:  # where the cited passage is, for a PDF
        notes.append(f"p. {source.page}")
    if notes:
        fields.append(("note", bibtex_escape("; ".join(notes))))
    if source.doi:
        # DOIs are verbatim fields in biblatex: drop what would break the entry, escape nothing.
        fields.append(("doi", re.sub(r"[\s{}\\]", "", plain(source.doi))))
    kind = "article" if source.venue else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def bibtex(sources: Iterable[Citable], titles: TitleBook | None = None) -> str:
    """BibTeX entries for ``sources``, with unique keys."""
    taken: set[str] = set()
    return "\n".join(bibtex_entry(s, bibtex_key(s, taken), titles) for s in sources)


# -- RIS and CSL-JSON (what Zotero, EndNote and Mendeley import) ---------------------------
def ris_entry(source: Citable, titles: TitleBook | None = None) -> str:
    """One RIS record (``TY  - JOUR`` with a journal, ``GEN`` without), ending ``ER  -``."""
    lines = [("TY", "JOUR" if source.venue else "GEN")]
    lines += [("AU", one_line(a)) for a in source.authors if a.strip()]
    if source.title:
        lines.append(("TI", one_line(source.title)))
    else:
        lines.append(("N1", one_line(f"Untitled; begins {display_title(source, titles)}")))
    if source.venue:
        lines.append(("T2", one_line(source.venue)))
    if source.year:
        lines.append(("PY", str(source.year)))
    volume, issue = volume_issue(source.volume)
    first, last = page_range(source.pages)
    lines += [(tag, one_line(v)) for tag, v in (("VL", volume), ("IS", issue)) if v]
    lines += [(tag, one_line(v)) for tag, v in (("SP", first), ("EP", last)) if v]
    if source.doi:
        lines += [("DO", one_line(source.doi)), ("UR", f"https://doi.org/{one_line(source.doi)}")]
    if source.page is not None:
        lines.append(("N1", f"p. {source.page}"))
    return "\n".join(f"{tag}  - {value}" for tag, value in lines) + "\nER  - \n"


def ris(sources: Iterable[Citable], titles: TitleBook | None = None) -> str:
    """RIS records for ``sources``."""
    return "\n".join(ris_entry(s, titles) for s in sources)


def csl_item(source: Citable, item_id: str, titles: TitleBook | None = None) -> dict[str, Any]:
    """One CSL-JSON item (the format of Zotero's and citeproc's JSON)."""
    item: dict[str, Any] = {"id": item_id, "type": "article-journal" if source.venue else "article"}
    if source.title:
        item["title"] = one_line(source.title)
    else:
        item["note"] = one_line(f"Untitled; begins {display_title(source, titles)}")
    authors = []
    for author in source.authors:
        family, given = name_parts(one_line(author))
        authors.append({"family": family, "given": given} if given else {"literal": family})
    if authors:
        item["author"] = authors
    if source.year:
        item["issued"] = {"date-parts": [[source.year]]}
    volume, issue = volume_issue(source.volume)
    first, last = page_range(source.pages)
    for name, value in (
        ("container-title", source.venue),
        ("volume", volume),
        ("issue", issue),
        ("page", f"{first}-{last}" if last else first),
        ("DOI", source.doi),
    ):
        if value:
            item[name] = one_line(value)
    return item


def csl_json(sources: Iterable[Citable], titles: TitleBook | None = None) -> list[dict[str, Any]]:
    """CSL-JSON items for ``sources`` (ids as BibTeX keys)."""
    taken: set[str] = set()
    return [csl_item(s, bibtex_key(s, taken), titles) for s in sources]
