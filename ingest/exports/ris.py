"""RIS exports (Zotero, EndNote, Mendeley, most databases), read with ``rispy``.

The flavours differ in which tag holds what: the title is ``TI`` or ``T1``; the journal
``T2`` (Zotero, EndNote), ``JF``/``JO`` (Mendeley, older EndNote) or only ``JA``/``J2``
(abbreviations); the abstract ``AB`` or ``N2``; the year ``PY``, ``Y1`` or only ``DA``;
EndNote writes a whole page range into ``SP``. ``Y2`` is Zotero's access date and never
a publication year. A ``DA`` date whose year differs from ``PY`` is the online-first date.
"""

from __future__ import annotations

import re

import rispy

from ingest.exports.common import (
    abstract_text,
    clean_doi,
    declared_language,
    finish,
    first_year,
    page_range,
    split_keywords,
    tidy,
    tidy_list,
    volume_issue,
)
from vocab.record import Record


def _one(entry: dict, key: str) -> str:
    """A single-valued field (rispy gives a list when a tag repeats)."""
    value = entry.get(key)
    if isinstance(value, list):
        value = value[0] if value else ""
    return tidy(value)


def _many(entry: dict, key: str) -> list[str]:
    return tidy_list(entry.get(key))


def _record(entry: dict, display: str) -> Record | None:
    year = first_year(_one(entry, "year"), _one(entry, "publication_year"), _one(entry, "date"))
    dated = first_year(_one(entry, "date"), _one(entry, "publication_year"))
    venue = next(
        (
            _one(entry, key)
            for key in (
                "secondary_title",
                "alternate_title3",  # JF: full journal name
                "journal_name",  # JO
                "alternate_title2",  # JA
                "alternate_title1",  # J2
                "publisher",  # PB: a book's or report's only venue
            )
            if _one(entry, key)
        ),
        None,
    )
    abstracts = [_one(entry, "abstract"), _one(entry, "notes_abstract")]
    urls = _many(entry, "urls")
    return finish(
        display,
        # ST (short title) is the only title some entries have.
        title=_one(entry, "title") or _one(entry, "primary_title") or _one(entry, "short_title"),
        authors=_many(entry, "authors") or _many(entry, "first_authors"),
        year=year,
        online_year=dated,
        venue=venue,
        volume=volume_issue(_one(entry, "volume"), _one(entry, "number")),
        pages=page_range(_one(entry, "start_page"), _one(entry, "end_page")),
        doi=clean_doi(_one(entry, "doi"), *[u for u in urls if "doi.org/" in u]),
        abstract=abstract_text(max(abstracts, key=len)),
        keywords=split_keywords(_many(entry, "keywords")),
        language=declared_language(_one(entry, "language")),
    )


# The standard tag is "XX  - "; some tools write one or three spaces, which rispy would read
# as continuation lines.
_LOOSE_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: |   )-(?= |$)", re.MULTILINE)


_TY_ER = re.compile(r"^(TY|ER)  -.*$", re.MULTILINE)


def _close_entries(text: str) -> str:
    """``text`` with an ``ER`` line before every ``TY`` that follows an unclosed entry."""
    out, pos, open_entry = [], 0, False
    for match in _TY_ER.finditer(text):
        if match.group(1) == "TY" and open_entry:
            out.append(text[pos : match.start()] + "ER  - \n")
            pos = match.start()
        open_entry = match.group(1) == "TY"
    out.append(text[pos:])
    if open_entry:
        out.append("\nER  - \n")
    return "".join(out)


def parse(text: str, display: str) -> list[Record]:
    """One record per ``TY``…``ER`` entry of a RIS export."""
    text = _LOOSE_TAG.sub(r"\1  -", text)
    # An entry not closed by ER (a file cut short, or a tool that writes no ER lines at
    # all) would run into the next one and be lost: close every entry before the next TY.
    text = _close_entries(text)
    entries = rispy.loads(text, skip_unknown_tags=True, enforce_list_tags=True)
    return [r for r in (_record(e, display) for e in entries) if r]
