"""BM25 over term-id arrays that can be saved, memory-mapped and updated without a rebuild.

bm25s cannot add or drop a document: its index is rebuilt from every chunk's tokens,
~16 s at 100k chunks. Here the raw term counts are kept per document (CSR), so an update
drops and appends rows with vectorised numpy, and the term-major score matrix (CSC, what a
query reads) is recomputed from them in C-speed array operations. Scores are bm25s's
default ("lucene": k1 1.5, b 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5))), so
rankings are those bm25s gives on the same tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

K1 = 1.5
B = 0.75
# Doc-major counts (kept for updates) and term-major scores (read by queries).
ARRAYS = ("doc_indptr", "doc_terms", "doc_tf", "term_indptr", "term_docs", "term_scores")


@dataclass
class Bm25Arrays:
    """One BM25 index: per-document term counts and the per-term score lists."""

    doc_indptr: np.ndarray  # int64, n_docs + 1
    doc_terms: np.ndarray  # int32 term ids, each document's distinct terms
    doc_tf: np.ndarray  # float32 counts, aligned with doc_terms
    term_indptr: np.ndarray  # int64, n_terms + 1
    term_docs: np.ndarray  # int32 document positions, by term
    term_scores: np.ndarray  # float32 BM25 weights, aligned with term_docs

    @property
    def n_docs(self) -> int:
        """How many documents (chunks) are indexed."""
        return len(self.doc_indptr) - 1

    @classmethod
    def from_docs(cls, docs: list[list[int]], n_terms: int) -> Bm25Arrays:
        """Index documents given as lists of term ids (repeats count)."""
        empty = cls._empty()
        return empty.updated(np.zeros(0, dtype=bool), docs, n_terms)

    @classmethod
    def _empty(cls) -> Bm25Arrays:
        i64, i32, f32 = np.int64, np.int32, np.float32
        z = np.zeros
        return cls(z(1, i64), z(0, i32), z(0, f32), z(1, i64), z(0, i32), z(0, f32))

    def updated(self, keep: np.ndarray, new_docs: list[list[int]], n_terms: int) -> Bm25Arrays:
        """A new index: the documents where ``keep`` is True, in order, then ``new_docs``."""
        lengths = np.diff(self.doc_indptr)
        entries = np.repeat(keep, lengths)
        terms = [np.asarray(self.doc_terms[entries], dtype=np.int32)]
        tfs = [np.asarray(self.doc_tf[entries], dtype=np.float32)]
        row_sizes = [lengths[keep]]
        if new_docs:  # one vectorised pass: (document, term) pairs counted together
            flat = np.concatenate([np.asarray(d, dtype=np.int64) for d in new_docs])
            owner = np.repeat(np.arange(len(new_docs)), [len(d) for d in new_docs])
            pairs, counts = np.unique(owner * max(n_terms, 1) + flat, return_counts=True)
            terms.append((pairs % max(n_terms, 1)).astype(np.int32))
            tfs.append(counts.astype(np.float32))
            row_sizes.append(np.bincount(pairs // max(n_terms, 1), minlength=len(new_docs)))
        doc_terms = np.concatenate(terms)
        doc_tf = np.concatenate(tfs)
        sizes = np.concatenate(row_sizes).astype(np.int64)
        doc_indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        return _with_scores(doc_indptr, doc_terms, doc_tf, n_terms)

    def scores(self, term_ids: list[int]) -> np.ndarray:
        """Summed BM25 weight of each document for these query terms (repeats count)."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        n_terms = len(self.term_indptr) - 1
        for t in term_ids:
            if 0 <= t < n_terms:
                start, end = int(self.term_indptr[t]), int(self.term_indptr[t + 1])
                out[self.term_docs[start:end]] += self.term_scores[start:end]
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


def _with_scores(
    doc_indptr: np.ndarray, doc_terms: np.ndarray, doc_tf: np.ndarray, n_terms: int
) -> Bm25Arrays:
    """Compute the term-major BM25 weights from per-document counts."""
    n_docs = len(doc_indptr) - 1
    row_sizes = np.diff(doc_indptr)
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int32), row_sizes)
    doc_len = np.bincount(doc_of, weights=doc_tf, minlength=n_docs) if n_docs else np.zeros(0)
    avg_len = float(doc_len.mean()) if n_docs else 0.0
    df = np.bincount(doc_terms, minlength=n_terms).astype(np.float64)
    idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
    tf = doc_tf.astype(np.float64)
    norm = K1 * (1.0 - B + B * doc_len[doc_of] / (avg_len or 1.0))
    weights = (idf[doc_terms] * tf / (tf + norm)).astype(np.float32)
    order = np.argsort(doc_terms, kind="stable")  # by term, then document: CSC
    per_term = np.bincount(doc_terms, minlength=n_terms)
    term_indptr = np.concatenate([[0], np.cumsum(per_term)]).astype(np.int64)
    return Bm25Arrays(
        doc_indptr,
        doc_terms,
        doc_tf,
        term_indptr,
        doc_of[order].astype(np.int32),
        weights[order],
    )
