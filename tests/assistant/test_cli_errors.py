"""Hostile input and a hostile environment at the CLI edge: one sentence, a documented code."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.commands.doctor import exit_code
from assistant.errors import filesystem_error
from assistant.exits import EXIT_FILESYSTEM
from assistant.exits import exit_code as exit_code_of
from tests.conftest import REPO

UNDECODABLE = b"caf\xe9 au lait?".decode("utf-8", "surrogateescape")  # as argv delivers it


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["ask", UNDECODABLE, "--no-llm"], "question argument is not valid UTF-8"),
        (["ask", "peer support", "--author", UNDECODABLE], "--author argument"),
        (["ask", "peer support", "--no-llm", "--year", "2021-2018"], "ends before it starts"),
    ],
)
def test_bad_text_arguments_are_usage_errors(argv, words, capsys):
    assert main(argv) == 2
    assert words in one_sentence(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("env", "value", "words"),
    [
        ("ASSISTANT_MIN_RELEVANCE", "nan", "finite number"),
        ("ASSISTANT_MAX_FILE_MB", "inf", "finite number"),
        ("OLLAMA_HOST", "http://[::1", "OLLAMA_HOST"),
        ("OLLAMA_HOST", "127.0.0.1:99999", "out of range"),
        ("ASSISTANT_CONFIG", "/no/such/config.toml", "does not exist"),
    ],
)
def test_bad_settings_exit_2_with_one_sentence(monkeypatch, capsys, env, value, words):
    monkeypatch.setenv(env, value)
    assert main(["ask", "peer support", "--no-llm"]) == 2
    assert words in one_sentence(capsys.readouterr().err)


def test_a_home_that_is_a_file_is_named(isolated_env: Path, capsys):
    isolated_env.parent.mkdir(parents=True, exist_ok=True)
    isolated_env.write_text("")
    for command in (["sources"], ["ingest"], ["doctor"]):
        assert main(command) == 2
        assert "is a file, not a folder" in one_sentence(capsys.readouterr().err)


def run_cli(*argv: str, stdout) -> subprocess.CompletedProcess:
    code = f"import sys; from assistant.cli import main; sys.exit(main({list(argv)!r}))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, stdout=stdout, stderr=subprocess.PIPE, text=True
    )


def test_a_full_stdout_is_one_sentence_and_exit_6(seeded_home):
    with open("/dev/full", "w") as full:
        proc = run_cli("sources", "--json", stdout=full)
    assert proc.returncode == EXIT_FILESYSTEM
    assert "disk is full" in one_sentence(proc.stderr)
    assert "Exception ignored" not in proc.stderr


def test_a_closed_stdout_is_quiet(seeded_home):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from assistant.cli import main; sys.exit(main(['sources']))",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # like `| head -0`: nobody reads what it prints
    _, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Exception ignored" not in err and "Broken" not in err


@pytest.mark.parametrize(
    ("err", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (OSError(errno.EROFS, "Read-only file system", "/data/home/index"), "read-only"),
        (PermissionError(errno.EACCES, "Permission denied", "/data/home"), "permission denied"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.OperationalError("database or disk is full"), "disk is full"),
    ],
)
def test_file_system_refusals_become_one_sentence(err, words):
    known = filesystem_error(err)
    assert known is not None and exit_code_of(known) == EXIT_FILESYSTEM
    assert words in str(known)
    if getattr(err, "filename", None):
        assert err.filename in str(known)


def test_other_errors_are_not_mistaken_for_the_file_system():
    assert filesystem_error(OSError(errno.ECONNREFUSED, "Connection refused")) is None
    assert filesystem_error(ValueError("bad")) is None


def test_a_home_that_cannot_be_created_is_exit_6(monkeypatch, capsys, tmp_path):
    blocker = tmp_path / "ro"
    blocker.mkdir()
    home = blocker / "home"
    home.mkdir()
    os.chmod(home, 0o500)
    if os.access(home, os.W_OK):  # root ignores permissions: use a place nobody may create
        home = Path("/proc/assistant-home-test")
    monkeypatch.setenv("ASSISTANT_HOME", str(home / "sub") if home.name == "home" else str(home))
    try:
        assert main(["ingest"]) == EXIT_FILESYSTEM
    finally:
        os.chmod(blocker / "home", 0o700)
    assert "ASSISTANT_HOME" in one_sentence(capsys.readouterr().err)


def test_doctor_warns_but_exits_0_when_only_ollama_is_absent(seeded_home, capsys):
    assert main(["doctor"]) == 0  # no Ollama in tests: answers are extractive, all else works
    out = capsys.readouterr().out
    assert "warn ollama" in out and "FAIL" not in out
    assert main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ollama"]["ok"] is False and report["index"]["ok"] is True
    assert main(["doctor", "--require-llm"]) == 4
    assert "FAIL ollama" in capsys.readouterr().out


def test_doctor_exits_non_zero_when_a_check_fails():
    ok = {"ok": True}
    assert exit_code({"index": ok, "embedder": ok, "ollama": ok}) == 0
    assert exit_code({"index": ok, "embedder": ok, "ollama": {"ok": False}}) == 0
    assert exit_code({"index": ok, "embedder": ok, "ollama": {"ok": False}}, True) == 4
    assert exit_code({"index": {"ok": False}, "embedder": ok, "ollama": {"ok": False}}) == 3
    assert exit_code({"index": ok, "embedder": {"ok": False}, "ollama": ok}) == 2


def test_doctor_exits_0_when_everything_is_in_place(seeded_home, ollama, capsys):
    assert main(["doctor"]) == 0
    assert "FAIL" not in capsys.readouterr().out
