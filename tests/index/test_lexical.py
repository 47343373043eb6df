"""The on-disk BM25 snapshot: bm25s's scores, updated in place, filters over columns."""

import json
from pathlib import Path

import numpy as np

from index.bm25 import Bm25Arrays
from index.lexical import FORMAT, CorpusSnapshot, _bm25s, tokenize
from tests.conftest import REPO

SEEDS = sorted((REPO / "seeds").iterdir())


def paragraphs() -> list[str]:
    out = []
    for path in SEEDS:
        out += [p for p in path.read_text(encoding="utf-8").split("\n") if len(p.split()) > 8]
    return out


def test_scores_equal_bm25s_on_the_same_tokens():
    tokens = tokenize(paragraphs())
    reference = _bm25s().BM25()
    reference.index(tokens, show_progress=False)
    vocab: dict[str, int] = {}
    ours = Bm25Arrays.from_docs(
        [[vocab.setdefault(t, len(vocab)) for t in d] for d in tokens], len(vocab)
    )
    for question in ("peer support recovery", "service users value hope", "staff staff training"):
        query = [t for t in tokenize([question])[0] if t in vocab]
        assert query
        want = np.asarray(reference.get_scores(query))
        assert np.allclose(ours.scores([vocab[t] for t in query]), want, atol=1e-5)


def rows(texts: list[str], year0: int = 2000) -> list[tuple[str, str, dict]]:
    return [
        (
            f"r{i}-000-x",
            t,
            {"record_id": f"r{i}", "year": year0 + i % 20, "authors": f"Åsa Berg{i}"},
        )
        for i, t in enumerate(texts)
    ]


def test_an_update_scores_like_a_fresh_build(tmp_path: Path):
    texts = paragraphs()
    first, extra = rows(texts[:-5]), rows(texts[-5:])
    extra = [(f"new{i}", t, m | {"record_id": f"new{i}"}) for i, (_, t, m) in enumerate(extra)]
    stamp = {"collection": "c"}
    CorpusSnapshot.create(tmp_path / "a", 1, stamp, first, keep_text=True)
    gone = {first[0][0], first[3][0]}
    CorpusSnapshot.update(tmp_path / "a", 2, stamp, gone, extra, keep_text=True)
    expected = [r for r in first if r[0] not in gone] + extra
    CorpusSnapshot.create(tmp_path / "b", 2, stamp, expected, keep_text=True)
    a, b = CorpusSnapshot(tmp_path / "a"), CorpusSnapshot(tmp_path / "b")
    assert a.generation == 2 and CorpusSnapshot.peek(tmp_path / "a") == (2, "c")
    assert len(a) == len(b) == len(expected)
    ids = [c for (c,) in a.query("SELECT chunk_id FROM chunks ORDER BY pos")]
    assert ids == [r[0] for r in expected]
    assert np.allclose(a.scores("peer support workers"), b.scores("peer support workers"))
    assert np.array_equal(np.asarray(a.years), np.asarray(b.years), equal_nan=True)
    text, meta = a.query("SELECT text, metadata FROM chunks WHERE chunk_id=?", ("new1",))[0]
    assert text == extra[1][1] and json.loads(meta)["record_id"] == "new1"


def test_a_damaged_snapshot_loads_as_none(tmp_path: Path):
    CorpusSnapshot.create(tmp_path / "s", 1, {}, rows(paragraphs()[:5]), keep_text=False)
    (tmp_path / "s" / "years.npy").write_bytes(b"junk")
    assert CorpusSnapshot.load(tmp_path / "s") is None


def test_a_snapshot_of_another_format_is_not_loaded(tmp_path: Path):
    CorpusSnapshot.create(tmp_path / "s", 1, {}, rows(paragraphs()[:5]), keep_text=False)
    header = tmp_path / "s" / "header.json"
    header.write_text(header.read_text().replace(f'"format": {FORMAT}', '"format": 0'))
    assert CorpusSnapshot.load(tmp_path / "s") is None  # rebuilt, never updated
    assert CorpusSnapshot.peek(tmp_path / "s") is None


def test_author_filters_fold_names_one_way(tmp_path: Path):
    """``--author Sorensen`` finds "Sørensen" as "papers by Sorensen" does: the stored
    author column and the filter use the one fold (ø, æ, ł… included, not only accents)."""
    from index import ChunkMeta, Filters
    from vocab.textfold import fold

    texts = paragraphs()[:3]
    data = rows(texts)
    data[1] = (data[1][0], data[1][1], data[1][2] | {"authors": "Sørensen, Anne; Łukasz Dąb"})
    CorpusSnapshot.create(tmp_path / "s", 1, {}, data, keep_text=False)
    snap = CorpusSnapshot(tmp_path / "s")
    for typed in ("Sorensen", "sørensen", "Lukasz"):
        sql = "SELECT chunk_id FROM chunks WHERE instr(authors, ?) > 0"
        assert [c for (c,) in snap.query(sql, (fold(typed),))] == [data[1][0]], typed
        meta = ChunkMeta(record_id="r1", authors=("Sørensen, Anne", "Łukasz Dąb"))
        assert Filters.parse(author=typed).accepts(meta), typed


def test_a_chain_of_updates_holds_what_a_fresh_build_holds(tmp_path: Path):
    """The incremental write (the previous file copied, changes applied) ends where a
    build from scratch does: same rows in the same order, catalogue, years and vectors."""
    texts = paragraphs()
    all_rows = rows(texts)
    for i, (_, _, meta) in enumerate(all_rows):  # a title per record, for the catalogue
        meta |= {"title": f"Study {i} of peer work", "path": f"p{i % 7}.txt", "chunk": 0}
    rng = np.random.default_rng(26)
    vecs = {cid: rng.standard_normal(8).astype(np.float32) for cid, _, _ in all_rows}
    stamp = {"collection": "c"}
    current = all_rows[: len(all_rows) // 2]
    CorpusSnapshot.create(
        tmp_path / "a", 1, stamp, current, False, np.stack([vecs[r[0]] for r in current])
    )
    later = all_rows[len(all_rows) // 2 :]
    steps = [  # (ids removed, rows added)
        ({current[0][0], current[5][0]}, later[:3]),  # removed from the front: renumbered
        (set(), later[3:6]),  # only added
        ({later[1][0], current[-1][0]}, later[6:8] + [current[0]]),  # one comes back
    ]
    for gen, (gone, added) in enumerate(steps, start=2):
        CorpusSnapshot.update(
            tmp_path / "a", gen, stamp, gone, added, False, np.stack([vecs[r[0]] for r in added])
        )
        current = [r for r in current if r[0] not in gone | {a[0] for a in added}] + added
    CorpusSnapshot.create(
        tmp_path / "b", 4, stamp, current, False, np.stack([vecs[r[0]] for r in current])
    )
    a, b = CorpusSnapshot(tmp_path / "a"), CorpusSnapshot(tmp_path / "b")
    order = "SELECT pos, chunk_id, record_id, idx, authors FROM chunks ORDER BY pos"
    assert a.query(order) == b.query(order)
    for table in ("records", "author_keys", "title_words"):
        got = a.query(f"SELECT * FROM {table}")
        assert sorted(got) == sorted(b.query(f"SELECT * FROM {table}")) and got, table
    # Lower-case words are only ever added (index.catalog.add_lower_words).
    assert set(b.query("SELECT word FROM lower_words")) <= set(
        a.query("SELECT word FROM lower_words")
    )
    assert np.allclose(np.asarray(a.vectors), np.asarray(b.vectors))
    assert np.array_equal(np.asarray(a.years), np.asarray(b.years), equal_nan=True)
    assert np.allclose(a.scores("peer support workers"), b.scores("peer support workers"))
