"""Test data for the bibliography modules: records of the seeds and of tests/data/pages_bib."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from assistant.answering.question.bibliography import Bibliography
from ingest.records import split_records
from vocab.record import Record

REPO = Path(__file__).resolve().parents[2]
SEED_QUESTIONS = REPO / "tests" / "data" / "bib_questions.jsonl"
PAGES = REPO / "tests" / "data" / "pages_bib"


def records_of(paths: list[Path]) -> list[Record]:
    """Records of the given pages, as the ingest splits them (no Chroma involved)."""
    return [r for p in paths for r in split_records(p.read_text(encoding="utf-8"), str(p))]


def seed_records() -> list[Record]:
    """Records of the five bundled seed pages."""
    return records_of(sorted((REPO / "seeds").iterdir()))


def pages_records() -> list[Record]:
    """Records of the pages written for these tests, in the seed families' layouts."""
    return records_of(sorted(PAGES.glob("*.txt")))


@cache
def seed_bibliography() -> Bibliography:
    """The bibliography of the five bundled seed pages."""
    return Bibliography.from_records(seed_records())


@cache
def pages_bibliography() -> Bibliography:
    """The bibliography of the pages written for these tests."""
    return Bibliography.from_records(pages_records())


def questions(path: Path) -> list[dict[str, Any]]:
    """One question per JSON line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
