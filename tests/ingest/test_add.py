"""``add_paths``: what the chat's ``/add PATH`` calls, from any worker thread."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from assistant.adding import add_paths
from index import GenerationWatch, Index, MiniLMEmbedder
from tests.conftest import REPO, model_dir

pytestmark = pytest.mark.integration  # the real MiniLM and Chroma
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def test_adds_from_worker_threads_with_progress_and_the_reader_follows(tmp_path, settings):
    embedder = MiniLMEmbedder(model_dir())
    folder = tmp_path / "papers"
    folder.mkdir()
    shutil.copy(SEEDS[2], folder)
    watch = GenerationWatch(Index(settings.home))
    stages: list[tuple[str, int, int]] = []
    reports = []

    def worker(path: Path) -> None:  # a fresh thread each time, as Textual's workers are
        reports.append(add_paths(settings, [path], embedder, lambda *a: stages.append(a)))

    for path in (folder, SEEDS[3]):
        thread = threading.Thread(target=worker, args=(path,))
        thread.start()
        thread.join(120)
        assert watch.changed()  # the chat would refresh its status bar now
    assert [r.records_added for r in reports] == [1, 1] and reports[1].records == 2
    assert ("reading", 1, 1) in stages and any(s[0] == "embedding" for s in stages)
    reader = Index(settings.home).reader()
    assert reader is not None and reader.record_count == 2
