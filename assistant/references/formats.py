"""Sources as reference-manager files: BibTeX, RIS and CSL-JSON (what Zotero, EndNote and
Mendeley import)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from assistant.references.text import (
    Citable,
    TitleBook,
    display_title,
    name_parts,
    page_range,
    volume_issue,
)
from assistant.textsafe import plain
from vocab.names import ORGANISATION, surname

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
