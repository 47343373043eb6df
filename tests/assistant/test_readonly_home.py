"""A read-only or full ASSISTANT_HOME: questions are still answered from what is stored."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.cli import main


def _mount(*argv: str) -> bool:
    return subprocess.run(["mount", *argv], capture_output=True).returncode == 0


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """A mount point this test may bind or fill (skipped where mounting is not allowed)."""
    where = tmp_path / "mnt"
    where.mkdir()
    yield where
    # Lazily: this process may still hold the snapshot's files open (mapped, SQLite).
    while subprocess.run(["umount", "-l", str(where)], capture_output=True).returncode == 0:
        pass


def ask(capsys) -> dict:
    capsys.readouterr()
    code = main(["ask", "What do service users value in peer support?", "--no-llm", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err and "internal error" not in err
    return json.loads(out)


def test_a_read_only_home_still_answers(seeded_home, mounted, monkeypatch, capsys):
    if not (_mount("--bind", str(seeded_home), str(mounted))):
        pytest.skip("bind mounts are not allowed here")
    assert _mount("-o", "remount,ro,bind", str(mounted))
    monkeypatch.setenv("ASSISTANT_HOME", str(mounted))
    assert ask(capsys)["sources"]
    capsys.readouterr()
    assert main(["sources", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) >= 14


def test_a_full_disk_under_the_home_still_answers(seeded_home, mounted, monkeypatch, capsys):
    if not _mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mounted)):
        pytest.skip("tmpfs mounts are not allowed here")
    home = mounted / "home"
    shutil.copytree(seeded_home, home)
    with open(mounted / "filler", "wb") as fh:  # fill what is left
        try:
            while True:
                fh.write(b"\0" * (1 << 20))
                fh.flush()
        except OSError:
            pass
    monkeypatch.setenv("ASSISTANT_HOME", str(home))
    assert ask(capsys)["sources"]
