"""A file (or folder) that cannot be read for a moment keeps its paper until it can be."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import ingest.pipeline
import ingest.readers
from assistant.cli import main
from ingest.readers import SkipFile

PAPER = """# Allotment gardening and wellbeing in later life

Older adults who kept allotment plots reported steadier mood, more contact with
neighbours and better sleep than those on the waiting list, in a two-year cohort of
four hundred gardeners across eleven towns.
"""
OTHER = """# Walking groups for carers of people with dementia

Carers who joined weekly walking groups described relief, friendships and routines that
outlasted the programme, in interviews with thirty-two carers in three rural districts.
"""


def run_ingest(capsys, folder: Path) -> dict:
    capsys.readouterr()
    assert main(["ingest", str(folder), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def corpus(tmp_path: Path, seeded_home, capsys):
    folder = tmp_path / "synced" / "papers"
    folder.mkdir(parents=True)
    (folder / "allotments.md").write_text(PAPER, encoding="utf-8")
    (folder / "walking.md").write_text(OTHER, encoding="utf-8")
    first = run_ingest(capsys, folder)
    return folder, first["records"]


def test_a_file_being_rewritten_keeps_its_paper(corpus, capsys, monkeypatch):
    folder, records = corpus
    target = folder / "allotments.md"
    target.write_bytes(b"")  # a sync client truncated it and has not written it back yet
    report = run_ingest(capsys, folder)
    assert report["records"] == records and report["records_removed"] == 0
    assert any("kept until the file can be read" in s["reason"] for s in report["skipped"])

    real = ingest.pipeline.read_bytes

    def denied(path, max_bytes):
        if Path(path).name == "allotments.md":
            raise SkipFile("unreadable (Permission denied)")
        return real(path, max_bytes)

    target.write_text(PAPER + "\nA new closing line.\n", encoding="utf-8")
    monkeypatch.setattr(ingest.pipeline, "read_bytes", denied)
    report = run_ingest(capsys, folder)
    assert report["records"] == records and report["records_removed"] == 0
    monkeypatch.setattr(ingest.pipeline, "read_bytes", real)
    report = run_ingest(capsys, folder)  # readable again: read as changed, the paper updated
    assert report["records"] == records and report["updated"] == 1
    target.unlink()  # gone: now its paper goes
    assert run_ingest(capsys, folder)["records"] == records - 1


def test_a_folder_that_cannot_be_listed_keeps_its_papers(corpus, capsys, monkeypatch):
    folder, records = corpus
    real = os.scandir

    def denied(path="."):
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(ingest.readers.os, "scandir", denied)
    report = run_ingest(capsys, folder.parent)
    assert report["records"] == records and report["records_removed"] == 0
