"""Writing the index: records and their chunks into Chroma and the manifest, crash-safely.

Crash safety rests on three rules. Chunk ids are content hashes, so writing one twice is
harmless. The manifest (SQLite, transactional) is updated only after Chroma holds the new
chunks, and chunks this client wrote that the manifest does not list are deleted at the
start of the next run (:meth:`IndexWriter.reconcile`). The generation counter is bumped
last, so readers keep using the previous lexical snapshot until a run has finished.

On a shared Chroma server each client keeps its own manifest; every chunk carries the id of
the client that wrote it, and a client only ever cleans up chunks it wrote itself.

A run with nothing to write does not open Chroma at all (importing ``chromadb`` and opening
a large collection cost seconds): a clean run ends by recording what the embedded store's
database file looked like once its chunk count matched the manifest
(:meth:`index.store.ChromaStore.disk_stamp`, kept in the manifest as ``store``); while the
file still looks exactly so, no process has written the store since, so it still holds
what the manifest lists. Anything else (a killed run, another build, a server store, any
write or even any client started on that store) opens and checks it as before.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.codec import chunk_meta, from_store, record_of, to_store
from index.lexical import CorpusSnapshot
from index.manifest import FileRow, Manifest
from index.writing import Published, WriterHost, delete_ids
from vocab.record import Chunk, Record

if TYPE_CHECKING:
    from index.store import BuildInfo, ChromaStore


SCAN_PAGE = 10_000
ADOPTED = "adopted"  # the fingerprint of a record listed again from the store (reconcile)
STORE_STAMP = "store"  # manifest info: the store as a clean run left it (see the docstring)


class IndexWriter:
    """The one way to change the index; get it from :meth:`index.core.Index.writer`."""

    ADOPTED = ADOPTED  # a fingerprint: the record was taken back from the store (reconcile)

    def __init__(
        self,
        index: WriterHost,
        collection: Any,
        manifest: Manifest,
        writer_id: str,
        unclean: bool = True,
        open_store: Callable[[], Any] | None = None,
        *,
        store: ChromaStore,
        snapshot_dir: Path,
        killed: bool = False,
    ):
        """``collection`` None: the store is untouched since the last clean run
        (:meth:`store_untouched`) and is opened with ``open_store`` only if needed."""
        self._index = index
        self._store = store
        self._snapshot_dir = snapshot_dir
        self._col_or_none = collection
        self._open_store = open_store
        self._opening: threading.Thread | None = None  # see open_store_soon
        self._opened: Any = None
        self._untouched = collection is None  # as the last clean run left it, at the start
        self._manifest = manifest
        self.writer_id = writer_id
        # The previous writer was killed: its bookkeeping may lag the store and the files.
        self.unclean = unclean
        self.killed = killed  # the last run was killed: what it never listed is left-over
        self.embedded = 0  # chunks embedded by this writer
        self._touched: set[str] = set()  # chunk ids written, re-labelled or deleted
        self.scanned = False  # reconcile compared every id (records may have been re-queued)
        self.adopted = 0  # records the manifest had lost, listed again from the store

    # -- the store, opened only when needed ---------------------------------------------
    @staticmethod
    def store_untouched(store: ChromaStore, manifest: Manifest, build: BuildInfo) -> bool:
        """Whether the store is as the last clean run left it, built like ``build``: then
        a writer need not open it unless it has something to write."""
        try:
            saved = json.loads(manifest.get_info(STORE_STAMP) or "null")
        except (ValueError, sqlite3.Error):  # a damaged manifest: opening the store says so
            return False
        disk = store.disk_stamp()
        same = disk is not None and isinstance(saved, dict) and saved.get("disk") == disk
        return same and saved.get("build") == build.as_metadata()

    @property
    def _col(self) -> Any:
        if self._col_or_none is None:
            if self._opening is not None:
                self._opening.join()
                self._opening = None
                if isinstance(self._opened, BaseException):
                    raise self._opened
                self._col_or_none = self._opened
            else:
                if self._open_store is None:
                    raise RuntimeError("IndexWriter without a collection or a way to open it")
                self._col_or_none = self._open_store()
        return self._col_or_none

    def settle(self) -> None:
        """Wait for a background opening of the store to end (the writer is done)."""
        if self._opening is not None:
            self._opening.join()
            self._opening = None

    def open_store_soon(self) -> None:
        """Start opening the store in the background: the caller will write. Importing
        chromadb and loading the collection (~1 s, more with the corpus) then overlap the
        reading, chunking and embedding that come first; the first write waits for it."""
        if self._col_or_none is not None or self._opening is not None:
            return
        if self._open_store is None:
            return

        def run(open_store: Callable[[], Any]) -> None:
            try:
                self._opened = open_store()
            except BaseException as err:  # noqa: BLE001 - raised by the first write
                self._opened = err

        self._opening = threading.Thread(
            target=run, args=(self._open_store,), name="open-store", daemon=True
        )
        self._opening.start()

    def _saved_stamp(self) -> dict[str, Any]:
        try:
            saved = json.loads(self._manifest.get_info(STORE_STAMP) or "{}")
        except ValueError:
            return {}
        return saved if isinstance(saved, dict) else {}

    def _remember_store(self, generation: int) -> None:
        """Record the store's file as this finished run leaves it, once its chunk count
        is checked against the manifest (stamp first: a write after it changes the file)."""
        store = self._store
        disk = store.disk_stamp()
        stamp = None
        if disk is not None and self._col.count() == self._manifest.counts()[1]:
            stamp = {
                "disk": disk,
                "build": store.build_of(self._col),
                "generation": generation,
                "collection": store.identity(self._col),
            }
        with self._manifest.transaction():
            self._manifest.set_info(STORE_STAMP, json.dumps(stamp, sort_keys=True))

    # -- files (ingest's bookkeeping of what it read) ----------------------------------
    def files(self, records: bool = True) -> dict[str, FileRow]:
        """Every file the index knows, by key (``records=False``: their records left empty)."""
        return self._manifest.files(records)

    def file_rows(self, keys: Iterable[str]) -> dict[str, FileRow]:
        """These files' rows, records included."""
        return self._manifest.file_rows(keys)

    def keys_of_files(self, keys: Iterable[str]) -> set[str]:
        """Link keys of the records these files hold."""
        return self._manifest.keys_of_files(keys)

    def files_with_keys(self, link_keys: Iterable[str]) -> set[str]:
        """Files holding a record with any of these link keys."""
        return self._manifest.files_with_keys(link_keys)

    def records_of_files(self, keys: Iterable[str]) -> set[str]:
        """Indexed records merged (partly) from these files."""
        return self._manifest.records_of_files(keys)

    @property
    def linked(self) -> bool:
        """Whether every file's link keys and every record's files are recorded."""
        return self._manifest.get_info("linked") == "1"

    def link(
        self,
        file_keys: dict[str, list[str]],
        record_files: dict[str, set[str]],
        complete: bool,
    ) -> None:
        """Record files' link keys and records' source files; ``complete``: all of them."""
        with self._manifest.transaction():
            if complete:
                self._manifest.set_info("linked", "0")
                self._manifest.db.execute("DELETE FROM file_keys")
                self._manifest.db.execute("DELETE FROM record_files")
            for path, keys in file_keys.items():
                self._manifest.set_file_keys(path, keys)
            for rid, paths in record_files.items():
                self._manifest.set_record_files(rid, paths)
            if complete:
                self._manifest.set_info("linked", "1")

    def touch_file(self, row: FileRow) -> None:
        """Remember a file's new size, mtime and root (its content is unchanged)."""
        with self._manifest.transaction():
            self._manifest.touch_file(row)

    def put_file(self, row: FileRow) -> None:
        """Remember one file's row."""
        with self._manifest.transaction():
            self._manifest.put_file(row)

    def delete_files(self, keys: Iterable[str]) -> None:
        """Forget these files (their records go at the next :meth:`sync`)."""
        keys = list(keys)
        if keys:
            with self._manifest.transaction():
                self._manifest.delete_files(keys)

    def add_roots(self, roots: Iterable[str]) -> None:
        """Remember folders or files ingest was given (what ``--rebuild`` re-reads)."""
        self._index.set_roots([*self._index.roots(), *roots])

    def drop_roots(self, roots: Iterable[str]) -> None:
        """Forget roots that were removed from the index (and anything under them)."""
        gone = set(roots)
        sep = os.sep
        keep = [
            r for r in self._index.roots() if not any(r == g or r.startswith(g + sep) for g in gone)
        ]
        self._index.set_roots(keep)

    def replace_files(self, rows: Sequence[FileRow]) -> None:
        """Make ``rows`` the only files the index knows (one corpus file, e.g. a BEIR set)."""
        keep = {r.path for r in rows}
        with self._manifest.transaction():
            self._manifest.delete_files([p for p in self._manifest.files() if p not in keep])
            for row in rows:
                self._manifest.put_file(row)

    # -- records -----------------------------------------------------------------------
    def fingerprints(self, record_ids: Iterable[str] | None = None) -> dict[str, str]:
        """Fingerprint of every indexed record (or of these, where indexed), by record id."""
        return self._manifest.fingerprints(record_ids)

    def reconcile(self) -> int:
        """Delete chunks a killed run of this client left behind; re-queue vanished records;
        take back records the manifest lost.

        Returns how many left-over chunks were removed. Records whose chunks are missing
        from the store (a lost folder, a server restarted empty) lose their manifest entry,
        so the next :meth:`write` embeds them again. Chunks of a record the manifest does
        not know at all (an older or damaged manifest) are papers, not left-overs: they are
        listed again (:meth:`_adopt`), never deleted. Left-overs are chunks of a record the
        manifest lists under other chunk ids (an interrupted update), and everything a killed
        run wrote but did not list (it re-writes them from the files).
        """
        if not self.unclean and (self._untouched or not self._counts_disagree()):
            return 0  # a clean last run left nothing behind: no scan of every id
        self.scanned = True
        listed = self._manifest.chunk_ids()
        in_store = self._stored_ids()
        mine = in_store if not self._index.shared else self._stored_ids(self.writer_id)
        known = set(self._manifest.fingerprints())
        unlisted = mine - listed
        # after a killed run, unlisted chunks are its half-written left-overs
        orphans = sorted(c for c in unlisted if self.killed or record_of(c) in known)
        self.adopted = self._adopt(sorted(set(unlisted) - set(orphans)))
        delete_ids(self._col, orphans)
        missing = listed - in_store
        if missing:
            with self._manifest.transaction():
                self._manifest.delete_records({record_of(cid) for cid in missing})
        return len(orphans)

    def _adopt(self, chunk_ids: list[str]) -> int:
        """List again, from the store, records whose chunks the manifest lost; returns how
        many. Their fingerprint marks them (:data:`ADOPTED`): the file that holds such a
        paper, once read, rewrites it under its own fingerprint (same chunks, nothing
        embedded), and until then no re-merge treats it as gone."""
        by_record: dict[str, list[tuple]] = {}
        for start in range(0, len(chunk_ids), SCAN_PAGE):
            got = self._col.get(
                ids=chunk_ids[start : start + SCAN_PAGE], include=["documents", "metadatas"]
            )
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                flat = dict(meta or {})
                index = int(flat.get("chunk", 0))
                by_record.setdefault(record_of(cid), []).append((cid, index, text or "", flat))
        with self._manifest.transaction():
            for rid, rows in by_record.items():
                rows.sort(key=lambda r: r[1])
                first = from_store(rows[0][3])
                record = {
                    "record_id": rid,
                    "title": first.title,
                    "authors": list(first.authors),
                    "year": first.year,
                    "venue": first.venue,
                    "doi": first.doi,
                    "path": first.path,
                    "kind": first.kind,
                }
                chunks = [(cid, idx, text, text, meta) for cid, idx, text, meta in rows]
                self._manifest.put_record(rid, ADOPTED, record, chunks)
        return len(by_record)

    def _counts_disagree(self) -> bool:
        """Whether the store holds fewer chunks than listed (a lost folder, a server
        restarted empty) or, embedded, any other number."""
        stored, listed = self._col.count(), self._manifest.counts()[1]
        return stored < listed or (not self._index.shared and stored != listed)

    def _stored_ids(self, writer: str | None = None) -> set[str]:
        where = {"writer": writer} if writer else None
        out: set[str] = set()
        offset = 0
        while True:
            got = self._col.get(include=[], where=where, limit=SCAN_PAGE, offset=offset)
            out.update(got["ids"])
            if len(got["ids"]) < SCAN_PAGE:
                return out
            offset += SCAN_PAGE

    def write(
        self,
        items: Sequence[tuple[Record, str, list[Chunk]]],
        embed: Callable[[list[str]], np.ndarray],
    ) -> None:
        """Store records with their fingerprints and chunks; only new chunk texts are embedded."""
        old_ids = {rec.record_id: self._manifest.chunk_ids(rec.record_id) for rec, _, _ in items}
        new: list[tuple[Chunk, dict[str, Any]]] = []
        kept: list[tuple[Chunk, dict[str, Any]]] = []
        for record, _, chunks in items:
            for c in chunks:
                meta = to_store(chunk_meta(record, c, len(chunks), self.writer_id, c.language))
                (kept if c.chunk_id in old_ids[record.record_id] else new).append((c, meta))
        if new:
            vectors = embed([c.embed_text for c, _ in new])
            self._col.upsert(
                ids=[c.chunk_id for c, _ in new],
                embeddings=vectors,
                documents=[c.text for c, _ in new],
                metadatas=[m for _, m in new],
            )
            self.embedded += len(new)
        if kept:  # same text (the id is its hash), same vector: only metadata may change
            self._col.update(ids=[c.chunk_id for c, _ in kept], metadatas=[m for _, m in kept])
        metas = {c.chunk_id: m for c, m in new + kept}
        self._touched.update(metas)
        with self._manifest.transaction():
            for record, fingerprint, chunks in items:
                self._manifest.put_record(
                    record.record_id,
                    fingerprint,
                    record.to_dict(),
                    [
                        (c.chunk_id, c.index, c.text, c.embed_text, metas[c.chunk_id])
                        for c in chunks
                    ],
                )
        stale = set().union(*old_ids.values()) - set(metas)
        self._touched.update(stale)
        delete_ids(self._col, sorted(stale))

    def delete_records(self, record_ids: Iterable[str]) -> None:
        """Remove records and their chunks."""
        record_ids = list(record_ids)
        if not record_ids:
            return
        stale: set[str] = set()
        for rid in record_ids:
            stale |= self._manifest.chunk_ids(rid)
        # The store first: a run killed in between leaves listed chunks missing from the
        # store (re-queued, then dropped as gone), never unlisted ones that would be taken
        # back as a lost paper.
        self._touched.update(stale)
        delete_ids(self._col, sorted(stale))
        with self._manifest.transaction():
            self._manifest.delete_records(record_ids)

    def publish(self, changed: bool) -> Published:
        """Bump the generation (when anything changed) and save the matching lexical index."""
        if not changed and self._col_or_none is None and self._opening is None:  # unopened
            saved = self._saved_stamp()
            header = CorpusSnapshot.peek(self._snapshot_dir)
            if header is not None and header == (saved.get("generation"), saved.get("collection")):
                return Published(int(saved["generation"]), *self._manifest.counts())
        touched = None if self.unclean else self._touched
        gen = self._index.publish(self._col, self._manifest, changed, touched)
        self._remember_store(gen)
        records, chunks = self._manifest.counts()
        return Published(gen, records, chunks)
