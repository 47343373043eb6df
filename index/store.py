"""The Chroma side of the index: the client, the collection, its build stamp and generation.

Private to :mod:`index`: the only module that imports ``chromadb``. The collection's
metadata records how it was built (embedder, dimension, chunking) and a *generation*
counter that ingest bumps when it finishes; the lexical snapshot carries the generation
(and the collection's id) it was built at, so readers can tell when it is stale.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from vocab.errors import FilesystemError, StoreError, UsageError, filesystem_error

SCHEMA_VERSION = 1
BUILD_KEYS = ("schema", "embedder", "dim", "chunker")
PUBLISHED = "published"  # collection metadata on a server: the last publishing run's token
CHROMA_DB = "chroma.sqlite3"  # an embedded store's database: its log, metadata and ids
_SQLITE_MAGIC = b"SQLite format 3\x00"

# Chroma phones home unless told not to; nothing may leave this machine.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _forget_chroma_clients() -> None:
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


class StoreIncompatible(StoreError):
    """The index was built with other settings than this run uses."""


@dataclass(frozen=True)
class BuildInfo:
    """How a collection's vectors were made; a different one cannot share the collection."""

    embedder: str
    dim: int
    chunker: str
    schema: int = SCHEMA_VERSION

    def as_metadata(self) -> dict[str, Any]:
        """Collection-metadata form."""
        return {
            "schema": self.schema,
            "embedder": self.embedder,
            "dim": self.dim,
            "chunker": self.chunker,
        }


def check_build(have: dict[str, Any], build: BuildInfo, for_write: bool) -> None:
    """Refuse an index (its build stamp ``have``) made differently than ``build`` makes it."""
    want = build.as_metadata()
    keys = BUILD_KEYS if for_write else ("schema", "embedder", "dim")
    diff = [k for k in keys if have.get(k) != want[k]]
    if diff:
        was = ", ".join(f"{k}={have.get(k)}" for k in diff)
        now = ", ".join(f"{k}={want[k]}" for k in diff)
        raise StoreIncompatible(
            f"The index was built with {was} but this run uses {now}; run "
            "`assistant ingest --rebuild` to rebuild it, or change the settings back."
        )


class ChromaStore:
    """One corpus collection, embedded under ``home`` or on a Chroma server."""

    def __init__(self, chroma_dir: Path, collection: str, chroma_url: str | None = None):
        self.collection_name = collection
        self.chroma_url = chroma_url
        self.chroma_dir = chroma_dir
        self._client: Any = None

    # -- Chroma ------------------------------------------------------------------------
    @property
    def where(self) -> str:
        """Human description of the store's location."""
        return self.chroma_url or str(self.chroma_dir)

    @property
    def client(self) -> Any:
        """The Chroma client (created on first use)."""
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            try:
                if self.chroma_url:
                    url = urlparse(self.chroma_url)
                    self._client = chromadb.HttpClient(
                        host=url.hostname or "127.0.0.1",
                        port=url.port or (443 if url.scheme == "https" else 8000),
                        ssl=url.scheme == "https",
                        settings=settings,
                    )
                    self._client.heartbeat()
                else:
                    self.chroma_dir.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(
                        path=str(self.chroma_dir), settings=settings
                    )
            except Exception as err:  # noqa: BLE001 - Chroma raises many kinds
                self._client = None
                _forget_chroma_clients()  # Chroma caches the broken client per path
                raise self._open_error(err) from None
        return self._client

    @property
    def has_client(self) -> bool:
        """Whether a client is open in this process."""
        return self._client is not None

    def forget_client(self) -> None:
        """Drop this process's client, so the next use reads the store afresh (another
        process wrote it since: a kept client's in-memory vector index would be stale)."""
        if self._client is not None:
            self._client = None
            _forget_chroma_clients()

    def _open_error(self, err: Exception) -> StoreError | FilesystemError:
        refused = filesystem_error(err, str(self.chroma_dir))
        if refused is not None:  # a full disk or a read-only home is not a damaged index
            return refused
        detail = str(err).strip().splitlines()[0][:200] if str(err).strip() else ""
        detail = detail or type(err).__name__
        if self.chroma_url:
            return StoreError(
                f"The Chroma server at {self.chroma_url} is not reachable ({detail}); "
                "start it with `chroma run` or unset ASSISTANT_CHROMA_URL."
            )
        return StoreError(
            f"The index in {self.chroma_dir} cannot be opened ({detail}); move that folder "
            "aside or run `assistant ingest --rebuild` to build a new one."
        )

    def disk_stamp(self) -> dict[str, int] | None:
        """What an embedded store's database file looks like now, read without Chroma.

        Every write to the store goes through ``chroma.sqlite3`` (Chroma logs each add and
        delete there before any vector file), and so does merely starting a client. In
        SQLite's rollback-journal mode the header's change counter (bytes 24-27) grows
        with every committed write, whatever the clock says, so an equal stamp means no
        process wrote the store in between; inode, size and mtime are compared too. None
        (cannot tell: open Chroma) on a server, without the file, in WAL mode (where the
        counter is not kept) or with a journal left by an unfinished transaction.
        """
        if self.chroma_url:
            return None
        db = self.chroma_dir / CHROMA_DB
        try:
            with open(db, "rb") as fh:
                head = fh.read(100)
                st = os.fstat(fh.fileno())
            journal = os.path.lexists(f"{db}-journal") or os.path.lexists(f"{db}-wal")
        except OSError:
            return None
        if journal or len(head) < 100 or not head.startswith(_SQLITE_MAGIC):
            return None
        if head[18:20] != b"\x01\x01":  # file format 2 is WAL
            return None
        return {
            "dev": st.st_dev,
            "ino": st.st_ino,
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "changes": int.from_bytes(head[24:28], "big"),
        }

    def get_collection(self) -> Any | None:
        """The corpus collection, or None when nothing was ingested yet."""
        from chromadb.errors import NotFoundError

        client = self.client  # raises its own StoreError
        try:
            return client.get_collection(self.collection_name, embedding_function=None)
        except NotFoundError:
            return None
        except Exception as err:  # noqa: BLE001
            raise self._open_error(err) from None

    def read_collection(self) -> Any | None:
        """The corpus collection for reading, or None when nothing was ingested yet.

        On a server it is a view over Chroma's HTTP API (:mod:`index.remote`): a question
        then never imports chromadb, which cost a server client ~1.1 s per start."""
        if not self.chroma_url:
            return self.get_collection()
        from index.remote import RemoteCollection, RemoteError

        try:
            return RemoteCollection.open(self.chroma_url, self.collection_name)
        except RemoteError as err:
            raise self.remote_error(err) from None

    def remote_error(self, err: Exception) -> StoreError | FilesystemError:
        """One sentence for a failed call to the server (:mod:`index.remote`)."""
        from index.remote import RemoteFailed, RemoteNotChroma, RemoteUnreachable

        if isinstance(err, RemoteUnreachable) and err.timed_out:
            return StoreError(
                f"The Chroma server at {self.chroma_url} gave no answer ({err}); check that "
                "it is running and not overloaded (`assistant doctor`), then ask again."
            )
        if isinstance(err, RemoteNotChroma):
            return StoreError(
                f"The address in ASSISTANT_CHROMA_URL ({self.chroma_url}) does not answer "
                f"as a Chroma server does ({err}); check the address."
            )
        if isinstance(err, RemoteFailed):
            return StoreError(
                f"The Chroma server at {self.chroma_url} refused the request ({err}); "
                "check it with `assistant doctor`."
            )
        return self._open_error(err)

    def open_for_write(self, build: BuildInfo) -> Any:
        """The collection, created if missing; refused if built with other settings."""
        col = self.get_collection()
        if col is None:
            try:
                return self.client.create_collection(
                    self.collection_name,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={**build.as_metadata(), "generation": 0},
                )
            except Exception as err:  # noqa: BLE001
                raise self._open_error(err) from None
        self.check_build(col, build, for_write=True)
        return col

    def build_of(self, col: Any) -> dict[str, Any]:
        """The build settings stored with a collection."""
        meta = col.metadata or {}
        return {k: meta.get(k) for k in BUILD_KEYS}

    def check_build(self, col: Any, build: BuildInfo, for_write: bool) -> None:
        """Refuse a collection whose vectors were made differently than this run makes them."""
        check_build(self.build_of(col), build, for_write)

    @staticmethod
    def identity(col: Any) -> str:
        """The collection's id: a collection made anew has another, whatever its generation.

        On a shared server it also carries the token of the run that published last: two
        clients that finished at once may both have written the same generation number,
        and the token tells each that the other's publication is the current one."""
        token = (col.metadata or {}).get(PUBLISHED)
        return f"{col.id}/{token}" if token else str(col.id)

    @staticmethod
    def generation(col: Any) -> int:
        """The collection's generation counter."""
        return int((col.metadata or {}).get("generation", 0))

    def bump_generation(self, col: Any) -> int:
        """Mark the end of a successful ingest; returns the new generation.

        On a server the metadata is read afresh (the collection object holds what it was
        when this run opened it, before other clients published) and a new token is
        written with the number (see :meth:`identity`)."""
        fresh = self.get_collection() if self.chroma_url else None
        meta = dict((fresh if fresh is not None else col).metadata or {})
        meta["generation"] = int(meta.get("generation", 0)) + 1
        meta.pop("hnsw:space", None)
        if self.chroma_url:
            meta[PUBLISHED] = uuid.uuid4().hex
        col.modify(metadata=meta)  # chromadb keeps the new metadata on ``col`` too
        return int(meta["generation"])

    def drop_writer(self, writer_id: str) -> None:
        """Delete the chunks one client wrote to a shared collection (its ``--rebuild``)."""
        col = self.get_collection()
        if col is not None:
            try:
                col.delete(where={"writer": writer_id})
            except Exception as err:  # noqa: BLE001 - Chroma raises many kinds
                raise self._open_error(err) from None

    def drop(self) -> None:
        """Delete the collection (``--rebuild``); a broken embedded store is moved aside."""
        try:
            if self.get_collection() is not None:
                self.client.delete_collection(self.collection_name)
        except StoreError:
            if self.chroma_url:
                raise
            # An embedded store too broken to open is moved aside, never deleted.
            self._client = None
            stamp = time.strftime("%Y%m%d-%H%M%S")
            self.chroma_dir.rename(self.chroma_dir.with_name(f"chroma.broken-{stamp}"))
            _forget_chroma_clients()


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
