"""Closed or redirected standard streams: one sentence or a quiet end, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.timeout(180)


def cli(*argv: str, close_stdout: bool = False, **kw) -> subprocess.CompletedProcess:
    code = f"import sys; from assistant.cli import main; sys.exit(main({list(argv)!r}))"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
        timeout=150,
        preexec_fn=(lambda: os.close(1)) if close_stdout else None,
        **kw,
    )


@pytest.mark.parametrize("stdin", ["closed", "eof"])
def test_chat_without_a_terminal_refuses_in_one_sentence(stdin):
    kw = {"stdin": subprocess.DEVNULL} if stdin == "eof" else {}
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from assistant.cli import main; sys.exit(main(['chat']))",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=(lambda: os.close(0)) if stdin == "closed" else None,
        **kw,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs a terminal" in lines[0], proc.stderr
    assert proc.stdout == ""  # no escape sequences written into a redirected stdout


@pytest.mark.parametrize(
    "argv",
    [
        ("sources",),
        ("sources", "--json"),
        ("ask", "peer support", "--no-llm"),
        ("ingest", "--json"),
        ("doctor",),
    ],
)
def test_a_closed_stdout_ends_quietly(seeded_home, argv):
    proc = cli(*argv, close_stdout=True)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
