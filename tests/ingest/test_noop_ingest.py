"""A clean no-op ingest costs what changed; only a killed run's successor scans and re-merges."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.core import DIRTY_FILE, Index
from index.filters import Filters
from ingest.chunking import ChunkSettings
from ingest.pipeline import run_ingest
from tests.conftest import REPO
from tests.fakes.memory_index import HashEmbedder

SEEDS = sorted((REPO / "seeds").iterdir())


def ingest(folder: Path, home: Path):
    index = Index(home)
    try:
        return run_ingest([folder], index, HashEmbedder(), ChunkSettings(), 20_000_000)
    finally:
        index.close()


def corpus(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for path in SEEDS[:n]:
        shutil.copy(path, folder)
    (folder / "empty.txt").write_text("Sign in\n")  # skipped: no paper text
    return folder


def test_a_clean_noop_run_neither_scans_nor_remerges(tmp_path: Path, monkeypatch):
    folder, home = corpus(tmp_path, 2), tmp_path / "home"
    first = ingest(folder, home)
    assert first.records > 0 and not list(home.glob(f"index/*/{DIRTY_FILE}"))
    merges: list[int] = []
    import ingest.remerge as remerge

    real = remerge.merge_groups
    monkeypatch.setattr(remerge, "merge_groups", lambda r: merges.append(len(r)) or real(r))
    again = ingest(folder, home)
    assert again.embedded == 0 and again.generation == first.generation
    assert merges == []  # nothing changed: no record re-merged
    assert [s["path"] for s in again.skipped] == ["docs/empty.txt"]  # remembered, not re-read
    # A killed writer leaves its marker: the next run re-merges everything.
    next(home.glob("index/*")).joinpath(DIRTY_FILE).write_text("")
    healed = ingest(folder, home)
    assert merges and healed.records == first.records
    everything = merges[-1]
    # A new file re-merges only the records linked to it by a key, not the corpus.
    shutil.copy(SEEDS[2], folder)
    merges.clear()
    added = ingest(folder, home)
    assert added.records_added > 0 and merges and merges[-1] < everything
    fresh = tmp_path / "fresh"
    full = ingest(folder, fresh)
    assert (added.records, added.chunks) == (full.records, full.chunks)
    assert bibliography(home) == bibliography(fresh)  # the same merge as from scratch


def bibliography(home: Path) -> list[tuple]:
    index = Index(home)
    try:
        reader = index.reader()
        assert reader is not None
        return [(r.record_id, r.title, r.authors, r.chunks) for r in reader.records()]
    finally:
        index.close()


def test_adding_a_file_updates_the_lexical_index_in_place(tmp_path: Path):
    folder, home = corpus(tmp_path, 2), tmp_path / "home"
    ingest(folder, home)
    shutil.copy(SEEDS[2], folder)
    after = ingest(folder, home)
    index = Index(home)
    try:
        reader = index.reader()
        assert reader is not None and len(reader) == after.chunks
        listed = index.manifest.chunk_ids()
        assert {c.chunk_id for c in reader.all_chunks()} == listed
        new = [r for r in reader.records() if r.path and SEEDS[2].name in r.path]
        assert new
        words = reader.chunks_of(new[0].record_id)[0].text.split()[:12]
        hits = reader.lexical(" ".join(words), 5, Filters())
        assert any(c in hits for c in (c.chunk_id for c in reader.chunks_of(new[0].record_id)))
    finally:
        index.close()


def test_a_noop_run_leaves_chroma_closed_until_the_store_is_touched(tmp_path: Path, monkeypatch):
    """The store file as the last clean run left it: nothing to write, nothing opened.
    Any process that opens or writes the store, a killed run or another build: opened."""
    from index.store import ChromaStore, StoreIncompatible

    folder, home = corpus(tmp_path, 2), tmp_path / "home"
    first = ingest(folder, home)
    opened: list[str] = []
    real = ChromaStore.get_collection

    def spy(self: ChromaStore):
        opened.append(self.collection_name)
        return real(self)

    monkeypatch.setattr(ChromaStore, "get_collection", spy)
    again = ingest(folder, home)
    assert opened == []  # neither imported nor opened: the manifest and a stat said enough
    assert (again.generation, again.records, again.chunks) == (
        first.generation,
        first.records,
        first.chunks,
    )
    assert [s["path"] for s in again.skipped] == ["docs/empty.txt"]

    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # as another process would start
    chromadb.PersistentClient(path=str(home / "chroma"))  # a client starts, writing nothing
    SharedSystemClient.clear_system_cache()
    ingest(folder, home)
    assert opened  # the store file changed: opened and its count checked
    opened.clear()
    ingest(folder, home)
    assert opened == []  # ... and remembered again

    next(home.glob("index/*")).joinpath(DIRTY_FILE).write_text("")  # a killed writer
    ingest(folder, home)
    assert opened
    opened.clear()

    index = Index(home)
    try:  # another chunking on an unchanged corpus is still refused, not ignored
        with pytest.raises(StoreIncompatible):
            run_ingest([folder], index, HashEmbedder(), ChunkSettings(100, 10), 20_000_000)
    finally:
        index.close()


def test_an_added_file_after_a_closed_noop_is_written(tmp_path: Path):
    folder, home = corpus(tmp_path, 2), tmp_path / "home"
    ingest(folder, home)
    ingest(folder, home)  # Chroma left closed
    shutil.copy(SEEDS[2], folder)
    added = ingest(folder, home)
    assert added.records_added > 0 and added.embedded > 0
    index = Index(home)
    try:
        assert index.status().problems == []
        reader = index.reader()
        assert reader is not None and len(reader) == added.chunks
    finally:
        index.close()


def test_a_noop_cli_ingest_does_not_import_chromadb(tmp_path: Path, ollama, monkeypatch):
    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_EMBED_MODEL", "ollama:nomic-embed-text")
    folder = corpus(tmp_path, 2)
    assert main(["ingest", str(folder), "--json"]) == 0
    code = (
        "import sys\n"
        "from assistant.cli import main\n"
        "rc = main(['ingest', sys.argv[1], '--json'])\n"
        "print('chromadb' in sys.modules, 'llama_index' in sys.modules, rc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    got = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert got.stdout.split()[-3:] == ["False", "False", "0"], got.stderr


def test_adding_a_file_reads_only_the_fingerprints_it_can_change(tmp_path: Path, monkeypatch):
    from index.manifest import Manifest

    folder, home = corpus(tmp_path, 2), tmp_path / "home"
    first = ingest(folder, home)
    asked: list[int | None] = []
    real = Manifest.fingerprints

    def spy(self: Manifest, record_ids=None):
        got = real(self, record_ids)
        asked.append(None if record_ids is None else len(got))
        return got

    monkeypatch.setattr(Manifest, "fingerprints", spy)
    shutil.copy(SEEDS[2], folder)
    added = ingest(folder, home)
    assert added.records_added > 0
    assert asked and None not in asked and max(asked) < first.records  # not the whole index
    index = Index(home)
    try:
        every = index.manifest.fingerprints()
        some = index.manifest.fingerprints([*sorted(every)[:3], "no-such-record"])
        assert some == {rid: every[rid] for rid in sorted(every)[:3]}
        rows = index.manifest.files(records=False)
        assert rows and all(r.records == [] for r in rows.values())
        assert any(r.records for r in index.manifest.files().values())
    finally:
        index.close()
