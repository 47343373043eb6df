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


def test_a_pass_under_way_does_not_send_readers_to_the_store(seeded_home, monkeypatch, capsys):
    """A writer's pass adds the manifest's rows before it publishes: a reader opening the
    published generation then (the chat following a watcher) still takes the passages'
    texts from the manifest, not a rebuild from Chroma (which loaded chromadb and the whole
    collection: 1.3-1.7 GB in a chat at 100k chunks). A manifest missing one of the
    snapshot's chunks still goes to the store."""
    import sqlite3

    from index import Index
    from index.lexical import CorpusSnapshot
    from index.lock import write_lock

    assert run(capsys, "ingest", "--rebuild")[0] == 0  # a writer's snapshot: texts not in it
    snap = CorpusSnapshot.load(seeded_home / "index" / "corpus" / "lexical")
    assert snap is not None and not snap.has_text
    manifest = seeded_home / "index" / "corpus" / "manifest.sqlite"
    db = sqlite3.connect(manifest)
    row = db.execute("SELECT * FROM chunks LIMIT 1").fetchone()
    db.execute(  # a chunk written by a pass not yet published
        "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?)", ("unpublished-1", *row[1:])
    )
    db.commit()

    went_to_store: list[bool] = []
    original = Index._reader_with_texts_from_store

    def spy(self, embedder):
        went_to_store.append(True)
        return original(self, embedder)

    monkeypatch.setattr(Index, "_reader_with_texts_from_store", spy)
    with write_lock(Index(seeded_home).dir):  # the writer's pass under way holds the lock
        code, out, _ = run(capsys, "ask", "What do service users value in peer support?", "--json")
    assert code == 0 and json.loads(out)["sources"] and not went_to_store
    # The same rows with no writer running are what a stopped pass left: the store decides
    # (as after a /add cut short by quitting, until the next ingest tidies up).
    code, out, _ = run(capsys, "ask", "What do service users value in peer support?", "--json")
    assert code == 0 and json.loads(out)["sources"] and went_to_store
    went_to_store.clear()

    # A manifest that lost one of the snapshot's chunks (an older copy) cannot serve.
    db.execute("DELETE FROM chunks WHERE chunk_id IN (?, ?)", (row[0], "unpublished-1"))
    db.commit()
    db.close()
    code, out, _ = run(capsys, "ask", "What do service users value in peer support?", "--json")
    assert code == 0 and json.loads(out)["sources"] and went_to_store
