"""``assistant batch``: every input format, every output format, failures, and resuming."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.batch import Journal, Question, load_questions, output_target, resume_state
from assistant.cli import main
from assistant.errors import UsageError
from tests.conftest import ANSWER_CONTRACT_KEYS

pytestmark = pytest.mark.timeout(120)

DATA = Path(__file__).resolve().parent.parent / "data" / "batch"
CONTRACT_KEYS = set(ANSWER_CONTRACT_KEYS)
REF = re.compile(r"^\[\d+\] \S.* \((\d{4}|n\.d\.)\)$")  # "[1] Strand et al. (2018)"


def read_jsonl(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")  # no torn last line
    return [json.loads(line) for line in text.splitlines()]


def user_question(body: dict) -> str:
    """The question at the end of the prompt the engine sent."""
    return body["messages"][-1]["content"].rsplit("Question:", 1)[-1]


def wait_for_lines(path: Path, n: int, timeout: float = 20.0) -> None:
    """Block until ``path`` holds ``n`` whole lines (used to hold one answer back)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= n:
            return
        time.sleep(0.02)


# -- input files --------------------------------------------------------------------------
def test_each_input_format_gives_the_same_questions():
    txt = load_questions(DATA / "questions.txt")
    jsonl = load_questions(DATA / "questions.jsonl")
    with_ids = load_questions(DATA / "questions.csv")
    without_ids = load_questions(DATA / "no_ids.csv")
    assert [q.id for q in txt] == ["q2", "q4", "q5"]  # line numbers: stable under edits
    assert [q.id for q in jsonl] == ["peer", "recovery", "q4"]  # q4: no id, from its line number
    assert [q.id for q in with_ids] == ["a", "b", "c"]
    assert [q.id for q in without_ids] == ["q1", "q2", "q3"]  # from row numbers
    questions = [q.question for q in txt]
    for other in (jsonl, with_ids, without_ids):
        assert [q.question for q in other] == questions


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.txt", "\n# only a comment\n\n", ["holds no questions"]),
        (
            "dup.jsonl",
            '{"id": "a", "question": "x?"}\n{"id": "a", "question": "y?"}\n',
            ["Line 2", "'a'", "line 1"],
        ),
        ("bad.jsonl", '{"id": "a", "question": "x?"}\n{"id": "b", "question": \n', ["Line 2"]),
        ("noq.csv", "id,text\n1,What?\n", ['"question" column']),
        ("dup.csv", "id,question\nx,One?\nx,Two?\n", ["Line 3", "'x'"]),
        ("blank.csv", "id,question\nx,\n", ["Line 2", "no question"]),
        ("questions.docx", "What?\n", [".txt, .jsonl or .csv"]),
    ],
)
def test_bad_question_files_exit_2_with_one_sentence(tmp_path, capsys, name, content, words):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["batch", str(path), "--no-llm"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("assistant: ") and "\n" not in err and err.endswith(".")
    for word in words:
        assert word in err
    assert not list(tmp_path.glob("*.answers.*"))  # nothing written


def test_missing_and_undecodable_files_are_usage_errors(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nope.txt")]) == 2
    assert "No such file" in capsys.readouterr().err
    (tmp_path / "latin1.txt").write_bytes("Qu'est-ce qu'un pair aidant \xe9?\n".encode("latin-1"))
    assert main(["batch", str(tmp_path / "latin1.txt")]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_output_path_and_format(tmp_path):
    qs = tmp_path / "questions.txt"
    assert output_target(qs, None, None) == (tmp_path / "questions.answers.jsonl", "jsonl")
    assert output_target(qs, None, "md") == (tmp_path / "questions.answers.md", "md")
    assert output_target(qs, tmp_path / "out.csv", None) == (tmp_path / "out.csv", "csv")
    assert output_target(qs, tmp_path / "out.txt", None) == (tmp_path / "out.txt", "jsonl")
    assert output_target(qs, tmp_path / "out.csv", "md")[1] == "md"
    with pytest.raises(UsageError):
        output_target(qs, qs, "jsonl")


# -- outputs ------------------------------------------------------------------------------
def test_txt_to_jsonl_with_the_model(seeded_home, ollama, tmp_path, capsys):
    ollama.default_reply = "Peer workers offer hope [1] and shared experience [2]."
    qs = tmp_path / "questions.txt"
    qs.write_bytes((DATA / "questions.txt").read_bytes())
    assert main(["batch", str(qs)]) == 0
    lines = read_jsonl(tmp_path / "questions.answers.jsonl")
    assert [e["id"] for e in lines] == ["q2", "q4", "q5"]
    for entry in lines:
        assert set(entry) == CONTRACT_KEYS | {"support"}  # a model's answer: checked, each sentence
        assert entry["mode"] == "llm" and entry["model"] == "llama3.2"
        assert entry["citations"] == [1, 2] and entry["error"] is None
        assert {s["n"] for s in entry["sources"]} >= set(entry["citations"])
    assert len(ollama.chat_requests) == 3
    out = capsys.readouterr().out
    assert "3 answered (0 extractive), 0 failed, 0 already done" in out


def test_jsonl_to_csv_without_the_model(seeded_home, tmp_path):
    out = tmp_path / "answers.csv"
    assert main(["batch", str(DATA / "questions.jsonl"), "-o", str(out), "--no-llm"]) == 0
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["id", "question", "answer", "mode", "references", "warnings", "error"]
    assert [r["id"] for r in rows] == ["peer", "recovery", "q4"]
    for row in rows:
        assert row["mode"] == "extractive" and row["answer"] and row["error"] == ""
        refs = row["references"].split("; ")
        assert refs and all(REF.match(r) for r in refs), refs
        assert "no language model was used" in row["warnings"]
    # The journal beside it holds the full answers, for resuming.
    journal = read_jsonl(tmp_path / "answers.csv.journal.jsonl")
    assert sorted(e["id"] for e in journal) == ["peer", "q4", "recovery"]


def test_csv_to_markdown_keeps_input_order_with_concurrency_3(seeded_home, ollama, tmp_path):
    qs = tmp_path / "questions.csv"
    qs.write_bytes((DATA / "no_ids.csv").read_bytes())

    journal = tmp_path / "questions.answers.md.journal.jsonl"

    def reply(body: dict) -> str:
        if "peer support workers" in user_question(body):
            wait_for_lines(journal, 2)  # the first question finishes last
        return "Peer support workers offer hope and shared experience [1]."

    ollama.reply_with(reply)
    assert main(["batch", str(qs), "--format", "md", "--concurrency", "3"]) == 0
    assert [e["id"] for e in read_jsonl(journal)][-1] == "q1"  # finished last...
    text = (tmp_path / "questions.answers.md").read_text(encoding="utf-8")
    heads = re.findall(r"^## (q\d+): ", text, re.MULTILINE)
    assert heads == ["q1", "q2", "q3"]  # ...but written in input order
    for section in text.split("\n## ")[1:]:
        assert "**References**" in section and "\n- [1] " in section
        assert "*llm answer by llama3.2.*" in section


def test_jsonl_output_ends_in_input_order(seeded_home, ollama, tmp_path):
    out = tmp_path / "out.jsonl"

    def reply(body: dict) -> str:
        if "peer support workers" in user_question(body):
            wait_for_lines(out, 2)  # appended last, while the run goes on
        return "Answer [1]."

    ollama.reply_with(reply)
    assert main(["batch", str(DATA / "questions.txt"), "-o", str(out), "--concurrency", "3"]) == 0
    assert [e["id"] for e in read_jsonl(out)] == ["q2", "q4", "q5"]


def test_markdown_treats_text_as_data(seeded_home, tmp_path):
    qs = tmp_path / "q.jsonl"
    qs.write_text(
        json.dumps({"id": "x\n## y", "question": "# <b>peer</b> support?"}) + "\n", encoding="utf-8"
    )
    assert main(["batch", str(qs), "--no-llm", "--format", "md"]) == 0
    text = (tmp_path / "q.answers.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^## ", text, re.MULTILINE)) == 1
    assert "<b>" not in text and "&lt;b>peer" in text


# -- failures -----------------------------------------------------------------------------
def test_a_failing_question_is_recorded_and_retried(seeded_home, ollama, tmp_path, capsys):
    def reply(body: dict) -> str:
        if "recovery" in user_question(body):
            raise ConnectionError("drop this one")  # the fake hangs up without answering
        return "Peer workers offer hope and shared experience [1]."

    ollama.reply_with(reply)
    qs = tmp_path / "questions.txt"
    qs.write_bytes((DATA / "questions.txt").read_bytes())
    out = tmp_path / "questions.answers.jsonl"
    assert main(["batch", str(qs), "--require-llm"]) == 5
    entries = {e["id"]: e for e in read_jsonl(out)}
    assert entries["q4"]["error"] and "cut off" in entries["q4"]["error"]
    assert entries["q2"]["error"] is None and entries["q5"]["error"] is None
    captured = capsys.readouterr()
    assert "q4 failed:" in captured.err
    assert "2 answered (0 extractive), 1 failed" in captured.out

    # Re-running retries only the failed question, and replaces its line.
    ollama.reply_with(None)
    before = len(ollama.chat_requests)
    assert main(["batch", str(qs), "--require-llm"]) == 0
    assert len(ollama.chat_requests) == before + 1
    lines = read_jsonl(out)
    assert [e["id"] for e in lines] == ["q2", "q4", "q5"]
    assert all(e["error"] is None for e in lines)
    assert "1 answered (0 extractive), 0 failed, 2 already done" in capsys.readouterr().out


def test_a_cut_stream_is_an_error_but_keeps_the_partial_answer(seeded_home, ollama, tmp_path):
    ollama.default_reply = "Peer workers offer hope and many other good things [1]."
    ollama.cut_after_chunks = 3
    qs = tmp_path / "one.txt"
    qs.write_text("What do peer workers offer?\n", encoding="utf-8")
    assert main(["batch", str(qs), "-o", str(tmp_path / "o.csv")]) == 5
    with open(tmp_path / "o.csv", encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["answer"].startswith("Peer workers offer") and "cut off" in row["error"]


# -- resuming -----------------------------------------------------------------------------
def test_journal_drops_a_torn_last_line(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_text('{"id": "q1", "answer": "a"}\n{"id": "q2", "answ', encoding="utf-8")
    journal = Journal(path)
    assert [e["id"] for e in journal.load()] == ["q1"] and journal.repaired == 1


def test_an_unrelated_output_file_is_refused_not_overwritten(tmp_path, capsys):
    out = tmp_path / "mine.jsonl"
    out.write_text('{"name": "not an answer"}\n{"id": "x", "answer": "y"}\n', encoding="utf-8")
    before = out.read_bytes()
    assert main(["batch", str(DATA / "questions.txt"), "-o", str(out), "--no-llm"]) == 2
    assert "Line 1 of" in capsys.readouterr().err
    assert out.read_bytes() == before


def test_resume_state_skips_done_and_retries_failed_or_changed():
    questions = [Question("q1", "A?", 1), Question("q2", "B?", 2), Question("q3", "C?", 3)]
    entries = [
        {"id": "q1", "question": "A?", "error": None},
        {"id": "q2", "question": "B?", "error": "model failed"},
        {"id": "q3", "question": "old C?", "error": None},  # the question was edited since
        {"id": "other", "question": "Z?", "error": None},  # from another file: kept
        {"id": "q1", "question": "A?", "error": None, "answer": "newer"},
    ]
    keep, done = resume_state(entries, questions)
    assert list(done) == ["q1"] and done["q1"]["answer"] == "newer"
    assert [e["id"] for e in keep] == ["other", "q1"]


def test_killed_run_resumes_without_duplicates(seeded_home, ollama, tmp_path):
    ollama.default_reply = " ".join(["Peer support offers hope [1]."] * 6)
    ollama.delay_between_tokens = 0.03  # about a second per answer
    qs = tmp_path / "qs.txt"
    qs.write_text(
        "".join(f"Question {i} about peer support and recovery?\n" for i in range(5)),
        encoding="utf-8",
    )
    out = tmp_path / "qs.answers.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "batch", str(qs), "--concurrency", "1"],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            if out.exists() and out.read_bytes().count(b"\n") >= 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    first = read_jsonl(out)
    assert 1 <= len(first) < 5
    with open(out, "ab") as fh:  # what a kill in the middle of a write would leave
        fh.write(b'{"id": "q5", "question": "Question 4 ab')

    asked_before = len(ollama.chat_requests)
    ollama.delay_between_tokens = 0.0
    assert main(["batch", str(qs)]) == 0
    lines = read_jsonl(out)
    ids = [e["id"] for e in lines]
    assert ids == ["q1", "q2", "q3", "q4", "q5"]  # each once, in input order
    assert lines[: len(first)] == first  # answers from before the kill are kept as they were
    assert len(ollama.chat_requests) - asked_before == 5 - len(first)
