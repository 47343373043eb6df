"""Damaged or incompatible stores: one clear sentence, a way out, never a traceback or hang."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.cli import main

QUESTION = ["ask", "peer support", "--no-llm", "--json"]


def test_truncated_chroma_store(seeded_home: Path, capsys):
    db = seeded_home / "chroma" / "chroma.sqlite3"
    with open(db, "r+b") as fh:
        fh.truncate(5000)
    # Questions are answered from the last published snapshot (it holds the vectors), so a
    # damaged store costs no answers; the next ingest finds it and says the way out.
    assert main(QUESTION) == 0
    assert json.loads(capsys.readouterr().out)["sources"]
    assert main(["ingest"]) == 3
    err = capsys.readouterr().err
    assert "cannot be opened" in err and "--rebuild" in err and "Traceback" not in err
    assert err.count("\n") == 1  # one sentence, one line
    assert main(["ingest", "--rebuild"]) == 0  # the way out
    assert list(seeded_home.glob("chroma.broken-*"))  # the damaged store is kept, not deleted
    capsys.readouterr()
    assert main(QUESTION) == 0
    assert json.loads(capsys.readouterr().out)["sources"]


def test_damaged_lexical_snapshot_is_rebuilt_from_chroma(seeded_home: Path, capsys):
    snap = next(seeded_home.glob("index/*/lexical/chunks.sqlite"))
    snap.write_text("{not json")
    assert main(QUESTION) == 0
    assert json.loads(capsys.readouterr().out)["sources"]


def test_damaged_manifest(seeded_home: Path, capsys):
    manifest = next(seeded_home.glob("index/*/manifest.sqlite"))
    for extra in manifest.parent.glob("manifest.sqlite-*"):
        extra.unlink()
    manifest.write_bytes(b"this is not a database" * 100)
    assert main(["doctor"]) == 3  # reported, with what the next ingest does about it
    assert "sets it aside" in capsys.readouterr().out
    assert main(QUESTION) == 0  # answers keep working from the snapshot and the store
    capsys.readouterr()
    assert main(["ingest", "--json"]) == 0  # set aside; the papers listed again, none lost
    report = json.loads(capsys.readouterr().out)
    assert report["embedded"] == 0 and report["records"] >= 14
    assert list(manifest.parent.glob("manifest.damaged-*.sqlite"))


def test_index_built_with_another_embedder(seeded_home: Path, ollama, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_EMBED_MODEL", "ollama:nomic-embed-text")
    assert main(QUESTION) == 3
    err = capsys.readouterr().err
    assert "onnx:all-MiniLM-L6-v2" in err and "ollama:nomic-embed-text" in err
    assert "--rebuild" in err
    assert main(["ingest", "--rebuild", "--json"]) == 0  # rebuilt with the Ollama embedder
    report = json.loads(capsys.readouterr().out)
    assert report["records"] >= 14
    assert ollama.requests_to("/api/embed")
    assert main(QUESTION) == 0


def test_a_lost_chroma_folder_is_restored_by_the_next_ingest(seeded_home: Path, capsys):
    import shutil

    assert main(["ingest", "--json"]) == 0
    chunks = json.loads(capsys.readouterr().out)["chunks"]
    from chromadb.api.shared_system_client import SharedSystemClient

    shutil.rmtree(seeded_home / "chroma")
    SharedSystemClient.clear_system_cache()  # as a new process would find it
    assert main(["doctor", "--json"]) == 3  # the manifest lists chunks the store lacks
    assert json.loads(capsys.readouterr().out)["index"]["ok"] is False
    assert main(["ingest", "--json"]) == 0  # no --rebuild
    report = json.loads(capsys.readouterr().out)
    assert report["embedded"] == chunks == report["chunks"]
    assert main(QUESTION) == 0
    assert json.loads(capsys.readouterr().out)["sources"]
    main(["doctor", "--json"])  # exit 4 here: no Ollama; the index itself is whole again
    assert json.loads(capsys.readouterr().out)["index"]["ok"] is True


def test_an_emptied_collection_is_restored_by_the_next_ingest(seeded_home: Path, capsys):
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient

    col = chromadb.PersistentClient(path=str(seeded_home / "chroma")).get_collection("corpus")
    ids = col.get(include=[])["ids"]
    col.delete(ids=ids)  # every chunk gone, the collection and its bookkeeping still there
    SharedSystemClient.clear_system_cache()
    assert main(["ingest", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["embedded"] == len(ids) == report["chunks"]
    assert main(QUESTION) == 0
    assert json.loads(capsys.readouterr().out)["sources"]


def test_rebuild_without_paths_rebuilds_what_was_indexed(seeded_home: Path, tmp_path: Path, capsys):
    import shutil

    from tests.conftest import REPO

    papers = tmp_path / "papers"
    papers.mkdir()
    shutil.copy(REPO / "seeds" / "002_8e891bfb3820edb3.txt", papers / "mine.txt")
    assert main(["ingest", str(papers), "--json"]) == 0
    before = json.loads(capsys.readouterr().out)["records"]
    assert main(["ingest", "--rebuild", "--json"]) == 0  # the seeds *and* the user's folder
    assert json.loads(capsys.readouterr().out)["records"] == before


def test_collection_name_is_never_a_path(seeded_home: Path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_COLLECTION", "../index/corpus")
    assert main(["ingest"]) == 2
    assert "Invalid collection name" in capsys.readouterr().err
    monkeypatch.delenv("ASSISTANT_COLLECTION")
    assert main(QUESTION) == 0  # the real index is untouched
