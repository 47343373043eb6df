"""Ingest bookkeeping in SQLite: which files were seen, what they held, what is indexed.

The manifest is what makes ingest incremental and crash-safe: every file's parsed
records are kept here, and each indexed record remembers its fingerprint and chunk ids,
so a re-run embeds only what changed and can find chunks a killed run left behind.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.sql import run_on, select_in
from vocab.errors import StoreError

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, root TEXT NOT NULL, display TEXT NOT NULL,
    size INTEGER, mtime_ns INTEGER, sha256 TEXT,
    status TEXT NOT NULL, reason TEXT, records TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS records (
    record_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, record_id TEXT NOT NULL, idx INTEGER NOT NULL,
    text TEXT NOT NULL, embed_text TEXT NOT NULL, metadata TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_record ON chunks(record_id);
CREATE TABLE IF NOT EXISTS file_keys (path TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS file_keys_by_key ON file_keys(key);
CREATE INDEX IF NOT EXISTS file_keys_by_path ON file_keys(path);
CREATE TABLE IF NOT EXISTS record_files (record_id TEXT NOT NULL, path TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS record_files_by_record ON record_files(record_id);
CREATE INDEX IF NOT EXISTS record_files_by_path ON record_files(path);
CREATE TABLE IF NOT EXISTS info (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class FileRow:
    """What the manifest remembers of one file."""

    path: str
    root: str
    display: str
    size: int | None
    mtime_ns: int | None
    sha256: str | None
    status: str  # "ok" or "skipped"
    reason: str | None
    records: list[dict[str, Any]]


class Manifest:
    """One SQLite file per collection, in WAL mode so readers never block the writer."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self.db = sqlite3.connect(str(path), timeout=5.0, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as err:
            raise StoreError(
                f"The ingest manifest {path} is damaged ({err}); the next `assistant ingest` "
                "sets it aside and lists the papers again from the store."
            ) from None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: all of it lands, or none of it."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- files -------------------------------------------------------------------------
    def files(self, records: bool = True) -> dict[str, FileRow]:
        """Every file the manifest knows, by absolute path (``records=False``: rows with
        empty records, for comparing files without parsing what they held)."""
        column = "records" if records else "NULL"
        rows = self.db.execute(
            f"SELECT path, root, display, size, mtime_ns, sha256, status, reason, {column} "
            "FROM files"
        )
        if not records:  # every file on every run: no JSON parsed for an empty list
            return {r[0]: FileRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], []) for r in rows}
        return {
            r[0]: FileRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]))
            for r in rows
        }

    def touch_file(self, row: FileRow) -> None:
        """Update a file's size, mtime and root only (its records stay as stored)."""
        self.db.execute(
            "UPDATE files SET size=?, mtime_ns=?, root=? WHERE path=?",
            (row.size, row.mtime_ns, row.root, row.path),
        )

    def put_file(self, row: FileRow) -> None:
        """Insert or replace one file's row."""
        self.db.execute(
            "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?)",
            (
                row.path,
                row.root,
                row.display,
                row.size,
                row.mtime_ns,
                row.sha256,
                row.status,
                row.reason,
                json.dumps(row.records, ensure_ascii=False),
            ),
        )

    def delete_files(self, paths: Iterable[str]) -> None:
        """Forget these files."""
        rows = [(p,) for p in paths]
        self.db.executemany("DELETE FROM files WHERE path=?", rows)
        self.db.executemany("DELETE FROM file_keys WHERE path=?", rows)

    def file_rows(self, paths: Iterable[str]) -> dict[str, FileRow]:
        """These files' rows, with their records (unknown paths left out)."""
        sql = (
            "SELECT path, root, display, size, mtime_ns, sha256, status, reason, records "
            "FROM files WHERE path IN {IN}"
        )
        rows = select_in(run_on(self.db), sql, sorted(set(paths)))
        return {
            r[0]: FileRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]))
            for r in rows
        }

    # -- what links files and records (for re-merging only what a change touches) ------
    def set_file_keys(self, path: str, keys: Iterable[str]) -> None:
        """The link keys of the records a file holds (replacing what was stored)."""
        self.db.execute("DELETE FROM file_keys WHERE path=?", (path,))
        self.db.executemany("INSERT INTO file_keys VALUES (?,?)", [(path, k) for k in set(keys)])

    def keys_of_files(self, paths: Iterable[str]) -> set[str]:
        """Link keys of these files' records."""
        return self._lookup("SELECT key FROM file_keys WHERE path IN {IN}", paths)

    def files_with_keys(self, keys: Iterable[str]) -> set[str]:
        """Files holding a record with any of these link keys."""
        return self._lookup("SELECT path FROM file_keys WHERE key IN {IN}", keys)

    def records_of_files(self, paths: Iterable[str]) -> set[str]:
        """Indexed records made (partly) from these files."""
        return self._lookup("SELECT record_id FROM record_files WHERE path IN {IN}", paths)

    def _lookup(self, sql: str, values: Iterable[str]) -> set[str]:
        return {r[0] for r in select_in(run_on(self.db), sql, sorted(set(values)))}

    def set_record_files(self, record_id: str, paths: Iterable[str]) -> None:
        """Which files an indexed record was merged from."""
        self.db.execute("DELETE FROM record_files WHERE record_id=?", (record_id,))
        rows = [(record_id, p) for p in sorted(set(paths))]
        self.db.executemany("INSERT INTO record_files VALUES (?,?)", rows)

    def get_info(self, name: str) -> str | None:
        """A bookkeeping flag."""
        row = self.db.execute("SELECT value FROM info WHERE name=?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_info(self, name: str, value: str) -> None:
        """Set a bookkeeping flag."""
        self.db.execute("INSERT OR REPLACE INTO info VALUES (?,?)", (name, value))

    # -- records and chunks ------------------------------------------------------------
    def fingerprints(self, record_ids: Iterable[str] | None = None) -> dict[str, str]:
        """Fingerprint of every indexed record (or of these, where indexed), by record id."""
        if record_ids is None:
            return dict(self.db.execute("SELECT record_id, fingerprint FROM records"))
        sql = "SELECT record_id, fingerprint FROM records WHERE record_id IN {IN}"
        return dict(select_in(run_on(self.db), sql, sorted(set(record_ids))))

    def chunk_ids(self, record_id: str | None = None) -> set[str]:
        """Ids of the chunks of one record, or of all chunks."""
        if record_id is None:
            return {r[0] for r in self.db.execute("SELECT chunk_id FROM chunks")}
        cur = self.db.execute("SELECT chunk_id FROM chunks WHERE record_id=?", (record_id,))
        return {r[0] for r in cur}

    def put_record(
        self, record_id: str, fingerprint: str, record: dict[str, Any], chunks: list[tuple]
    ) -> None:
        """Replace a record and its chunks ``(chunk_id, idx, text, embed_text, metadata)``."""
        self.db.execute("DELETE FROM chunks WHERE record_id=?", (record_id,))
        self.db.execute(
            "INSERT OR REPLACE INTO records VALUES (?,?,?)",
            (record_id, fingerprint, json.dumps(record, ensure_ascii=False)),
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?)",
            [
                (c[0], record_id, c[1], c[2], c[3], json.dumps(c[4], ensure_ascii=False))
                for c in chunks
            ],
        )

    def delete_records(self, record_ids: Iterable[str]) -> None:
        """Forget these records and their chunks."""
        ids = [(r,) for r in record_ids]
        self.db.executemany("DELETE FROM chunks WHERE record_id=?", ids)
        self.db.executemany("DELETE FROM records WHERE record_id=?", ids)
        self.db.executemany("DELETE FROM record_files WHERE record_id=?", ids)

    def forget_fingerprint(self, record_id: str) -> None:
        """Mark a record as needing re-indexing (its chunks went missing from Chroma)."""
        self.db.execute("UPDATE records SET fingerprint='' WHERE record_id=?", (record_id,))

    def all_chunks(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Every chunk as ``(chunk_id, text, embed_text, metadata)`` in a stable order."""
        rows = self.db.execute(
            "SELECT chunk_id, text, embed_text, metadata FROM chunks ORDER BY record_id, idx"
        )
        return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def chunks(self, chunk_ids: list[str]) -> list[tuple[str, str, str, dict[str, Any]]]:
        """These chunks as ``(chunk_id, text, embed_text, metadata)`` (unknown ids left out)."""
        out = []
        for start in range(0, len(chunk_ids), 500):
            part = chunk_ids[start : start + 500]
            rows = self.db.execute(
                "SELECT chunk_id, text, embed_text, metadata FROM chunks WHERE chunk_id IN "
                f"({','.join('?' * len(part))}) ORDER BY record_id, idx",
                part,
            )
            out += [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]
        return out

    def counts(self) -> tuple[int, int]:
        """(records, chunks) indexed."""
        recs = self.db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        chunks = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return recs, chunks


class ManifestTexts:
    """Chunk texts and metadata from an embedded store's manifest, one SQL read at a time."""

    def __init__(self, path: Path, immutable: bool = False) -> None:
        # Read-only: a deleted manifest must not be re-created empty by a question.
        mode = "immutable=1" if immutable else "mode=ro"
        uri = f"{path.resolve().as_uri()}?{mode}"
        self._db = sqlite3.connect(uri, uri=True, timeout=5.0, check_same_thread=False)
        self._lock = threading.Lock()

    @classmethod
    def holding(
        cls, path: Path, chunks: int, chunk_ids: Callable[[], Iterable[str]] | None = None
    ) -> ManifestTexts | None:
        """The manifest's texts if it is readable and lists ``chunks`` chunks, else None
        (deleted, truncated, or an older copy that lost rows: answer from the store).
        With ``chunk_ids`` (the snapshot's), a manifest listing a different number still
        serves when it holds every one of them: a writer's pass under way adds rows before
        it publishes (chunk ids are content hashes: the same id, the same text).

        Where SQLite cannot make the WAL's shared-memory file (a read-only file system, a
        full disk) the manifest is read as immutable: nobody can be writing it there."""
        for immutable in (False, True):
            try:
                texts = cls(path, immutable)
                if texts.query("SELECT COUNT(*) FROM chunks")[0][0] == chunks:
                    return texts
                if chunk_ids is not None and texts.holds(chunk_ids()):
                    return texts
                texts._db.close()
                return None
            except sqlite3.OperationalError:
                continue  # cannot be opened this way: try the other
            except sqlite3.Error:
                return None
        return None

    def holds(self, chunk_ids: Iterable[str]) -> bool:
        """Whether every one of these chunks has its row here."""
        wanted = list(dict.fromkeys(chunk_ids))
        sql = "SELECT COUNT(*) FROM chunks WHERE chunk_id IN {IN}"
        return sum(n for (n,) in select_in(self.query, sql, wanted)) == len(wanted)

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        """Rows of one read-only statement (the manifest's ``chunks`` table)."""
        with self._lock:
            return self._db.execute(sql, tuple(args)).fetchall()
