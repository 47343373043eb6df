"""From the raw text of one scraped page to :class:`~index.model.Record` objects.

``split_records`` cleans the text, recognises the page's layout by its structure (never by
file name) and hands it to the matching parser in :mod:`ingest.families`:

* Markdown notes (a leading ``# Title``),
* Chinese citation-index records (``作者`` / ``摘要`` / ``相关论文`` field labels),
* Érudit document records (``Citer ce document`` / ``Fiche du document``),
* search-result listings (``Author(s):`` with ``◽``-separated metadata),
* publisher article pages (``Pages x-y | Published online: <date>``),
* anything else: one untitled record per substantial paragraph.

Author format, project-wide: ``authors`` is a list of clean personal names, one per item,
*in the order the page writes them*: "Last, First" when the page inverts names with a
comma (citation indexes do), "First Last" otherwise. Affiliation marks ("[1 ]"), list
separators ("◽", "&"), and "..."/"et al." are removed; names glued by the scraper
("LyudaKrupin") are split. Nothing is re-ordered, because inverting "Pinho Lins Gryschek,
Anna" would lose which part is the family name. :func:`ingest.families.common.author_key`
compares names across both forms and accents, which is what merging uses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from index.model import Record, identity_keys, normalize_doi, normalize_key
from ingest.clean import clean_text, is_boilerplate_line
from ingest.families import citation_index, erudit, generic, listing, publisher
from ingest.families.common import author_key, name_quality
from ingest.language import detect_language

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
# Titles this short ("Editorial", "Book reviews") and abstracts this short ("No abstract
# available") do not identify a paper, so they never merge two records.
_RESOLVER = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_MIN_TITLE_TOKENS = 3
_MIN_ABSTRACT_TOKENS = 8


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


def _dedupe_authors(names: list[str]) -> list[str]:
    """First spelling of each person, in page order."""
    seen: set[str] = set()
    out = []
    for name in names:
        key = author_key(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _tidy(record: Record, path: str) -> Record | None:
    """Final field hygiene; None for a record with neither title nor abstract."""
    title = re.sub(r"\s+", " ", record.title or "").strip(" ◽|")
    record.title = title if title and not is_boilerplate_line(title) else None
    record.abstract = record.abstract.strip()
    if not record.title and not record.abstract:
        return None
    record.authors = _dedupe_authors(record.authors)
    record.keywords = list(dict.fromkeys(k for k in record.keywords if k))
    record.translations = {k: v.strip() for k, v in record.translations.items() if v.strip()}
    if record.language is None:
        record.language = detect_language(record.abstract) or detect_language(record.title or "")
    record.path = path
    return record


def split_records(text: str, path: str = "") -> list[Record]:
    """Records (one per paper, merged within the page) from the raw text of one page."""
    cleaned = clean_text(text)
    if not cleaned.strip():
        return []
    records = [r for r in (_tidy(r, path) for r in _parse(cleaned.split("\n"), path)) if r]
    return merge_records(records)


# --- merging ---------------------------------------------------------------------------


def _merge_keys(record: Record) -> list[str]:
    """The identity keys strong enough to merge on."""
    keys = []
    for key in identity_keys(record):
        kind, _, value = key.partition(":")
        tokens = len(value.split())
        if kind == "doi" or (kind == "title" and tokens >= _MIN_TITLE_TOKENS):
            keys.append(key)
        elif kind == "abstract" and tokens >= _MIN_ABSTRACT_TOKENS:
            keys.append(key)
    return keys


def _signature(record: Record) -> str:
    """Canonical content of a record (path aside), to order ties independently of input."""
    data = record.to_dict()
    data.pop("path")
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _groups(records: list[Record]) -> list[list[int]]:
    """Indices of records that are the same paper (union-find over shared keys)."""
    parent = list(range(len(records)))
    dois = [{normalize_doi(r.doi)} if r.doi else set() for r in records]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    members: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        for key in _merge_keys(record):
            members.setdefault(key, []).append(i)
    signatures = [_signature(r) for r in records]
    rank = {"doi": 0, "title": 1, "abstract": 2}
    # Strongest keys first, each in a fixed order, so the outcome does not depend on input order.
    for key in sorted(members, key=lambda k: (rank[k.split(":", 1)[0]], k)):
        ordered = sorted(members[key], key=lambda i: signatures[i])
        for other in ordered[1:]:
            a, b = find(ordered[0]), find(other)
            # Two different DOIs are two works, however alike their titles.
            if a != b and not (dois[a] and dois[b] and dois[a] != dois[b]):
                parent[b] = a
                dois[a] |= dois[b]
    groups: dict[int, list[int]] = {}
    for i in range(len(records)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _pick(values: list[str], fold: Callable[[str], str] = str.casefold) -> str | None:
    """Most frequent value; ties go to mixed case, then the longest, then the smallest."""
    values = [v for v in values if v]
    if not values:
        return None
    counts = Counter(fold(v) for v in values)
    return max(
        sorted(set(values)),
        key=lambda v: (counts[fold(v)], v != v.upper(), len(v), sum(ord(c) > 127 for c in v)),
    )


def _merge_authors(lists: list[list[str]]) -> list[str]:
    """The longest / best-accented list, completed with names only the others have."""
    lists = sorted((lst for lst in lists if lst), key=_list_quality, reverse=True)
    if not lists:
        return []
    merged = list(lists[0])
    for other in lists[1:]:
        for name in other:
            idx = _match(merged, name)
            if idx is None:
                merged.append(name)
            elif idx >= 0 and name_quality(name) > name_quality(merged[idx]):
                merged[idx] = name  # 'Kristina Bakke Åkerblom' beats 'akerblom, Kristina'
    return merged


def _list_quality(names: list[str]) -> tuple[int, int, int, list[str]]:
    """Longer lists first, then more accents kept, then capitalisation; then the names."""
    accents = sum(name_quality(n)[0] for n in names)
    return (len(names), accents, sum(name_quality(n)[1] for n in names), names)


def _loose_key(name: str) -> str:
    """Family name plus first initial, for 'Hayward, M. I.' ~ 'Mark I. Hayward'."""
    family, comma, given = name.partition(",")
    if not comma:
        parts = name.split()
        family, given = (parts[-1], parts[0]) if len(parts) > 1 else (name, "")
    last = author_key(family).split()
    return f"{last[-1] if last else ''} {author_key(given)[:1]}"


def _match(names: list[str], name: str) -> int | None:
    """Index of the same person in ``names`` (exact key, else a unique loose match);
    -1 when several loosely match (the name is there, but which one is unclear)."""
    key = author_key(name)
    for i, other in enumerate(names):
        if author_key(other) == key:
            return i
    loose = [i for i, other in enumerate(names) if _loose_key(other) == _loose_key(name)]
    return loose[0] if len(loose) == 1 else (-1 if loose else None)


def _merge_group(group: list[Record]) -> Record:
    """One record with the richest value of each field of ``group`` (in input order)."""
    # Non-empty first, then not shouted in capitals, then the longest.
    by_abstract = sorted(
        group, key=lambda r: (not r.abstract, r.abstract.isupper(), -len(r.abstract), _signature(r))
    )
    best = by_abstract[0]
    merged = replace(best, authors=[], keywords=[], translations={})
    merged.title = _pick([r.title or "" for r in group], normalize_key)
    merged.authors = _merge_authors([r.authors for r in group])
    years = Counter(r.year for r in group if r.year)
    merged.year = min(years, key=lambda y: (-years[y], y)) if years else None
    for name in ("venue", "volume", "pages"):
        setattr(merged, name, _pick([getattr(r, name) or "" for r in group]))
    merged.doi = _pick([_RESOLVER.sub("", r.doi or "").strip() for r in group], normalize_doi)
    merged.language = best.language or _pick([r.language or "" for r in group])
    unique_keywords: dict[str, str] = {}
    for keywords in sorted((r.keywords for r in group), key=lambda k: (-len(k), k)):
        for keyword in keywords:
            unique_keywords.setdefault(keyword.casefold(), keyword)
    merged.keywords = list(unique_keywords.values())
    merged.translations = _merge_translations(by_abstract, merged)
    with_abstract = [r for r in group if r.abstract]
    merged.path = (with_abstract or group)[0].path
    return merged


def _merge_translations(records: list[Record], merged: Record) -> dict[str, str]:
    """Union of translations, plus other records' abstracts in another language."""
    out: dict[str, str] = {}
    for record in records:
        pairs = [*record.translations.items(), (record.language or "", record.abstract)]
        for lang, text in pairs:
            if lang and text and lang != merged.language and len(text) > len(out.get(lang, "")):
                out[lang] = text
    return dict(sorted(out.items()))


def merge_records(records: list[Record]) -> list[Record]:
    """Merge records of the same paper (shared DOI, title or abstract, transitively)."""
    return [merged for merged, _ in merge_groups(records)]


def merge_groups(records: list[Record]) -> list[tuple[Record, list[int]]]:
    """Like :func:`merge_records`, with the positions in ``records`` each one came from."""
    return [(_merge_group([records[i] for i in group]), group) for group in _groups(records)]


def link_keys(record: Record) -> list[str]:
    """Short hashes of every key that can tie this record to another (merging or its id).

    The merge keys are among these, so files sharing none of them with a changed file can
    be left out of a re-merge without changing its outcome.
    """
    return [hashlib.sha1(k.encode("utf-8")).hexdigest()[:16] for k in identity_keys(record)]
