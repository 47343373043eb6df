"""Where ``batch`` may write: regular files or ``-``, checked before anything is read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import assistant.commands.batch as batch_command
from assistant.cli import main
from tests.conftest import REPO

pytestmark = pytest.mark.timeout(120)

DATA = Path(__file__).resolve().parent.parent / "data" / "batch"
QUESTIONS = str(DATA / "questions.txt")


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "internal error" not in err, err
    return lines[0]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/full", "/dev/null"])
def test_a_device_is_refused_before_anything_is_read(device, capsys):
    before = set(os.listdir("/dev"))
    assert main(["batch", QUESTIONS, "-o", device, "--no-llm"]) == 2
    assert "not a regular file" in one_sentence(capsys.readouterr().err)
    assert set(os.listdir("/dev")) == before  # no lock file (or anything else) made in /dev


def test_a_fifo_is_refused_without_opening_it(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    fifo = tmp_path / "out" / "answers.jsonl"
    os.mkfifo(fifo)
    assert main(["batch", QUESTIONS, "-o", str(fifo), "--no-llm"]) == 2
    assert "is a FIFO" in one_sentence(capsys.readouterr().err)
    assert [p.name for p in fifo.parent.iterdir()] == ["answers.jsonl"]  # no lock, no journal


def test_dev_stdout_on_a_pipe_is_refused_and_dash_is_offered():
    argv = ["batch", QUESTIONS, "-o", "/dev/stdout", "--no-llm"]
    code = f"import sys; from assistant.cli import main; sys.exit(main({argv!r}))"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "`-o -`" in one_sentence(proc.stderr)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "md"])
def test_dash_streams_to_stdout_in_input_order_without_a_journal(
    seeded_home, tmp_path, capsys, monkeypatch, fmt
):
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    assert main(["batch", QUESTIONS, "-o", "-", "--format", fmt, "--no-llm"]) == 0
    out, err = capsys.readouterr()
    assert "Answers: standard output" in err
    assert list((tmp_path / "cwd").iterdir()) == [] and list(DATA.glob("*.answers*")) == []
    if fmt == "jsonl":
        ids = [json.loads(line)["id"] for line in out.splitlines()]
        assert ids == sorted(ids, key=lambda i: int(i[1:])) and ids
    elif fmt == "csv":
        assert out.startswith("id,question,answer,") and out.count("\nq") >= 2
    else:
        assert out.startswith("# Answers: ") and out.count("\n## q") >= 2


@pytest.mark.parametrize("suffix", [".csv", ".md"])
def test_a_run_killed_before_its_first_answer_resumes(
    seeded_home, tmp_path, capsys, monkeypatch, suffix
):
    out = tmp_path / f"answers{suffix}"

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    real = batch_command.answer_all
    monkeypatch.setattr(batch_command, "answer_all", killed)
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm"]) == 130
    monkeypatch.setattr(batch_command, "answer_all", real)
    capsys.readouterr()
    assert main(["batch", QUESTIONS, "-o", str(out), "--no-llm"]) == 0
    assert "not the output of this batch" not in capsys.readouterr().err
    assert "## q" in out.read_text() or "\nq" in out.read_text()
