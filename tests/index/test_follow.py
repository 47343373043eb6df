"""A long-lived reader learns, from the snapshot header alone, that a writer published."""

from __future__ import annotations

import threading
from pathlib import Path

from index import GenerationWatch, Index
from index.lexical import CorpusSnapshot

ROW = ("c1", "Peer support workers offer hope.", {"record_id": "r1", "authors": "A. Berg"})


def test_each_new_generation_is_reported_once(tmp_path: Path):
    index = Index(tmp_path)
    watch = GenerationWatch(index)
    assert watch.seen is None and not watch.changed()  # nothing published yet
    snapshot = index.dir / "lexical"
    CorpusSnapshot.create(snapshot, 1, {"collection": "c"}, [ROW], keep_text=True)
    assert watch.changed() and watch.seen == ("c", 1)
    assert not watch.changed()
    CorpusSnapshot.update(snapshot, 2, {"collection": "c"}, set(), [], keep_text=True)
    stop = threading.Event()
    assert watch.wait(stop, interval=0.01) and watch.seen == ("c", 2)
    stop.set()
    assert not watch.wait(stop)  # stopped: returns at once


def test_record_fingerprints_tell_added_changed_and_removed_papers(tmp_path: Path):
    from index.reader import IndexReader

    def row(chunk_id: str, record: str) -> tuple[str, str, dict[str, str]]:
        return (chunk_id, f"Text of {chunk_id}.", {"record_id": record, "authors": "A. Berg"})

    snapshot = tmp_path / "lexical"
    build = {"collection": "c"}
    rows = [row("r1-000-aa", "r1"), row("r1-001-bb", "r1"), row("r2-000-cc", "r2")]
    CorpusSnapshot.create(snapshot, 1, build, rows, keep_text=True)
    before = IndexReader(lambda: None, CorpusSnapshot(snapshot), "c").record_fingerprints()
    assert set(before) == {"r1", "r2"}
    # r1's second chunk changes (a new content hash), r2 goes, r3 comes
    gone = {"r1-001-bb", "r2-000-cc"}
    CorpusSnapshot.update(
        snapshot, 2, build, gone, [row("r1-001-dd", "r1"), row("r3-000-ee", "r3")], True
    )
    after = IndexReader(lambda: None, CorpusSnapshot(snapshot), "c").record_fingerprints()
    assert set(after) == {"r1", "r3"} and after["r1"] != before["r1"]
    CorpusSnapshot.update(snapshot, 3, build, set(), [row("r4-000-ff", "r4")], True)
    again = IndexReader(lambda: None, CorpusSnapshot(snapshot), "c").record_fingerprints()
    assert again["r1"] == after["r1"] and again["r3"] == after["r3"]  # untouched: the same
