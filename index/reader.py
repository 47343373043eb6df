"""Reading the index: dense and lexical search, chunks by id, and the bibliography.

A reader is a view of one generation of the index: the Chroma collection for vectors and
the lexical snapshot for BM25, chunk texts and metadata. Callers see chunk ids, texts and
:class:`~index.codec.ChunkMeta`; never the collection or the snapshot's insides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from index.codec import ChunkMeta, from_store
from index.errors import StoreError
from index.filters import Filters, fold
from index.lexical import CorpusSnapshot


@dataclass(frozen=True)
class StoredChunk:
    """One chunk as stored: its text and metadata."""

    chunk_id: str
    text: str
    meta: ChunkMeta


@dataclass(frozen=True)
class RecordEntry:
    """One record of the index's bibliography."""

    record_id: str
    title: str | None
    authors: tuple[str, ...]
    year: int | None
    venue: str | None
    volume: str | None
    pages: str | None
    doi: str | None
    language: str | None
    keywords: tuple[str, ...]
    path: str | None
    kind: str
    has_abstract: bool
    chunks: int
    origins: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``sources --json`` object (contract keys first)."""
        return {
            "record_id": self.record_id,
            "title": self.title,
            "authors": list(self.authors),
            "year": self.year,
            "venue": self.venue,
            "doi": self.doi,
            "language": self.language,
            "path": self.path,
            "chunks": self.chunks,
            "volume": self.volume,
            "pages": self.pages,
            "keywords": list(self.keywords),
            "kind": self.kind,
            "origins": list(self.origins) or ([self.path] if self.path else []),
        }


class IndexReader:
    """Searches one generation of the index; cheap to call repeatedly, safe across threads."""

    def __init__(self, collection: Any, snapshot: CorpusSnapshot, identity: str) -> None:
        self._collection = collection
        self._snap = snapshot
        self.identity = identity  # which collection, so a re-created one is never mistaken

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

    @property
    def generation(self) -> int:
        """The index generation this reader shows."""
        return self._snap.generation

    def __len__(self) -> int:
        return len(self._snap)

    # -- chunks ------------------------------------------------------------------------
    def meta(self, chunk_id: str) -> ChunkMeta | None:
        """A chunk's metadata, or None when this generation does not hold it."""
        pos = self._snap.position.get(chunk_id)
        return None if pos is None else self._metas[pos]

    def chunk(self, chunk_id: str) -> StoredChunk | None:
        """A chunk's text and metadata, or None when this generation does not hold it."""
        pos = self._snap.position.get(chunk_id)
        if pos is None:
            return None
        return StoredChunk(chunk_id, self._snap.texts[pos], self._metas[pos])

    def all_chunks(self) -> list[StoredChunk]:
        """Every chunk of this generation, by record and reading order."""
        snap = self._snap
        return [StoredChunk(snap.ids[p], snap.texts[p], self._metas[p]) for p in range(len(snap))]

    def chunks_of(self, record_id: str) -> list[StoredChunk]:
        """A record's chunks in reading order."""
        positions = self._by_record.get(record_id, [])
        return [
            StoredChunk(self._snap.ids[p], self._snap.texts[p], self._metas[p]) for p in positions
        ]

    def embeddings(self, chunk_ids: list[str]) -> np.ndarray:
        """The stored vectors of these chunks (rows in no particular order)."""
        if not chunk_ids:
            return np.zeros((0, 0), dtype=np.float32)
        got = self._ask(lambda: self._collection.get(ids=chunk_ids, include=["embeddings"]))
        return np.asarray(got["embeddings"], dtype=np.float32)

    # -- search ------------------------------------------------------------------------
    def dense(self, query_vec: np.ndarray, n: int, filters: Filters) -> dict[str, float]:
        """Cosine similarity of the ``n`` nearest chunks that pass ``filters``, by chunk id."""
        if not len(self._snap):
            return {}
        n = min(n * (4 if filters else 1), len(self._snap))
        got = self._ask(
            lambda: self._collection.query(
                query_embeddings=query_vec[None, :],
                n_results=n,
                where=filters.chroma_where(),
                include=["distances"],
            )
        )
        out: dict[str, float] = {}
        for cid, dist in zip(got["ids"][0], got["distances"][0], strict=True):
            meta = self.meta(cid)  # a chunk Chroma has but this generation lacks is
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
        top = np.argpartition(-scores, n - 1)[:n]
        return {self._snap.ids[int(i)]: float(scores[i]) for i in top if scores[i] > 0}

    def _mask(self, filters: Filters) -> np.ndarray:
        """Which chunks pass, computed over metadata columns (no per-chunk Python objects)."""
        mask = np.ones(len(self._snap), dtype=bool)
        years = self._years
        if filters.year_min is not None:
            mask &= years >= filters.year_min  # NaN (no year) compares False
        if filters.year_max is not None:
            mask &= years <= filters.year_max
        if filters.record_ids is not None:
            keep = np.zeros(len(self._snap), dtype=bool)
            for rid in filters.record_ids:
                keep[self._by_record.get(rid, [])] = True
            mask &= keep
        if filters.author:
            wanted = fold(filters.author)
            mask &= np.fromiter(
                (wanted in a for a in self._folded_authors), dtype=bool, count=len(self._snap)
            )
        return mask

    # -- the bibliography --------------------------------------------------------------
    def records(self) -> list[RecordEntry]:
        """Every record in the index, once, in a stable order (path, then id)."""
        out = []
        for rid, positions in self._by_record.items():
            m = self._metas[positions[0]]
            out.append(
                RecordEntry(
                    rid,
                    m.title,
                    m.authors,
                    m.year,
                    m.venue,
                    m.volume,
                    m.pages,
                    m.doi,
                    m.language,
                    m.keywords,
                    m.path,
                    m.kind,
                    m.has_abstract,
                    len(positions),
                    m.origins,
                )
            )
        return sorted(out, key=lambda r: (r.path or "", r.record_id))

    @property
    def record_count(self) -> int:
        """How many records this generation holds."""
        return len(self._by_record)

    # -- metadata columns, decoded once per reader -------------------------------------
    @cached_property
    def _metas(self) -> list[ChunkMeta]:
        return [from_store(m) for m in self._snap.metas]

    @cached_property
    def _by_record(self) -> dict[str, list[int]]:
        groups: dict[str, list[int]] = {}
        for pos, meta in enumerate(self._metas):
            groups.setdefault(meta.record_id or self._snap.ids[pos], []).append(pos)
        for positions in groups.values():
            positions.sort(key=lambda p: self._metas[p].chunk)
        return groups

    @cached_property
    def _years(self) -> np.ndarray:
        return np.array(
            [np.nan if m.year is None else float(m.year) for m in self._metas], dtype=np.float64
        )

    @cached_property
    def _folded_authors(self) -> list[str]:
        return [fold("; ".join(m.authors)) for m in self._metas]
