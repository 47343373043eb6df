"""The embedded store's file stamp: any write to the database file changes it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from index.store import CHROMA_DB, ChromaStore


def make_db(folder: Path, journal: str = "DELETE") -> sqlite3.Connection:
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(folder / CHROMA_DB), isolation_level=None)
    db.execute(f"PRAGMA journal_mode={journal}")
    db.execute("CREATE TABLE t (x INTEGER)")
    return db


def test_every_committed_write_changes_the_stamp(tmp_path: Path):
    store = ChromaStore(tmp_path / "chroma", "corpus")
    assert store.disk_stamp() is None  # no store yet
    db = make_db(tmp_path / "chroma")
    before = store.disk_stamp()
    assert before is not None and store.disk_stamp() == before  # reading changes nothing
    db.execute("SELECT COUNT(*) FROM t").fetchone()
    assert store.disk_stamp() == before
    db.execute("INSERT INTO t VALUES (1)")
    after = store.disk_stamp()
    assert after is not None and after["changes"] != before["changes"]
    db.execute("UPDATE t SET x = 2")  # same size, maybe the same mtime tick: still seen
    assert store.disk_stamp() != after


def test_no_stamp_when_it_cannot_be_trusted(tmp_path: Path):
    wal = ChromaStore(tmp_path / "wal", "corpus")
    make_db(tmp_path / "wal", "WAL")  # WAL mode does not keep the header's change counter
    assert wal.disk_stamp() is None
    journal = ChromaStore(tmp_path / "j", "corpus")
    make_db(tmp_path / "j").close()
    assert journal.disk_stamp() is not None
    (tmp_path / "j" / f"{CHROMA_DB}-journal").write_bytes(b"")  # a transaction not finished
    assert journal.disk_stamp() is None
    server = ChromaStore(tmp_path / "j", "corpus", "http://127.0.0.1:9")
    assert server.disk_stamp() is None  # a server's files are not ours to look at
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / CHROMA_DB).write_bytes(b"not a database" * 20)
    assert ChromaStore(tmp_path / "junk", "corpus").disk_stamp() is None
