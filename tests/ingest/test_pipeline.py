"""The ingest run against the real Chroma and MiniLM: records, incrementality, safety."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from index.core import Index
from index.embedder import MiniLMEmbedder
from index.filters import Filters
from index.store import StoreIncompatible
from ingest.chunking import ChunkSettings
from ingest.pipeline import run_ingest
from tests.conftest import REPO, model_dir

BOILERPLATE = [
    "Sign in",
    "Export Citation",
    "Share Document",
    "Reprints and Corporate Permissions",
    "Rightslink",
    "Brooklyn-based",
    "CrossRef citations",
    "Altmetric",
    "Fiche du document",
    "Partage / Export",
    "Sur les mêmes sujets",
    "被引",
    "作者",
    "关键词",
    "摘要",
    "相关论文",
]


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(model_dir())


def ingest(paths: list[Path], home: Path, embedder, **kw):
    index = Index(home)
    try:
        return run_ingest(paths, index, embedder, ChunkSettings(), 20_000_000, **kw)
    finally:
        index.close()


def cli_json(capsys, *argv: str):
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_seeds_become_citable_records(seeded_home, capsys):
    code, records = cli_json(capsys, "sources")
    assert code == 0
    assert len(records) >= 14
    by_title = {r["title"]: r for r in records if r["title"]}
    strand = [r for r in records if r["authors"][:1] == ["Monica Strand"]]
    assert len(strand) == 1 and strand[0]["year"] == 2018 and strand[0]["title"] is None
    rosenberg = by_title[
        "Service Users Experience of Peer Support in Swedish Mental Health Care: "
        "A “Tipping Point” in the Care-Giving Culture?"
    ]
    assert rosenberg["authors"] == ["David Rosenberg", "Elisabeth Argentzell"]
    assert rosenberg["chunks"] == 1  # title only
    erudit = [r for r in records if r["doi"] == "10.7202/1100664ar"]
    assert len(erudit) == 1
    assert erudit[0]["authors"] == ["Lyuda Krupin", "Nick Todd", "Eric Howey", "Tara Perry"]
    assert erudit[0]["year"] == 2023 and erudit[0]["language"] == "en"
    main_paper = [r for r in records if r["doi"] == "10.1186/s13033-023-00588-5"]
    assert len(main_paper) == 1  # the related list's entry [1] merged into it
    assert main_paper[0]["authors"][0] == "Kristina Bakke Åkerblom"
    assert sum(r["path"].endswith("004_b03dd16b1e8ae871.txt") for r in records) == 10
    for r in records:
        assert r["path"].startswith("seeds/") and r["record_id"]


def test_no_boilerplate_is_retrievable(seeded_home):
    reader = Index(seeded_home).reader()
    assert reader is not None and len(reader) > 20
    for chunk in reader.all_chunks():
        for phrase in BOILERPLATE:
            assert phrase not in chunk.text, (phrase, chunk.meta.path)
            assert phrase not in str(chunk.meta.title or "")
    for phrase in ("sign in", "permissions", "Brooklyn"):
        # BM25 finds nothing: the words are not indexed
        assert reader.lexical(phrase, 10, Filters()) == {}, phrase


def test_second_run_embeds_nothing(seeded_home, capsys):
    code, report = cli_json(capsys, "ingest")
    assert code == 0
    assert report["embedded"] == 0
    assert report["unchanged"] == report["files_seen"] == 5
    assert report["added"] == report["updated"] == report["removed"] == 0
    assert report["records"] >= 14


def test_edit_and_delete_are_reflected(tmp_path: Path, embedder):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "seeds", corpus)
    home = tmp_path / "h"
    first = ingest([corpus], home, embedder)
    page = corpus / "002_8e891bfb3820edb3.txt"
    page.write_text(page.read_text().replace("conveyed hope", "conveyed optimism"))
    (corpus / "000_fb349e6106dd3765.txt").unlink()
    second = ingest([corpus], home, embedder)
    assert (second.updated, second.removed, second.unchanged) == (1, 1, 3)
    assert second.records == first.records - 2
    assert 0 < second.embedded < first.embedded  # only the edited record's chunks
    index = Index(home)
    reader = index.reader()
    assert reader is not None
    joined = "\n".join(c.text for c in reader.all_chunks())
    assert "conveyed optimism" in joined and "conveyed hope" not in joined
    assert "meeting-places" not in joined
    # dense == lexical
    assert sorted(index.stored_chunk_ids()) == sorted(c.chunk_id for c in reader.all_chunks())


def test_touching_a_file_without_changing_it_embeds_nothing(tmp_path: Path, embedder):
    corpus = tmp_path / "c"
    shutil.copytree(REPO / "seeds", corpus)
    ingest([corpus], tmp_path / "h", embedder)
    for f in corpus.iterdir():
        f.write_bytes(f.read_bytes())  # new mtime, same bytes
    again = ingest([corpus], tmp_path / "h", embedder)
    assert again.embedded == 0 and again.unchanged == 5


def test_bad_files_are_reported_and_stored_data_survives(tmp_path: Path, embedder):
    corpus = tmp_path / "c"
    shutil.copytree(REPO / "seeds", corpus)
    home = tmp_path / "h"
    before = ingest([corpus], home, embedder)
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    (corpus / "latin.txt").write_bytes(bytes([0x81, 0x8D]) * 50)
    (corpus / "boiler.txt").write_text("Sign in / Sign up\n\nExport Citation Format\n")
    report = ingest([corpus], home, embedder)
    reasons = {s["path"].split("/")[-1]: s["reason"] for s in report.skipped}
    assert set(reasons) == {
        "empty.txt",
        "binary.txt",
        "broken.pdf",
        "notes.docx",
        "latin.txt",
        "boiler.txt",
    }
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"] == "binary file"
    assert reasons["notes.docx"].startswith("unsupported file type")
    assert report.records == before.records and report.embedded == 0


def test_a_file_that_turns_bad_loses_only_its_own_records(tmp_path: Path, embedder):
    corpus = tmp_path / "c"
    shutil.copytree(REPO / "seeds", corpus)
    home = tmp_path / "h"
    before = ingest([corpus], home, embedder)
    (corpus / "002_8e891bfb3820edb3.txt").write_bytes(b"\x00" * 64)
    after = ingest([corpus], home, embedder)
    assert after.records == before.records - 1
    assert after.skipped == [{"path": "c/002_8e891bfb3820edb3.txt", "reason": "binary file"}]


def test_other_folders_are_left_alone(tmp_path: Path, embedder):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(REPO / "seeds" / "002_8e891bfb3820edb3.txt", a)
    shutil.copy(REPO / "seeds" / "003_197bd31afb418ccc.txt", b)
    home = tmp_path / "h"
    ingest([a], home, embedder)
    report = ingest([b], home, embedder)
    assert report.records == 2 and report.removed == 0


def test_changed_chunking_is_refused_with_a_way_out(tmp_path: Path, embedder):
    home = tmp_path / "h"
    seed = REPO / "seeds" / "002_8e891bfb3820edb3.txt"
    ingest([seed], home, embedder)
    index = Index(home)
    with pytest.raises(StoreIncompatible, match="--rebuild"):
        run_ingest([seed], index, embedder, ChunkSettings(max_tokens=120), 20_000_000)
    report = run_ingest(
        [seed], index, embedder, ChunkSettings(max_tokens=120), 20_000_000, rebuild=True
    )
    assert report.records == 1 and report.embedded >= 1


def test_missing_path_is_a_usage_error(capsys):
    assert main(["ingest", "/no/such/folder"]) == 2
    assert "No such file or folder: /no/such/folder" in capsys.readouterr().err


def test_ingest_json_summary_has_the_contract_fields(tmp_path: Path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(REPO / "seeds" / "002_8e891bfb3820edb3.txt", docs)
    (docs / "x.bin").write_bytes(b"\x00")
    code, report = cli_json(capsys, "ingest", str(docs))
    assert code == 0
    for key in (
        "files_seen",
        "records",
        "chunks",
        "added",
        "updated",
        "removed",
        "unchanged",
        "embedded",
        "skipped",
    ):
        assert key in report
    assert report["skipped"] == [{"path": "docs/x.bin", "reason": "unsupported file type (.bin)"}]


def test_files_deleted_under_a_reingested_parent_are_removed(tmp_path: Path, embedder):
    parent = tmp_path / "library"
    sub = parent / "2018"
    sub.mkdir(parents=True)
    shutil.copy(REPO / "seeds" / "002_8e891bfb3820edb3.txt", sub)
    shutil.copy(REPO / "seeds" / "003_197bd31afb418ccc.txt", parent)
    home = tmp_path / "h"
    ingest([sub], home, embedder)  # the sub-folder on its own first
    ingest([parent], home, embedder)
    (sub / "002_8e891bfb3820edb3.txt").unlink()
    report = ingest([parent], home, embedder)  # whatever root the file came from
    assert report.removed == 1 and report.records == 1


def test_forget_removes_a_folder_and_only_its_papers(tmp_path: Path, capsys):
    keep, drop = tmp_path / "keep", tmp_path / "drop"
    keep.mkdir()
    drop.mkdir()
    shutil.copy(REPO / "seeds" / "003_197bd31afb418ccc.txt", keep)
    shutil.copy(REPO / "seeds" / "002_8e891bfb3820edb3.txt", drop)
    shutil.copy(REPO / "seeds" / "002_8e891bfb3820edb3.txt", keep / "same-paper.txt")
    assert main(["ingest", str(keep), str(drop), "--json"]) == 0
    capsys.readouterr()
    shutil.rmtree(drop)  # gone from disk: forget still works
    code, report = cli_json(capsys, "forget", str(drop))
    assert code == 0 and report["removed"] == 1
    assert report["records"] == 2  # the paper also in keep/ stays
    code, records = cli_json(capsys, "sources")
    assert {r["path"] for r in records} == {"keep/003_197bd31afb418ccc.txt", "keep/same-paper.txt"}
    assert main(["forget", str(tmp_path / "never-ingested")]) == 2
    assert "Nothing indexed" in capsys.readouterr().err


def test_sources_lists_venue_and_what_metadata_is_missing(seeded_home, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")  # the table fits the width: wide enough for Venue
    code, missing = cli_json(capsys, "sources", "--missing-metadata")
    assert code == 0 and missing
    assert all(not (r["title"] and r["authors"] and r["year"]) for r in missing)
    code, every = cli_json(capsys, "sources")
    complete = [r for r in every if r["title"] and r["authors"] and r["year"]]
    assert len(missing) + len(complete) == len(every)
    assert main(["sources", "--missing-metadata"]) == 0
    table = capsys.readouterr().out
    assert "Missing" in table and "Venue" in table
