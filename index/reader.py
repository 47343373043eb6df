"""Reading the index: dense and lexical search, chunks by id, and the bibliography.

A reader is a view of one generation of the index: its snapshot (BM25, filter columns, the
catalogue and, for an embedded index, the vectors) and, on a Chroma server, the collection
for dense search (opened only when a search needs it). Chunk texts and metadata are read on
demand, from the snapshot (server stores) or the manifest (embedded stores), never held for
the whole corpus. Callers see chunk ids, texts and :class:`~index.codec.ChunkMeta`; never
the collection or the snapshot's insides.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from index.catalog import Catalog
from index.codec import ChunkMeta, from_store
from index.filters import Filters
from index.lexical import CorpusSnapshot
from index.sql import BATCH, select_in
from vocab.errors import StoreError
from vocab.paper import PAPER_FIELDS, PaperMeta, paper_values
from vocab.textfold import fold


@dataclass(frozen=True)
class StoredChunk:
    """One chunk as stored: its text and metadata."""

    chunk_id: str
    text: str
    meta: ChunkMeta


class Brief(NamedTuple):
    """What ranking needs of a candidate chunk, without its metadata being parsed."""

    record_id: str
    has_abstract: bool


# ``sources --json``'s object: every paper field, always (null or [] when unknown); these
# first, in this order, the others (volume, pages, keywords, any added later) after the
# record's chunk count.
_FIRST = ("title", "authors", "year", "venue", "doi", "language")


class RecordEntry(PaperMeta, frozen=True):
    """One record of the index's bibliography: the paper's fields
    (:class:`vocab.paper.PaperMeta`) and where the index keeps it."""

    record_id: str
    path: str | None = None
    kind: str = "page"
    has_abstract: bool = True
    chunks: int = 0
    origins: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()  # reference-manager collections, as paths

    @classmethod
    def of(cls, record_id: str, chunks: int, meta: ChunkMeta) -> RecordEntry:
        """The entry of a record from its first chunk's metadata and its chunk count."""
        return cls(
            record_id=record_id,
            **paper_values(meta),
            path=meta.path,
            kind=meta.kind,
            has_abstract=meta.has_abstract,
            chunks=chunks,
            origins=meta.origins,
            collections=meta.collections,
        )

    def to_json(self) -> dict[str, Any]:
        """The ``sources --json`` object (contract keys first)."""
        data: dict[str, Any] = {"record_id": self.record_id}
        data.update((key, _json_value(getattr(self, key))) for key in _FIRST)
        data.update(path=self.path, chunks=self.chunks)
        data.update(
            (key, _json_value(getattr(self, key))) for key in PAPER_FIELDS if key not in _FIRST
        )
        data.update(
            kind=self.kind, origins=list(self.origins) or ([self.path] if self.path else [])
        )
        data["collections"] = list(self.collections)
        return data


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


Query = Callable[[str, Sequence[Any]], list[tuple]]
META_CACHE = 4096  # recently read chunk metadata (a question touches a few hundred)


class IndexReader:
    """Searches one generation of the index; cheap to call repeatedly, safe across threads."""

    def __init__(
        self,
        collection: Callable[[], Any],
        snapshot: CorpusSnapshot,
        identity: str,
        texts: Query | None = None,
    ) -> None:
        self._open_collection = collection  # Chroma, opened only when a search needs it
        self._col: Any = None
        self._snap = snapshot
        self.identity = identity  # which collection, so a re-created one is never mistaken
        # Where texts and metadata live: the snapshot itself, or (embedded) the manifest.
        self._texts: Query = texts or snapshot.query
        self._cache: OrderedDict[str, ChunkMeta] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _ask(self, call: Callable[[], Any]) -> Any:
        """One call to the vector store; its failure (a server gone away) is one sentence."""
        try:
            return call()
        except Exception as err:  # noqa: BLE001 - Chroma's client raises many kinds
            detail = " ".join(str(err).split())[:160] or type(err).__name__
            raise StoreError(
                f"The vector store stopped answering ({detail}); check that it is running "
                "(`assistant doctor`) and ask again."
            ) from None

    def _collection(self) -> Any:
        """The vector store's collection, opened once (one HTTP call on a server)."""
        if self._col is None:
            self._col = self._ask(self._open_collection)
        return self._col

    @property
    def generation(self) -> int:
        """The index generation this reader shows."""
        return self._snap.generation

    def __len__(self) -> int:
        return len(self._snap)

    # -- chunks ------------------------------------------------------------------------
    def _rows(
        self, chunk_ids: Sequence[str], text: bool = True
    ) -> dict[str, tuple[str, dict[str, Any]]]:
        """Text (empty unless ``text``) and stored metadata of those ids this generation holds."""
        column = "text" if text else "''"  # texts are most of the bytes; metadata is enough
        held = select_in(
            self._snap.query, "SELECT chunk_id FROM chunks WHERE chunk_id IN {IN}", chunk_ids
        )
        sql = f"SELECT chunk_id, {column}, metadata FROM chunks WHERE chunk_id IN {{IN}}"
        got = select_in(self._texts, sql, sorted(c for (c,) in held))
        return {cid: (body, json.loads(meta)) for cid, body, meta in got}

    def _metas(self, chunk_ids: Sequence[str]) -> dict[str, ChunkMeta]:
        """Metadata of those ids this generation holds, through a small cache."""
        out: dict[str, ChunkMeta] = {}
        with self._cache_lock:
            for cid in chunk_ids:
                if cid in self._cache:
                    out[cid] = self._cache[cid]
        missing = [c for c in chunk_ids if c not in out]
        if missing:
            rows = self._rows(missing, text=False)
            fresh = {cid: from_store(m) for cid, (_, m) in rows.items()}
            out.update(fresh)
            with self._cache_lock:
                self._cache.update(fresh)
                while len(self._cache) > META_CACHE:
                    self._cache.popitem(last=False)
        return out

    def brief(self, chunk_ids: Sequence[str]) -> dict[str, Brief]:
        """Record and abstract flag of those chunks this generation holds: one indexed SQL
        read over the snapshot, no metadata parsed (ranking reads only this)."""
        sql = (
            "SELECT c.chunk_id, c.record_id, COALESCE(r.abstract, 1) FROM chunks c"
            " LEFT JOIN records r ON r.record_id = c.record_id WHERE c.chunk_id IN {IN}"
        )
        got = select_in(self._snap.query, sql, chunk_ids)
        return {cid: Brief(rid, bool(abstract)) for cid, rid, abstract in got}

    def meta(self, chunk_id: str) -> ChunkMeta | None:
        """A chunk's metadata, or None when this generation does not hold it."""
        return self._metas([chunk_id]).get(chunk_id)

    def chunk(self, chunk_id: str) -> StoredChunk | None:
        """A chunk's text and metadata, or None when this generation does not hold it."""
        row = self._rows([chunk_id]).get(chunk_id)
        return None if row is None else StoredChunk(chunk_id, row[0], from_store(row[1]))

    def chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """Those of these chunks this generation holds, in the order given (one read)."""
        return self._stored(list(chunk_ids))

    def _stored(self, chunk_ids: list[str]) -> list[StoredChunk]:
        rows = self._rows(chunk_ids)
        return [StoredChunk(c, rows[c][0], from_store(rows[c][1])) for c in chunk_ids if c in rows]

    def iter_chunks(self) -> Iterator[StoredChunk]:
        """Every chunk of this generation, by record and reading order, a page at a time."""
        ids = [
            c for (c,) in self._snap.query("SELECT chunk_id FROM chunks ORDER BY record_id, idx")
        ]
        for start in range(0, len(ids), BATCH):
            yield from self._stored(ids[start : start + BATCH])

    def all_chunks(self) -> list[StoredChunk]:
        """Every chunk of this generation, by record and reading order."""
        return list(self.iter_chunks())

    def chunks_of(self, record_id: str) -> list[StoredChunk]:
        """A record's chunks in reading order."""
        ids = self._snap.query(
            "SELECT chunk_id FROM chunks WHERE record_id=? ORDER BY idx", (record_id,)
        )
        return self._stored([c for (c,) in ids])

    def embeddings(self, chunk_ids: list[str]) -> np.ndarray:
        """The stored vectors of these chunks (rows in no particular order)."""
        if not chunk_ids:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = self._snap.vectors
        if vectors is not None:
            rows = sorted(p for p, _ in self._positions_of(chunk_ids))
            return np.asarray(vectors[rows], dtype=np.float32)
        got = self._ask(lambda: self._collection().get(ids=chunk_ids, include=["embeddings"]))
        return np.asarray(got["embeddings"], dtype=np.float32)

    def _positions_of(self, chunk_ids: Sequence[str]) -> list[tuple[int, str]]:
        """(snapshot position, chunk id) of those ids this generation holds."""
        sql = "SELECT pos, chunk_id FROM chunks WHERE chunk_id IN {IN}"
        return select_in(self._snap.query, sql, chunk_ids)

    # -- search ------------------------------------------------------------------------
    def dense(self, query_vec: np.ndarray, n: int, filters: Filters) -> dict[str, float]:
        """Cosine similarity of the ``n`` nearest chunks that pass ``filters``, by chunk id.

        Exact, over the snapshot's memory-mapped vectors where it keeps them (an embedded
        index); a server's clients ask the server's HNSW index."""
        if not len(self._snap):
            return {}
        vectors = self._snap.vectors
        if vectors is None:
            return self._dense_in_store(query_vec, n, filters)
        query = np.asarray(query_vec, dtype=np.float32).ravel()
        norm = float(np.linalg.norm(query))
        if vectors.shape[1] != len(query) or norm == 0:
            return {}
        scores = vectors @ (query / norm)
        if filters:
            scores = np.where(self._mask(filters), scores, -np.inf)
        n = min(n, len(scores))
        top = [int(p) for p in np.argpartition(-scores, n - 1)[:n] if np.isfinite(scores[p])]
        if not top:
            return {}
        ids = self._ids_at(top)
        return {ids[p]: float(scores[p]) for p in top if p in ids}

    def similarity(self, query_vec: np.ndarray, chunk_ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of these chunks (those this generation holds) to the query."""
        ids = list(dict.fromkeys(chunk_ids))
        if not ids:
            return {}
        query = np.asarray(query_vec, dtype=np.float32).ravel()
        query = query / (float(np.linalg.norm(query)) or 1.0)
        vectors = self._snap.vectors
        if vectors is not None:
            found = sorted(self._positions_of(ids))
            if not found:
                return {}
            rows = np.asarray(vectors[[p for p, _ in found]], dtype=np.float32)
            return {cid: float(s) for (_, cid), s in zip(found, rows @ query, strict=True)}
        got = self._ask(lambda: self._collection().get(ids=ids, include=["embeddings"]))
        held = self._metas(got["ids"])
        rows = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1)
        norms = np.linalg.norm(rows, axis=1)
        sims = rows @ query / np.where(norms == 0, 1.0, norms)
        return {c: float(v) for c, v in zip(got["ids"], sims, strict=True) if c in held}

    def _dense_in_store(self, query_vec: np.ndarray, n: int, filters: Filters) -> dict[str, float]:
        """Dense search in Chroma (a server's store), filtered there and checked here."""
        n = min(n * (4 if filters else 1), len(self._snap))
        got = self._ask(
            lambda: self._collection().query(
                query_embeddings=query_vec[None, :],
                n_results=n,
                where=filters.chroma_where(),
                include=["distances"],
            )
        )
        metas = self._metas(got["ids"][0])
        out: dict[str, float] = {}
        for cid, dist in zip(got["ids"][0], got["distances"][0], strict=True):
            meta = metas.get(cid)  # a chunk Chroma has but this generation lacks is
            if meta is not None and filters.accepts(meta):  # mid-ingest: skip it
                out[cid] = 1.0 - float(dist)
        return out

    def lexical(self, query: str, n: int, filters: Filters) -> dict[str, float]:
        """BM25 scores of the ``n`` best chunks that pass ``filters``, by chunk id."""
        scores = self._snap.scores(query)
        if filters:
            scores = np.where(self._mask(filters), scores, 0.0)
        n = min(n, len(scores))
        if n == 0:
            return {}
        top = [int(i) for i in np.argpartition(-scores, n - 1)[:n] if scores[i] > 0]
        if not top:
            return {}
        ids = self._ids_at(top)
        return {ids[p]: float(scores[p]) for p in top}

    def _ids_at(self, positions: Sequence[int]) -> dict[int, str]:
        """Chunk ids at these snapshot positions."""
        sql = "SELECT pos, chunk_id FROM chunks WHERE pos IN {IN}"
        return dict(select_in(self._snap.query, sql, positions))

    def _positions(self, sql: str, args: Sequence[Any]) -> np.ndarray:
        return np.fromiter((p for (p,) in self._snap.query(sql, args)), dtype=np.int64)

    def _mask(self, filters: Filters) -> np.ndarray:
        """Which chunks pass: a year column and SQL over the snapshot, no per-chunk Python."""
        size = len(self._snap)
        mask = np.ones(size, dtype=bool)
        years = self._snap.years
        if filters.year_min is not None:
            mask &= years >= filters.year_min  # NaN (no year) compares False
        if filters.year_max is not None:
            mask &= years <= filters.year_max
        for ids in (filters.record_ids, self._in_collection(filters.collection)):
            if ids is not None:
                keep = np.zeros(size, dtype=bool)
                sql = "SELECT pos FROM chunks WHERE record_id IN {IN}"
                got = select_in(self._snap.query, sql, sorted(ids))
                keep[np.fromiter((p for (p,) in got), dtype=np.int64, count=len(got))] = True
                mask &= keep
        if filters.author:
            keep = np.zeros(size, dtype=bool)
            sql = "SELECT pos FROM chunks WHERE instr(authors, ?) > 0"
            keep[self._positions(sql, (fold(filters.author),))] = True
            mask &= keep
        return mask

    def _in_collection(self, name: str | None) -> set[str] | None:
        """The records filed in collection ``name`` (None: no collection filter)."""
        return None if name is None else set(self.catalog.ids_in_collection(name))

    # -- the bibliography --------------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        """The catalogue of this generation's records (SQL look-ups, nothing held)."""
        return Catalog(self._snap.query)

    def records(self) -> list[RecordEntry]:
        """Every record in the index, once, in a stable order (path, then id)."""
        return [RecordEntry.of(rid, count, m) for rid, count, m in self.catalog.rows()]

    @property
    def record_count(self) -> int:
        """How many records this generation holds."""
        return self.catalog.count()

    def record_fingerprints(self) -> dict[str, int]:
        """Each record's id and a number that changes whenever any of its chunks does
        (chunk ids are content hashes): two generations' fingerprints tell which records a
        writer added, changed and removed. One SQL read; valid within one process."""
        sql = (
            "SELECT record_id, group_concat(chunk_id, ' ') FROM"
            " (SELECT record_id, chunk_id FROM chunks ORDER BY record_id, idx) GROUP BY record_id"
        )
        return {rid: hash(ids) for rid, ids in self._snap.query(sql)}
