"""BM25 over term-id arrays that can be saved, memory-mapped and updated without a rebuild.

bm25s cannot add or drop a document: its index is rebuilt from every chunk's tokens,
~16 s at 100k chunks. Here the index keeps raw counts, term-major (each term's documents
and how often the term occurs in each), and every document's length; weights are computed
at query time for the query's terms only. So an update is linear array work with no sort
and no re-weighting: dropped documents are filtered out and the survivors renumbered, and
new documents' postings are inserted at the end of each term's list (they come last, so
every list stays in document order). Scores are bm25s's default ("lucene": k1 1.5,
b 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5))), so rankings are those bm25s gives on
the same tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

K1 = 1.5
B = 0.75
ARRAYS = ("term_indptr", "term_docs", "term_tf", "doc_len")


@dataclass
class Bm25Arrays:
    """One BM25 index: per-term postings with counts, and document lengths."""

    term_indptr: np.ndarray  # int64, n_terms + 1
    term_docs: np.ndarray  # int32 document positions, by term, ascending within a term
    term_tf: np.ndarray  # float32 counts, aligned with term_docs
    doc_len: np.ndarray  # float32 tokens per document

    def __post_init__(self) -> None:
        n = len(self.doc_len)
        self._avg_len = float(np.mean(self.doc_len, dtype=np.float64)) if n else 0.0

    @property
    def n_docs(self) -> int:
        """How many documents (chunks) are indexed."""
        return len(self.doc_len)

    @classmethod
    def from_docs(cls, docs: list[list[int]], n_terms: int) -> Bm25Arrays:
        """Index documents given as lists of term ids (repeats count)."""
        return cls._empty().updated(np.zeros(0, dtype=bool), docs, n_terms)

    @classmethod
    def _empty(cls) -> Bm25Arrays:
        z = np.zeros
        return cls(z(1, np.int64), z(0, np.int32), z(0, np.float32), z(0, np.float32))

    def updated(self, keep: np.ndarray, new_docs: list[list[int]], n_terms: int) -> Bm25Arrays:
        """A new index: the documents where ``keep`` is True, in order, then ``new_docs``."""
        keep = np.asarray(keep, dtype=bool)
        old_terms = len(self.term_indptr) - 1
        # Survivors: filter each posting by its document, renumber documents densely.
        alive = keep[self.term_docs] if len(self.term_docs) else np.zeros(0, dtype=bool)
        renumber = (np.cumsum(keep) - 1).astype(np.int32)
        docs = renumber[self.term_docs[alive]] if alive.any() else np.zeros(0, np.int32)
        tfs = np.asarray(self.term_tf)[alive]
        per_term = np.zeros(max(n_terms, old_terms), dtype=np.int64)
        if old_terms:
            term_of = np.repeat(np.arange(old_terms), np.diff(self.term_indptr))
            per_term[:old_terms] = np.bincount(term_of[alive], minlength=old_terms)
        lengths = [np.asarray(self.doc_len)[keep]]
        if new_docs:  # (document, term) pairs counted in one vectorised pass
            flat = np.concatenate([np.asarray(d, dtype=np.int64) for d in new_docs])
            owner = np.repeat(np.arange(len(new_docs)), [len(d) for d in new_docs])
            pairs, counts = np.unique(flat * len(new_docs) + owner, return_counts=True)
            new_terms = pairs // len(new_docs)  # sorted by term, then document
            new_docs_pos = (pairs % len(new_docs) + int(keep.sum())).astype(np.int32)
            ends = np.concatenate([[0], np.cumsum(per_term)])[1:]  # end of each term's list
            where = ends[new_terms]
            docs = np.insert(docs, where, new_docs_pos)
            tfs = np.insert(tfs, where, counts.astype(np.float32))
            per_term += np.bincount(new_terms, minlength=len(per_term))
            lengths.append(np.array([len(d) for d in new_docs], dtype=np.float32))
        indptr = np.concatenate([[0], np.cumsum(per_term)]).astype(np.int64)
        return Bm25Arrays(
            indptr,
            np.asarray(docs, dtype=np.int32),
            np.asarray(tfs, dtype=np.float32),
            np.concatenate(lengths).astype(np.float32),
        )

    def scores(self, term_ids: list[int]) -> np.ndarray:
        """Summed BM25 weight of each document for these query terms (repeats count)."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        n_terms = len(self.term_indptr) - 1
        for t in term_ids:
            if 0 <= t < n_terms:
                start, end = int(self.term_indptr[t]), int(self.term_indptr[t + 1])
                if start == end:
                    continue
                docs = self.term_docs[start:end]
                tf = np.asarray(self.term_tf[start:end], dtype=np.float64)
                idf = np.log(1.0 + (self.n_docs - (end - start) + 0.5) / (end - start + 0.5))
                norm = K1 * (1.0 - B + B * self.doc_len[docs] / (self._avg_len or 1.0))
                out[docs] += (idf * tf / (tf + norm)).astype(np.float32)
        return out

    def save(self, directory: Path) -> None:
        """Write each array as its own ``.npy`` so :meth:`load` can memory-map it."""
        for name in ARRAYS:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, directory: Path) -> Bm25Arrays:
        """Memory-mapped: pages are read when a query touches them, not at load."""
        arrays = {n: np.load(directory / f"{n}.npy", mmap_mode="r") for n in ARRAYS}
        return cls(**arrays)
