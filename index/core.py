"""The index's owner: one object holds the Chroma collection, the build stamp, the
generation, the manifest, the lexical snapshot and the writer lock.

Readers get an :class:`~index.reader.IndexReader` (a view of one generation); writers get
an :class:`~index.writer.IndexWriter` inside :meth:`Index.writer`, which holds the lock.
Nothing else ever sees the Chroma collection.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.lexical import CorpusSnapshot
from index.lock import client_id, known_client_id, write_lock, writer_running
from index.manifest import Manifest, ManifestTexts
from index.reader import IndexReader
from index.snapbuild import snapshot_from_store, stored_ids, update_snapshot, vectors_of
from index.store import BuildInfo, ChromaStore, check_build, check_collection_name
from index.writer import IndexWriter
from vocab.errors import AssistantError, StoreError, filesystem_error

ROOTS_FILE = "roots.json"
PREVIOUS_MANIFEST = "manifest.previous.sqlite"  # the manifest a running --rebuild replaces
DIRTY_FILE = "writer-running"  # present while a writer runs; left behind by a killed one


@dataclass
class IndexStatus:
    """What ``doctor`` reports about the index."""

    location: str
    collection: str
    exists: bool = False
    records: int = 0
    chunks: int = 0  # in the store (this client's, on a shared server)
    listed: int = 0  # in this client's manifest
    generation: int = 0
    build: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class Index:
    """One corpus: a Chroma collection (embedded under ``home`` or on a server) and the
    bookkeeping beside it under ``home/index/<collection>``."""

    def __init__(self, home: Path, collection: str = "corpus", chroma_url: str | None = None):
        self.home = home
        self.collection = check_collection_name(collection)
        self.chroma_url = chroma_url
        tag = self.collection
        if chroma_url:  # bookkeeping for a server store is kept apart from the local one
            tag += "@" + hashlib.sha256(chroma_url.encode()).hexdigest()[:8]
        self.dir = home / "index" / tag
        self._store = ChromaStore(home / "chroma", self.collection, chroma_url)
        self._manifest: Manifest | None = None
        # The store file as this process's last writer left it (a long-lived writer keeps
        # its Chroma client between writes; see _drop_stale_client).
        self._left: dict[str, int] | None = None

    @property
    def where(self) -> str:
        """Human description of the store's location."""
        return self._store.where

    @property
    def shared(self) -> bool:
        """Whether other clients may write the same collection (a Chroma server)."""
        return self.chroma_url is not None

    @property
    def manifest(self) -> Manifest:
        """This client's bookkeeping (SQLite)."""
        if self._manifest is None:
            self._manifest = Manifest(self.dir / "manifest.sqlite")
        return self._manifest

    def close(self) -> None:
        """Release the manifest connection."""
        if self._manifest is not None:
            self._manifest.close()
            self._manifest = None

    # -- reading -----------------------------------------------------------------------
    def version(self) -> tuple[str, int] | None:
        """(collection id, generation), cheap: tells a reader whether it is stale.

        An embedded index answers from its snapshot's small header file (the writer saves
        the snapshot last), so a reader never opens Chroma; a server's clients ask it."""
        if not self.shared:
            header = CorpusSnapshot.peek(self._snapshot_dir)
            if header is not None and header[1] is not None:
                return header[1], header[0]
        col = self._store.read_collection()
        if col is None:
            return None
        return self._store.identity(col), self._store.generation(col)

    def reader(self, embedder: tuple[str, int] | None = None) -> IndexReader | None:
        """A reader over the current generation; None while the index is empty.

        ``embedder`` (name, dimension) is checked against how the index was built: queries
        must be embedded like the chunks were. An embedded index is read from its snapshot
        alone (vectors included): Chroma is not opened. A missing or old snapshot is rebuilt
        from Chroma, once."""
        if not self.shared:
            snap = CorpusSnapshot.load(self._snapshot_dir)
            if snap is not None and snap.vectors is not None and "collection" in snap.build:
                if not len(snap):
                    return None
                if embedder is not None:
                    check_build(snap.build, BuildInfo(embedder[0], embedder[1], ""), False)
                texts = None
                if not snap.has_text:
                    # The manifest (in a --rebuild, the one it replaced) holds the texts; while
                    # a pass is under way, one holding every snapshot chunk serves; else the store.
                    sql, running = "SELECT chunk_id FROM chunks", writer_running(self.dir)
                    ids = (lambda: (c for (c,) in snap.query(sql))) if running else None
                    held = ManifestTexts.holding(self.dir / "manifest.sqlite", len(snap), ids)
                    held = held or ManifestTexts.holding(self.dir / PREVIOUS_MANIFEST, len(snap))
                    if held is None:
                        return self._reader_with_texts_from_store(embedder)
                    texts = held.query
                return IndexReader(self._collection, snap, snap.build["collection"], texts)
        from index.remote import RemoteError  # stdlib HTTP: kept off the snapshot's fast path

        try:
            return self._reader_from_store(embedder)
        except RemoteError as err:  # the server failed after answering the first call
            raise self._store.remote_error(err) from None

    def _reader_from_store(self, embedder: tuple[str, int] | None) -> IndexReader | None:
        """A reader whose generation the store names (a server's clients; an embedded
        index whose snapshot is missing or old), its snapshot rebuilt when stale."""
        col = self._store.read_collection()
        if col is None or col.count() == 0:
            return None
        if embedder is not None:
            self._store.check_build(col, BuildInfo(embedder[0], embedder[1], ""), for_write=False)
        identity, gen = self._store.identity(col), self._store.generation(col)
        snap = CorpusSnapshot.load(self._snapshot_dir)
        if snap is None or snap.generation != gen or snap.build.get("collection") != identity:
            # Built from the store once per generation and kept: the next process (a
            # server client's next start) opens it instead of rebuilding.
            where = self._snapshot_dir
            try:
                snapshot_from_store(col, gen, where, self._build_stamp(col), not self.shared)
            except OSError:  # a read-only home still answers, rebuilding each time
                where = Path(tempfile.mkdtemp(prefix="assistant-lexical-")) / "lexical"
                snapshot_from_store(col, gen, where, self._build_stamp(col), not self.shared)
            snap = CorpusSnapshot.load(where)
            if snap is None:
                raise StoreError(f"The lexical index in {where} could not be written or read.")
        texts = None if snap.has_text else self._manifest_texts()
        return IndexReader(lambda: col, snap, identity, texts)  # the collection just read

    def _reader_with_texts_from_store(self, embedder: tuple[str, int] | None) -> IndexReader | None:
        """A reader whose snapshot, texts included, is made afresh from the store in a
        temporary folder (the manifest beside the saved one cannot serve its texts); the
        next ``ingest`` mends the manifest."""
        col = self._store.read_collection()
        if col is None or col.count() == 0:
            return None
        if embedder is not None:
            self._store.check_build(col, BuildInfo(embedder[0], embedder[1], ""), for_write=False)
        where = Path(tempfile.mkdtemp(prefix="assistant-lexical-")) / "lexical"
        snapshot_from_store(
            col, self._store.generation(col), where, self._build_stamp(col), not self.shared
        )
        snap = CorpusSnapshot.load(where)
        if snap is None:
            raise StoreError(f"The lexical index in {where} could not be written or read.")
        return IndexReader(lambda: col, snap, self._store.identity(col))

    def _manifest_texts(self) -> Any:
        """Chunk texts and metadata from the manifest (embedded: it holds every chunk's)."""
        return ManifestTexts(self.dir / "manifest.sqlite").query

    def _collection(self) -> Any:
        """The Chroma collection, opened on first need (a server's dense search)."""
        col = self._store.read_collection()
        if col is None:
            raise StoreError(f"The collection {self.collection!r} is gone from {self.where}.")
        return col

    @property
    def _snapshot_dir(self) -> Path:
        return self.dir / "lexical"

    def _build_stamp(self, col: Any) -> dict[str, Any]:
        return {**self._store.build_of(col), "collection": self._store.identity(col)}

    # -- writing -----------------------------------------------------------------------
    @contextmanager
    def writer(self, build: BuildInfo, rebuild: bool = False) -> Iterator[IndexWriter]:
        """Hold the writer lock and give the one writer; ``rebuild`` starts from empty.

        A marker file lives beside the manifest while a writer runs; finding it at the next
        start means the last run was killed, and only then is the store scanned for
        left-overs and every record re-merged (see :attr:`IndexWriter.unclean`).
        """
        with write_lock(self.dir):
            self._drop_stale_client()
            marker = self.dir / DIRTY_FILE
            unclean = killed = marker.exists()
            if rebuild:  # marked first: a rebuild killed from here on is named as one
                marker.write_text("a writer is running or was killed\n", encoding="ascii")
                self._drop()
            elif self._manifest_set_aside():
                unclean = True  # a fresh manifest: take the papers back from the store
            untouched = not (rebuild or unclean)
            untouched = untouched and IndexWriter.store_untouched(self._store, self.manifest, build)
            col = None if untouched else self._store.open_for_write(build)  # None: when needed
            marker.write_text("a writer is running or was killed\n", encoding="ascii")
            writer = IndexWriter(
                self,
                col,
                self.manifest,
                client_id(self.dir),
                unclean,
                killed=killed,
                open_store=lambda: self._store.open_for_write(build),
                store=self._store,
                snapshot_dir=self._snapshot_dir,
            )
            try:
                yield writer
            except AssistantError:
                raise
            except Exception as err:  # noqa: BLE001 - Chroma's client raises many kinds
                raise (filesystem_error(err, str(self.dir)) or self._lost(err)) from None
            finally:
                writer.settle()  # a store still opening must not outlive the lock
                self._left = self._store.disk_stamp() if self._store.has_client else None
            marker.unlink(missing_ok=True)  # reached only when the run finished
            if rebuild:
                self._forget_previous()

    def _manifest_set_aside(self) -> bool:
        """Move a damaged manifest aside (writers, under the lock); True when one was.

        The manifest is bookkeeping: the store holds every paper, and reconciling a fresh
        manifest against it lists them again, so a damaged one need not stop an ingest."""
        try:
            self.manifest.counts()
            return False
        except (StoreError, sqlite3.DatabaseError):
            self.close()
        path = self.dir / "manifest.sqlite"
        stamp = uuid.uuid4().hex[:8]
        for suffix in ("", "-wal", "-shm"):
            old = path.with_name(path.name + suffix)
            if old.exists():
                old.replace(path.with_name(f"manifest.damaged-{stamp}.sqlite{suffix}"))
        return True

    def _drop_stale_client(self) -> None:
        """Forget a Chroma client kept from this process's last write when any other
        process wrote the store since (or that cannot be told): Chroma holds the vector
        index in memory, and writing through a stale copy would lose the other's vectors."""
        if self._store.has_client and not self.shared:
            if self._left is None or self._store.disk_stamp() != self._left:
                self._store.forget_client()

    def _lost(self, err: Exception) -> StoreError:
        """The store failed in the middle of a write (a server that went away, say)."""
        detail = " ".join(str(err).split())[:160] or type(err).__name__
        return StoreError(
            f"The index at {self.where} stopped answering during the ingest ({detail}); "
            "what was stored before is kept: run the same `assistant ingest` again once it "
            "is back."
        )

    def publish(
        self, col: Any, manifest: Manifest, changed: bool, touched: set[str] | None = None
    ) -> int:
        """Bump the generation and save the lexical snapshot that matches it (writers only).

        ``touched`` are the chunk ids this run wrote or re-labelled; with them the snapshot
        is updated in place of rebuilt. None (an unclean earlier run) rebuilds it.
        """
        gen = self._store.generation(col)
        identity = self._store.identity(col)
        header = CorpusSnapshot.peek(self._snapshot_dir)
        current = header is not None and header == (gen, identity)
        if changed or not current:
            gen = self._store.bump_generation(col)
            stamp = self._build_stamp(col)
            if self.shared:  # other clients' chunks are on the server, not in our manifest
                snapshot_from_store(
                    col, gen, self._snapshot_dir, self._build_stamp(col), not self.shared
                )
            elif not (
                touched is not None
                and header is not None
                and header[1] == identity
                and update_snapshot(self._snapshot_dir, col, manifest, gen, stamp, touched)
            ):
                rows = [(r[0], r[1], r[3]) for r in manifest.all_chunks()]
                vectors = vectors_of(col, [r[0] for r in rows])
                CorpusSnapshot.create(self._snapshot_dir, gen, stamp, rows, False, vectors)
        return gen

    def _drop(self) -> None:
        """Delete the collection and its bookkeeping (``--rebuild``); caller holds the lock.

        The last published snapshot stays, and the manifest whose texts it reads is moved
        to :data:`PREVIOUS_MANIFEST`: questions asked during the rebuild are answered from
        them until the new generation is published (then the previous manifest goes). On a
        shared server only this client's chunks go: the collection and every other client's
        papers stay."""
        writer_id = client_id(self.dir) if self.shared else None
        self.close()
        for suffix in ("", "-wal", "-shm"):
            old = self.dir / f"manifest.sqlite{suffix}"
            if old.exists():  # the manifest is derived from the documents: kept only a while
                old.replace(self.dir / f"{PREVIOUS_MANIFEST}{suffix}")
        (self.dir / ROOTS_FILE).unlink(missing_ok=True)
        if writer_id is not None:
            self._store.drop_writer(writer_id)
        else:
            self._store.drop()

    def _forget_previous(self) -> None:
        """Remove the manifest a finished rebuild replaced (readers keep their open file)."""
        for suffix in ("", "-wal", "-shm"):
            (self.dir / f"{PREVIOUS_MANIFEST}{suffix}").unlink(missing_ok=True)

    # -- health ------------------------------------------------------------------------
    def stored_chunk_ids(self, writer: str | None = None) -> set[str]:
        """Ids of every chunk the store holds (all clients' on a shared server, or those
        one ``writer`` wrote)."""
        return stored_ids(self._store.get_collection(), writer)

    def roots(self) -> list[str]:
        """The folders and files ingest was given for this index (what ``--rebuild`` reads).

        Kept in a small file of their own, so a damaged manifest does not forget them.
        """
        try:
            data = json.loads((self.dir / ROOTS_FILE).read_text(encoding="utf-8"))
            return sorted({str(r) for r in data if isinstance(r, str)})
        except (OSError, ValueError, TypeError):
            return []

    def set_roots(self, roots: list[str]) -> None:
        """Record the roots ingest has been given (writers only, under the lock)."""
        path = self.dir / ROOTS_FILE
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(sorted(set(roots))), encoding="utf-8")
        tmp.replace(path)

    def status(self) -> IndexStatus:
        """Size, build and consistency of the index (a mismatch is a problem, not ok)."""
        out = IndexStatus(self.where, self.collection)
        interrupted = (self.dir / DIRTY_FILE).exists() and not writer_running(self.dir)
        if interrupted:
            out.problems.append(
                "the last `assistant ingest` (or `forget`, or `--rebuild`) was interrupted "
                "before it finished; run it again to finish it"
            )
        col = self._store.get_collection()
        listed = self.manifest.chunk_ids()
        out.listed = len(listed)
        if col is None:
            if listed:
                out.problems.append(
                    f"the collection {self.collection!r} is missing from the store but "
                    f"{len(listed)} chunks are recorded; run `assistant ingest` to restore them"
                )
            return out
        out.exists = True
        out.build = self._store.build_of(col)
        out.generation = self._store.generation(col)
        reader = self.reader()
        out.chunks = len(reader) if reader else 0
        out.records = reader.record_count if reader else 0
        stored = self.stored_chunk_ids(known_client_id(self.dir) if self.shared else None)
        missing = listed - stored
        if missing:
            out.problems.append(
                f"{len(missing)} of {len(listed)} recorded chunks are missing from the store; "
                "run `assistant ingest` to restore them"
            )
        unlisted = stored - listed
        if unlisted and not interrupted:  # an interrupted run's chunks are not a mystery
            out.problems.append(
                f"the store holds {len(unlisted)} chunks this client's manifest does not list "
                "(an older or damaged manifest); they are kept, and the next `assistant ingest` "
                "lists them again"
            )
        return out
