"""The same paper read several times (within a page, or across files) becomes one record.

Records are grouped by shared DOI, title or abstract (transitively, in an order that does
not depend on the input's); a title match also needs the first author and year not to
disagree, and a DOI match needs the titles not to be clearly different (a file that merely
claims a paper's DOI stays its own record). A file a reference-manager item names as its
attachment joins that item whatever it says. Each group becomes one record: every field
from the most trusted kind of file that has it, a PDF's text (else the longest), every
origin. Records kept apart never share an id (:func:`vocab.record.assign_ids`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from ingest.families.common import author_key, name_quality
from vocab.record import KIND_TRUST, Record, assign_ids, identity_keys, normalize_doi, normalize_key

# Titles this short ("Editorial", "Book reviews") and abstracts this short ("No abstract
# available") do not identify a paper, so they never merge two records.
_RESOLVER = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_MIN_TITLE_TOKENS = 3
_MIN_ABSTRACT_TOKENS = 8


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


def _surnames(name: str) -> set[str]:
    """Folded family-name candidates of a name, in either 'Family, Given' or 'Given Family'."""
    family, comma, _ = name.partition(",")
    words = author_key(family if comma else name).split()
    if comma:
        return set(words)
    # Without a comma the family name is the last word, or the first ("Schön UK", MEDLINE).
    return {w for w in (words[-1:] + words[:1]) if len(w) > 1} if words else set()


def _same_person(a: str, b: str) -> bool:
    """'Schon, UK' ~ 'Schön, Ulla-Karin' ~ 'Ulla-Karin Schön': a shared family name."""
    if author_key(a) == author_key(b) or _loose_key(a) == _loose_key(b):
        return True
    return bool(_surnames(a) & set(author_key(b).split())) and bool(
        _surnames(b) & set(author_key(a).split())
    )


def _words(text: str) -> set[str]:
    return {w for w in normalize_key(text).split() if len(w) > 2}


def _titles_differ(a: _Evidence, b: _Evidence) -> bool:
    """Whether two groups' titles are clearly two papers' (for records that share a DOI):
    no pair shares half its words or holds the other, and neither text prints the other's
    title (a PDF whose title was misread still prints the export's title)."""
    if not (a.titles and b.titles):
        return False
    for x in a.titles:
        for y in b.titles:
            wx, wy = _words(x), _words(y)
            if x in y or y in x or not (wx and wy):
                return False
            if len(wx & wy) * 2 >= min(len(wx), len(wy)):
                return False
    return not any(t in text for t in a.titles for text in b.texts) and not any(
        t in text for t in b.titles for text in a.texts
    )


@dataclass
class _Evidence:
    """What a group of records says about its paper, to refuse contradicting merges."""

    dois: set[str]
    first_authors: list[str]
    years: set[int]
    titles: set[str]
    texts: list[str]  # the start of each text, normalised, to find a title printed in it
    exports: set[str]  # export files the group's entries come from

    @classmethod
    def of(cls, record: Record) -> _Evidence:
        years = {y for y in (record.year, record.online_year) if y}
        return cls(
            {normalize_doi(record.doi)} if record.doi else set(),
            list(record.authors[:1]),
            years,
            {normalize_key(record.title)} if record.title else set(),
            [normalize_key(record.abstract[:4000])] if record.abstract else [],
            {record.path} if record.path and record.kind in ("export", "library") else set(),
        )

    def conflicts(self, other: _Evidence, by_title: bool) -> bool:
        """Two different DOIs are two works, and so are one DOI's clearly different titles;
        for a title match, so are a different first author or a different year.
        Online-first years count, and a year apart is allowed when the first author is the
        same person (a PDF dated online, an export by issue)."""
        if self.dois and other.dois and self.dois != other.dois:
            return True
        if not by_title:
            return _titles_differ(self, other)
        if self.exports & other.exports:
            # A database or library lists each of its records once: two entries of one
            # export alike in title, first author and year (a meeting abstract and its
            # article, one with a DOI) are two records.
            return True
        same_author = any(
            _same_person(a, b) for a in self.first_authors for b in other.first_authors
        )
        if self.first_authors and other.first_authors and not same_author:
            return True
        if not (self.years and other.years) or self.years & other.years:
            return False
        gap = min(abs(a - b) for a in self.years for b in other.years)
        return not (same_author and gap <= 1)

    def absorb(self, other: _Evidence) -> None:
        self.dois |= other.dois
        self.first_authors += [a for a in other.first_authors if a not in self.first_authors]
        self.years |= other.years
        self.titles |= other.titles
        self.texts += other.texts
        self.exports |= other.exports


def _attached(records: list[Record]) -> list[tuple[int, int]]:
    """(item, file record) pairs: a record read from a file another record names as its
    attachment, when that file gave one record (a page listing several papers is not one
    item's text)."""
    by_path: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        if record.kind in ("pdf", "page"):
            by_path.setdefault(record.path, []).append(i)
    pairs = []
    for i, record in enumerate(records):
        for path in record.attachments:
            found = by_path.get(path, [])
            if len(found) == 1:
                pairs.append((i, found[0]))
    return pairs


def _groups(records: list[Record]) -> list[list[int]]:
    """Indices of records that are the same paper (union-find over shared keys)."""
    parent = list(range(len(records)))
    evidence = [_Evidence.of(r) for r in records]

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
    # An item's own attachment is its text, whatever the file's layout made of it.
    for item, attached in sorted(_attached(records)):
        a, b = find(item), find(attached)
        if a != b:
            parent[b] = a
            evidence[a].absorb(evidence[b])
    rank = {"doi": 0, "title": 1, "abstract": 2}
    # Strongest keys first, each in a fixed order, so the outcome does not depend on input order.
    for key in sorted(members, key=lambda k: (rank[k.split(":", 1)[0]], k)):
        ordered = sorted(members[key], key=lambda i: signatures[i])
        by_title = key.startswith("title:")
        for other in ordered[1:]:
            a, b = find(ordered[0]), find(other)
            if a != b and not evidence[a].conflicts(evidence[b], by_title):
                parent[b] = a
                evidence[a].absorb(evidence[b])
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


# Whose metadata wins, field by field: a reference manager's entry was checked by a person
# or a database; a PDF's was read off its layout; a scraped page's is the least sure.
TRUST = KIND_TRUST


def _trust(record: Record) -> int:
    return TRUST.get(record.kind, len(TRUST))


def _most_trusted(group: list[Record], field: str) -> list[Record]:
    """The records of the most trusted kind among those that have a value for ``field``."""
    having = [r for r in group if getattr(r, field)]
    if not having:
        return []
    best = min(_trust(r) for r in having)
    return [r for r in having if _trust(r) == best]


def _merge_group(group: list[Record]) -> Record:
    """One record of ``group``: each field from the most trusted kind that has it (richest
    value among those), the longest text as the abstract, every file as an origin."""
    # Non-empty first, then a PDF's full text (a page claiming the paper never replaces
    # it), then not shouted in capitals, then the longest.
    by_abstract = sorted(
        group,
        key=lambda r: (
            not r.abstract,
            r.kind != "pdf",
            r.abstract.isupper(),
            -len(r.abstract),
            _signature(r),
        ),
    )
    best = by_abstract[0]  # its text (and the page offsets that go with it) is kept
    merged = replace(best, authors=(), keywords=(), translations={}, id_key="")
    merged.title = _pick([r.title or "" for r in _most_trusted(group, "title")], normalize_key)
    merged.authors = tuple(
        _merge_authors([list(r.authors) for r in _most_trusted(group, "authors")])
    )
    for name in ("year", "online_year"):
        years = Counter(getattr(r, name) for r in _most_trusted(group, name))
        setattr(merged, name, min(years, key=lambda y: (-years[y], y)) if years else None)
    if merged.online_year == merged.year:
        merged.online_year = None
    for name in ("venue", "volume", "pages"):
        have = _most_trusted(group, name)
        setattr(merged, name, _pick([getattr(r, name) or "" for r in have]))
    merged.doi = _pick(
        [_RESOLVER.sub("", r.doi or "").strip() for r in _most_trusted(group, "doi")],
        normalize_doi,
    )
    merged.language = best.language or _pick([r.language or "" for r in group])
    unique_keywords: dict[str, str] = {}
    for record in sorted(group, key=lambda r: (_trust(r), -len(r.keywords), r.keywords)):
        for keyword in record.keywords:
            unique_keywords.setdefault(keyword.casefold(), keyword)
    merged.keywords = tuple(unique_keywords.values())
    merged.translations = _merge_translations(by_abstract, merged)
    merged.kind = min(group, key=_trust).kind
    if not best.abstract:  # title-only: show the most trusted file
        merged.path = min(group, key=lambda r: (_trust(r), r.path)).path
    merged.origins = sorted({o for r in group for o in r.origins})
    merged.collections = sorted({c for r in group for c in r.collections})
    merged.attachments = sorted({a for r in group for a in r.attachments})
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
    """Like :func:`merge_records`, with the positions in ``records`` each one came from;
    every merged record has an id no other one has."""
    out = [(_merge_group([records[i] for i in group]), group) for group in _groups(records)]
    assign_ids([merged for merged, _ in out])
    return out


def link_keys(record: Record) -> list[str]:
    """Short hashes of every key that can tie this record to another (merging or its id).

    The merge keys are among these, so files sharing none of them with a changed file can
    be left out of a re-merge without changing its outcome.
    """
    keys = identity_keys(record)
    keys += ["file:" + path for path in record.attachments]
    if record.kind in ("pdf", "page"):
        keys.append("file:" + record.path)  # an item elsewhere may name this file
    return [hashlib.sha1(k.encode("utf-8")).hexdigest()[:16] for k in keys]
