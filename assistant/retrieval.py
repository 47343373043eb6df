"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates, fused, one paper per source.

Fusion is "peak BM25": the cosine similarity, plus the part of each BM25 score that stands
above that query's 10th-best BM25 score (scaled by the best). A question made of common
words has a flat BM25 list and is left to the dense side; a rare name or term lifts its few
standouts. On large corpora a second dense pass follows, with the query vector moved towards
the first pass's top chunks (pseudo-relevance feedback). Measured on the benchmark sets in
docs/EVAL.md: both beat weighted sums and reciprocal-rank fusion, which lost to dense alone.

Results are diversified: each source is a different record, carrying its best chunk and,
when it adds to it, its second best.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ingest.embedder import Embedder
from ingest.lexical import CorpusSnapshot
from ingest.store import Store

CANDIDATES = 100
TITLE_ONLY_FACTOR = 0.9
# Tuned on msmarco-5k and checked on dbpedia-5k with bench/tune_fusion.py (docs/EVAL.md);
# the chosen point sits on a plateau (lift 0.2-0.3, 5-8 feedback chunks, beta 0.3-0.8).
LEXICAL_LIFT = 0.2
PEAK_REF = 10
PRF_DOCS = 5
PRF_WEIGHT = 0.5
PRF_MIN_CHUNKS = 1000  # on a small corpus the top 5 chunks are too large a share of it


@dataclass(frozen=True)
class Filters:
    """Restrict sources by year range and author name (case-insensitive substring)."""

    year_min: int | None = None
    year_max: int | None = None
    author: str | None = None

    @classmethod
    def parse(cls, year: str | None = None, author: str | None = None) -> Filters:
        """From user text: ``2018``, ``2018-2021``, ``2018-`` or ``-2020``."""
        lo = hi = None
        if year:
            m = re.fullmatch(r"\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*", year)
            if not m or not (m.group(1) or m.group(3)):
                raise ValueError(f"year filter {year!r} is not like 2018 or 2018-2021")
            lo = int(m.group(1)) if m.group(1) else None
            hi = int(m.group(3)) if m.group(3) else (lo if not m.group(2) else None)
            if lo is not None and hi is not None and lo > hi:  # would silently match nothing
                raise ValueError(f"year filter {year!r} ends before it starts; write {hi}-{lo}")
        return cls(lo, hi, author.strip() if author and author.strip() else None)

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.year_min, self.year_max, self.author))

    def accepts(self, meta: dict[str, Any]) -> bool:
        """Whether a chunk's metadata passes."""
        year = meta.get("year")
        if self.year_min is not None and (year is None or year < self.year_min):
            return False
        if self.year_max is not None and (year is None or year > self.year_max):
            return False
        if self.author:
            return self.author.casefold() in str(meta.get("authors", "")).casefold()
        return True

    def describe(self) -> str:
        """Short human form, e.g. ``2018–2021, author ~ Strand``."""
        parts = []
        if self.year_min is not None or self.year_max is not None:
            lo, hi = self.year_min or "", self.year_max or ""
            parts.append(str(lo) if lo == hi else f"{lo}–{hi}")
        if self.author:
            parts.append(f"author ~ {self.author}")
        return ", ".join(parts)

    def chroma_where(self) -> dict[str, Any] | None:
        """The year part as a Chroma ``where`` clause (authors are checked afterwards)."""
        clauses: list[dict[str, Any]] = []
        if self.year_min is not None:
            clauses.append({"year": {"$gte": self.year_min}})
        if self.year_max is not None:
            clauses.append({"year": {"$lte": self.year_max}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class Hit:
    """One source: a record, its best chunk(s), and how it scored."""

    record_id: str
    chunk_ids: list[str]
    text: str
    meta: dict[str, Any]
    score: float
    dense: float = 0.0
    lexical: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class SearchResult:
    """Hits plus the best raw scores seen, which tell whether anything was relevant at all."""

    hits: list[Hit]
    best_dense: float
    best_lexical: float

    def relevant(self, min_dense: float) -> list[Hit]:
        """Hits worth citing: close enough in meaning, or a strong lexical match."""
        if self.best_dense < min_dense:
            return []
        top_lex = self.best_lexical or 1.0
        return [h for h in self.hits if h.dense >= min_dense or h.lexical >= 0.5 * top_lex]


class Retriever:
    """Searches one store's current snapshot; cheap to call repeatedly."""

    def __init__(
        self, store: Store, embedder: Embedder, snapshot: CorpusSnapshot, collection: Any
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.snapshot = snapshot
        self.collection = collection

    def dense_scores(self, query_vec: np.ndarray, filters: Filters, n: int) -> dict[int, float]:
        """Cosine similarity of the ``n`` nearest chunks, by snapshot position."""
        snap = self.snapshot
        if not len(snap):
            return {}
        n = min(n * (4 if filters else 1), len(snap))
        got = self.collection.query(
            query_embeddings=query_vec[None, :],
            n_results=n,
            where=filters.chroma_where(),
            include=["distances"],
        )
        out: dict[int, float] = {}
        for cid, dist in zip(got["ids"][0], got["distances"][0], strict=True):
            pos = snap.position.get(cid)  # a chunk Chroma has but the snapshot lacks is
            if pos is not None and filters.accepts(snap.metas[pos]):  # mid-ingest: skip it
                out[pos] = 1.0 - float(dist)
        return out

    def lexical_scores(self, query: str, filters: Filters, n: int) -> dict[int, float]:
        """BM25 scores of the ``n`` best chunks, by snapshot position."""
        scores = self.snapshot.scores(query)
        if filters:
            mask = np.array([filters.accepts(m) for m in self.snapshot.metas], dtype=bool)
            scores = np.where(mask, scores, 0.0)
        n = min(n, len(scores))
        if n == 0:
            return {}
        top = np.argpartition(-scores, n - 1)[:n]
        return {int(i): float(scores[i]) for i in top if scores[i] > 0}

    def search(
        self,
        query: str,
        k: int = 5,
        filters: Filters | None = None,
        mode: str = "hybrid",
        per_record: int = 2,
    ) -> SearchResult:
        """The ``k`` best records for ``query``, best first."""
        filters = filters or Filters()
        dense: dict[int, float] = {}
        lexical: dict[int, float] = {}
        query_vec = None
        if mode in ("hybrid", "dense"):
            query_vec = self.embedder.embed([query])[0]
            dense = self.dense_scores(query_vec, filters, CANDIDATES)
        if mode in ("hybrid", "lexical"):
            lexical = self.lexical_scores(query, filters, CANDIDATES)
        fused = fuse(dense, lexical, mode)
        if mode == "hybrid" and query_vec is not None and len(self.snapshot) >= PRF_MIN_CHUNKS:
            fused = fuse(self._feedback_scores(query_vec, fused, filters), lexical, mode)
        for pos in fused:  # a bare title is thinner evidence than an abstract
            if not self.snapshot.metas[pos].get("has_abstract", True):
                fused[pos] *= TITLE_ONLY_FACTOR
        hits = self._diversify(fused, dense, lexical, k, per_record)
        return SearchResult(
            hits, max(dense.values(), default=0.0), max(lexical.values(), default=0.0)
        )

    def _feedback_scores(
        self, query_vec: np.ndarray, first: dict[int, float], filters: Filters
    ) -> dict[int, float]:
        """Dense scores for the query moved towards its first-pass top chunks (Rocchio)."""
        top = sorted(first, key=lambda p: (-first[p], p))[:PRF_DOCS]
        if not top:
            return {}
        ids = [self.snapshot.ids[p] for p in top]
        got = self.collection.get(ids=ids, include=["embeddings"])
        vectors = np.asarray(got["embeddings"], dtype=np.float32)
        if vectors.size == 0:
            return {}
        moved = query_vec + PRF_WEIGHT * vectors.mean(axis=0)
        moved /= np.linalg.norm(moved) or 1.0
        return self.dense_scores(moved, filters, CANDIDATES)

    def _diversify(
        self,
        fused: dict[int, float],
        dense: dict[int, float],
        lexical: dict[int, float],
        k: int,
        per_record: int,
    ) -> list[Hit]:
        snap = self.snapshot
        hits: dict[str, Hit] = {}
        for pos in sorted(fused, key=lambda p: (-fused[p], snap.ids[p])):
            meta = snap.metas[pos]
            rid = meta.get("record_id", snap.ids[pos])
            hit = hits.get(rid)
            if hit is None:
                if len(hits) == k:
                    continue
                hits[rid] = Hit(
                    rid,
                    [snap.ids[pos]],
                    snap.texts[pos],
                    meta,
                    fused[pos],
                    dense.get(pos, 0.0),
                    lexical.get(pos, 0.0),
                )
            elif len(hit.chunk_ids) < per_record and fused[pos] >= 0.8 * hit.score:
                hit.chunk_ids.append(snap.ids[pos])
                hit.dense = max(hit.dense, dense.get(pos, 0.0))
        for hit in hits.values():
            if len(hit.chunk_ids) > 1:  # show a record's chunks in reading order
                order = sorted(
                    (snap.position[c] for c in hit.chunk_ids),
                    key=lambda p: snap.metas[p].get("chunk", 0),
                )
                hit.chunk_ids = [snap.ids[p] for p in order]
                hit.text = snap.texts[order[0]]
                for p in order[1:]:
                    hit.text = _join_chunks(hit.text, snap.texts[p])
        return list(hits.values())


def fuse(dense: dict[int, float], lexical: dict[int, float], mode: str) -> dict[int, float]:
    """One score per candidate: cosine plus the lift of BM25 above its ``PEAK_REF``-th best."""
    if mode == "dense":
        return dict(dense)
    top = max(lexical.values(), default=0.0) or 1.0
    if mode == "lexical":
        return {p: s / top for p, s in lexical.items()}
    if not lexical:
        return dict(dense)
    ranked = sorted(lexical.values(), reverse=True)
    base = ranked[min(PEAK_REF, len(ranked)) - 1]
    floor = min(dense.values(), default=0.0)  # unseen by dense: no better than its worst
    return {
        p: dense.get(p, floor) + LEXICAL_LIFT * max(lexical.get(p, 0.0) - base, 0.0) / top
        for p in dense.keys() | lexical.keys()
    }


def _join_chunks(first: str, second: str) -> str:
    """Two chunks of one record; overlapping text (the splitter's overlap) is not repeated."""
    for size in range(min(len(first), len(second), 400), 20, -1):
        if first.endswith(second[:size]):
            return first + second[size:]
    return f"{first}\n…\n{second}"
