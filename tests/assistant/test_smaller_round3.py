"""The smaller defects of the third hostile round, each as a user meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "internal error" not in err, err
    return lines[0]


def test_a_bad_chroma_url_shows_a_chroma_address_as_its_example(monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "ftp://store-box")
    assert main(["sources"]) == 2
    err = one_sentence(capsys.readouterr().err)
    assert "http://127.0.0.1:8000" in err and "11434" not in err


def test_a_70kb_ollama_host_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setenv("OLLAMA_HOST", "http://" + "a" * 70_000 + ":11434")
    assert main(["ask", "peer support"]) == 2
    err = one_sentence(capsys.readouterr().err)
    assert "longer than DNS allows" in err and len(err) < 300


@pytest.mark.integration
def test_ingest_of_a_device_says_it_is_a_device(isolated_env, capsys):
    assert main(["ingest", "/dev/null", "--json"]) == 0
    skipped = json.loads(capsys.readouterr().out)["skipped"]
    assert skipped and skipped[0]["reason"] == "not a regular file (a device)"


@pytest.mark.integration
def test_plain_ingest_on_a_home_of_the_users_folders_adds_no_demo_papers(
    isolated_env, tmp_path, capsys
):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "allotments.md").write_text(
        "# Allotment gardening and wellbeing in later life\n\nOlder adults who kept allotment "
        "plots reported steadier mood and more contact with neighbours than those waiting.\n"
    )
    assert main(["ingest", str(folder), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["records"] == 1
    assert main(["ingest", "--json"]) == 0  # re-reads the folders it knows, not the seeds
    assert json.loads(capsys.readouterr().out)["records"] == 1


def test_doctor_names_an_interrupted_run(seeded_home: Path, capsys):
    marker = next(seeded_home.glob("index/*")) / "writer-running"
    marker.write_text("a writer is running or was killed\n")  # what a killed run leaves
    assert main(["doctor", "--json"]) == 3
    assert "interrupted" in json.loads(capsys.readouterr().out)["index"]["error"]


@pytest.mark.integration
def test_forget_through_a_symlink_removes_what_ingest_through_it_added(
    isolated_env, tmp_path, capsys
):
    real = tmp_path / "real"
    real.mkdir()
    (real / "allotments.md").write_text(
        "# Allotment gardening and wellbeing in later life\n\nOlder adults who kept allotment "
        "plots reported steadier mood and more contact with neighbours than those waiting.\n"
    )
    link = tmp_path / "link"
    link.symlink_to(real)
    assert main(["ingest", str(link), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["records"] == 1
    assert main(["forget", str(link), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["records_removed"] == 1 and report["records"] == 0


KILLED_AT = """
import os, signal, sys
import index.store
from assistant.cli import main

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

setattr(index.store.ChromaStore, sys.argv[1], killed)
main(["ingest", "--rebuild"])
"""


@pytest.mark.parametrize("where", ["drop", "open_for_write"])
def test_doctor_names_a_rebuild_killed_before_it_wrote_anything(seeded_home: Path, where, capsys):
    """kill -9 of a real ``ingest --rebuild`` just after it set the manifest aside (before
    the store is emptied, or before the new store is opened): doctor names the
    interrupted run instead of blaming an older or damaged manifest, or saying "ok"."""
    import subprocess
    import sys

    from tests.conftest import REPO

    done = subprocess.run(
        [sys.executable, "-c", KILLED_AT, where], cwd=REPO, capture_output=True, timeout=240
    )
    assert done.returncode == -9, done.stderr
    assert main(["doctor", "--json"]) == 3
    error = json.loads(capsys.readouterr().out)["index"]["error"]
    assert error.startswith("The index is incomplete: the last `assistant ingest`"), error
    assert "interrupted" in error and "damaged manifest" not in error
    assert main(["ingest", "--json"]) == 0  # running it again finishes it
    assert json.loads(capsys.readouterr().out)["records"] > 0
    assert main(["doctor", "--json"]) == 0
