"""Calibrate the support thresholds of ``assistant/answering/support.py`` on labelled pairs.

    python bench/calibrate_support.py [tests/data/support_pairs.jsonl] [--hash]

Each line of the file is ``{"sentence", "passage", "supported": bool, "kind"}``. The
lexical and MiniLM scores of every pair are computed once; then every lexical weight
(0, 0.1, ..., 1) and threshold is tried, the numbers-and-names rule applied as the checker
applies it, and the best (most pairs right; then the widest gap between the lowest
supported and the highest unsupported score) is printed with its accuracy per kind. The
combined search keeps both measures in play (weights 0.2-0.8): on these pairs accuracy is
flat across weights (0.78-0.84, a pair or two apart), so the gap decides.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.answering.support import missing_from, score_pairs, specifics  # noqa: E402


@dataclass
class Passage:
    n: int
    text: str


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def pair_scores(pairs: list[dict], embedder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lexical, semantic, specifics-held) per pair."""
    lex, sem, held = [], [], []
    for pair in pairs:
        source = Passage(1, pair["passage"])
        lx, sm = score_pairs([pair["sentence"]], [source], embedder)
        lex.append(lx[0, 0])
        sem.append(sm[0, 0])
        held.append(not missing_from(source, specifics(pair["sentence"])))
    return np.array(lex), np.array(sem), np.array(held)


def calibrate(pairs: list[dict], lex, sem, held, weights) -> tuple[float, float, float, float]:
    """(weight, threshold, accuracy, gap) of the best setting."""
    labels = np.array([p["supported"] for p in pairs])
    best = (-1.0, -1.0, 0.0, 0.0)
    for w in weights:
        score = w * lex + (1 - w) * sem
        for t in np.unique(np.round(score, 3)):
            predicted = (score >= t) & held
            accuracy = float((predicted == labels).mean())
            counted = score[labels & held]
            below = score[~labels & held]
            low = counted[counted >= t].min() if (counted >= t).any() else t
            high = below[below < t].max() if (below < t).any() else t
            gap = float(low - high)
            if (accuracy, gap) > (best[2], best[3]):
                best = (float(w), float(t), accuracy, gap)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="?", default=REPO / "tests/data/support_pairs.jsonl")
    parser.add_argument("--hash", action="store_true", help="the word-hashing test embedder")
    args = parser.parse_args(argv)
    pairs = load(Path(args.pairs))
    if args.hash:
        from tests.fakes.memory_index import HashEmbedder

        embedder = HashEmbedder()
    else:
        from index import MiniLMEmbedder

        folder = os.environ.get("ASSISTANT_EMBED_MODEL_DIR")
        embedder = MiniLMEmbedder(Path(folder) if folder else None)
    lex, sem, held = pair_scores(pairs, embedder)
    for name, weights in (("lexical only", [1.0]), ("combined", np.linspace(0.2, 0.8, 7))):
        w, t, accuracy, gap = calibrate(pairs, lex, sem, held, weights)
        print(f"{name}: weight {w:.1f}, threshold {t:.3f}, accuracy {accuracy:.3f}, gap {gap:.3f}")
        score = w * lex + (1 - w) * sem
        predicted = (score >= t) & held
        for kind in sorted({p["kind"] for p in pairs}):
            rows = [i for i, p in enumerate(pairs) if p["kind"] == kind]
            right = sum(predicted[i] == pairs[i]["supported"] for i in rows)
            print(f"  {kind:14} {right}/{len(rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
