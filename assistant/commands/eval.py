"""``assistant eval``: retrieval quality on a BEIR dataset, or on a file of your own questions;
with ``--model``, the quality of the answers to your questions (:mod:`assistant.quality`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from assistant.config import Settings
from assistant.errors import UsageError

LABELS = {"ndcg@10": "nDCG@10", "recall@10": "recall@10", "mrr@10": "MRR@10", "hit@5": "hit@5"}


def table(result: dict[str, Any]) -> list[str]:
    """The per-mode metrics as aligned text lines."""
    modes = result["modes"]
    names = [n for n in LABELS if any(n in row for row in modes.values())]
    head = f"{'mode':<8}" + "".join(f"{LABELS[n]:>11}" for n in names) + f"{'ms/query':>10}"
    lines = [head]
    for mode, row in modes.items():
        cells = "".join(f"{row[n]:>11.3f}" for n in names)
        lines.append(f"{mode:<8}{cells}{row['ms_per_query']:>10.1f}")
    return lines


def describe(result: dict[str, Any]) -> str:
    """One line saying what was measured."""
    if "dataset" in result:
        return (
            f"{result['dataset']}: {result['queries']} queries over {result['documents']:,} "
            f"documents (collection {result['collection']}; {result['embedded']} chunks "
            f"embedded this run), top {result['k']} records."
        )
    return (
        f"{result['queries']} questions from {result['questions']} against collection "
        f"{result['collection']}, top {result['k']} records."
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Measure every retrieval mode and print a table (or JSON)."""
    from assistant.evaluate import evaluate_beir, evaluate_cases
    from assistant.progress import progress_bars

    target = args.dataset
    if getattr(args, "model", None):
        return run_answers(args, settings)
    measure: Callable[..., dict[str, Any]]
    if target.is_dir():
        measure = evaluate_beir
    elif target.is_file() and target.suffix.lower() == ".jsonl":
        measure = evaluate_cases
    elif target.exists():
        raise UsageError(f"{target} is neither a BEIR dataset folder nor a .jsonl of questions.")
    else:
        raise UsageError(f"No such file or folder: {target}.")
    with progress_bars(sys.stderr.isatty() and not args.json) as bars:
        result = measure(target, settings, progress=bars.update if bars else None)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(describe(result))
    print("\n".join(table(result)))
    for item in result.get("unknown_relevant", []):
        print(f"warning: {item!r} is not in the index; it can never be found.", file=sys.stderr)
    return 0


def run_answers(args: argparse.Namespace, settings: Settings) -> int:
    """Answer the questions with the model and extractively; print the per-kind table."""
    from assistant.progress import progress_bars
    from assistant.quality import evaluate_answers, text_table

    target = args.dataset
    if target.is_dir():
        raise UsageError(
            f"{target} is a folder; --model measures answers to a .jsonl or .txt file of "
            "questions (a BEIR folder measures retrieval, without --model)."
        )
    if target.exists() and target.suffix.lower() not in (".jsonl", ".txt"):
        raise UsageError(f"{target} is neither a .jsonl nor a .txt file of questions.")
    with progress_bars(sys.stderr.isatty() and not args.json) as bars:
        result = evaluate_answers(target, settings, progress=bars.update if bars else None)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return 0
    count = len(result["answers"]) // max(1, len(result["paths"]))
    print(
        f"{count} questions from {result['questions']} answered by {result['model']} at "
        f"{result['host']} and extractively, from collection {result['collection']}, "
        f"{result['k']} sources each."
    )
    print("\n".join(text_table(result)))
    return 0
