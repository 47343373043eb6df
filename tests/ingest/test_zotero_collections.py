"""A Zotero library's collections as a filter: ``--collection`` on ask, batch, sources and
papers, over a generated Zotero data directory ingested into the real index."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.cli import main
from tests.ingest.zoterolib import Item, make_library

pytestmark = pytest.mark.integration

ABOUT = {
    "AAAA1111": (
        "Interview methods for peer workers",
        "Semi-structured interviews with peer workers about supervision and role strain "
        "in community mental health teams were analysed thematically.",
    ),
    "BBBB2222": (
        "A thesis chapter on recovery colleges",
        "Recovery colleges offer co-produced courses to people with mental illness; "
        "students described hope and new friendships.",
    ),
    "CCCC3333": (
        "Teaching statistics with allotment data",
        "Undergraduates analysed allotment harvest records to learn regression; "
        "peer workers and interviews were not part of the course.",
    ),
    "DDDD4444": (
        "Unfiled notes on supervision of peer workers",
        "Supervision of peer workers protects their lived-experience role from drift.",
    ),
}
FILED = {"AAAA1111": ["Methods"], "BBBB2222": ["Thesis"], "CCCC3333": ["Teaching"]}


def make_items() -> list[Item]:
    return [
        Item(
            key,
            "journalArticle",
            {"title": title, "abstractNote": abstract, "date": "2020", "publicationTitle": "J"},
            [("Berry", "Clio", "author")],
            collections=FILED.get(key, []),
        )
        for key, (title, abstract) in ABOUT.items()
    ]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return make_library(tmp_path / "Zotero", make_items(), nested={"Methods": "Thesis"})


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    got = capsys.readouterr()
    return code, got.out, got.err


def titles_of(out: str) -> set[str]:
    return {r["title"] for r in json.loads(out)}


def title(key: str) -> str:
    return ABOUT[key][0]


@pytest.fixture
def ingested(isolated_env, library, capsys) -> Path:
    code, out, _ = run(capsys, "ingest", str(library), "--json")
    assert code == 0 and json.loads(out)["records"] == 4
    return library


def test_sources_and_papers_list_a_collection_by_name_path_or_ancestor(ingested, capsys):
    code, out, _ = run(capsys, "sources", "--json")
    by_title = {r["title"]: r for r in json.loads(out)}
    assert by_title[title("AAAA1111")]["collections"] == ["Thesis/Methods"]
    assert by_title[title("DDDD4444")]["collections"] == []
    for name, keys in [
        ("Methods", {"AAAA1111"}),  # the leaf's name
        ("thesis/METHODS", {"AAAA1111"}),  # its path, in any case
        ("Thesis", {"AAAA1111", "BBBB2222"}),  # a paper filed inside Thesis is in Thesis
        ("teaching", {"CCCC3333"}),
    ]:
        code, out, _ = run(capsys, "sources", "--json", "--collection", name)
        assert code == 0 and titles_of(out) == {title(k) for k in keys}, name
    code, out, _ = run(capsys, "papers", "--format", "json", "--collection", "Thesis")
    assert code == 0 and titles_of(out) == {title("AAAA1111"), title("BBBB2222")}
    code, out, _ = run(capsys, "sources", "--collection", "Methods")  # the table, too
    assert code == 0 and title("AAAA1111") in out and title("CCCC3333") not in out


def test_answers_come_only_from_the_collection(ingested, capsys, tmp_path):
    question = "How were peer workers interviewed about supervision?"
    code, out, _ = run(capsys, "ask", question, "--no-llm", "--json")
    unfiltered = {s["title"] for s in json.loads(out)["sources"]}
    assert title("AAAA1111") in unfiltered  # the best source, without the filter
    code, out, _ = run(capsys, "ask", question, "--no-llm", "--json", "--collection", "Teaching")
    assert code == 0
    sources = {s["title"] for s in json.loads(out)["sources"]}
    assert sources <= {title("CCCC3333")}
    questions = tmp_path / "q.txt"
    questions.write_text(question + "\nWhat did students of recovery colleges describe?\n")
    answers = tmp_path / "a.jsonl"
    code, _, _ = run(
        capsys, "batch", str(questions), "-o", str(answers), "--no-llm", "--collection", "thesis"
    )
    assert code == 0
    rows = [json.loads(line) for line in answers.read_text().splitlines()]
    cited = {s["title"] for row in rows for s in row["sources"]}
    assert cited and cited <= {title("AAAA1111"), title("BBBB2222")}


def test_a_bibliography_question_counts_only_the_collection(ingested, capsys):
    code, out, _ = run(
        capsys, "ask", "Which papers did Berry write?", "--no-llm", "--json",
        "--collection", "Thesis",
    )  # fmt: skip
    assert code == 0
    answer = json.loads(out)
    assert {s["title"] for s in answer["sources"]} == {title("AAAA1111"), title("BBBB2222")}


def test_an_unknown_collection_is_one_sentence_listing_the_known_ones(ingested, capsys, tmp_path):
    for argv in (
        ["sources", "--collection", "Nope"],
        ["papers", "--collection", "Nope"],
        ["ask", "peer workers", "--no-llm", "--collection", "Nope"],
    ):
        code, out, err = run(capsys, *argv)
        lines = err.strip().splitlines()
        assert code == 2 and out == "" and len(lines) == 1, (argv, err)
        assert "'Nope'" in lines[0]
        for known in ("'Teaching'", "'Thesis'", "'Thesis/Methods'"):
            assert known in lines[0]
    # A batch refuses before its output is written, so nothing is left to resume or clean.
    questions = tmp_path / "q.txt"
    questions.write_text("What helps peer workers?\n")
    answers = tmp_path / "a.jsonl"
    code, _, err = run(capsys, "batch", str(questions), "-o", str(answers), "--collection", "x")
    assert code == 2 and "'Teaching'" in err and not answers.exists()


def test_an_index_without_collections_says_where_they_come_from(isolated_env, tmp_path, capsys):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.md").write_text("# Allotments and mood\n\nAllotment holders were calmer.\n")
    assert run(capsys, "ingest", str(folder))[0] == 0
    code, _, err = run(capsys, "sources", "--collection", "Thesis")
    assert code == 2 and "Zotero" in err and len(err.strip().splitlines()) == 1


def test_a_snapshot_of_the_previous_format_is_rebuilt_with_collections(
    ingested, isolated_env, capsys
):
    """A snapshot written before the collections table (format 5) is rebuilt, not misread."""
    (lexical,) = isolated_env.glob("index/*/lexical")
    header = json.loads((lexical / "header.json").read_text())
    header["format"] -= 1
    (lexical / "header.json").write_text(json.dumps(header))
    with sqlite3.connect(lexical / "chunks.sqlite") as db:
        db.execute("DROP TABLE collections")
    code, out, _ = run(capsys, "sources", "--json", "--collection", "Methods")
    assert code == 0 and titles_of(out) == {title("AAAA1111")}
    assert json.loads((lexical / "header.json").read_text())["format"] == header["format"] + 1


def test_a_library_ingested_before_collections_were_stored_is_brought_up_to_date(
    isolated_env, library, capsys, monkeypatch
):
    """Chunks written without collections (an earlier version) get them the next time the
    database is read (Zotero saved something): the filed items are written again, nothing
    is embedded again."""
    import index.writer
    import ingest.pipeline
    from vocab.record import Record

    new_meta, new_print = index.writer.chunk_meta, ingest.pipeline.fingerprint

    def old_print(record: Record, build) -> str:  # the fingerprint of that version
        payload = json.dumps(
            [record.to_dict(), build.as_metadata()], sort_keys=True, ensure_ascii=False
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    monkeypatch.setattr(
        index.writer, "chunk_meta", lambda *a, **k: replace(new_meta(*a, **k), collections=())
    )
    monkeypatch.setattr(ingest.pipeline, "fingerprint", old_print)
    assert run(capsys, "ingest", str(library))[0] == 0
    monkeypatch.setattr(index.writer, "chunk_meta", new_meta)
    monkeypatch.setattr(ingest.pipeline, "fingerprint", new_print)
    code, _, err = run(capsys, "sources", "--collection", "Methods")
    assert code == 2  # nothing is known to be filed yet
    with sqlite3.connect(library / "zotero.sqlite") as db:  # Zotero saved a setting
        db.execute("PRAGMA user_version = 7")
    code, out, _ = run(capsys, "ingest", str(library), "--json")
    report = json.loads(out)
    assert code == 0 and report["embedded"] == 0 and report["records_updated"] == 3
    code, out, _ = run(capsys, "sources", "--json", "--collection", "Methods")
    assert code == 0 and titles_of(out) == {title("AAAA1111")}
    again = json.loads(run(capsys, "ingest", str(library), "--json")[1])
    assert again["records_updated"] == 0  # once only
