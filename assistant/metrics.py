"""Ranking metrics for retrieval evaluation: nDCG, recall, MRR and hit rate at a cut-off.

nDCG uses gains of ``2**grade - 1`` with a log2 discount (the form that reproduces the
benchmark sets' reference figures).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Iterable, Mapping, Sequence

METRICS = ("ndcg@10", "recall@10", "mrr@10", "hit@5")


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, float], k: int = 10) -> float:
    """nDCG@k with graded gains 2**grade - 1 and a log2(rank + 1) discount, over the ideal
    ordering of the judged documents (the form the reference figures in data/README use)."""

    def gain(grade: float) -> float:
        return 2.0**grade - 1.0 if grade > 0 else 0.0

    dcg = sum(gain(grades.get(doc, 0.0)) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted((gain(g) for g in grades.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at(ranked: Sequence[str], relevant: Collection[str], k: int = 10) -> float:
    """Share of the relevant documents found in the top ``k``."""
    if not relevant:
        return 0.0
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def mrr_at(ranked: Sequence[str], relevant: Collection[str], k: int = 10) -> float:
    """1 / rank of the first relevant document in the top ``k`` (0 when there is none)."""
    for i, doc in enumerate(ranked[:k]):
        if doc in relevant:
            return 1.0 / (i + 1)
    return 0.0


def hit_at(ranked: Sequence[str], relevant: Collection[str], k: int = 5) -> float:
    """1 when any relevant document is in the top ``k``."""
    return 1.0 if any(doc in relevant for doc in ranked[:k]) else 0.0


def score_ranking(ranked: Sequence[str], grades: Mapping[str, float]) -> dict[str, float]:
    """All four metrics for one query (relevant = positive gain)."""
    relevant = {d for d, g in grades.items() if g > 0}
    return {
        "ndcg@10": ndcg_at(ranked, grades, 10),
        "recall@10": recall_at(ranked, relevant, 10),
        "mrr@10": mrr_at(ranked, relevant, 10),
        "hit@5": hit_at(ranked, relevant, 5),
    }


def mean_metrics(rows: list[dict[str, float]], names: Iterable[str] = METRICS) -> dict[str, float]:
    """Per-metric means over queries."""
    return {m: round(statistics.fmean(r[m] for r in rows), 4) if rows else 0.0 for m in names}
