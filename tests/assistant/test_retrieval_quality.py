"""Retrieval quality on our own seed question set (tests/data/seed_questions.jsonl).

Each question names the paper that answers it; figures are recorded in docs/QUALITY.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answering.retrieval import Hit
from assistant.runtime import build_engine

QUESTIONS = [
    json.loads(line)
    for line in (Path(__file__).parent.parent / "data" / "seed_questions.jsonl").open()
]


def relevant(hit: Hit, q: dict) -> bool:
    authors, title = "; ".join(hit.meta.authors), hit.meta.title or ""
    return (
        any(a in authors for a in q.get("relevant_authors", []) if a)
        or any(t in title for t in q.get("relevant_titles", []) if t)
        or any(t in hit.text for t in q.get("relevant_text", []) if t)
    )


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_the_answering_paper_ranks_first(seeded_home, settings, mode):
    retriever = build_engine(settings).retriever()
    first = 0
    for q in QUESTIONS:
        hits = retriever.search(q["question"], 5, mode=mode).hits
        assert any(relevant(h, q) for h in hits), q["question"]
        first += relevant(hits[0], q)
    assert first / len(QUESTIONS) >= 0.9
