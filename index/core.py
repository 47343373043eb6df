"""The index's owner: one object holds the Chroma collection, the build stamp, the
generation, the manifest, the lexical snapshot and the writer lock.

Readers get an :class:`~index.reader.IndexReader` (a view of one generation); writers get
an :class:`~index.writer.IndexWriter` inside :meth:`Index.writer`, which holds the lock.
Nothing else ever sees the Chroma collection.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.lexical import CorpusSnapshot
from index.lock import write_lock
from index.manifest import Manifest
from index.reader import IndexReader, ManifestTexts
from index.store import BuildInfo, ChromaStore, check_build
from index.writer import IndexWriter
from vocab.errors import AssistantError, StoreError, UsageError, filesystem_error

ROOTS_FILE = "roots.json"
VECTOR_PAGE = 5000  # vectors read from Chroma per call when saving a snapshot
DIRTY_FILE = "writer-running"  # present while a writer runs; left behind by a killed one
# Chroma's own rule for collection names; checked here so a name can never act as a path.
_COLLECTION_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{1,510})[A-Za-z0-9]")


def check_collection_name(name: str) -> str:
    """``name`` if it is a valid collection name, else a :class:`UsageError`."""
    if not _COLLECTION_NAME.fullmatch(name) or ".." in name:
        raise UsageError(
            f"Invalid collection name {name!r}: use 3-512 letters, digits, '.', '_' or '-', "
            "starting and ending with a letter or digit."
        )
    return name


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
        alone (vectors included): Chroma is not opened. A snapshot that is missing or of an
        older format is rebuilt from Chroma, once.
        """
        if not self.shared:
            snap = CorpusSnapshot.load(self._snapshot_dir)
            if snap is not None and snap.vectors is not None and "collection" in snap.build:
                if not len(snap):
                    return None
                if embedder is not None:
                    check_build(snap.build, BuildInfo(embedder[0], embedder[1], ""), False)
                texts = None if snap.has_text else self._manifest_texts()
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
                self._snapshot_from_store(col, gen, where)
            except OSError:  # a read-only home still answers, rebuilding each time
                where = Path(tempfile.mkdtemp(prefix="assistant-lexical-")) / "lexical"
                self._snapshot_from_store(col, gen, where)
            snap = CorpusSnapshot.load(where)
            if snap is None:
                raise StoreError(f"The lexical index in {where} could not be written or read.")
        texts = None if snap.has_text else self._manifest_texts()
        return IndexReader(lambda: col, snap, identity, texts)  # the collection just read

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

    def _store_rows(
        self, col: Any, vectors: bool = False
    ) -> Iterator[tuple[str, str, dict[str, Any], Any]]:
        """Every chunk Chroma holds (the source of truth), a page at a time."""
        total = col.count()
        page = 5000
        include = ["documents", "metadatas", *(["embeddings"] if vectors else [])]
        for offset in range(0, total, page):
            got = col.get(include=include, limit=page, offset=offset)
            embs = got["embeddings"] if vectors else [None] * len(got["ids"])
            for cid, text, meta, vec in zip(
                got["ids"], got["documents"], got["metadatas"], embs, strict=True
            ):
                yield cid, text or "", dict(meta or {}), vec

    def _snapshot_from_store(self, col: Any, generation: int, where: Path) -> None:
        """Rebuild the lexical side from what Chroma holds, texts included (and, for an
        embedded store, the vectors)."""
        keep_vectors = not self.shared
        rows = sorted(
            self._store_rows(col, keep_vectors),
            key=lambda r: (r[2].get("record_id", ""), r[2].get("chunk", 0), r[0]),
        )
        vectors = np.asarray([r[3] for r in rows], np.float32) if keep_vectors else None
        CorpusSnapshot.create(
            where,
            generation,
            self._build_stamp(col),
            [r[:3] for r in rows],
            keep_text=True,
            vectors=vectors,
        )

    def _vectors(self, col: Any, chunk_ids: list[str]) -> np.ndarray:
        """Chroma's vectors of these chunks, in this order (StoreError if one is missing);
        filled page by page into one array."""
        if not chunk_ids:
            return np.zeros((0, 0), dtype=np.float32)
        where = {cid: row for row, cid in enumerate(chunk_ids)}
        out: np.ndarray | None = None
        filled = np.zeros(len(chunk_ids), dtype=bool)
        for start in range(0, len(chunk_ids), VECTOR_PAGE):
            got = col.get(ids=chunk_ids[start : start + VECTOR_PAGE], include=["embeddings"])
            for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
                if out is None:
                    out = np.empty((len(chunk_ids), len(vec)), dtype=np.float32)
                out[where[cid]] = vec
                filled[where[cid]] = True
        if out is None or not filled.all():
            missing = len(chunk_ids) - int(filled.sum())
            raise StoreError(f"{missing} chunks have no vector in the store.")
        return out

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
            unclean = marker.exists()
            if rebuild:
                self._drop()
            untouched = not (rebuild or unclean)
            untouched = untouched and IndexWriter.store_untouched(self._store, self.manifest, build)
            col = None if untouched else self._store.open_for_write(build)  # None: when needed
            marker.write_text("a writer is running or was killed\n", encoding="ascii")
            writer = IndexWriter(
                self,
                col,
                self.manifest,
                self._writer_id(),
                unclean,
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

    def _writer_id(self) -> str:
        """This client's id, made once and kept beside its manifest."""
        path = self.dir / "client-id"
        try:
            value = path.read_text(encoding="ascii").strip()
            if re.fullmatch(r"[0-9a-f]{32}", value):
                return value
        except (OSError, UnicodeDecodeError):
            pass
        value = uuid.uuid4().hex
        path.write_text(value + "\n", encoding="ascii")
        return value

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
                self._snapshot_from_store(col, gen, self._snapshot_dir)
            elif not (
                touched is not None
                and header is not None
                and header[1] == identity
                and self._update_snapshot(col, manifest, gen, stamp, touched)
            ):
                rows = [(r[0], r[1], r[3]) for r in manifest.all_chunks()]
                vectors = self._vectors(col, [r[0] for r in rows])
                CorpusSnapshot.create(self._snapshot_dir, gen, stamp, rows, False, vectors)
        return gen

    def _update_snapshot(
        self, col: Any, manifest: Manifest, gen: int, stamp: dict[str, Any], touched: set[str]
    ) -> bool:
        """Apply what changed since the saved snapshot; False when it cannot be (rebuild)."""
        old = CorpusSnapshot.load(self._snapshot_dir)
        if old is None or old.vectors is None:
            return False  # none, or made before snapshots kept vectors: rebuild
        before = {c for (c,) in old.query("SELECT chunk_id FROM chunks")}
        now = manifest.chunk_ids()
        removed = (before - now) | (touched & before)
        added = manifest.chunks(sorted((now - before) | (touched & now)))
        vectors = self._vectors(col, [r[0] for r in added])
        rows = [(r[0], r[1], r[3]) for r in added]
        # A snapshot a reader rebuilt from the store keeps its texts: updated as it is.
        keep_text = old.has_text
        try:
            CorpusSnapshot.update(self._snapshot_dir, gen, stamp, removed, rows, keep_text, vectors)
        except (OSError, ValueError, sqlite3.Error):
            return False
        return True

    def _drop(self) -> None:
        """Delete the collection and its bookkeeping (``--rebuild``); caller holds the lock."""
        self.close()
        shutil.rmtree(self._snapshot_dir, ignore_errors=True)
        for name in ("manifest.sqlite", "manifest.sqlite-wal", "manifest.sqlite-shm", ROOTS_FILE):
            # the manifest is derived from the documents: rebuilding it loses nothing
            (self.dir / name).unlink(missing_ok=True)
        self._store.drop()

    # -- health ------------------------------------------------------------------------
    def stored_chunk_ids(self) -> set[str]:
        """Ids of every chunk the store holds (all clients' on a shared server)."""
        col = self._store.get_collection()
        out: set[str] = set()
        if col is None:
            return out
        for offset in range(0, col.count(), 10_000):
            out.update(col.get(include=[], limit=10_000, offset=offset)["ids"])
        return out

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
        missing = listed - self.stored_chunk_ids()
        if missing:
            out.problems.append(
                f"{len(missing)} of {len(listed)} recorded chunks are missing from the store; "
                "run `assistant ingest` to restore them"
            )
        return out
