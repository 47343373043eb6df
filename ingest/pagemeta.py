"""An article page's own description of its paper, from the ``<meta>`` tags in its head.

Publishers, repositories and journal systems (OJS, HighWire, PubMed Central, arXiv) mark
an article's landing page with Highwire Press ``citation_*`` tags, the ones Google Scholar
indexes and Zotero's "Embedded Metadata" translator reads; many also (or only) carry
Dublin Core ``DC.*`` / ``dc.*`` tags, and some PRISM ``prism.*`` ones. They name the page's
one paper with its metadata, so they are trusted over what the page's visible text
suggests. A page without a title tag (a listing, a blog post, a search result) is left to
the page families.
"""

from __future__ import annotations

import re

from ingest.families.common import find_doi, find_year, finish_abstract, normalize_pages
from ingest.html import html_to_text
from vocab.record import Record, identity_keys, normalize_key

# For each field, the tags that give it, most specific first.
TITLE = ("citation_title", "dc.title", "dcterms.title")
AUTHORS = ("citation_author", "dc.creator", "dcterms.creator")
DATE = (
    "citation_publication_date",
    "citation_date",
    "citation_year",
    "citation_cover_date",
    "prism.publicationdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "citation_online_date",
)
VENUE = (
    "citation_journal_title",
    "citation_conference_title",
    "citation_book_title",
    "citation_inbook_title",
    "prism.publicationname",
    "citation_publisher",
    "dc.publisher",
)
DOI = ("citation_doi", "prism.doi", "dc.identifier", "dcterms.identifier", "bepress_citation_doi")
ABSTRACT = ("citation_abstract", "dcterms.abstract", "dc.description", "dcterms.description")
KEYWORDS = ("citation_keywords", "keywords", "dc.subject", "dcterms.subject")
LANGUAGE = ("citation_language", "dc.language", "dcterms.language")
# Language values pages give instead of an ISO 639-1 code (names, MARC / ISO 639-2 codes).
LANGUAGE_NAMES = {
    "english": "en", "french": "fr", "german": "de", "spanish": "es", "portuguese": "pt",
    "italian": "it", "eng": "en", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de",
    "spa": "es", "por": "pt", "ita": "it", "chi": "zh", "zho": "zh", "jpn": "ja", "nld": "nl",
    "dut": "nl",
}  # fmt: skip


def _first(meta: dict[str, list[str]], names: tuple[str, ...]) -> str | None:
    return next((meta[n][0] for n in names if meta.get(n)), None)


def _all(meta: dict[str, list[str]], names: tuple[str, ...]) -> list[str]:
    """Every value of the first of ``names`` the page uses (authors are one tag each)."""
    return next((meta[n] for n in names if meta.get(n)), [])


def _authors(meta: dict[str, list[str]]) -> list[str]:
    """One name per tag, as the page writes it; the older ``citation_authors`` tag lists
    them in one value, separated by semicolons."""
    names = _all(meta, AUTHORS)
    if not names and meta.get("citation_authors"):
        names = meta["citation_authors"][0].split(";")
    return [n.strip(" ;") for n in names if n.strip(" ;")]


def _language(value: str | None) -> str | None:
    """An ISO 639-1 code from 'en', 'en-GB', 'eng' or 'English' (None if not one of those)."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    code = LANGUAGE_NAMES.get(code, code)
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def _pages(meta: dict[str, list[str]]) -> str | None:
    first, last = _first(meta, ("citation_firstpage",)), _first(meta, ("citation_lastpage",))
    if first and last and last != first:
        return normalize_pages(f"{first}-{last}")
    return normalize_pages(first) if first else None


def described_paper(meta: dict[str, list[str]]) -> Record | None:
    """The paper a page's meta tags describe, or None when they name no title."""
    title = _first(meta, TITLE)
    if not title:
        return None
    doi = next((d for d in (find_doi(v) for n in DOI for v in meta.get(n, [])) if d), None)
    if not meta.get("citation_title") and not (doi or _authors(meta)):
        return None  # a bare DC.title names the site or the page, not necessarily a paper
    keywords = [
        k.strip() for value in _all(meta, KEYWORDS) for k in re.split(r"[;,]", value) if k.strip()
    ]
    return Record(
        title=" ".join(title.split()),
        authors=tuple(_authors(meta)),
        year=find_year(_first(meta, DATE) or ""),
        venue=_first(meta, VENUE),
        volume=_first(meta, ("citation_volume", "prism.volume")),
        pages=_pages(meta),
        doi=doi,
        language=_language(_first(meta, LANGUAGE)),
        abstract=finish_abstract(html_to_text(_first(meta, ABSTRACT) or "")),  # may be markup
        keywords=tuple(keywords),
    )


def with_page_text(described: Record, found: list[Record]) -> Record:
    """The described paper, its abstract (when the tags give none) and any field the tags
    leave empty taken from what the page's text shows of the same paper: the record with
    its title, or else the page's untitled paragraphs. A page's other titled records (a
    related-articles list) lend it nothing."""
    title_key = "title:" + normalize_key(described.title or "")
    same = next((r for r in found if title_key in identity_keys(r)), None)
    if same is not None:
        for name in ("authors", "year", "venue", "volume", "pages", "doi", "keywords"):
            if not getattr(described, name):
                setattr(described, name, getattr(same, name))
        if not described.abstract:
            described.abstract = same.abstract
    elif not described.abstract and found and not any(r.title for r in found):
        described.abstract = "\n\n".join(r.abstract for r in found if r.abstract)
    return described
