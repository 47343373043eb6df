"""Questions about the papers' parts, end to end on the real index, extractive mode.

tests/data/parts_questions.jsonl asks over the seeds and the abstracts written for the
tests (tests/data/parts: structured and unstructured, English and French): facets, "what
did X write about", catalogues by design and country, existence, negation, comparisons,
multi-hop constraints, questions the papers cannot answer, and rare terms. Each answer
must state the facts listed, cite the papers named (matched in the cited sources' authors,
titles or text) and, for "not reported" questions, cite nothing. docs/QUALITY.md
summarises it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from assistant.answering.events import AskOptions
from assistant.runtime import build_engine
from tests.conftest import model_dir

DATA = Path(__file__).parent.parent / "data"
QUESTIONS = [json.loads(x) for x in (DATA / "parts_questions.jsonl").read_text().splitlines() if x]


@pytest.fixture(scope="module")
def parts_settings(tmp_path_factory: pytest.TempPathFactory):
    """An index of the seeds and the test abstracts."""
    from assistant.config import Settings
    from assistant.runtime import open_index, run_ingest

    root = tmp_path_factory.mktemp("parts")
    corpus = root / "corpus"
    shutil.copytree(Path(__file__).parent.parent.parent / "seeds", corpus / "seeds")
    shutil.copytree(DATA / "parts", corpus / "parts")
    settings = Settings(home=root / "home", embed_model_dir=model_dir())
    index = open_index(settings)
    run_ingest(settings, index, [corpus])
    index.close()
    return settings


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


@pytest.mark.parametrize("q", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_parts_questions(q: dict[str, Any], parts_settings) -> None:
    answer = build_engine(parts_settings).ask(
        q["question"], options=AskOptions(k=5, mode="extractive")
    )
    read = answer.interpreted or {}
    for key, value in q["asks"].items():
        assert read.get(key) == value, read
    text = _fold(answer.answer)
    for fact in q["facts"]:
        assert _fold(fact) in text, (fact, answer.answer)
    cited = [s for s in answer.sources if s.n in answer.citations] or (
        answer.sources if read.get("kind") == "catalogue" else []
    )
    blob = [_fold(" ".join([*s.authors, s.title or "", s.text])) for s in cited]
    for who in q.get("cites", []):
        assert any(_fold(who) in b for b in blob), (who, answer.answer)
    for who in q.get("not_cited", []):
        assert not any(_fold(who) in " ".join(s.authors).casefold() for s in cited), who
    if q.get("no_citations"):
        assert answer.citations == [] and answer.sources == [], answer.answer
    if q.get("warning"):
        assert any(q["warning"] in w for w in answer.warnings), answer.warnings


def test_an_author_filter_picking_few_papers_names_them(parts_settings) -> None:
    """``--author Mpango --year 2020`` is "Mpango's 2020 paper": a plain question about it is
    answered from it, with no relevance gate to pass, and one it does not touch is not."""
    from index import Filters

    engine = build_engine(parts_settings)
    only = Filters.parse(year="2020", author="Mpango")
    asked = engine.ask(
        "What lessons were learned?", options=AskOptions(mode="extractive", filters=only)
    )
    assert asked.citations and all("Mpango" in s.authors[0] for s in asked.sources)
    off = engine.ask("How do volcanoes erupt?", options=AskOptions(mode="extractive", filters=only))
    assert off.citations == [] and "do not report anything on" in off.answer


def test_a_comparison_keeps_the_order_named_and_the_parts_asked(parts_settings) -> None:
    engine = build_engine(parts_settings)
    options = AskOptions(k=5, mode="extractive")
    whole = engine.ask("Compare the studies by Folker and Krupin.", options=options).answer
    assert whole.index("Folker et al.") < whole.index("Krupin et al.")  # as the question names them
    assert "Aim:" in whole and "Participants:" in whole
    asked = engine.ask(
        "How do the Strand and Krupin studies differ in how they collected data?", options=options
    ).answer
    assert "Method:" in asked and "Participants:" not in asked and "Aim:" not in asked
    assert asked.index("Strand et al.") < asked.index("Krupin et al.")
