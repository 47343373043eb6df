"""JSON (and TOML) nested deeper than Python's stack: the file is named, nothing crashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main

DEEP = "[" * 200_000 + "]" * 200_000


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "internal error" not in err, err
    return lines[0]


def test_a_deep_question_file_is_named(tmp_path, capsys):
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"id": "q1", "question": "peer support?"}\n' + DEEP + "\n")
    assert main(["batch", str(questions), "--no-llm"]) == 2
    err = one_sentence(capsys.readouterr().err)
    assert "Line 2 of questions.jsonl is nested too deeply" in err


def test_a_deep_eval_file_is_named(tmp_path, capsys):
    data = tmp_path / "beir"
    (data / "qrels").mkdir(parents=True)
    (data / "corpus.jsonl").write_text('{"_id": "d1", "text": "peer support"}\n')
    (data / "queries.jsonl").write_text(DEEP + "\n")
    (data / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n")
    assert main(["eval", str(data)]) == 2
    assert "queries.jsonl is nested too deeply" in one_sentence(capsys.readouterr().err)


def test_a_deep_config_file_is_named(tmp_path, capsys, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("top_k = " + "[" * 200_000 + "]" * 200_000 + "\n")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    assert main(["ask", "peer support", "--no-llm"]) == 2
    err = one_sentence(capsys.readouterr().err)
    assert "config.toml" in err and "nested too deeply" in err


@pytest.mark.integration  # a real ingest: Chroma and MiniLM
def test_a_deep_json_file_is_skipped_and_the_ingest_goes_on(isolated_env, tmp_path, capsys):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "deep.json").write_text(DEEP)
    (folder / "paper.md").write_text(
        "# Allotment gardening and wellbeing in later life\n\nOlder adults who kept allotment "
        "plots reported steadier mood and more contact with neighbours than those waiting.\n"
    )
    assert main(["ingest", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["records"] == 1
    assert {"path": "deep.json", "reason": "nested too deeply to read"} in [
        {"path": Path(s["path"]).name, "reason": s["reason"]} for s in report["skipped"]
    ]


pytestmark = pytest.mark.timeout(180)
