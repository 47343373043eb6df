"""Sweep hybrid-fusion formulas and weights over cached dense and lexical candidates.

    python bench/tune_fusion.py /work/shared/data/msmarco-5k /work/shared/data/dbpedia-5k

Each dataset is indexed into its own collection exactly as ``assistant eval`` does (nothing
is embedded when it already is). Per query, the query vector and the dense and BM25
candidate scores (``POOL`` of each, from the retriever's own ``dense_scores`` and
``lexical_scores``) are fetched once; every variant is scored from that cache: its fused
scores go through the retriever's one-record-per-source diversification, and the ranking
is judged with nDCG@10 (gains 2**grade - 1) and recall@10, as ``assistant eval`` does.

``retrieval.fuse`` (the shipped single pass) is scored as it is; the other formulas are
written out here, with their parameters open, to compare against it.
The pseudo-relevance-feedback variants run a second dense search (the only variants that
query Chroma again). Results are recorded in docs/EVAL.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answering import retrieval
from assistant.answering.retrieval import Filters
from assistant.config import load_settings
from assistant.evaluate import (
    beir_records,
    collection_name,
    index_beir,
    load_beir,
    open_retriever,
)
from assistant.metrics import score_ranking

POOL = 200  # candidates fetched per side; variants may use fewer
METRICS = ("ndcg@10", "recall@10", "mrr@10", "hit@5")
Scores = dict[int, float]


@dataclass
class Query:
    """One judged query with its cached first-pass candidates."""

    qid: str
    vector: np.ndarray
    dense: Scores
    lexical: Scores
    second: dict[tuple, Scores] = field(default_factory=dict)  # PRF second passes, cached


@dataclass
class Prepared:
    """A dataset ready to score variants on."""

    retriever: Any
    queries: list[Query]
    qrels: dict[str, dict[str, float]]
    corpus: Any
    vectors: dict[int, np.ndarray] = field(default_factory=dict)

    def vectors_of(self, positions: list[int]) -> np.ndarray:
        """Stored chunk embeddings, by snapshot position (fetched from Chroma once)."""
        snap = self.retriever.snapshot
        missing = [p for p in positions if p not in self.vectors]
        if missing:
            got = self.retriever.collection.get(
                ids=[snap.ids[p] for p in missing], include=["embeddings"]
            )
            for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
                self.vectors[snap.position[cid]] = np.asarray(vec, dtype=np.float32)
        return np.stack([self.vectors[p] for p in positions])


Fusion = Callable[[Scores, Scores], Scores]


# -- normalisations and formulas ----------------------------------------------------------
def by_max(s: Scores) -> Scores:
    top = max(s.values(), default=0.0) or 1.0
    return {p: v / top for p, v in s.items()}


def min_max(s: Scores) -> Scores:
    if not s:
        return {}
    lo, hi = min(s.values()), max(s.values())
    return {p: (v - lo) / (hi - lo) if hi > lo else 1.0 for p, v in s.items()}


def z_score(s: Scores) -> Scores:
    if len(s) < 2:
        return {p: 0.0 for p in s}
    mu, sd = statistics.fmean(s.values()), statistics.pstdev(s.values()) or 1.0
    return {p: (v - mu) / sd for p, v in s.items()}


def weighted(
    norm_d: Callable[[Scores], Scores], norm_l: Callable[[Scores], Scores], w: float
) -> Fusion:
    """w * norm(dense) + (1 - w) * norm(lexical); an unseen side counts as its list's worst."""

    def fuse(dense: Scores, lexical: Scores) -> Scores:
        d, lx = norm_d(dense), norm_l(lexical)
        fd, fl = min(d.values(), default=0.0), min(lx.values(), default=0.0)
        return {p: w * d.get(p, fd) + (1 - w) * lx.get(p, fl) for p in d.keys() | lx.keys()}

    return fuse


def rrf(k: int, w: float = 0.5) -> Fusion:
    """(Weighted) reciprocal-rank fusion."""

    def fuse(dense: Scores, lexical: Scores) -> Scores:
        out: Scores = {}
        for weight, scores in ((w, dense), (1 - w, lexical)):
            for rank, p in enumerate(sorted(scores, key=lambda q: -scores[q])):
                out[p] = out.get(p, 0.0) + 2 * weight / (k + rank + 1)
        return out

    return fuse


def shipped(dense: Scores, lexical: Scores) -> Scores:
    """``retrieval.fuse`` as shipped (its first pass)."""
    return retrieval.fuse(dense, lexical, "hybrid")


def peak(alpha: float, ref: int = 10) -> Fusion:
    """Cosine plus the part of BM25 that stands above the query's ``ref``-th best BM25 score.

    A flat BM25 list (a question made of common words) adds almost nothing, a peaked one (a
    rare name or term) lifts its few standouts; ``alpha`` scales the lift by the best score.
    """

    def fuse(dense: Scores, lexical: Scores) -> Scores:
        if not lexical:
            return dict(dense)
        ranked = sorted(lexical.values(), reverse=True)
        top, base = ranked[0] or 1.0, ranked[min(ref, len(ranked)) - 1]
        floor = min(dense.values(), default=0.0)
        return {
            p: dense.get(p, floor) + alpha * max(lexical.get(p, 0.0) - base, 0.0) / top
            for p in dense.keys() | lexical.keys()
        }

    return fuse


def fusions() -> dict[str, Fusion]:
    """Every single-pass candidate formula, by name."""
    out: dict[str, Fusion] = {
        "dense only": lambda d, lx: dict(d),
        "lexical only": lambda d, lx: by_max(lx),
        "shipped fuse (first pass)": shipped,
    }
    for w in [round(0.30 + 0.05 * i, 2) for i in range(14)]:  # 0.30 .. 0.95
        out[f"cos + bm25/max w={w}"] = weighted(lambda x: dict(x), by_max, w)
        out[f"minmax both w={w}"] = weighted(min_max, min_max, w)
        out[f"minmax dense + bm25/max w={w}"] = weighted(min_max, by_max, w)
        out[f"z-score both w={w}"] = weighted(z_score, z_score, w)
    for k in (10, 30, 60):
        for w in (0.5, 0.6, 0.7, 0.8):
            out[f"rrf k={k} w={w}"] = rrf(k, w)
    for ref in (5, 10, 20):
        for alpha in (0.05, 0.1, 0.15, 0.2, 0.3, 0.5):
            out[f"peak bm25 ref={ref} a={alpha}"] = peak(alpha, ref)
    return out


# -- measuring ----------------------------------------------------------------------------
def top(scores: Scores, n: int) -> Scores:
    return dict(sorted(scores.items(), key=lambda kv: -kv[1])[:n])


def prepare(root: Path) -> Prepared:
    """Index the dataset if needed and cache every judged query's first-pass candidates."""
    settings = load_settings()
    dataset = load_beir(root)
    corpus = beir_records(dataset)
    index_beir(dataset, corpus, settings)
    retriever = open_retriever(settings, collection_name(dataset.root))
    queries = []
    for qid in sorted(dataset.qrels):
        if qid not in dataset.queries or not any(g > 0 for g in dataset.qrels[qid].values()):
            continue
        text = dataset.queries[qid]
        vec = retriever.embedder.embed([text])[0]
        queries.append(
            Query(
                qid,
                vec,
                retriever.dense_scores(vec, Filters(), POOL),
                retriever.lexical_scores(text, Filters(), POOL),
            )
        )
    return Prepared(retriever, queries, dataset.qrels, corpus)


def judge(
    data: Prepared, query: Query, fused: Scores, dense: Scores, lexical: Scores
) -> dict[str, float]:
    hits = data.retriever._diversify(fused, dense, lexical, 10, 1)
    ranked = [doc for h in hits for doc in data.corpus.docs_of(h.meta.get("path"))]
    return score_ranking(ranked, data.qrels[query.qid])


def measure(data: Prepared, fusion: Fusion, pool: int) -> dict[str, float]:
    """Mean nDCG@10 and recall@10 of a single-pass fusion."""
    rows = []
    for q in data.queries:
        d, lx = top(q.dense, pool), top(q.lexical, pool)
        rows.append(judge(data, q, fusion(d, lx), d, lx))
    return {m: statistics.fmean(r[m] for r in rows) for m in METRICS}


def measure_prf(
    data: Prepared, docs: int, beta: float, fusion: Fusion, pool: int = 100
) -> dict[str, float]:
    """Two passes: fuse, move the query vector towards its top ``docs`` chunks (Rocchio,
    weight ``beta``), search dense again with it, fuse that with the same BM25 list."""
    rows = []
    for q in data.queries:
        d, lx = top(q.dense, pool), top(q.lexical, pool)
        first = fusion(d, lx)
        feedback = sorted(first, key=lambda p: -first[p])[:docs]
        key = (tuple(feedback), beta)
        if key not in q.second:
            vec = q.vector + beta * data.vectors_of(feedback).mean(axis=0)
            vec = vec / np.linalg.norm(vec)
            q.second[key] = data.retriever.dense_scores(vec, Filters(), pool)
        d2 = q.second[key]
        rows.append(judge(data, q, fusion(d2, lx), d2, lx))
    return {m: statistics.fmean(r[m] for r in rows) for m in METRICS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--pools", default="50,100,200", help="candidates per side to try")
    parser.add_argument("--show", type=int, default=20, help="rows of the ranking to print")
    args = parser.parse_args(argv)
    pools = [int(p) for p in args.pools.split(",")]
    data = {root.name: prepare(root) for root in args.datasets}
    names = list(data)
    rows: list[tuple[str, int, dict[str, dict[str, float]]]] = []
    for label, fusion in fusions().items():
        for pool in pools:
            rows.append((label, pool, {n: measure(data[n], fusion, pool) for n in names}))
    for docs in (3, 5, 8):
        for beta in (0.3, 0.5, 0.8):
            for alpha in (0.1, 0.2, 0.3):
                label = f"prf docs={docs} beta={beta} + peak a={alpha}"
                res = {n: measure_prf(data[n], docs, beta, peak(alpha)) for n in names}
                rows.append((label, 100, res))
    single = {
        n: max(
            r[2][n]["ndcg@10"]
            for r in rows
            if r[0] in ("dense only", "lexical only") and r[1] == 100
        )
        for n in names
    }

    def line(label: str, pool: int, res: dict[str, dict[str, float]]) -> str:
        cells = "".join(f"{res[n]['ndcg@10']:>16.4f}{res[n]['recall@10']:>7.3f}" for n in names)
        return f"{label:<44}{pool:>5}{cells}"

    head = f"{'fusion':<44}{'pool':>5}" + "".join(f"{n[:14]:>16}{'R@10':>7}" for n in names)
    first = names[0]
    ok = [r for r in rows if all(r[2][n]["ndcg@10"] >= single[n] for n in names)]
    for title, chosen in (
        (f"Best on {first} among variants that beat both single modes everywhere", ok),
        (f"Best on {first} overall", rows),
    ):
        print(f"\n{title}:\n{head}\n{'-' * len(head)}")
        for r in sorted(chosen, key=lambda r: -r[2][first]["ndcg@10"])[: args.show]:
            print(line(*r))
    picked = (
        "dense only",
        "lexical only",
        "rrf k=60 w=0.5",
        "shipped fuse (cos + bm25/max) w=0.7",
        "peak bm25 ref=10 a=0.1",
        "prf docs=5 beta=0.5 + peak a=0.2",
    )
    print("\nReference and recommended rows, all metrics (pool 100):")
    for n in names:
        print(f"\n{n}\n{'fusion':<44}" + "".join(f"{m:>11}" for m in METRICS))
        for r in rows:
            if r[1] == 100 and r[0] in picked:
                print(f"{r[0]:<44}" + "".join(f"{r[2][n][m]:>11.4f}" for m in METRICS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
