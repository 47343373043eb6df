"""Hostile file names and folders: undecodable bytes, escape sequences, the assistant's own data."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from index.core import Index
from index.embedder import MiniLMEmbedder
from ingest.chunking import ChunkSettings
from ingest.pipeline import run_ingest
from ingest.readers import OWN_FOLDER, path_key, printable_name, scan
from tests.conftest import REPO, model_dir

SEED = REPO / "seeds" / "002_8e891bfb3820edb3.txt"


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(model_dir())


def ingest(paths: list[Path], home: Path, embedder, **kw):
    index = Index(home)
    try:
        return run_ingest(paths, index, embedder, ChunkSettings(), 20_000_000, **kw)
    finally:
        index.close()


def bytes_name(folder: Path, name: bytes) -> Path:
    """A path in ``folder`` whose last part is the raw bytes ``name`` (any bytes POSIX allows)."""
    return Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))


def test_an_undecodable_file_name_is_ingested_and_never_stops_the_run(tmp_path, embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEED, bytes_name(docs, b"caf\xe9-latin1.txt"))
    bytes_name(docs, b"junk\xfe\xfd.bin").write_bytes(b"\x00")
    home = tmp_path / "home"

    report = ingest([docs], home, embedder)
    assert report.added == 1 and report.records >= 1
    data = json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")  # valid UTF-8
    assert b"junk\\\\xfe\\\\xfd.bin" in data  # shown escaped, not dropped
    again = ingest([docs], home, embedder)
    assert (again.added, again.updated, again.removed) == (0, 0, 0)  # keys are stable
    assert again.embedded == 0

    bytes_name(docs, b"caf\xe9-latin1.txt").unlink()
    gone = ingest([docs], home, embedder)
    assert gone.removed == 1 and gone.records == 0


def test_keys_are_unique_even_against_look_alike_names(tmp_path):
    odd = bytes_name(tmp_path, b"a\xff.txt")
    look_alike = tmp_path / "a\\xff.txt"  # a real backslash, then "xff"
    keys = {path_key(odd), path_key(look_alike), path_key(tmp_path / "a.txt")}
    assert len(keys) == 3
    for key in keys:
        key.encode("utf-8")  # no surrogates
    assert path_key(tmp_path / "plain é.txt") == str(tmp_path / "plain é.txt")  # unchanged


@pytest.mark.parametrize(
    "name",
    [
        "\x1b[31mred\x1b[0m.txt",
        "\x1b]8;;https:evil.example\x07link\x1b]8;;\x07.txt",
        "bell\x07and\rcarriage.txt",
        "rtl\u202egnp.txt",
    ],
)
def test_display_names_are_printable(tmp_path, name):
    (tmp_path / name).write_text("x")
    (found,) = [f for f in scan([tmp_path])]
    assert found.display.isprintable()
    assert "\x1b" not in found.display and "\u202e" not in found.display
    assert printable_name(name).isprintable()


@pytest.mark.integration  # ingests through the real index
def test_escape_sequences_in_file_names_never_reach_the_terminal(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEED, docs / "\x1b[2J\x1b]0;pwned\x07paper.txt")
    (docs / "\x1b[31mevil\x9b1m.csv").write_text("a,b")
    assert main(["ingest", str(docs)]) == 0
    out = capsys.readouterr().out
    assert "skipped" in out and "evil" in out
    assert main(["sources"]) == 0
    table = capsys.readouterr().out
    assert "paper.txt" in table
    for text in (out, table):
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text


def test_scan_skips_excluded_folders_and_what_is_under_them(tmp_path):
    home = tmp_path / "home"
    (home / "exports").mkdir(parents=True)
    (home / "exports" / "answers.md").write_text("# exported")
    (home / "notes.txt").write_text("mine")
    (tmp_path / "link").symlink_to(home / "exports")
    found = {f.display: f.skip for f in scan([tmp_path], exclude=[home / "exports"])}
    top = tmp_path.name
    assert found[f"{top}/home/exports"] == OWN_FOLDER
    assert found[f"{top}/link"] == OWN_FOLDER
    assert found[f"{top}/home/notes.txt"] is None
    assert not any("answers.md" in d for d in found)
    inside = list(scan([home / "exports" / "answers.md"], exclude=[home / "exports"]))
    assert [f.skip for f in inside] == [OWN_FOLDER]


def test_ingesting_the_home_folder_skips_the_assistants_own_data(seeded_home, capsys):
    exports = seeded_home / "exports"
    exports.mkdir()
    shutil.copy(SEED, exports / "conversation.md")  # an exported answer that quotes a paper
    shutil.copy(SEED, seeded_home / "my-paper.txt")
    assert main(["ingest", str(seeded_home.parent), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    skipped = {s["path"]: s["reason"] for s in report["skipped"]}
    for own in ("index", "chroma", "exports"):
        assert skipped[f"{seeded_home.parent.name}/home/{own}"] == OWN_FOLDER
    assert report["added"] == 1  # my-paper.txt only
    index = Index(seeded_home)
    try:
        keys = index.manifest.files()
    finally:
        index.close()
    assert not any("/exports/" in p or "/chroma/" in p for p in keys)
