"""The question sets over the seeds and over pages written for the tests, read offline.

Each question states the kind of answer it wants, what must be recognised (and nothing
else), the records that must match, and facts the bibliographic answer must state.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answering.answer import Source
from assistant.answering.extractive import extractive_answer
from assistant.answering.question.bibliography import Bibliography
from assistant.answering.question.catalogue import bibliographic_answer, catalogue_answer
from assistant.answering.question.read import matching, read_question
from index.embedder import MiniLMEmbedder
from tests.assistant.bibdata import (
    PAGES,
    SEED_QUESTIONS,
    pages_bibliography,
    pages_records,
    questions,
    seed_bibliography,
    seed_records,
)
from tests.conftest import model_dir

CASES = [
    *((q, seed_bibliography) for q in questions(SEED_QUESTIONS)),
    *((q, pages_bibliography) for q in questions(PAGES / "questions.jsonl")),
]


def _id(case: tuple[dict[str, Any], Any]) -> str:
    return str(case[0]["id"])


def test_the_sets_cover_every_kind() -> None:
    seeds = questions(SEED_QUESTIONS)
    assert len(seeds) >= 24
    kinds = {q["kind"] for q in seeds} | {q["kind"] for q in questions(PAGES / "questions.jsonl")}
    assert kinds == {"catalogue", "bibliographic", "paper", "topic"}


# What a question asks of the papers' parts is pinned by tests/data/parts_questions.jsonl.
PARTS_KEYS = ("facet", "design", "setting", "not_about", "exists", "compare", "measure")


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_reading(case: tuple[dict[str, Any], Any]) -> None:
    q, bib = case[0], case[1]()
    interp = read_question(q["question"], bib)
    assert interp.kind == q["kind"]
    assert interp.field == q.get("field")
    assert interp.language == q.get("language", "en")
    recognised = {
        k: v
        for k, v in interp.to_json().items()
        if k not in ("kind", "field", *PARTS_KEYS) or k in q["interpreted"]
    }
    assert recognised == q["interpreted"]


@pytest.mark.parametrize("case", [c for c in CASES if not c[0].get("needs_retrieval")], ids=_id)
def test_matching_and_answer(case: tuple[dict[str, Any], Any]) -> None:
    q, bib = case[0], case[1]()
    interp = read_question(q["question"], bib)
    entries = matching(interp, bib)
    if "expected_count" in q:
        assert len(entries) == q["expected_count"]
    authors = [a for e in entries for a in e.authors]
    for name in q.get("expected_authors", []):
        assert name in authors
    for title in q.get("expected_titles", []):
        assert title in [e.title for e in entries]
    answer = _answer(interp, entries, bib)
    for fact in q.get("facts", []) if interp.kind in ("catalogue", "bibliographic") else []:
        assert fact in answer
    for fact in q.get("facts", []) if interp.missing and interp.kind == "paper" else []:
        assert fact in interp.describe()


def _answer(interp: Any, entries: list[Any], bib: Bibliography) -> str:
    if interp.kind == "bibliographic":
        result = bibliographic_answer(interp.field, entries, interp.language)
    else:
        result = catalogue_answer(interp, entries)
    numbers = [n for n in range(1, len(result.entries) + 1) if f"[{n}]" in result.text]
    assert numbers == list(range(1, len(entries) + 1))  # every match cited, in order
    return result.text


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(model_dir())


PAPER_CASES = [
    (q, recs)
    for q, recs in [
        *((q, seed_records) for q in questions(SEED_QUESTIONS)),
        *((q, pages_records) for q in questions(PAGES / "questions.jsonl")),
    ]
    if q["kind"] == "paper" and q.get("facts") and not q["interpreted"].get("missing")
]


@pytest.mark.parametrize("case", PAPER_CASES, ids=_id)
def test_extractive_answer_about_a_named_paper(
    case: tuple[dict[str, Any], Any], embedder: MiniLMEmbedder
) -> None:
    """Restricted to the named paper, the extractive answer quotes its findings."""
    q, records = case[0], case[1]()
    bib = Bibliography.from_records(records)
    by_id = {r.record_id: r for r in records}
    entries = matching(read_question(q["question"], bib), bib)
    sources = [
        Source(
            n=n,
            record_id=e.record_id,
            title=e.title,
            authors=list(e.authors),
            year=e.year,
            venue=e.venue,
            doi=e.doi,
            path=None,
            text=by_id[e.record_id].abstract,
            score=1.0,
            language=by_id[e.record_id].language,
            has_abstract=e.has_abstract,
        )
        for n, e in enumerate(entries, 1)
    ]
    translations = {r.record_id: r.translations for r in records}
    text, cited = extractive_answer(q["question"], sources, embedder, translations=translations)
    assert cited and all(f"[{n}]" in text for n in cited)
    for fact in q["facts"]:
        assert fact.casefold() in text.casefold()
