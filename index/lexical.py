"""The lexical half of hybrid search: a BM25 snapshot of one store generation, on disk.

Chroma's sparse (BM25) index is cloud-only, so BM25 lives beside Chroma, in a folder that
matches one store *generation*:

* ``header.json``: generation, collection id and build, read without opening the rest;
* ``chunks.sqlite``: each chunk's position, id, record, year and folded authors (what
  filters need), the vocabulary, and, when the store is a server, the chunk texts and
  metadata (embedded stores keep those in the manifest already);
* ``*.npy``: the BM25 arrays (:mod:`index.bm25`) and the year column, memory-mapped.

A process holds none of it in Python objects: queries read the arrays' pages they touch
and look rows up in SQLite. A new generation is written beside the old one and swapped in
by renames, from the previous one plus the chunks that changed (:meth:`CorpusSnapshot.update`):
the previous SQLite file is copied whole (rows and indexes, a byte copy) and only the
changed rows are deleted and inserted, so that part costs what changed, not the corpus.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from index import catalog
from index.bm25 import Bm25Arrays
from index.codec import from_store, lexical_text
from index.sql import run_on, select_in
from index.vectorfile import fsync_tree, save_vectors
from vocab.textfold import fold

# Bump when what BM25 sees of a chunk changes (index.codec.lexical_text, the tokenizer):
# snapshots of another format are rebuilt, never updated with differently made rows.
FORMAT = 6  # 2: a header of title, authors, year, venue, DOI and keywords per chunk
# 3: the catalogue tables (index.catalog), and the vectors of an embedded index
# 4: BM25 weighed at query time; records say whether they have an abstract
# 5: authors folded with vocab.textfold (ø, æ, ł… too), as questions and --author are
# 6: the catalogue's collections table (--collection)
HEADER_FILE = "header.json"  # generation and collection alone: cheap to read
DB_FILE = "chunks.sqlite"
YEARS_FILE = "years.npy"
VECTORS_FILE = "vectors.npy"  # unit float32 rows in chunk order (embedded stores)
SCHEMA = (
    """
CREATE TABLE chunks (
    pos INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL, record_id TEXT NOT NULL,
    idx INTEGER NOT NULL, authors TEXT NOT NULL, text TEXT, metadata TEXT);
CREATE TABLE vocab (term TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
"""
    + catalog.TABLES_SQL
)
# Made once the rows are in: cheaper than keeping them up to date while copying.
INDEXES = (
    """
CREATE UNIQUE INDEX chunks_by_id ON chunks(chunk_id);
CREATE INDEX chunks_by_record ON chunks(record_id, idx);
"""
    + catalog.INDEXES_SQL
)
# (chunk id, text, flat metadata): what a snapshot is built from.
Row = tuple[str, str, dict[str, Any]]


def _bm25s() -> Any:
    import bm25s

    # bm25s sets its own logger to DEBUG on import and logs every index build.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, stemmed tokens, one list per text."""
    out = _bm25s().tokenize(
        texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )
    return [list(t) for t in out]


class CorpusSnapshot:
    """One saved generation, opened read-only; cheap to hold, safe across threads."""

    def __init__(self, directory: Path) -> None:
        header = json.loads((directory / HEADER_FILE).read_text(encoding="utf-8"))
        if header.get("format") != FORMAT:
            raise ValueError("snapshot of another format")
        self.generation = int(header["generation"])
        self.build: dict[str, Any] = dict(header.get("build") or {})
        self.has_text = bool(header.get("has_text"))
        self.db_path = directory / DB_FILE
        # Opened now, so a later swap of the folder (rename, delete) leaves these readable.
        self._db = sqlite3.connect(
            f"file:{self.db_path}?mode=ro", uri=True, check_same_thread=False
        )
        self._lock = threading.Lock()
        self.bm25 = Bm25Arrays.load(directory)
        self.years = np.load(directory / YEARS_FILE, mmap_mode="r")
        if len(self.years) != self.bm25.n_docs or self._count() != self.bm25.n_docs:
            raise ValueError("snapshot parts disagree")
        # Memory-mapped: a search reads the pages it needs, and they are shared between
        # processes through the page cache.
        self.vectors: np.ndarray | None = None
        self.vectors_path = directory / VECTORS_FILE
        self.vectors_offset = 0  # where the rows start in the .npy file
        if header.get("vectors"):
            self.vectors = np.load(self.vectors_path, mmap_mode="r")
            self.vectors_offset = int(getattr(self.vectors, "offset", 0))
            if self.vectors.ndim != 2 or len(self.vectors) != self.bm25.n_docs:
                raise ValueError("snapshot parts disagree")

    def __len__(self) -> int:
        return self.bm25.n_docs

    def _count(self) -> int:
        return int(self.query("SELECT COUNT(*) FROM chunks")[0][0])

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        """Rows of one read-only SQL statement over ``chunks`` and ``vocab``."""
        with self._lock:
            return self._db.execute(sql, tuple(args)).fetchall()

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (zeros when nothing matches)."""
        tokens = tokenize([query])[0]
        if not tokens or not len(self):
            return np.zeros(len(self), dtype=np.float32)
        ids = dict(
            self.query(
                f"SELECT term, id FROM vocab WHERE term IN ({','.join('?' * len(tokens))})",
                tokens,
            )
        )
        return self.bm25.scores([ids[t] for t in tokens if t in ids])

    @classmethod
    def load(cls, directory: Path) -> CorpusSnapshot | None:
        """The saved snapshot, or None when there is none or it is unreadable."""
        try:
            return cls(directory)
        except (OSError, ValueError, KeyError, TypeError, sqlite3.Error):
            return None

    @staticmethod
    def peek(directory: Path) -> tuple[int, str | None] | None:
        """(generation, collection id) of the saved snapshot, without loading it."""
        try:
            data = json.loads((directory / HEADER_FILE).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return None  # as good as missing: the next publish rebuilds it
            return int(data["generation"]), data.get("build", {}).get("collection")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    # -- writing -----------------------------------------------------------------------
    @staticmethod
    def create(
        directory: Path,
        generation: int,
        build: dict[str, Any],
        rows: Iterable[Row],
        keep_text: bool,
        vectors: np.ndarray | None = None,
    ) -> None:
        """Write a snapshot of ``rows`` from scratch (atomically replacing any other);
        ``vectors``, one row per chunk, are kept for exact dense search."""
        _write(directory, None, generation, build, set(), list(rows), keep_text, vectors)

    @staticmethod
    def update(
        directory: Path,
        generation: int,
        build: dict[str, Any],
        removed: set[str],
        added: list[Row],
        keep_text: bool,
        vectors: np.ndarray | None = None,
    ) -> None:
        """The saved snapshot minus ``removed`` plus ``added`` (ids in both are replaced);
        ``vectors`` are those of ``added``, given exactly when the snapshot keeps vectors."""
        old = CorpusSnapshot(directory)
        if old.has_text != keep_text or (old.vectors is None) != (vectors is None):
            raise ValueError("snapshot kind changed")
        gone = removed | {r[0] for r in added}
        _write(directory, old, generation, build, gone, added, keep_text, vectors)


def _write(
    directory: Path,
    old: CorpusSnapshot | None,
    generation: int,
    build: dict[str, Any],
    removed: set[str],
    added: list[Row],
    keep_text: bool,
    vectors: np.ndarray | None,
) -> None:
    """Write the next generation beside ``directory`` and swap it in."""
    if vectors is not None and len(vectors) != len(added):
        raise ValueError("one vector per added chunk")
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = directory.with_name(directory.name + f".tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    if old is not None:  # its rows and indexes whole, then only what changed is applied
        shutil.copyfile(old.db_path, tmp / DB_FILE)
    db = sqlite3.connect(str(tmp / DB_FILE), isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=OFF")  # a half-written folder is never swapped in
        if old is None:
            db.executescript(SCHEMA)
        db.execute("BEGIN")
        keep = np.zeros(0, dtype=bool)
        years = np.zeros(0, dtype=np.float64)
        # Records whose chunks this write removes or adds: their catalogue rows are remade.
        db.execute("CREATE TEMP TABLE touched (record_id TEXT PRIMARY KEY)")
        if old is not None:
            keep = _drop_chunks(db, len(old), removed)
            years = np.asarray(old.years)[keep]
        docs: list[list[int]] = []
        metas = [from_store(m) for _, _, m in added]
        token_lists = tokenize(
            [lexical_text(t, m) for (_, t, _), m in zip(added, metas, strict=True)]
        )
        # Only the added chunks' terms are looked up; term ids are dense, new ones come last.
        vocab = _known_terms(db, {tok for tokens in token_lists for tok in tokens})
        n_terms = int(db.execute("SELECT COUNT(*) FROM vocab").fetchone()[0])
        fresh: dict[str, int] = {}
        for tokens in token_lists:
            ids = []
            for tok in tokens:
                tid = vocab.get(tok)
                if tid is None:
                    tid = vocab[tok] = fresh[tok] = n_terms + len(fresh)
                ids.append(tid)
            docs.append(ids)
        db.executemany("INSERT INTO vocab VALUES (?, ?)", sorted(fresh.items()))
        db.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    int(keep.sum()) + i,
                    cid,
                    m.record_id or cid,
                    m.chunk,
                    fold("; ".join(m.authors)),
                    text if keep_text else None,
                    json.dumps(meta) if keep_text else None,
                )
                for i, ((cid, text, meta), m) in enumerate(zip(added, metas, strict=True))
            ],
        )
        _catalogue(db, old is not None, added, metas, keep_text)
        if old is None:
            for statement in INDEXES.split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute("COMMIT")
    finally:
        db.close()
    base = old.bm25 if old is not None else Bm25Arrays.from_docs([], 0)
    bm25 = base.updated(keep, docs, n_terms + len(fresh))
    bm25.save(tmp)
    new_years = np.array([np.nan if m.year is None else float(m.year) for m in metas])
    np.save(tmp / YEARS_FILE, np.concatenate([years, new_years]), allow_pickle=False)
    if vectors is not None:
        save_vectors(tmp / VECTORS_FILE, old, keep, vectors)
    header = {
        "format": FORMAT,
        "generation": generation,
        "build": build,
        "has_text": keep_text,
        "vectors": vectors is not None,
        "chunks": bm25.n_docs,
    }
    with open(tmp / HEADER_FILE, "w", encoding="utf-8") as fh:
        json.dump(header, fh)
    fsync_tree(tmp)
    swap = directory.with_name(directory.name + f".old-{os.getpid()}")
    if directory.exists():
        directory.rename(swap)
    tmp.rename(directory)
    shutil.rmtree(swap, ignore_errors=True)


def _drop_chunks(db: sqlite3.Connection, n_old: int, removed: set[str]) -> np.ndarray:
    """Delete the ``removed`` chunks from a copied snapshot database and close the gaps
    (positions stay dense and in order), noting their records as touched; returns which
    old positions were kept. The work follows what was removed, plus the rows after the
    first removed one: a run that only adds renumbers nothing."""
    db.execute("CREATE TEMP TABLE gone (chunk_id TEXT PRIMARY KEY)")
    db.executemany("INSERT OR IGNORE INTO gone VALUES (?)", [(c,) for c in removed])
    rows = db.execute(
        "SELECT c.pos, c.record_id FROM gone g JOIN chunks c ON c.chunk_id = g.chunk_id"
    ).fetchall()
    keep = np.ones(n_old, dtype=bool)
    if not rows:
        return keep
    db.executemany("INSERT OR IGNORE INTO touched VALUES (?)", [(r,) for _, r in rows])
    positions = sorted(int(p) for p, _ in rows)
    keep[positions] = False
    db.execute("CREATE TEMP TABLE gone_pos (pos INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO gone_pos VALUES (?)", [(p,) for p in positions])
    db.execute("DELETE FROM chunks WHERE pos IN (SELECT pos FROM gone_pos)")
    # Each later row moves down by the removed rows before it, through negative positions
    # so that no position is ever held by two rows at once.
    db.execute(
        "UPDATE chunks SET pos = -1 - (pos - (SELECT COUNT(*) FROM gone_pos g"
        " WHERE g.pos < chunks.pos)) WHERE pos > ?",
        (positions[0],),
    )
    db.execute("UPDATE chunks SET pos = -pos - 1 WHERE pos < 0")
    return keep


def _known_terms(db: sqlite3.Connection, terms: set[str]) -> dict[str, int]:
    """The ids of those ``terms`` the vocabulary already holds."""
    sql = "SELECT term, id FROM vocab WHERE term IN {IN}"
    return dict(select_in(run_on(db), sql, sorted(terms)))


def _catalogue(
    db: sqlite3.Connection,
    update: bool,
    added: list[Row],
    metas: list[Any],
    keep_text: bool,
) -> None:
    """Write the catalogue of the new generation: the old one's rows for records this run
    did not touch, and fresh rows for those it did (their first chunk's metadata)."""
    fresh = {cid: meta for cid, _, meta in added}
    db.executemany(
        "INSERT OR IGNORE INTO touched VALUES (?)",
        [(m.record_id or r[0],) for r, m in zip(added, metas, strict=True)],
    )
    known: dict[str, dict[str, Any]] = {}
    if update:  # the copied catalogue: the touched records' rows go (read first)
        known = {
            cid: json.loads(meta)
            for cid, meta in db.execute(
                "SELECT chunk_id, metadata FROM records"
                " WHERE record_id IN (SELECT record_id FROM touched)"
            )
        }
        for table in catalog.RECORD_TABLES:
            db.execute(f"DELETE FROM {table} WHERE record_id IN (SELECT record_id FROM touched)")
    firsts = db.execute(
        "SELECT record_id, chunk_id, MIN(idx), COUNT(*), metadata FROM chunks"
        " WHERE record_id IN (SELECT record_id FROM touched) GROUP BY record_id"
    ).fetchall()
    rows = []
    for record_id, chunk_id, _, count, stored in firsts:
        meta = fresh.get(chunk_id) or known.get(chunk_id)
        if meta is None and keep_text and stored:
            meta = json.loads(stored)
        if meta is None:  # cannot happen for a consistent run: the caller rebuilds
            raise ValueError(f"no metadata for the first chunk of {record_id}")
        rows.append((record_id, chunk_id, int(count), meta))
    catalog.put_records(db, rows, replace=False)  # touched records were not copied
    catalog.add_lower_words(db, catalog.lower_words_of(text for _, text, _ in added))
