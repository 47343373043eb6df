"""Érudit-style document records: one paper, French navigation, bilingual abstracts.

Layout::

    <TITLE, often in capitals>
    Fiche du document / Date / 2023 / Discipline / ...        navigation labels
    Ce document est lié à :
    <Venue> ; vol. 40 no. 1 (2023)
    Licence / All Rights Reserved © FirstLast, FirstLast and FirstLast, 2023
    Citer ce document
    <First author> et al., « <TITLE> », <Venue / Revue>, ID : <DOI>
    Résumé En Fr
    <abstract, one paragraph per language>
    document thumbnail / Par les mêmes auteurs / ...           boilerplate
"""

from __future__ import annotations

import re

from ingest.clean import is_boilerplate_line, smart_title_case
from ingest.families.common import (
    blocks,
    clean_author,
    find_doi,
    find_year,
    finish_abstract,
    normalize_pages,
    split_authors,
    split_glued_name,
)
from ingest.language import detect_language
from vocab.record import Record

_MARKERS = ("citer ce document", "fiche du document", "ce document est lié à")
_CITATION = re.compile(r"^(?P<authors>.*?)\s*,?\s*«\s*(?P<title>.+?)\s*»\s*,?\s*(?P<rest>.*)$")
_LICENCE = re.compile(r"©\s*(?P<names>.+?)(?:\s*,\s*(?P<year>\d{4}))?\s*\.?$")
_ORG = re.compile(
    r"univ|soci[ée]t|associa|press|\binc\b|\bltd\b|journal|revue|author|auteur|institut"
    r"|cent(?:re|er)|consortium|facult|school|école|ordre|department|ministère|éditions",
    re.I,
)
_MIN_ABSTRACT_WORDS = 20


def detect(lines: list[str]) -> bool:
    """Érudit's 'Citer ce document' / 'Fiche du document' / 'Ce document est lié à' labels."""
    keys = {line.strip().rstrip(" :").casefold() for line in lines}
    return any(marker in keys for marker in _MARKERS)


def _value_after(lines: list[str], label: str) -> str | None:
    """First non-blank line after a label line."""
    for i, line in enumerate(lines):
        if line.strip().rstrip(" :").casefold() == label:
            return next((nxt for nxt in lines[i + 1 :] if nxt.strip()), None)
    return None


def _venue(record: Record, line: str) -> None:
    """'Canadian Social Work Review ; vol. 40 no. 1 (2023)' -> venue, volume, year, pages."""
    parts = [p.strip() for p in line.split(";")]
    record.venue = parts[0] or None
    vol = re.search(r"\bvol\.?\s*([\w-]+)", line, re.I)
    issue = re.search(r"\b(?:no|n°|num[ée]ro)\.?\s*([\w-]+)", line, re.I)
    if vol:
        record.volume = vol.group(1) + (f" ({issue.group(1)})" if issue else "")
    pages = re.search(r"\bpp?\.\s*(\d+\s*[-–]\s*\d+)", line)
    record.pages = normalize_pages(pages.group(1)) if pages else None
    year = re.search(r"\((\d{4})\)", line)
    record.year = int(year.group(1)) if year else record.year


def _licence_authors(line: str) -> tuple[list[str], int | None]:
    """Person names from '© A, B and C, 2023' (glued 'FirstLast' split); [] for organisations."""
    match = _LICENCE.search(line)
    if not match or _ORG.search(match.group("names")):
        return [], None
    year = int(match.group("year")) if match.group("year") else None
    parts = re.split(r"\s*(?:,|&|\band\b|\bet\b)\s*", match.group("names"))
    names = [clean_author(split_glued_name(p)) for p in parts]
    if not all(n and 2 <= len(n.split()) <= 5 for n in names):
        return [], year
    return [n for n in names if n], year


def _abstracts(record: Record, lines: list[str], skip: set[str]) -> None:
    """Prose paragraphs grouped by language; the title's language (else the first) is primary."""
    by_lang: dict[str, list[str]] = {}
    last = "und"
    for block in blocks(lines):
        text = " ".join(ln for ln in block if ln not in skip and not is_boilerplate_line(ln))
        if len(text.split()) < _MIN_ABSTRACT_WORDS:
            continue
        # An undetectable paragraph continues the previous language.
        last = detect_language(text) or last
        by_lang.setdefault(last, []).append(finish_abstract(text))
    if not by_lang:
        return
    title_lang = detect_language(record.title or "")
    primary = title_lang if title_lang in by_lang else next(iter(by_lang))
    record.abstract = "\n\n".join(by_lang.pop(primary))
    record.language = None if primary == "und" else primary
    record.translations = {k: "\n\n".join(v) for k, v in by_lang.items() if k != "und"}


def parse(lines: list[str]) -> list[Record]:
    """The one paper of an Érudit record page."""
    record = Record()
    first = next((ln for ln in lines if ln.strip() and not is_boilerplate_line(ln)), None)
    citation_line = next((ln for ln in lines if _CITATION.match(ln)), None)
    citation = _CITATION.match(citation_line) if citation_line else None
    titles = [t for t in (citation and citation.group("title"), first) if t]
    # Prefer a mixed-case spelling of the title when the page offers one.
    if titles:
        record.title = smart_title_case(next((t for t in titles if t != t.upper()), titles[0]))
    record.year = find_year(_value_after(lines, "date") or "")
    relation = _value_after(lines, "ce document est lié à")
    if relation and not is_boilerplate_line(relation):
        _venue(record, relation)
    licence = next((ln for ln in lines if "©" in ln), "")
    authors, licence_year = _licence_authors(licence)
    record.authors = tuple(authors)
    if citation:
        record.authors = record.authors or tuple(split_authors(citation.group("authors")))
        venue = citation.group("rest").split(",")[0].split(" / ")[0].strip()
        record.venue = record.venue or venue or None
        record.doi = find_doi(citation.group("rest"))
    record.year = record.year or licence_year
    record.doi = record.doi or find_doi("\n".join(lines))
    skip = {ln.strip() for ln in (first, citation_line, licence) if ln}
    _abstracts(record, lines, skip)
    return [record]
