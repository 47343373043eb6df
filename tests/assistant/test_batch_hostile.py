"""``assistant batch`` against hostile outputs and inputs: nothing overwritten, locked, inert."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from assistant.batch import output_lock
from assistant.cli import main
from assistant.commands.batch import render_csv

pytestmark = pytest.mark.timeout(120)

DATA = Path(__file__).resolve().parent.parent / "data" / "batch"
QUESTIONS = str(DATA / "questions.txt")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("budget.csv", "month,amount\njan,100\n"),
        ("notes.md", "# My notes\n\nimportant things\n"),
        ("answers.csv", "id,question,answer,mode,references,warnings,error\nx,y,z,,,,\n"),
    ],
)
def test_an_unrelated_csv_or_markdown_is_refused_unless_forced(
    seeded_home, tmp_path, capsys, name, content
):
    out = tmp_path / name
    out.write_text(content, encoding="utf-8")
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm"]) == 2
    err = capsys.readouterr().err
    assert "not the output of this batch" in err and "--force" in err
    assert len(err.strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == content
    assert not Path(f"{out}.journal.jsonl").exists()

    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm", "--force"]) == 0
    assert "important things" not in out.read_text(encoding="utf-8")
    assert "jan,100" not in out.read_text(encoding="utf-8")


def test_forcing_an_unrelated_jsonl_replaces_it(seeded_home, tmp_path, capsys):
    out = tmp_path / "data.jsonl"
    out.write_text('{"name": "not an answer"}\n', encoding="utf-8")
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm"]) == 2
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm", "--force"]) == 0
    assert "not an answer" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".csv", ".md"])
def test_a_batchs_own_output_is_resumed_not_refused(seeded_home, tmp_path, capsys, suffix):
    out = tmp_path / f"answers{suffix}"
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm"]) == 0
    first = out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm"]) == 0
    assert "3 already done" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == first
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm", "--force"]) == 0
    assert "3 already done" in capsys.readouterr().out  # --force never discards our answers


def test_output_whose_journal_is_gone_is_not_overwritten(seeded_home, tmp_path, capsys):
    out = tmp_path / "answers.csv"
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm"]) == 0
    Path(f"{out}.journal.jsonl").unlink()
    before = out.read_bytes()
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm"]) == 2
    assert out.read_bytes() == before


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_two_batches_into_one_output_are_locked_apart(seeded_home, tmp_path, capsys, suffix):
    out = tmp_path / f"answers{suffix}"
    with output_lock(out):  # another run holds it (flock conflicts across open files)
        assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm"]) == 2
        err = capsys.readouterr().err
        assert "Another batch run is writing" in err and len(err.strip().splitlines()) == 1
        assert not out.exists()
    assert not (tmp_path / f".answers{suffix}.lock").exists()  # released and cleaned up
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm"]) == 0


def test_a_lone_surrogate_in_a_jsonl_question_is_one_sentence(tmp_path, capsys):
    qs = tmp_path / "qs.jsonl"
    qs.write_text('{"id": "a", "question": "peer support \\ud800?"}\n', encoding="utf-8")
    assert main(["batch", str(qs), "--no-llm"]) == 2
    err = capsys.readouterr().err
    assert "Line 1 of qs.jsonl" in err and "surrogate" in err and "Traceback" not in err
    qs.write_text('{"id": "\\udfff", "question": "fine?"}\n', encoding="utf-8")
    assert main(["batch", str(qs), "--no-llm"]) == 2


def test_an_empty_jsonl_question_is_named_as_empty(tmp_path, capsys):
    qs = tmp_path / "qs.jsonl"
    qs.write_text('{"id": "a", "question": "  "}\n', encoding="utf-8")
    assert main(["batch", str(qs), "--no-llm"]) == 2
    assert 'Line 1 of qs.jsonl has an empty "question".' in capsys.readouterr().err


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    entry = {
        "id": "@SUM(A1)",
        "question": '=HYPERLINK("http://evil.example","click")',
        "answer": "+1 and -2",
        "mode": "extractive",
        "citations": [],
        "sources": [],
        "warnings": ["-cmd|' /C calc'!A0", "\tsneaky", "\rcr"],
        "error": "=1+1",
    }
    (row,) = list(csv.DictReader(io.StringIO(render_csv([entry]), newline="")))
    for key, cell in row.items():
        if cell:
            assert cell[0] not in "=+-@\t\r", (key, cell)
    assert row["question"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["answer"] == "'+1 and -2"
    assert row["mode"] == "extractive"


def test_a_lone_surrogate_in_an_answer_cannot_break_the_output():
    entry = {"id": "q1", "question": "q", "answer": "bad \udc80 text", "warnings": []}
    assert "\ufffd" in render_csv([entry])
