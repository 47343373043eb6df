"""The manifest against the store: an older, truncated or deleted manifest loses no paper."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.cli import main

EXTRA = """# Allotment gardening and wellbeing in later life

Older adults who kept allotment plots reported steadier mood, more contact with
neighbours and better sleep than those on the waiting list, in a two-year cohort of
four hundred gardeners across eleven towns.
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, out, err


def record_ids(capsys) -> set[str]:
    code, out, _ = run(capsys, "sources", "--json")
    assert code == 0
    return {r["record_id"] for r in json.loads(out)}


@pytest.fixture
def two_folders(seeded_home: Path, tmp_path: Path, capsys):
    """The seeds, then a second folder; returns (manifest path, a copy from before it)."""
    manifest = seeded_home / "index" / "corpus" / "manifest.sqlite"
    older = tmp_path / "older-manifest.sqlite"
    shutil.copy(manifest, older)
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "allotments.md").write_text(EXTRA, encoding="utf-8")
    assert run(capsys, "ingest", str(extra))[0] == 0
    return manifest, older, extra


def test_an_older_manifest_loses_no_paper_and_doctor_says_so(two_folders, capsys):
    manifest, older, extra = two_folders
    everything = record_ids(capsys)
    for suffix in ("-wal", "-shm"):
        Path(f"{manifest}{suffix}").unlink(missing_ok=True)
    shutil.copy(older, manifest)  # a backup from before the second folder
    code, out, _ = run(capsys, "doctor", "--json")
    assert code == 3
    assert "does not list" in json.loads(out)["index"]["error"]
    code, out, _ = run(capsys, "ask", "allotment gardening wellbeing", "--no-llm", "--json")
    assert code == 0 and json.loads(out)["sources"]
    code, out, _ = run(capsys, "ingest", "--json")  # the seeds only: the other folder unread
    assert code == 0
    assert json.loads(out)["embedded"] == 0
    assert record_ids(capsys) == everything  # the second folder's paper was not deleted
    code, out, _ = run(capsys, "ingest", str(extra), "--json")
    assert code == 0 and json.loads(out)["embedded"] == 0
    assert record_ids(capsys) == everything
    assert run(capsys, "doctor", "--json")[0] == 0


@pytest.mark.parametrize("damage", ["truncated", "deleted"])
def test_a_truncated_or_deleted_manifest_still_answers_and_ingest_mends_it(
    two_folders, capsys, damage
):
    manifest, _, extra = two_folders
    everything = record_ids(capsys)
    for suffix in ("-wal", "-shm"):
        Path(f"{manifest}{suffix}").unlink(missing_ok=True)
    if damage == "truncated":
        with open(manifest, "r+b") as fh:
            fh.truncate(100)
    else:
        manifest.unlink()
    code, out, _ = run(capsys, "ask", "allotment gardening wellbeing", "--no-llm", "--json")
    assert code == 0 and json.loads(out)["sources"]
    assert record_ids(capsys) == everything
    code, out, _ = run(capsys, "ingest", "--json")
    assert code == 0 and json.loads(out)["embedded"] == 0
    assert record_ids(capsys) == everything
    code, out, _ = run(capsys, "ingest", str(extra), "--json")
    assert code == 0 and json.loads(out)["embedded"] == 0
    assert record_ids(capsys) == everything
