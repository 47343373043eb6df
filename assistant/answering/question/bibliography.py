"""The index's bibliography: one entry per record, with look-ups by author, year, venue, DOI
and title phrase.

Look-ups are answered by the index's catalogue (:mod:`index.catalog`, SQL tables kept
with each generation), so a question costs a few indexed reads whatever the corpus size.
Records outside an index (``Bibliography.from_records``, ``Bibliography(entries)``) get an
in-memory catalogue of the same tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from index import Catalog, ChunkMeta, lower_words_of
from vocab.names import surname, surname_keys  # noqa: F401  (also this module's API)
from vocab.paper import PaperMeta, paper_values, read_paper
from vocab.record import Record, normalize_doi
from vocab.textfold import words

# Words a venue name can skip when abbreviated ("Int J Ment Health Nurs").
VENUE_STOP = frozenset("the of and for in on & de la le les des du et en".split())


class BibEntry(PaperMeta, frozen=True):
    """One record's bibliographic metadata, exactly as the page gave it."""

    record_id: str
    has_abstract: bool = False
    collections: tuple[str, ...] = ()  # for --collection; paths as the catalogue keeps them

    @classmethod
    def from_record(cls, record: Record) -> BibEntry:
        """The entry of an ingested record."""
        return cls(
            record_id=record.record_id,
            **paper_values(record),
            has_abstract=bool(record.abstract.strip()),
            collections=tuple(record.collections),
        )

    @classmethod
    def from_chunk_meta(cls, meta: ChunkMeta) -> BibEntry:
        """The entry of a record, from its first chunk's stored metadata."""
        return cls(
            record_id=meta.record_id,
            **paper_values(meta),
            has_abstract=meta.has_abstract,
            collections=meta.collections,
        )

    def to_meta(self) -> ChunkMeta:
        """This entry as the metadata a catalogue keeps (the inverse of ``from_chunk_meta``)."""
        return ChunkMeta(
            record_id=self.record_id,
            **paper_values(self),
            has_abstract=self.has_abstract,
            collections=self.collections,
        )

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> BibEntry:
        """The entry of a ``sources --json`` object or a chunk's metadata (lists may be
        joined by "; ", as the store keeps them)."""
        return cls(
            record_id=str(meta.get("record_id", "")),
            **read_paper(meta, lenient=True),
            has_abstract=bool(meta.get("has_abstract", True)),
            collections=tuple(c for c in meta.get("collections") or () if isinstance(c, str)),
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


class _LowerWords:
    """``word in bib.ordinary_words``: one indexed look-up, never the corpus's vocabulary."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._catalog.is_lower_word(word)


class Bibliography:
    """All entries of the index, with look-ups answered by its catalogue
    (:class:`index.catalog.Catalog`): a few SQL reads per question at any corpus size."""

    def __init__(
        self,
        entries: Iterable[BibEntry] = (),
        ordinary_words: Iterable[str] = (),
        *,
        catalog: Catalog | None = None,
    ) -> None:
        if catalog is None:
            metas = [entry.to_meta() for entry in entries]
            catalog = Catalog.in_memory(metas, ordinary_words)
        self.catalog = catalog
        # Words the corpus uses in lower case: a surname that is also one ("Long", "Hope")
        # only counts as a name where the question writes it like one.
        self.ordinary_words = _LowerWords(catalog)
        self._venues: list[str] | None = None
        self._longest: int | None = None
        self._lengths: list[int] | None = None

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> Bibliography:
        """A bibliography of ingested records, learning the corpus's ordinary words."""
        records = list(records)
        texts = (
            text for r in records for text in (r.title or "", r.abstract, *r.translations.values())
        )
        return cls((BibEntry.from_record(r) for r in records), lower_words_of(texts))

    def __len__(self) -> int:
        return self.catalog.count()

    @property
    def entries(self) -> list[BibEntry]:
        """Every entry, in index order: read from the catalogue each time (only a question
        that constrains nothing needs them all, and a large library is not kept around)."""
        return self._pick(None)

    def _pick(self, record_ids: Iterable[str] | None) -> list[BibEntry]:
        """Entries of these records (all of them for None), in index order."""
        return [BibEntry.from_chunk_meta(meta) for _, _, meta in self.catalog.rows(record_ids)]

    def by_ids(self, record_ids: Iterable[str]) -> list[BibEntry]:
        """The entries of these record ids (those the index holds), in index order."""
        return self._pick(record_ids)

    def has_surname(self, key: str) -> bool:
        """Whether a folded surname key belongs to some author in the index."""
        return self.catalog.has_author_key(key)

    def display_surname(self, key: str) -> str:
        """The index's own spelling of a surname key, accents kept ('akerblom' -> 'Åkerblom')."""
        found: list[str] = []
        for entry in self._pick(self.catalog.ids_with_author_key(key)):
            for author in entry.authors:
                for part in _spans(author):
                    if " ".join(words(part)) == key:
                        found.append(part)
        if not found:
            return key.title()
        return max(found, key=lambda s: (sum(ord(c) > 127 for c in s), s[:1].isupper(), s))

    def surname_lengths(self) -> list[int]:
        """Word counts of the surname keys, longest first (compound names match first)."""
        if self._lengths is None:
            self._lengths = self.catalog.author_key_lengths()
        return self._lengths

    def by_author(self, name: str) -> list[BibEntry]:
        """Entries with an author of this surname ('Akerblom', 'Åkerblom, K.', 'Anna Folker')."""
        for key in surname_keys(name):
            ids = self.catalog.ids_with_author_key(key)
            if ids:
                return self._pick(ids)
        return []

    def by_year(self, start: int | None = None, end: int | None = None) -> list[BibEntry]:
        """Entries published in ``start``..``end`` (inclusive; None leaves a side open)."""
        return self._pick(self.catalog.ids_in_years(start, end))

    def years(self) -> list[int]:
        """Every publication year in the index, ascending."""
        return self.catalog.years()

    @property
    def venues(self) -> list[str]:
        """Every venue name in the index, sorted."""
        if self._venues is None:
            self._venues = self.catalog.venues()
        return self._venues

    def by_venue(self, name: str) -> list[BibEntry]:
        """Entries whose venue ``name`` names (whole, leading part, or abbreviation)."""
        named = [v for v in self.venues if venue_matches(name, v)]
        return self._pick(self.catalog.ids_in_venues(named)) if named else []

    def in_venues(self, venues: Iterable[str]) -> list[BibEntry]:
        """Entries published in any of these venues (names exactly as stored)."""
        return self._pick(self.catalog.ids_in_venues(list(venues)))

    def by_doi(self, doi: str) -> BibEntry | None:
        """The entry with this DOI (any case, with or without a resolver prefix)."""
        rid = self.catalog.id_with_doi(normalize_doi(doi))
        return self._pick([rid])[0] if rid is not None else None

    def by_title(self, phrase: str) -> list[BibEntry]:
        """Entries whose title contains ``phrase`` (case, accent and punctuation ignored)."""
        found = words(phrase)
        if not found:
            return []
        needle = " " + " ".join(found) + " "
        candidates = self._pick(self.catalog.ids_with_title_words(found))
        return [e for e in candidates if needle in " " + " ".join(words(e.title or "")) + " "]

    @property
    def longest_title(self) -> int:
        """Words in the longest title."""
        if self._longest is None:
            self._longest = self.catalog.longest_title()
        return self._longest

    @property
    def venue_starts(self) -> frozenset[str]:
        """First words of the venue names (folded)."""
        return frozenset(k.split()[0] for k in self._venue_names() if k)

    def _venue_names(self) -> dict[str, list[str]]:
        names: dict[str, list[str]] = {}
        for venue in self.venues:
            names.setdefault(normalize_venue(venue), []).append(venue)
        return names

    def venues_named(self, phrase: str, loose: bool = False) -> list[str]:
        """Venues ``phrase`` names whole; with ``loose``, also by leading part or abbreviation."""
        exact = self._venue_names().get(normalize_venue(phrase), [])
        if exact or not loose:
            return list(exact)
        sig = venue_tokens(phrase)
        if not sig:
            return []
        return [
            v
            for v in self.venues
            if (venue_tokens(v)[:1] or ("",))[0][:1] == sig[0][0] and venue_matches(phrase, v)
        ]
