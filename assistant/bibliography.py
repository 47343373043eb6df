"""The index's bibliography: one entry per record, with look-ups by author, year, venue, DOI
and title phrase.

Built from the records (``Bibliography.from_records``) or from the metadata the index
reader hands out (``BibEntry.from_meta``). Everything is pure Python and in memory: a few
thousand entries take milliseconds to index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from index.model import Record, normalize_doi
from index.names import surname, surname_keys  # noqa: F401  (also this module's API)
from index.textfold import fold, words

_LOWER_WORD = re.compile(r"\b[a-zß-öø-ÿ][a-zß-öø-ÿ]*\b")
# Words a venue name can skip when abbreviated ("Int J Ment Health Nurs").
VENUE_STOP = frozenset("the of and for in on & de la le les des du et en".split())


@dataclass(frozen=True)
class BibEntry:
    """One record's bibliographic metadata, exactly as the page gave it."""

    record_id: str
    title: str | None
    authors: tuple[str, ...]
    year: int | None
    venue: str | None
    doi: str | None
    keywords: tuple[str, ...] = ()
    language: str | None = None
    has_abstract: bool = False

    @classmethod
    def from_record(cls, record: Record) -> BibEntry:
        """The entry of an ingested record."""
        return cls(
            record.record_id,
            record.title,
            tuple(record.authors),
            record.year,
            record.venue,
            record.doi,
            tuple(record.keywords),
            record.language,
            bool(record.abstract.strip()),
        )

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> BibEntry:
        """The entry of a ``sources --json`` object or a chunk's metadata."""
        authors = meta.get("authors") or ()
        if isinstance(authors, str):  # Chroma metadata joins lists with "; "
            authors = [a for a in authors.split("; ") if a]
        keywords = meta.get("keywords") or ()
        if isinstance(keywords, str):
            keywords = [k for k in keywords.split("; ") if k]
        year = meta.get("year")
        return cls(
            str(meta.get("record_id", "")),
            meta.get("title") or None,
            tuple(authors),
            int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
            meta.get("venue") or None,
            meta.get("doi") or None,
            tuple(keywords),
            meta.get("language") or None,
            bool(meta.get("has_abstract", True)),
        )


def _spans(name: str) -> list[str]:
    """Every run of consecutive words of a name, as written ('Stimac Grbic', 'Grbic'...)."""
    parts = [p for p in re.split(r"[\s,]+", name) if p]
    pieces = [*parts, *(w for p in parts for w in re.split(r"-", p) if "-" in p)]
    runs = [" ".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1)]
    return pieces + runs


@lru_cache(maxsize=65536)
def normalize_venue(venue: str) -> str:
    """Folded venue without punctuation: 'SSM-Qualitative' -> 'ssm qualitative'."""
    return " ".join(words(venue))


@lru_cache(maxsize=65536)
def venue_tokens(venue: str) -> tuple[str, ...]:
    """The significant words of a venue name (its abbreviation skips the others)."""
    return tuple(w for w in words(venue) if w not in VENUE_STOP)


def venue_matches(query: str, venue: str) -> bool:
    """Whether ``query`` names ``venue``: whole, as a leading part, or abbreviated.

    'Journal of Public Mental Health', 'Canadian Social Work' (for '... Review'),
    'Int J Ment Health Nurs', and the initials 'IJMHS' all count.
    """
    q, v = normalize_venue(query), normalize_venue(venue)
    if not q or not v:
        return False
    if q == v or v.startswith(q + " ") and len(q.split()) >= 2:
        return True
    sig_q, sig_v = venue_tokens(query), venue_tokens(venue)
    if len(sig_q) == 1 and len(sig_q[0]) >= 3 and len(sig_v) >= 3:
        return sig_q[0] == "".join(w[0] for w in sig_v)  # initials
    if 2 <= len(sig_q) <= len(sig_v):
        return all(tv.startswith(tq) for tq, tv in zip(sig_q, sig_v, strict=False)) and (
            len(sig_q) == len(sig_v) or len(sig_q) >= 3
        )
    return False


def ordinary_words_of(texts: Iterable[str]) -> set[str]:
    """Folded words the texts write in lower case ('hope', 'long'): ordinary, not names."""
    found: set[str] = set()
    for text in texts:
        found.update(fold(w) for w in _LOWER_WORD.findall(text))
    return found


class Bibliography:
    """All entries of the index, with fast look-ups."""

    def __init__(self, entries: Iterable[BibEntry], ordinary_words: Iterable[str] = ()) -> None:
        self.entries: list[BibEntry] = list(entries)
        # Words the corpus uses in lower case: a surname that is also one ("Long", "Hope")
        # only counts as a name where the question writes it like one.
        self.ordinary_words: frozenset[str] = frozenset(ordinary_words)
        self._by_surname: dict[str, list[int]] = {}
        self._by_year: dict[int, list[int]] = {}
        self._by_doi: dict[str, int] = {}
        self._titles: list[str] = []
        self._title_words: dict[str, set[int]] = {}
        for i, entry in enumerate(self.entries):
            for author in entry.authors:
                for key in surname_keys(author):
                    bucket = self._by_surname.setdefault(key, [])
                    if not bucket or bucket[-1] != i:
                        bucket.append(i)
            if entry.year is not None:
                self._by_year.setdefault(entry.year, []).append(i)
            if entry.doi:
                self._by_doi[normalize_doi(entry.doi)] = i
            self._titles.append(" " + " ".join(words(entry.title or "")) + " ")
            for word in words(entry.title or ""):
                self._title_words.setdefault(word, set()).add(i)
        self.venues: list[str] = sorted({e.venue for e in self.entries if e.venue})
        self._venue_names: dict[str, list[str]] = {}
        self._venue_initial: dict[str, list[str]] = {}
        for venue in self.venues:
            self._venue_names.setdefault(normalize_venue(venue), []).append(venue)
            sig = venue_tokens(venue)
            if sig:
                self._venue_initial.setdefault(sig[0][0], []).append(venue)
        self.longest_title = max((len(words(e.title or "")) for e in self.entries), default=0)
        self.venue_starts = frozenset(k.split()[0] for k in self._venue_names)

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> Bibliography:
        """A bibliography of ingested records, learning the corpus's ordinary words."""
        records = list(records)
        texts = (
            text for r in records for text in (r.title or "", r.abstract, *r.translations.values())
        )
        return cls((BibEntry.from_record(r) for r in records), ordinary_words_of(texts))

    def __len__(self) -> int:
        return len(self.entries)

    def _pick(self, indices: Iterable[int]) -> list[BibEntry]:
        return [self.entries[i] for i in sorted(set(indices))]

    def has_surname(self, key: str) -> bool:
        """Whether a folded surname key belongs to some author in the index."""
        return key in self._by_surname

    def display_surname(self, key: str) -> str:
        """The index's own spelling of a surname key, accents kept ('akerblom' -> 'Åkerblom')."""
        found: list[str] = []
        for i in self._by_surname.get(key, []):
            for author in self.entries[i].authors:
                for part in _spans(author):
                    if " ".join(words(part)) == key:
                        found.append(part)
        if not found:
            return key.title()
        return max(found, key=lambda s: (sum(ord(c) > 127 for c in s), s[:1].isupper(), s))

    def surname_lengths(self) -> list[int]:
        """Word counts of the surname keys, longest first (compound names match first)."""
        return sorted({len(k.split()) for k in self._by_surname}, reverse=True)

    def by_author(self, name: str) -> list[BibEntry]:
        """Entries with an author of this surname ('Akerblom', 'Åkerblom, K.', 'Anna Folker')."""
        for key in surname_keys(name):
            if key in self._by_surname:
                return self._pick(self._by_surname[key])
        return []

    def by_year(self, start: int | None = None, end: int | None = None) -> list[BibEntry]:
        """Entries published in ``start``..``end`` (inclusive; None leaves a side open)."""
        lo = start if start is not None else -(10**9)
        hi = end if end is not None else 10**9
        return self._pick(i for y, idx in self._by_year.items() if lo <= y <= hi for i in idx)

    def years(self) -> list[int]:
        """Every publication year in the index, ascending."""
        return sorted(self._by_year)

    def by_venue(self, name: str) -> list[BibEntry]:
        """Entries whose venue ``name`` names (whole, leading part, or abbreviation)."""
        return [e for e in self.entries if e.venue and venue_matches(name, e.venue)]

    def by_doi(self, doi: str) -> BibEntry | None:
        """The entry with this DOI (any case, with or without a resolver prefix)."""
        i = self._by_doi.get(normalize_doi(doi))
        return self.entries[i] if i is not None else None

    def by_title(self, phrase: str) -> list[BibEntry]:
        """Entries whose title contains ``phrase`` (case, accent and punctuation ignored)."""
        found = words(phrase)
        if not found:
            return []
        candidates = set.intersection(*(self._title_words.get(w, set()) for w in found))
        needle = " " + " ".join(found) + " "
        return [self.entries[i] for i in sorted(candidates) if needle in self._titles[i]]

    def venues_named(self, phrase: str, loose: bool = False) -> list[str]:
        """Venues ``phrase`` names whole; with ``loose``, also by leading part or abbreviation."""
        exact = self._venue_names.get(normalize_venue(phrase), [])
        if exact or not loose:
            return list(exact)
        sig = venue_tokens(phrase)
        if not sig:
            return []
        return [v for v in self._venue_initial.get(sig[0][0], []) if venue_matches(phrase, v)]
