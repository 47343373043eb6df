"""Web of Science tagged plain text (``FN``/``VR`` header, ``PT``…``ER`` records), via rispy.

rispy's ``WokParser`` reads the two-letter tags and three-space continuation lines. Used:
``TI``, ``AF`` (full names; else ``AU``), ``PY`` (issue year, preferred) and ``EA``/``EY``
(early access: the online-first year), ``SO`` (set in capitals by WoS, so title-cased),
``VL``/``IS``/``BP``/``EP``/``AR``, ``DI``, ``AB``, ``DE`` keywords (else ``ID``). ``CR``
lists the works the paper cites: the DOIs there belong to those, never to this record.
"""

from __future__ import annotations

import rispy

from ingest.clean import smart_title_case
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
    value = entry.get(key)
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return tidy(value)


def _many(entry: dict, key: str) -> list[str]:
    return tidy_list(entry.get(key))


def _record(entry: dict, display: str) -> Record | None:
    online = first_year(_one(entry, "early_access_year"), _one(entry, "early_access_date"))
    year = first_year(_one(entry, "publication_year")) or online
    pages = page_range(_one(entry, "beginning_page"), _one(entry, "ending_page"))
    return finish(
        display,
        title=_one(entry, "document_title"),
        authors=_many(entry, "author_full_name") or _many(entry, "authors"),
        year=year,
        online_year=online,
        venue=smart_title_case(_one(entry, "publication_name")),
        volume=volume_issue(_one(entry, "volume"), _one(entry, "issue")),
        pages=pages or (_one(entry, "article_number") or None),
        doi=clean_doi(_one(entry, "doi")),
        abstract=abstract_text(_one(entry, "abstract")),
        # Keywords Plus are WoS's own (capitalised) index terms: only when authors gave none.
        keywords=split_keywords([_one(entry, "author_keywords") or _one(entry, "keywords_plus")]),
        language=declared_language(_one(entry, "language")),
    )


def parse(text: str, display: str) -> list[Record]:
    """One record per ``PT``…``ER`` entry of a Web of Science export."""
    entries = rispy.loads(text, implementation=rispy.WokParser, skip_unknown_tags=True)
    return [r for r in (_record(e, display) for e in entries) if r]
