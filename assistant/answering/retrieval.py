"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates, fused, one paper per source.

Fusion is "peak BM25": the cosine similarity, plus the part of each BM25 score that stands
above that query's 10th-best BM25 score (scaled by the best). A question made of common
words has a flat BM25 list and is left to the dense side; a rare name or term lifts its few
standouts. On large corpora a second dense pass follows, with the query vector moved towards
the first pass's top chunks (pseudo-relevance feedback). Measured on the benchmark sets in
docs/EVAL.md: both beat weighted sums and reciprocal-rank fusion, which lost to dense alone.

Results are diversified: each source is a different record, carrying its best chunk and,
when it adds to it, its second best. The index is reached only through a reader
(:class:`index.reader.IndexReader`, or any object with the same methods).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np

from index import (
    Brief,
    Catalog,
    ChunkMeta,
    Filters,
    RecordEntry,
    StoredChunk,
    lexical_text,
    tokenize,
)
from vocab.textfold import fold

__all__ = ["Filters", "Hit", "Reader", "Retriever", "SearchResult", "fuse"]

CANDIDATES = 100
TITLE_ONLY_FACTOR = 0.9
# Tuned on msmarco-5k and checked on dbpedia-5k with bench/tune_fusion.py (docs/EVAL.md);
# the chosen point sits on a plateau (lift 0.2-0.3, 5-8 feedback chunks, beta 0.3-0.8).
LEXICAL_LIFT = 0.2
PEAK_REF = 10
PRF_DOCS = 5
PRF_WEIGHT = 0.5
PRF_MIN_CHUNKS = 1000  # on a small corpus the top 5 chunks are too large a share of it
# A lexical match strong enough to stand without the dense side: the best BM25 chunk holds
# at least this many of the question's distinct terms, and at least this share of them.
# Acronyms, CamelCase and letter-digit names: terms a passage either holds or does not.
DISTINCTIVE = re.compile(r"\b(?:[A-Z]{2,}[\w-]*|[A-Z][a-z]+[A-Z]\w*|[A-Za-z]+-?\d+\w*)\b")
STRONG_LEXICAL_TERMS = 4
STRONG_LEXICAL_SHARE = 0.6


class Reader(Protocol):
    """What retrieval needs from the index (an :class:`index.reader.IndexReader`)."""

    @property
    def generation(self) -> int: ...

    def __len__(self) -> int: ...

    def dense(self, query_vec: np.ndarray, n: int, filters: Filters) -> dict[str, float]: ...

    def similarity(self, query_vec: np.ndarray, chunk_ids: Sequence[str]) -> dict[str, float]: ...

    def brief(self, chunk_ids: Sequence[str]) -> dict[str, Brief]: ...

    def lexical(self, query: str, n: int, filters: Filters) -> dict[str, float]: ...

    def embeddings(self, chunk_ids: list[str]) -> np.ndarray: ...

    def chunk(self, chunk_id: str) -> StoredChunk | None: ...

    def chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]: ...

    def meta(self, chunk_id: str) -> ChunkMeta | None: ...

    def chunks_of(self, record_id: str) -> list[StoredChunk]: ...

    def records(self) -> list[RecordEntry]: ...

    @property
    def catalog(self) -> Catalog: ...

    def all_chunks(self) -> list[StoredChunk]: ...

    def iter_chunks(self) -> Iterator[StoredChunk]: ...

    @property
    def record_count(self) -> int: ...


class QueryEmbedder(Protocol):
    """What retrieval needs from the embedder."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class Hit:
    """One source: a record, its best chunk(s), and how it scored."""

    record_id: str
    chunk_ids: list[str]
    text: str
    meta: ChunkMeta
    score: float
    dense: float = 0.0
    lexical: float = 0.0


@dataclass
class SearchResult:
    """Hits plus the best raw scores seen, which tell whether anything was relevant at all."""

    hits: list[Hit]
    best_dense: float
    best_lexical: float
    lexical_cover: tuple[int, float] = (0, 0.0)  # query terms the best BM25 chunk holds (n, share)

    def distinctive(self, query: str) -> list[Hit]:
        """Hits holding a distinctive term of the query (an acronym, a CamelCase or
        letter-digit name: "UPSIDES", "ReConnect"): a short question made of such a term
        means the paper that uses it, however far its meaning from the whole passage."""
        terms = {fold(t) for t in DISTINCTIVE.findall(query)}
        return [
            h for h in self.hits if any(t in fold(f"{h.meta.title or ''} {h.text}") for t in terms)
        ]

    def relevant(self, min_dense: float) -> list[Hit]:
        """Hits worth citing: close enough in meaning, or a strong lexical match.

        The dense model reads English only, so a question in another language can score
        low on meaning while its words plainly match a passage (a French abstract): a best
        lexical chunk holding most of the question's terms keeps its strong lexical hits.
        """
        top_lex = self.best_lexical or 1.0
        if self.best_dense < min_dense:
            matched, share = self.lexical_cover
            if matched < STRONG_LEXICAL_TERMS or share < STRONG_LEXICAL_SHARE:
                return []
            return [h for h in self.hits if h.lexical >= 0.5 * top_lex]
        return [h for h in self.hits if h.dense >= min_dense or h.lexical >= 0.5 * top_lex]


class Retriever:
    """Searches one generation of the index; cheap to call repeatedly."""

    def __init__(self, reader: Reader, embedder: QueryEmbedder) -> None:
        self.reader = reader
        self.embedder = embedder

    @property
    def generation(self) -> int:
        """The index generation searched."""
        return self.reader.generation

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
        dense: dict[str, float] = {}
        lexical: dict[str, float] = {}
        query_vec = None
        if mode in ("hybrid", "dense"):
            query_vec = self.embedder.embed([query])[0]
            dense = self.reader.dense(query_vec, CANDIDATES, filters)
        if mode in ("hybrid", "lexical"):
            lexical = self.reader.lexical(query, CANDIDATES, filters)
        fused = fuse(dense, lexical, mode)
        if mode == "hybrid" and query_vec is not None and len(self.reader) >= PRF_MIN_CHUNKS:
            fused = fuse(self._feedback_scores(query_vec, fused, filters), lexical, mode)
        # Ranking needs each candidate's record and abstract flag only; a chunk the store
        # has but this generation lacks is skipped.
        briefs = self.reader.brief(list(fused))
        for cid, brief in briefs.items():  # a bare title is thinner evidence than an abstract
            if not brief.has_abstract:
                fused[cid] *= TITLE_ONLY_FACTOR
        hits = self._diversify(fused, briefs, dense, lexical, k, per_record)
        return SearchResult(
            hits,
            max(dense.values(), default=0.0),
            max(lexical.values(), default=0.0),
            self._cover(query, lexical),
        )

    def _cover(self, query: str, lexical: dict[str, float]) -> tuple[int, float]:
        """How many of the query's distinct terms the best lexical chunk holds, and what share."""
        if not lexical:
            return 0, 0.0
        best = self.reader.chunk(max(lexical, key=lambda c: lexical[c]))
        terms = set(tokenize([query])[0])
        if best is None or not terms:
            return 0, 0.0
        found = terms & set(tokenize([lexical_text(best.text, best.meta)])[0])
        return len(found), len(found) / len(terms)

    def _feedback_scores(
        self, query_vec: np.ndarray, first: dict[str, float], filters: Filters
    ) -> dict[str, float]:
        """Dense scores for the query moved towards its first-pass top chunks (Rocchio).

        The moved query re-scores the first pass's candidates (its dense and lexical top
        ``CANDIDATES``) rather than searching the whole index again: the same ranking in
        practice, at a fraction of a full dense search (docs/EVAL.md)."""
        top = sorted(first, key=lambda c: (-first[c], c))[:PRF_DOCS]
        if not top:
            return {}
        vectors = self.reader.embeddings(top)
        if vectors.size == 0:
            return {}
        moved = query_vec + PRF_WEIGHT * vectors.mean(axis=0)
        moved /= np.linalg.norm(moved) or 1.0
        return self.reader.similarity(moved, list(first))

    def _diversify(
        self,
        fused: dict[str, float],
        briefs: dict[str, Brief],
        dense: dict[str, float],
        lexical: dict[str, float],
        k: int,
        per_record: int,
    ) -> list[Hit]:
        hits: dict[str, Hit] = {}
        for cid in sorted(briefs, key=lambda c: (-fused[c], c)):
            rid = briefs[cid].record_id or cid
            hit = hits.get(rid)
            if hit is None:
                if len(hits) == k:
                    continue
                placeholder = ChunkMeta(record_id=rid)  # the chunk's own, read below
                hits[rid] = Hit(
                    rid,
                    [cid],
                    "",
                    placeholder,
                    fused[cid],
                    dense.get(cid, 0.0),
                    lexical.get(cid, 0.0),
                )
            elif len(hit.chunk_ids) < per_record and fused[cid] >= 0.8 * hit.score:
                hit.chunk_ids.append(cid)
                hit.dense = max(hit.dense, dense.get(cid, 0.0))
        read = {
            c.chunk_id: c
            for c in self.reader.chunks([c for h in hits.values() for c in h.chunk_ids])
        }
        out = []
        for hit in hits.values():  # a record's chunks are shown in reading order
            chunks = [read[c] for c in hit.chunk_ids if c in read]
            # A source carries one page: a passage from another page of the paper (page 5
            # beside the best one on page 2) would be quoted under the wrong page number.
            page = chunks[0].meta.page if chunks else None
            chunks = [c for c in chunks if c.meta.page == page]
            ordered = sorted(chunks, key=lambda c: c.meta.chunk)
            if not ordered:  # removed from the index since it was ranked
                continue
            hit.chunk_ids = [c.chunk_id for c in ordered]
            hit.meta = ordered[0].meta
            hit.text = ordered[0].text
            for c in ordered[1:]:
                hit.text = _join_chunks(hit.text, c.text)
            out.append(hit)
        return out


def fuse(dense: dict[str, float], lexical: dict[str, float], mode: str) -> dict[str, float]:
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


WHOLE_RECORD_CHUNKS = 12  # a named paper's text, up to this many chunks (the prompt budgets it)


def whole_record(source: Any, reader: Reader, language: str | None = None) -> Any:
    """``source`` with the text of its whole record in reading order: the version in
    ``language`` when the record has one (a translated abstract), else its own text."""
    chunks = reader.chunks_of(source.record_id)
    versions = {c.meta.text_language for c in chunks}
    wanted = language if language in versions and language != source.language else None
    chunks = [c for c in chunks if c.meta.text_language == wanted][:WHOLE_RECORD_CHUNKS]
    if not chunks:
        return source
    text = chunks[0].text
    for chunk in chunks[1:]:
        text = _join_chunks(text, chunk.text)
    # The whole paper's text is quoted from any of its pages: one page number would be
    # wrong for most of it, so a text spanning pages names none (the paper is cited whole).
    pages = {c.meta.page for c in chunks}
    page = pages.pop() if len(pages) == 1 else None
    return replace(source, text=text, chunk_ids=tuple(c.chunk_id for c in chunks), page=page)
