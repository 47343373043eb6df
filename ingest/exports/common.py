"""Helpers every export parser shares: text preparation, field hygiene, the final record."""

from __future__ import annotations

import re
import unicodedata

from ingest.clean import clean_text
from ingest.families.common import find_doi, normalize_pages
from ingest.language import detect_language
from ingest.records import dedupe_authors
from vocab.record import Record

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
# A publisher's copyright notice closing an abstract ("© 2020 Elsevier Ltd. All rights
# reserved.", "Copyright © 2019 John Wiley & Sons", "(C) 2020 The Authors."). It starts a
# sentence and runs to the end; a "©" in the middle of a sentence is left alone.
_COPYRIGHT = re.compile(
    r"(?:^|(?<=[.!?\]\)])\s+)(?:copyright\s*)?(?:©|\(c\)|copyright\b)\s*(?:\d{4}\b|[A-Z]).*$",
    re.IGNORECASE | re.DOTALL,
)
# Declared languages, as exports name them (ISO 639-2, English names) -> ISO 639-1.
_LANGUAGES = {
    code: iso
    for iso, names in {
        "en": "eng english", "fr": "fre fra french", "de": "ger deu german",
        "es": "spa spanish", "pt": "por portuguese", "it": "ita italian",
        "nl": "dut nld dutch", "no": "nor nob nno norwegian", "sv": "swe swedish",
        "da": "dan danish", "fi": "fin finnish", "is": "ice isl icelandic",
        "zh": "chi zho chinese", "ja": "jpn japanese", "ko": "kor korean",
        "ru": "rus russian", "pl": "pol polish", "tr": "tur turkish", "ar": "ara arabic",
    }.items()
    for code in [iso, *names.split()]
}  # fmt: skip
_NO_ABSTRACT = re.compile(r"^\[?\s*no abstract(?: available)?\.?\s*\]?$", re.IGNORECASE)


def prepare(text: str) -> str:
    """Export text without a byte-order mark, with LF line ends and NFC characters."""
    text = text.lstrip("\ufeff")
    text = re.sub(r"\r\n?|[\u2028\u2029]", "\n", text)
    return unicodedata.normalize("NFC", text)


# Inline markup databases put in titles and abstracts: Scopus's <inf>/<sup>, the <i>,
# <sub>, <sup>, <scp> of Crossref metadata that Zotero passes on.
_INLINE_TAG = re.compile(r"</?(?:inf|sup|sub|i|b|em|strong|scp|span)(?:\s[^<>]*)?>", re.IGNORECASE)


def tidy(value: object) -> str:
    """One field value as clean single-spaced text ('' for None), inline markup removed."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text:
        text = _INLINE_TAG.sub("", text)
    return re.sub(r"\s+", " ", clean_text(text)).strip()


def tidy_list(value: object) -> list[str]:
    """A repeatable field (one value or a list of them) as clean, non-empty strings."""
    values = value if isinstance(value, list) else [value] if value else []
    return [tidy(v) for v in values if tidy(v)]


def first_year(*values: object) -> int | None:
    """The first plausible year found in ``values`` (None when none has one)."""
    for value in values:
        match = _YEAR.search(tidy(value))
        if match:
            return int(match.group(1))
    return None


def abstract_text(value: object) -> str:
    """An abstract without a closing copyright notice or a 'No abstract available' stub."""
    text = tidy(value)
    if _NO_ABSTRACT.match(text):
        return ""
    text = _COPYRIGHT.sub("", text).strip()
    return "" if _NO_ABSTRACT.match(text) else text


def declared_language(value: object) -> str | None:
    """ISO 639-1 code of a declared language ('eng', 'English', 'en-GB'); None if unknown."""
    first = re.split(r"[;,/]", tidy(value).casefold())[0].strip()
    return _LANGUAGES.get(first) or _LANGUAGES.get(first.split("-")[0].split("_")[0])


def volume_issue(volume: object, issue: object) -> str | None:
    """'29' and '2' -> '29 (2)', the project's volume form; either part may be missing."""
    vol, num = tidy(volume), tidy(issue)
    if vol and num:
        return f"{vol} ({num})"
    return vol or (f"({num})" if num else None)


def page_range(start: object, end: object = None) -> str | None:
    """'336' and '347' -> '336-347'; a range already in ``start`` is kept."""
    first, last = tidy(start), tidy(end)
    if first and last and last != first and not re.search(r"[-–—]", first):
        return normalize_pages(f"{first}-{last}")
    return normalize_pages(first or last) if (first or last) else None


def clean_doi(*values: object) -> str | None:
    """The first DOI in ``values`` (bare, without resolver prefix)."""
    for value in values:
        doi = find_doi(tidy(value))
        if doi:
            return doi
    return None


def split_keywords(values: list[str], separators: str = ";") -> list[str]:
    """Keywords one per item, split on ``separators``, first spelling kept."""
    out: dict[str, str] = {}
    for value in values:
        for part in re.split(f"[{re.escape(separators)}]", tidy(value)):
            part = part.strip(" .")
            if part:
                out.setdefault(part.casefold(), part)
    return list(out.values())


def finish(
    display: str,
    *,
    title: str | None,
    authors: list[str],
    year: int | None,
    online_year: int | None = None,
    venue: str | None = None,
    volume: str | None = None,
    pages: str | None = None,
    doi: str | None = None,
    abstract: str = "",
    keywords: list[str] | None = None,
    language: str | None = None,
) -> Record | None:
    """The export record for one entry; None when it has neither title nor abstract."""
    title = tidy(title) or None
    if not title and not abstract:
        return None
    names = dedupe_authors([tidy(a).strip(" ,;") for a in authors if tidy(a).strip(" ,;")])
    return Record(
        title=title,
        authors=tuple(names),
        year=year,
        venue=tidy(venue) or None,
        volume=volume,
        pages=pages,
        doi=doi,
        # The abstract's own language when it can tell (a Norwegian paper may have an English
        # abstract); else what the export declares. A title alone is too short to guess from.
        language=(detect_language(abstract) if abstract else None) or language,
        abstract=abstract,
        keywords=tuple(keywords or ()),
        path=display,
        kind="export",
        origins=[display],
        online_year=online_year if online_year and online_year != year else None,
    )
