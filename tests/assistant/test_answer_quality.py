"""``assistant eval QUESTIONS --model NAME``: answer quality per kind of question, measured
through the engine against the scripted fake Ollama (fast tier: an in-memory index)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import Settings
from assistant.llm import OllamaLLM
from assistant.quality import (
    Question,
    WatchedModel,
    load_questions,
    markdown,
    measure,
    result_of,
    text_table,
)
from tests.fakes.memory_index import HashEmbedder, Paper, memory_engine

PAPERS = [
    Paper(
        "Peer support groups in mental health",
        ["Strand, Monica"],
        2018,
        "Members of peer support groups valued mutual help and a sense of belonging.",
    ),
    Paper(
        "Housing first outcomes",
        ["Tsemberis, Sam"],
        2010,
        "Housing first programmes reduced homelessness among people with mental illness.",
    ),
]
GOOD = Question("c1", "content", "What did members of peer support groups value?")
WRONG = Question("c2", "content", "What did housing first programmes reduce?")
LOOP = Question("f1", "facet", "What did members of peer support groups value in belonging?")
NONE = Question("n1", "not-answerable", "What is the melting point of tungsten?")


def reply(body: dict) -> str:
    prompt = body["messages"][-1]["content"]
    if "value in belonging" in prompt:
        return "belonging " * 60  # a loop: set aside, answered from the sources instead
    if "housing first" in prompt.lower() and "Question: What did housing" in prompt:
        # the only source is the housing paper: the first sentence is not from it
        return (
            "Members of peer support groups valued mutual help [1]. Housing first "
            "programmes reduced homelessness among people with mental illness [1]."
        )
    return "Members of peer support groups valued mutual help and belonging [1]."


@pytest.fixture
def measured(tmp_path: Path, ollama):
    settings = Settings(home=tmp_path, ollama_host=ollama.url, min_relevance=0.05)
    ollama.reply_with(reply)
    with OllamaLLM(settings) as client:
        watched = WatchedModel(client)
        engine = memory_engine(settings, PAPERS, lambda model: watched)
        out = measure(engine, watched, HashEmbedder(), [GOOD, WRONG, LOOP, NONE], k=2)
    return result_of(out, settings, "questions.jsonl", 2), out


def test_each_kind_is_measured_on_both_paths(measured):
    result, _ = measured
    model, quoted = result["paths"]["model"], result["paths"]["extractive"]
    assert list(model) == ["content", "facet", "not-answerable"]  # the known kinds' order
    assert model["content"]["questions"] == 2
    assert model["content"]["answered_with_citations"] == 2
    assert model["not-answerable"]["answered_with_citations"] == 1  # nothing cited: right
    assert quoted["content"]["answered_with_citations"] == 2
    assert quoted["content"]["citation_precision"] == 1.0  # quoted sentences: supported
    assert quoted["content"]["fallbacks"] == 0 and quoted["content"]["first_token_ms"] is None


def test_a_wrong_citation_lowers_precision_and_is_counted_and_marked(measured):
    result, out = measured
    content = result["paths"]["model"]["content"]
    # c1: one supported pair; c2: one wrong pair (a sentence its source lacks), one right
    assert (content["supported_pairs"], content["pairs"]) == (2, 3)
    assert content["citation_precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert content["unsupported"] == 1 and content["marked"] == 1  # the reader sees it
    wrong = next(a for a in out.answers if a["id"] == "c2" and a["path"] == "model")
    assert "[unsupported]" in wrong["answer"]["answer"]


def test_a_set_aside_answer_is_a_fallback_with_the_models_text_kept(measured):
    result, out = measured
    facet = result["paths"]["model"]["facet"]
    assert facet["asked_model"] == 1 and facet["set_aside"] == 1 and facet["fallbacks"] == 1
    assert facet["answered_with_citations"] == 1  # the quoted answer instead
    row = next(r for r in out.rows["model"] if r["id"] == "f1")
    assert row["mode"] == "extractive" and row["raw"].startswith("belonging belonging")
    content = result["paths"]["model"]["content"]
    assert content["set_aside"] == 0 and content["fallbacks"] == 0
    assert content["first_token_ms"] is not None and content["tokens_per_s"] > 0


def test_the_tables_carry_every_path_and_kind(measured):
    result, _ = measured
    table = markdown(result)
    assert table.count("\n") == 1 + 3 + 3  # header, rule, 3 kinds per path
    assert "| llama3.2 | content | 2 | 2/2 | 0.67 (2/3) |" in table
    assert "| llama3.2 | facet | 1 | 1/1 |" in table and "| 1/1 | 1 |" in table
    lines = text_table(result)
    assert lines[0].startswith("path") and len(lines) == 7
    json.dumps(result, default=str)  # --json can print it


def test_question_files(tmp_path: Path):
    txt = tmp_path / "q.txt"
    txt.write_text("What is peer support?\n\n  Who took part?  \n", encoding="utf-8")
    assert load_questions(txt) == [
        Question("q1", "content", "What is peer support?"),
        Question("q3", "content", "Who took part?"),
    ]
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text(
        '{"question": "A?", "kind": "facet", "id": "x"}\n{"question": "B?", "relevant": []}\n',
        encoding="utf-8",
    )
    assert load_questions(jsonl) == [Question("x", "facet", "A?"), Question("2", "content", "B?")]


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        ('{"kind": "facet"}\n', "q.jsonl", 'needs a "question"'),
        ("[1, 2]\n", "q.jsonl", "not a JSON object"),
        ("", "q.txt", "holds no questions"),
        ("x", "q.csv", "neither a .jsonl nor a .txt"),
    ],
)
def test_bad_question_files_are_usage_errors(tmp_path: Path, capsys, content, name, words):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["eval", str(path), "--model", "llama3.2"]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and len(err.splitlines()) == 1


def test_a_folder_with_model_is_a_usage_error(tmp_path: Path, capsys):
    assert main(["eval", str(tmp_path), "--model", "llama3.2"]) == 2
    assert "measures answers to a .jsonl or .txt file" in capsys.readouterr().err


def test_without_ollama_or_the_model_it_exits_4_in_one_sentence(tmp_path: Path, capsys, ollama):
    path = tmp_path / "q.txt"
    path.write_text("What is peer support?\n", encoding="utf-8")
    assert main(["eval", str(path), "--model", "no-such-model"]) == 4
    err = capsys.readouterr().err.strip()
    assert "ollama pull no-such-model" in err and len(err.splitlines()) == 1
    ollama.stop()
    assert main(["eval", str(path), "--model", "llama3.2"]) == 4
    err = capsys.readouterr().err.strip()
    assert "not reachable" in err and len(err.splitlines()) == 1
