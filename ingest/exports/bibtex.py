"""BibTeX and BibLaTeX files (Better BibTeX, JabRef, Google Scholar), via ``bibtexparser`` v2.

bibtexparser splits the file into entries, resolves ``@string`` macros and removes the
outer braces or quotes; its name splitter separates ``and``-joined authors while keeping
braced corporate names whole. Every value is then decoded from LaTeX to Unicode with
``pylatexenc`` (``Sch{\\"o}n`` -> Schön, ``\\&`` -> &, ``{{Protected}}`` -> Protected).
BibLaTeX spellings are read beside BibTeX ones (``journaltitle``/``journal``,
``date``/``year``, ``number``/``issue``); ``urldate`` is an access date and never a year.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

import bibtexparser
from bibtexparser.middlewares.names import split_multiple_persons_names
from bibtexparser.model import Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from ingest.exports.common import (
    abstract_text,
    clean_doi,
    declared_language,
    finish,
    first_year,
    page_range,
    split_keywords,
    tidy,
    volume_issue,
)
from vocab.record import ReadRecords, Record

log = logging.getLogger(__name__)

# Where each entry type keeps the name of the journal, book or institution it appeared in.
_VENUE_FIELDS = (
    "journaltitle",
    "journal",
    "booktitle",
    "maintitle",
    "eventtitle",
    "school",
    "institution",
    "organization",
    "series",
    "publisher",
    "howpublished",
)
_USED = {
    "title",
    "subtitle",
    "year",
    "date",
    "volume",
    "number",
    "issue",
    "pages",
    "doi",
    "abstract",
}
_USED |= {"keywords", "keyword", "langid", "language", *_VENUE_FIELDS}
# What needs the LaTeX parser: macros, math, ties, comments and "--" dashes. Braces alone
# only protect case ("{{Peer Support}}") and are simply dropped.
_MARKUP = re.compile(r"[\\$~%]|--")
_decoder: LatexNodes2Text | None = None
_TEXT_MACRO_VALUES = {"hyphen": "-", "slash": "/", "nbhyphen": "-"}
_TEXT_MACROS = re.compile(r"\\(hyphen|slash|nbhyphen)(?![A-Za-z])(?:\{\})?\s?")


@functools.lru_cache(maxsize=4096)  # journal names and publishers repeat across entries
def _latex(value: str) -> str:
    """Unicode text of a LaTeX value; the raw value when the decoder cannot read it."""
    if not _MARKUP.search(value):  # the LaTeX parser costs ~3 ms a value: only when needed
        return tidy(value.replace("{", "").replace("}", ""))
    # Text macros of babel/csquotes/biblatex that pylatexenc does not know (it drops them).
    value = _TEXT_MACROS.sub(lambda m: _TEXT_MACRO_VALUES[m.group(1)], value)
    global _decoder
    if _decoder is None:  # built on first use: loading its macro tables takes a moment
        _decoder = LatexNodes2Text(math_mode="text", keep_braced_groups=False)
    try:
        return tidy(_decoder.latex_to_text(value))
    except Exception:  # pylatexenc on malformed input; the raw text is better than nothing
        return tidy(value)


def _with_subtitle(title: str | None, subtitle: str | None) -> str | None:
    """BibLaTeX's ``title`` and ``subtitle`` as one title, joined as biblatex prints them."""
    if not (title and subtitle):
        return title or subtitle
    return f"{title} {subtitle}" if title.rstrip()[-1:] in ".:?!" else f"{title}: {subtitle}"


def _fields(entry: Entry) -> dict[str, str]:
    """Field name (lower case) -> raw value, first occurrence kept."""
    out: dict[str, str] = {}
    for field in entry.fields:
        out.setdefault(field.key.lower(), str(field.value))
    return out


def _record(entry: Entry, display: str) -> Record | None:
    raw = _fields(entry)
    get = {key: _latex(value) for key, value in raw.items() if key in _USED}
    names = raw.get("author") or raw.get("editor") or ""
    # Split before decoding: braces protect "{Barnes and Noble}" only in the LaTeX form.
    authors = [_latex(name) for name in split_multiple_persons_names(names)] if names else []
    authors = [a for a in authors if a.casefold() != "others"]
    year = first_year(get.get("year"), get.get("date"))
    venue = next((get[k] for k in _VENUE_FIELDS if get.get(k)), None)
    keywords = split_keywords([get.get("keywords", ""), get.get("keyword", "")], ",;")
    return finish(
        display,
        title=_with_subtitle(get.get("title"), get.get("subtitle")),
        authors=authors,
        year=year,
        online_year=first_year(get.get("date")),
        venue=venue,
        volume=volume_issue(get.get("volume"), get.get("number") or get.get("issue")),
        pages=page_range(get.get("pages")),
        doi=clean_doi(get.get("doi"), raw.get("doi")),
        abstract=abstract_text(get.get("abstract")),
        keywords=keywords,
        language=declared_language(get.get("langid") or get.get("language")),
    )


def _entries(text: str, unreadable: list[int]) -> list[Entry]:
    # bibtexparser logs every block it cannot split as a WARNING on stderr; the blocks are
    # handled here, and a user must never see a library's raw log lines.
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    library = bibtexparser.parse_string(text)
    entries = list(library.entries)
    for block in library.failed_blocks:
        # A repeated key or a repeated field still holds a usable entry; keep it.
        kept: Any = block.ignore_error_block if isinstance(block, ParsingFailedBlock) else None
        if isinstance(kept, Entry):
            for field in kept.fields:  # such blocks skip the middleware that unquotes values
                value = field.value
                if isinstance(value, str) and len(value) > 1 and value[0] + value[-1] == '""':
                    field.value = value[1:-1]
            entries.append(kept)
        else:
            log.info("skipped an unreadable BibTeX block at line %s", block.start_line)
            unreadable.append((block.start_line or 0) + 1)
    return sorted(entries, key=lambda e: e.start_line or 0)


def parse(text: str, display: str) -> list[Record]:
    """One record per ``@type{key, ...}`` entry of a BibTeX/BibLaTeX file; a block that
    cannot be read is passed over and noted (its line)."""
    unreadable: list[int] = []
    records = [r for r in (_record(e, display) for e in _entries(text, unreadable)) if r]
    notes = []
    if unreadable:
        lines = ", ".join(str(n) for n in unreadable[:5]) + (", …" if len(unreadable) > 5 else "")
        noun = "entry" if len(unreadable) == 1 else "entries"
        notes.append(f"{len(unreadable)} malformed BibTeX {noun} passed over (line {lines})")
    return ReadRecords(records, notes)
