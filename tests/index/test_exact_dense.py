"""Dense search over the snapshot's own vectors: an embedded index is read without Chroma,
and finds what Chroma's index finds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from assistant.config import load_settings
from assistant.runtime import make_embedder, open_index
from index.embedder import Embedder
from index.filters import Filters
from index.lexical import CorpusSnapshot
from index.reader import IndexReader
from tests.conftest import REPO, WITHOUT_CHROMADB

QUESTIONS = [
    "what do service users value in peer support?",
    "stigma and discrimination in mental health services",
    "training and supervision of peer workers",
    "recovery colleges",
]


def open_reader() -> tuple[IndexReader, Embedder]:
    """The configured index's reader (it must hold chunks) and embedder."""
    settings = load_settings()
    embedder = make_embedder(settings)
    reader = open_index(settings).reader((embedder.name, embedder.dim))
    assert reader is not None
    return reader, embedder


def test_an_embedded_index_answers_without_opening_chroma(seeded_home: Path) -> None:
    got = subprocess.run(
        [sys.executable, "-c", WITHOUT_CHROMADB, "ask",
         "what do service users value in peer support?", "--no-llm", "--json"],
        cwd=REPO, capture_output=True, text=True, env=dict(os.environ), timeout=120,
    )  # fmt: skip
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["sources"]


def test_exact_search_finds_what_chromas_index_finds(seeded_home: Path) -> None:
    reader, embedder = open_reader()
    assert reader._snap.vectors is not None
    for question in QUESTIONS:
        vec = embedder.embed([question])[0]
        exact = reader.dense(vec, 10, Filters())
        store = reader._dense_in_store(vec, 10, Filters())
        # The seeds are small: Chroma's HNSW is exact on them, so both agree on the order
        # and on cosine similarity.
        assert list(exact) == list(sorted(store, key=lambda c: -store[c]))
        for cid, score in exact.items():
            assert abs(score - store[cid]) < 1e-4


def test_filtered_exact_search_returns_only_passing_chunks(seeded_home: Path) -> None:
    reader, embedder = open_reader()
    vec = embedder.embed(["peer support"])[0]
    years = [r.year for r in reader.records() if r.year]
    year = sorted(years)[len(years) // 2]
    got = reader.dense(vec, 1000, Filters(year_min=year, year_max=year))
    passing = {c.chunk_id for c in reader.iter_chunks() if c.meta.year == year}
    assert set(got) == passing  # every passing chunk, and only those, when n is large


def test_vectors_follow_updates_like_a_fresh_build(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    rows = [(f"r{i}-000-x", f"text number {i}", {"record_id": f"r{i}"}) for i in range(40)]
    vecs = rng.standard_normal((40, 8)).astype(np.float32)
    stamp = {"collection": "c"}
    CorpusSnapshot.create(tmp_path / "a", 1, stamp, rows[:30], False, vecs[:30])
    gone = {rows[2][0], rows[7][0]}
    CorpusSnapshot.update(tmp_path / "a", 2, stamp, gone, rows[30:], False, vecs[30:])
    keep = [i for i in range(40) if rows[i][0] not in gone]
    CorpusSnapshot.create(tmp_path / "b", 2, stamp, [rows[i] for i in keep], False, vecs[keep])
    a, b = CorpusSnapshot(tmp_path / "a"), CorpusSnapshot(tmp_path / "b")
    assert a.vectors is not None and b.vectors is not None
    assert np.allclose(np.asarray(a.vectors), np.asarray(b.vectors))
    assert np.allclose(np.linalg.norm(np.asarray(a.vectors), axis=1), 1.0)  # unit rows


def test_a_snapshot_rebuilt_by_a_reader_is_updated_by_the_next_ingest(
    seeded_home: Path, tmp_path: Path, monkeypatch
) -> None:
    """A reader that had to rebuild the snapshot from Chroma (missing, older format) leaves
    one the next ingest updates for what changed, never rebuilds whole again."""
    import shutil

    from assistant.cli import main

    settings = load_settings()
    embedder = make_embedder(settings)
    index = open_index(settings)
    shutil.rmtree(index.dir / "lexical")
    assert index.reader((embedder.name, embedder.dim)) is not None  # rebuilt from the store
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "note.txt").write_text(
        "Allotment gardening groups and wellbeing\n\nMembers of allotment gardening groups "
        "reported better sleep, more contact with neighbours and a steadier mood.\n",
        encoding="utf-8",
    )

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the snapshot was rebuilt whole")

    monkeypatch.setattr(CorpusSnapshot, "create", staticmethod(refuse))
    assert main(["ingest", str(folder)]) == 0
    reader = open_index(settings).reader((embedder.name, embedder.dim))
    assert reader is not None
    hits = reader.dense(embedder.embed(["allotment gardening wellbeing"])[0], 1, Filters())
    chunk = reader.chunk(next(iter(hits)))
    assert chunk is not None and "allotment gardening groups" in chunk.text


def test_similarity_of_chosen_chunks_equals_their_dense_scores(seeded_home: Path) -> None:
    reader, embedder = open_reader()
    vec = embedder.embed(["peer workers and hope"])[0]
    found = reader.dense(vec, 8, Filters())
    chosen = [*list(found)[::2], "no-such-chunk"]
    got = reader.similarity(vec, chosen)
    assert set(got) == set(chosen[:-1])  # an id the generation lacks is left out
    for cid, score in got.items():
        assert abs(score - found[cid]) < 1e-5
    from_store = reader._dense_in_store(vec, 8, Filters())  # the server path's figures
    for cid, score in got.items():
        assert abs(score - from_store[cid]) < 1e-4


def test_ranking_parses_metadata_of_the_hits_only(seeded_home: Path, monkeypatch) -> None:
    """Candidates are ranked on their record and abstract flag (one SQL read); only the
    chunks shown as sources have their metadata parsed."""
    import index.reader as reader_module
    from assistant.answering.retrieval import Retriever

    reader, embedder = open_reader()
    parsed: list[dict] = []
    real = reader_module.from_store

    def counting(data):  # noqa: ANN001, ANN202
        parsed.append(data)
        return real(data)

    monkeypatch.setattr(reader_module, "from_store", counting)
    result = Retriever(reader, embedder).search("peer support workers and recovery", 5)
    shown = sum(len(h.chunk_ids) for h in result.hits)
    assert result.hits and len(reader) > 30
    assert len(parsed) <= shown + 1  # the hits' chunks, and the best lexical one's
