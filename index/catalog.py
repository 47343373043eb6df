"""The index's catalogue: one row per record, with look-up tables by author, year, DOI,
venue, title word and collection, and the words the corpus writes in lower case.

It lives in the lexical snapshot's SQLite file (:mod:`index.lexical`), is written with each
generation and updated for the records a run touched, never rebuilt whole; so a question
about the bibliography ("papers by Folker", "from 2018") costs a few indexed SQL reads, at
any corpus size, and nothing is held in memory. :meth:`Catalog.in_memory` builds the same
tables for records that are not in an index (tests, one-off bibliographies).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from index.codec import ChunkMeta, from_store, to_store
from index.sql import run_on, select_in
from vocab.names import surname_keys
from vocab.record import normalize_doi
from vocab.textfold import fold, words

TABLES_SQL = """
CREATE TABLE records (
    record_id TEXT PRIMARY KEY, sort_key TEXT NOT NULL, chunk_id TEXT NOT NULL,
    chunks INTEGER NOT NULL, year INTEGER, doi TEXT, venue TEXT,
    title_words INTEGER NOT NULL, abstract INTEGER NOT NULL, metadata TEXT NOT NULL);
CREATE TABLE author_keys (key TEXT NOT NULL, record_id TEXT NOT NULL, words INTEGER NOT NULL);
CREATE TABLE title_words (word TEXT NOT NULL, record_id TEXT NOT NULL);
CREATE TABLE lower_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE collections (path TEXT NOT NULL, record_id TEXT NOT NULL);
"""
# Made after the tables are filled (faster than keeping them up to date row by row).
INDEXES_SQL = """
CREATE INDEX records_by_sort ON records(sort_key);
CREATE INDEX records_by_year ON records(year);
CREATE INDEX records_by_doi ON records(doi);
CREATE INDEX records_by_venue ON records(venue);
CREATE INDEX author_keys_by_key ON author_keys(key);
CREATE INDEX author_keys_by_record ON author_keys(record_id);
CREATE INDEX title_words_by_word ON title_words(word);
CREATE INDEX title_words_by_record ON title_words(record_id);
CREATE INDEX collections_by_path ON collections(path);
CREATE INDEX collections_by_record ON collections(record_id);
"""
# The tables with rows per record (what dropping a record deletes), then the others.
RECORD_TABLES = ("records", "author_keys", "title_words", "collections")
TABLES = (*RECORD_TABLES, "lower_words")
# A word written in lower case somewhere in the corpus ("hope", "long"): ordinary, not a name.
_LOWER_WORD = re.compile(r"\b[a-zß-öø-ÿ][a-zß-öø-ÿ]*\b")

Query = Callable[[str, Sequence[Any]], list[tuple]]
# (record id, its first chunk's id, how many chunks, the first chunk's stored metadata)
RecordRow = tuple[str, str, int, dict[str, Any]]


# -- writing ---------------------------------------------------------------------------
def drop_records(db: sqlite3.Connection, record_ids: Iterable[str]) -> None:
    """Remove records (and their look-up rows) from the catalogue."""
    ids = sorted(set(record_ids))
    for table in RECORD_TABLES:
        select_in(run_on(db), f"DELETE FROM {table} WHERE record_id IN {{IN}}", ids)


def put_records(
    db: sqlite3.Connection,
    rows: Iterable[RecordRow],
    in_given_order: bool = False,
    replace: bool = True,
) -> None:
    """Add records (replacing any of the same id unless ``replace`` is False: the caller
    knows they are new) with their look-up rows.

    The catalogue lists records by file path, then id; ``in_given_order`` keeps the order
    of ``rows`` instead (a bibliography made of records outside an index)."""
    records: list[tuple[Any, ...]] = []
    keys: list[tuple[str, str, int]] = []
    titles: list[tuple[str, str]] = []
    filed: list[tuple[str, str]] = []
    for n, (record_id, chunk_id, count, stored) in enumerate(rows):
        meta = from_store(stored)
        title_words = words(meta.title or "")
        records.append(
            (
                record_id,
                f"{n:012d}" if in_given_order else f"{meta.path or ''}\x00{record_id}",
                chunk_id,
                count,
                meta.year,
                normalize_doi(meta.doi) if meta.doi else None,
                meta.venue,
                len(title_words),
                int(meta.has_abstract),
                json.dumps(stored, ensure_ascii=True),
            )
        )
        seen: set[str] = set()
        for author in meta.authors:
            for key in surname_keys(author):
                if key not in seen:
                    seen.add(key)
                    keys.append((key, record_id, len(key.split())))
        titles.extend((w, record_id) for w in dict.fromkeys(title_words))
        filed.extend((path, record_id) for path in dict.fromkeys(meta.collections))
    if replace:
        drop_records(db, [r[0] for r in records])
    db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", records)
    db.executemany("INSERT INTO author_keys VALUES (?, ?, ?)", keys)
    db.executemany("INSERT INTO title_words VALUES (?, ?)", titles)
    db.executemany("INSERT INTO collections VALUES (?, ?)", filed)


def lower_words_of(texts: Iterable[str]) -> set[str]:
    """Folded words the texts write in lower case ('hope', 'long'): ordinary, not names."""
    raw: set[str] = set()
    for text in texts:
        raw.update(_LOWER_WORD.findall(text))
    return {fold(w) for w in raw}


def add_lower_words(db: sqlite3.Connection, found: Iterable[str]) -> None:
    """Remember words (folded) the corpus writes in lower case.

    Words are only ever added: a word the corpus once wrote in lower case stays ordinary
    after that paper is removed, which at worst reads a surname as a word."""
    db.executemany("INSERT OR IGNORE INTO lower_words VALUES (?)", [(w,) for w in found])


# -- reading ---------------------------------------------------------------------------
class Catalog:
    """Read-only look-ups over the catalogue tables (one SQL statement each)."""

    def __init__(self, query: Query) -> None:
        self._query = query

    @classmethod
    def in_memory(cls, metas: Iterable[ChunkMeta], lower_words: Iterable[str] = ()) -> Catalog:
        """A catalogue of these records (one metadata each) held in an in-memory database."""
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.executescript(TABLES_SQL + INDEXES_SQL)
        rows = ((m.record_id, m.record_id, 1, to_store(m)) for m in metas)
        put_records(db, rows, in_given_order=True)
        add_lower_words(db, lower_words)
        db.commit()
        lock = threading.Lock()

        def query(sql: str, args: Sequence[Any] = ()) -> list[tuple]:
            with lock:
                return db.execute(sql, tuple(args)).fetchall()

        return cls(query)

    def count(self) -> int:
        """How many records the catalogue holds."""
        return int(self._query("SELECT COUNT(*) FROM records", ())[0][0])

    def rows(self, record_ids: Iterable[str] | None = None) -> list[tuple[str, int, ChunkMeta]]:
        """(record id, chunks, metadata) of every record, or of these, in catalogue order
        (by file path, then id)."""
        sql = "SELECT record_id, chunks, metadata, sort_key FROM records"
        if record_ids is None:
            got = self._query(sql + " ORDER BY sort_key", ())
        else:
            got = select_in(self._query, sql + " WHERE record_id IN {IN}", sorted(set(record_ids)))
            got.sort(key=lambda r: r[3])
        return [(rid, int(n), from_store(json.loads(meta))) for rid, n, meta, _ in got]

    def _ids(self, sql: str, args: Sequence[Any] = ()) -> list[str]:
        return list(dict.fromkeys(r for (r,) in self._query(sql, args)))

    def ids_with_author_key(self, key: str) -> list[str]:
        """Records with an author this folded surname key names, in catalogue order."""
        return self._ids(
            "SELECT a.record_id FROM author_keys a JOIN records r USING (record_id)"
            " WHERE a.key = ? ORDER BY r.sort_key",
            (key,),
        )

    def has_author_key(self, key: str) -> bool:
        """Whether some author in the index has this folded surname key."""
        return bool(self._query("SELECT 1 FROM author_keys WHERE key = ? LIMIT 1", (key,)))

    def author_key_lengths(self) -> list[int]:
        """Word counts of the surname keys, longest first."""
        got = self._query("SELECT DISTINCT words FROM author_keys ORDER BY words DESC", ())
        return [int(n) for (n,) in got]

    def author_keys_sized(self, shortest: int, longest: int) -> list[str]:
        """One-word surname keys of ``shortest``..``longest`` letters (for near spellings)."""
        got = self._query(
            "SELECT DISTINCT key FROM author_keys WHERE words = 1 AND length(key) BETWEEN ? AND ?",
            (shortest, longest),
        )
        return [k for (k,) in got]

    def ids_in_years(self, start: int | None, end: int | None) -> list[str]:
        """Records published in ``start``..``end`` (inclusive; None leaves a side open)."""
        lo = start if start is not None else -(10**9)
        hi = end if end is not None else 10**9
        return self._ids(
            "SELECT record_id FROM records WHERE year BETWEEN ? AND ? ORDER BY sort_key",
            (lo, hi),
        )

    def years(self) -> list[int]:
        """Every publication year in the index, ascending."""
        got = self._query("SELECT DISTINCT year FROM records WHERE year IS NOT NULL", ())
        return sorted(int(y) for (y,) in got)

    def id_with_doi(self, doi: str) -> str | None:
        """The record with this DOI (normalised), if any."""
        got = self._query("SELECT record_id FROM records WHERE doi = ? LIMIT 1", (doi,))
        return got[0][0] if got else None

    def ids_with_title_words(self, found: Sequence[str]) -> list[str]:
        """Records whose title has every one of these folded words."""
        wanted = list(dict.fromkeys(found))
        if not wanted:
            return []
        sql = " INTERSECT ".join(["SELECT record_id FROM title_words WHERE word = ?"] * len(wanted))
        return self._ids(
            f"SELECT record_id FROM records WHERE record_id IN ({sql}) ORDER BY sort_key", wanted
        )

    def venues(self) -> list[str]:
        """Every venue name, as stored, sorted."""
        got = self._query("SELECT DISTINCT venue FROM records WHERE venue IS NOT NULL", ())
        return sorted(v for (v,) in got if v)

    def ids_in_venues(self, venues: Sequence[str]) -> list[str]:
        """Records published in any of these venues (names as stored)."""
        sql = "SELECT record_id FROM records WHERE venue IN {IN} ORDER BY sort_key"
        return list(dict.fromkeys(r for (r,) in select_in(self._query, sql, venues)))

    def collections(self) -> list[str]:
        """Every collection path papers are filed in ("Thesis/Methods"), sorted."""
        got = self._query("SELECT DISTINCT path FROM collections", ())
        return sorted((p for (p,) in got), key=str.casefold)

    def ids_in_collection(self, name: str) -> list[str]:
        """Records filed in a collection ``name`` names (see
        :func:`index.filters.in_collection`), in catalogue order."""
        from index.filters import in_collection

        paths = [p for p in self.collections() if in_collection(name, p)]
        sql = (
            "SELECT c.record_id FROM collections c JOIN records r USING (record_id)"
            " WHERE c.path IN {IN} ORDER BY r.sort_key"
        )
        return list(dict.fromkeys(r for (r,) in select_in(self._query, sql, paths)))

    def longest_title(self) -> int:
        """Words in the longest title."""
        return int(self._query("SELECT COALESCE(MAX(title_words), 0) FROM records", ())[0][0])

    def is_lower_word(self, word: str) -> bool:
        """Whether the corpus writes this folded word in lower case somewhere."""
        return bool(self._query("SELECT 1 FROM lower_words WHERE word = ?", (word,)))
