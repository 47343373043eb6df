"""Several clients on one real `chroma run` server: nobody loses or misses another's papers."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from tests.conftest import REPO
from tests.ingest.test_server_mode import chroma_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.server
SEEDS = REPO / "seeds"


@pytest.fixture
def clients(chroma_server, monkeypatch, capsys, tmp_path, request):  # noqa: F811
    """``run(name, *argv)``: the CLI as client ``name`` (its own home), its JSON output."""
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    monkeypatch.setenv("ASSISTANT_COLLECTION", request.node.name.replace("_", "-")[:60])

    def run(name: str, *argv: str) -> dict | list:
        before = os.environ["ASSISTANT_HOME"]
        os.environ["ASSISTANT_HOME"] = str(tmp_path / f"home-{name}")
        try:
            capsys.readouterr()
            code = main([*argv, "--json"])
            out, err = capsys.readouterr()
            assert code == 0, err
            return json.loads(out)
        finally:
            os.environ["ASSISTANT_HOME"] = before

    return run


def folder(tmp_path: Path, name: str, *seeds: str) -> Path:
    out = tmp_path / name
    out.mkdir()
    for seed in seeds:
        shutil.copy(SEEDS / seed, out)
    return out


def titles(listing) -> set[str]:
    return {r["record_id"] for r in listing}


def test_a_rebuild_on_one_client_removes_only_its_own_papers(clients, tmp_path):
    a = folder(tmp_path, "a", "002_8e891bfb3820edb3.txt")
    b = folder(tmp_path, "b", "003_197bd31afb418ccc.txt")
    c = folder(tmp_path, "c", "000_fb349e6106dd3765.txt")
    for name, where in (("a", a), ("b", b), ("c", c)):
        clients(name, "ingest", str(where))
    everything = titles(clients("c", "sources"))
    assert len(everything) >= 4
    report = clients("b", "ingest", "--rebuild")  # B's remembered folder, rebuilt
    assert report["records"] >= 1
    for name in "abc":  # A's and C's papers survive B's rebuild, and B's are back
        clients(name, "ingest", str({"a": a, "b": b, "c": c}[name]))
        assert titles(clients(name, "sources")) == everything


def test_a_client_that_ingested_alongside_another_sees_its_papers(clients, tmp_path, monkeypatch):
    """B opens the collection, A ingests and publishes in full, then B writes and publishes:
    both published the same generation number, and A's snapshot lacks B's paper."""
    from index import IndexWriter

    a = folder(tmp_path, "a", "002_8e891bfb3820edb3.txt")
    b = folder(tmp_path, "b", "003_197bd31afb418ccc.txt")
    clients("c", "ingest", str(folder(tmp_path, "c", "000_fb349e6106dd3765.txt")))
    real_write = IndexWriter.write
    done: list[bool] = []

    def write_after_a(self, items, embed):
        if not done:  # B is between opening the collection and writing: A runs whole
            done.append(True)
            clients("a", "ingest", str(a))
        return real_write(self, items, embed)

    monkeypatch.setattr(IndexWriter, "write", write_after_a)
    clients("b", "ingest", str(b))
    monkeypatch.setattr(IndexWriter, "write", real_write)
    assert done
    everything = titles(clients("b", "sources"))
    assert titles(clients("a", "sources")) == everything  # A's next question sees B's paper
    clients("a", "ingest", str(a))  # and so does A's next ingest
    assert titles(clients("a", "sources")) == everything
    assert titles(clients("c", "sources")) == everything
