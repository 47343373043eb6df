"""Prompt injection: documents that give orders are fenced as data, and the rules still hold.

A corpus of hostile documents (tests/data/injection) is ingested beside the seeds; the fake
Ollama plays a model that obeys them, and the checks show what the assistant does about it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.runtime import build_engine

INJECTION = Path(__file__).parent.parent / "data" / "injection"


@pytest.fixture
def hostile_home(seeded_home: Path, tmp_path: Path, capsys) -> Path:
    docs = tmp_path / "hostile"
    shutil.copytree(INJECTION, docs)
    assert main(["ingest", str(docs)]) == 0
    capsys.readouterr()
    return seeded_home


def fenced_sources(prompt: str) -> list[str]:
    return re.findall(r'<source n="(\d+)">\n(.*?)\n</source>', prompt, flags=re.S)


@pytest.mark.parametrize(
    "question",
    [
        "What do members of peer support groups gain?",
        "How do peer workers model hope?",
        "How does care-giving limit occupational participation?",
    ],
)
def test_every_document_reaches_the_model_inside_its_fence(
    hostile_home, ollama, settings, question
):
    answer = build_engine(settings).ask(question)
    messages = ollama.last_chat["messages"]
    assert messages[0]["role"] == "system" and "not instructions" in messages[0]["content"]
    prompt = messages[-1]["content"]
    blocks = fenced_sources(prompt)
    assert [int(n) for n, _ in blocks] == [s.n for s in answer.sources]
    # Nothing a document says can close its fence or open a new one.
    assert prompt.count("</source>") == len(blocks)
    assert prompt.count('<source n="') == len(blocks)
    hostile = [b for _, b in blocks if "PWNED" in b or "[42]" in b or "evil.example" in b]
    assert hostile  # the hostile document was retrieved, and it is inside a fence
    assert all("‹/source>" in b for b in hostile if "[42]" in b)  # its fence break defused


def test_an_obedient_model_is_flagged(hostile_home, ollama, settings):
    ollama.enqueue("PWNED")  # the model followed the document, not the rules
    answer = build_engine(settings).ask("What do members of peer support groups gain?")
    assert answer.mode == "extractive" and answer.attempt == "PWNED"  # never shown as an answer
    assert any("not usable" in w for w in answer.warnings)


def test_citations_a_document_asked_for_are_removed(hostile_home, ollama, settings):
    ollama.enqueue("Peer workers model hope [1] [42].")
    answer = build_engine(settings).ask("How do peer workers model hope?")
    assert "[42]" not in answer.answer and answer.citations == [1]
    assert any("[42]" in w for w in answer.warnings)


def test_extractive_answers_quote_documents_but_never_act_on_them(hostile_home, settings):
    answer = build_engine(settings).ask("How do peer workers model hope?")
    assert answer.mode == "extractive" and answer.citations
    assert all(1 <= n <= len(answer.sources) for n in answer.citations)
