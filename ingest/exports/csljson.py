"""CSL-JSON (Zotero's "CSL JSON" export, Better CSL JSON, citeproc input).

Parsed with the standard library: the format is JSON with documented fields, so no parser
is needed, only care with its dates (``date-parts`` as numbers or strings, ``raw``, or
``literal``). ``issued`` is the publication (issue) date; ``available-date`` an online-first
date; ``accessed`` a visit date that is never the year.
"""

from __future__ import annotations

import json
import re
from typing import Any

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

_BIBLIO_KEYS = {"title", "author", "issued", "container-title", "DOI", "editor", "URL"}


def _year(date: Any) -> int | None:
    """Year of a CSL date object, whatever form it takes."""
    if not isinstance(date, dict):
        return first_year(date) if isinstance(date, (str, int)) else None
    parts = date.get("date-parts") or date.get("date_parts")  # Zotero writes the latter
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        year = first_year(parts[0][0])
        if year:
            return year
    return first_year(date.get("raw"), date.get("literal"), date.get("season"))


def _name(person: Any) -> str:
    """'Family, Given' as the export holds it; a literal (organisation) name as is."""
    if not isinstance(person, dict):
        return tidy(person) if isinstance(person, str) else ""
    family = " ".join(
        tidy(person.get(k)) for k in ("non-dropping-particle", "family") if person.get(k)
    )
    given = tidy(person.get("given"))
    if family:
        return f"{family}, {given}" if given else family
    return tidy(person.get("literal")) or given


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    if isinstance(value, list):  # some tools write lists where CSL has strings
        value = value[0] if value else ""
    return tidy(value) if isinstance(value, (str, int, float)) else ""


# Zotero keeps fields its item type lacks (a DOI for a book chapter) as "DOI: ..." lines
# in the note; its CSL-JSON writes them there.
_NOTE_DOI = re.compile(r"^\s*DOI:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def _raw_text(item: dict, key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _record(item: dict, display: str) -> Record | None:
    year = _year(item.get("issued"))
    online = _year(item.get("available-date"))
    people = item.get("author") or item.get("editor") or []
    keywords = item.get("keyword") or ""
    return finish(
        display,
        title=_text(item, "title"),
        authors=[_name(p) for p in people] if isinstance(people, list) else [],
        year=year or online,
        online_year=online,
        venue=_text(item, "container-title")
        or _text(item, "collection-title")
        or _text(item, "publisher"),
        volume=volume_issue(_text(item, "volume"), _text(item, "issue")),
        pages=page_range(_text(item, "page")),
        doi=clean_doi(_text(item, "DOI"), *_NOTE_DOI.findall(_raw_text(item, "note"))),
        abstract=abstract_text(_text(item, "abstract")),
        keywords=split_keywords(keywords if isinstance(keywords, list) else [keywords], ",;"),
        language=declared_language(_text(item, "language")),
    )


def items(text: str) -> list[dict] | None:
    """The CSL items in ``text``, or None when it is not CSL-JSON."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, dict):
        data = data.get("items", [data])  # a single item, or a wrapper some tools write
    if not isinstance(data, list) or not data:
        return None
    found = [x for x in data if isinstance(x, dict) and "type" in x and _BIBLIO_KEYS & x.keys()]
    return found if len(found) * 2 >= len(data) else None


def parse(text: str, display: str) -> list[Record]:
    """One record per CSL-JSON item."""
    found = items(text)
    if found is None:
        raise SkipFile("JSON that is not a CSL-JSON bibliography")
    return [r for r in (_record(item, display) for item in found) if r]
