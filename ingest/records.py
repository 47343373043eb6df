"""From the raw text of one scraped page to :class:`~vocab.record.Record` objects.

``split_records`` cleans the text, recognises the page's layout by its structure (never by
file name) and hands it to the matching parser in :mod:`ingest.families`:

* Markdown notes (a leading ``# Title``),
* Chinese citation-index records (``作者`` / ``摘要`` / ``相关论文`` field labels),
* Érudit document records (``Citer ce document`` / ``Fiche du document``),
* search-result listings (``Author(s):`` with ``◽``-separated metadata),
* publisher article pages (``Pages x-y | Published online: <date>``),
* anything else: one untitled record per substantial paragraph;

and an HTML page whose ``<meta>`` tags describe its paper (``citation_*``, Dublin Core) is
that one paper, whatever its visible text looks like.

Author format, project-wide: ``authors`` is a list of clean personal names, one per item,
*in the order the page writes them*: "Last, First" when the page inverts names with a
comma (citation indexes do), "First Last" otherwise. Affiliation marks ("[1 ]"), list
separators ("◽", "&"), and "..."/"et al." are removed; names glued by the scraper
("LyudaKrupin") are split. Nothing is re-ordered, because inverting "Pinho Lins Gryschek,
Anna" would lose which part is the family name. :func:`ingest.families.common.author_key`
compares names across both forms and accents, which is what merging uses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from ingest.clean import clean_text, is_boilerplate_line
from ingest.families import citation_index, erudit, generic, listing, publisher
from ingest.families.common import author_key, name_quality
from ingest.language import detect_language
from ingest.merge import merge_records
from ingest.pagemeta import described_paper, with_page_text
from vocab.record import Record

log = logging.getLogger(__name__)

Parser = Callable[[list[str]], list[Record]]
# Most specific layouts first: a Markdown note may quote any of the others' labels, and
# a citation-index page may also contain "Author(s):".
FAMILIES: list[tuple[str, Callable[[list[str]], bool], Parser]] = [
    ("markdown", generic.is_markdown, generic.parse_markdown),
    ("citation_index", citation_index.detect, citation_index.parse),
    ("erudit", erudit.detect, erudit.parse),
    ("listing", listing.detect, listing.parse),
    ("publisher", publisher.detect, publisher.parse),
]
__all__ = ["detect_family", "dedupe_authors", "merge_records", "split_records"]


def detect_family(text: str) -> str:
    """Name of the page family a cleaned page belongs to ('paragraphs' if none)."""
    lines = text.split("\n")
    return next((name for name, detect, _ in FAMILIES if detect(lines)), "paragraphs")


def _parse(lines: list[str], path: str) -> list[Record]:
    """Records from the first family that recognises the page and yields something."""
    fallback = ("paragraphs", lambda _: True, generic.parse_paragraphs)
    for name, detect, parse in [*FAMILIES, fallback]:
        try:
            if detect(lines):
                records = parse(lines)
                if records:
                    return records
        except Exception:  # a malformed page must never stop an ingest run
            log.warning("%s parser failed on %r; trying the next layout", name, path)
    return []


def dedupe_authors(names: list[str]) -> list[str]:
    """Each person once, in page order, in their best-kept spelling (accents, capitals):
    Mendeley lists an accented author twice, the plain form first."""
    at: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        key = author_key(name)
        if not key:
            continue
        if key not in at:
            at[key] = len(out)
            out.append(name)
        elif name_quality(name) > name_quality(out[at[key]]):
            out[at[key]] = name
    return out


def _tidy(record: Record, path: str) -> Record | None:
    """Final field hygiene; None for a record with neither title nor abstract."""
    title = re.sub(r"\s+", " ", record.title or "").strip(" ◽|")
    record.title = title if title and not is_boilerplate_line(title) else None
    record.abstract = record.abstract.strip()
    if not record.title and not record.abstract:
        return None
    record.authors = tuple(dedupe_authors(list(record.authors)))
    record.keywords = tuple(dict.fromkeys(k for k in record.keywords if k))
    record.translations = {k: v.strip() for k, v in record.translations.items() if v.strip()}
    if record.language is None:
        record.language = detect_language(record.abstract) or detect_language(record.title or "")
    record.path = path
    return record


def split_records(
    text: str, path: str = "", meta: dict[str, list[str]] | None = None
) -> list[Record]:
    """Records (one per paper, merged within the page) from the raw text of one page.

    ``meta`` is an HTML page's ``<meta>`` tags: when they describe the page's paper
    (:mod:`ingest.pagemeta`), the page is that one record."""
    cleaned = clean_text(text)
    found = _parse(cleaned.split("\n"), path) if cleaned.strip() else []
    described = described_paper(meta or {})
    if described is not None:
        found = [with_page_text(described, found)]
    records = [r for r in (_tidy(r, path) for r in found) if r]
    return merge_records(records)
