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
