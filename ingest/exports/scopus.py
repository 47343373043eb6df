"""Scopus CSV exports, read with the standard ``csv`` module (quoted fields span lines).

Columns used: ``Title``, ``Author full names`` ("Family, Given (id); ...", else
``Authors``), ``Year``, ``Source title``, ``Volume``/``Issue``, ``Page start``/``Page end``
(else ``Art. No.``), ``DOI``, ``Abstract`` (its closing "© 2020 Elsevier ..." notice
removed; "[No abstract available]" means none) and ``Author Keywords`` (else ``Index
Keywords``). ``References`` holds the cited works: their DOIs are never this record's.
"""

from __future__ import annotations

import csv
import io
import re

from ingest.errors import SkipFile
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
from vocab.record import Record

_REQUIRED = {"title"}
_ANY_OF = {"authors", "author full names", "source title", "doi", "eid"}
_AUTHOR_ID = re.compile(r"\s*\(\d+\)\s*$")
_INITIALS_SEP = re.compile(r"(?<=\.),\s*")
# The short form is always "Family Initials." ("Delphin-Rittmon M.E.", "Di Girolamo S.").
_SHORT_NAME = re.compile(r"^(.*?\S)\s+((?:[A-Z][a-z]?\.-?\s*)+)$")


def headers_look_like_scopus(first_line: str) -> bool:
    """True when a CSV header row has Scopus's columns (Title plus Authors/Source title/DOI)."""
    try:
        names = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        return False
    keys = {tidy(n).casefold() for n in names}
    return _REQUIRED <= keys and len(_ANY_OF & keys) >= 2


def _authors(row: dict[str, str]) -> list[str]:
    full = tidy(row.get("author full names"))
    if full:
        return [_AUTHOR_ID.sub("", name) for name in full.split(";")]
    short = tidy(row.get("authors"))
    if not short or short.casefold().startswith("[no author"):
        return []
    # Newer exports separate names with ';', older ones with ',' after the initials.
    names = short.split(";") if ";" in short else _INITIALS_SEP.split(short)
    return [tidy(name) if "," in name else _SHORT_NAME.sub(r"\1, \2", tidy(name)) for name in names]


def _record(row: dict[str, str], display: str) -> Record | None:
    def get(name: str) -> str:
        return tidy(row.get(name))

    keywords = get("author keywords") or get("index keywords")
    return finish(
        display,
        title=get("title"),
        authors=_authors(row),
        year=first_year(get("year")),
        venue=get("source title"),
        volume=volume_issue(get("volume"), get("issue")),
        pages=page_range(get("page start"), get("page end")) or (get("art. no.") or None),
        doi=clean_doi(get("doi")),
        abstract=abstract_text(get("abstract")),
        keywords=split_keywords([keywords]),
        language=declared_language(get("language of original document")),
    )


def parse(text: str, display: str) -> list[Record]:
    """One record per data row of a Scopus CSV export."""
    # A cited-references cell can outgrow csv's default 128 KiB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 24))
    out = []
    try:
        for row in csv.DictReader(io.StringIO(text)):
            keyed = {tidy(k).casefold(): v for k, v in row.items() if isinstance(k, str)}
            record = _record(keyed, display)
            if record:
                out.append(record)
    except csv.Error as err:
        raise SkipFile(f"broken CSV ({err})") from None
    return out
