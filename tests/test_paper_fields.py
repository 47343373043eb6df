"""A paper's fields are declared once (``vocab.paper.PaperMeta``) and flow everywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.paperflow import check_flow


def test_every_paper_field_flows_from_the_record_to_the_answer_json():
    from vocab.paper import PAPER_FIELDS

    assert check_flow() == list(PAPER_FIELDS)


def test_every_carrier_derives_from_the_one_declaration():
    from assistant.answering.answer import Source
    from assistant.answering.question.bibliography import BibEntry
    from index import ChunkMeta, RecordEntry
    from vocab.paper import PaperFields, PaperMeta
    from vocab.record import Record

    declared = [(f.name, f.type, f.default) for f in fields(PaperMeta)]
    for cls in (ChunkMeta, BibEntry, Source, RecordEntry, Record):
        assert issubclass(cls, PaperFields), cls
        assert [(f.name, f.type, f.default) for f in fields(cls)][: len(declared)] == declared


def test_the_carriers_are_frozen_and_the_ingests_record_is_not():
    from dataclasses import FrozenInstanceError

    from index import ChunkMeta
    from vocab.paper import PaperMeta
    from vocab.record import Record

    with pytest.raises(FrozenInstanceError):
        PaperMeta(title="A").title = "B"
    meta = ChunkMeta(record_id="r", path="a.txt", title="A")
    with pytest.raises(FrozenInstanceError):
        meta.title = "B"
    record = Record(title="A", authors=["Doe, Jane"])
    record.title = "B"
    assert (record.title, record.authors) == ("B", ("Doe, Jane",))  # a list kept as a tuple


@pytest.mark.parametrize("kind", ["text", "list"])
def test_a_field_added_to_the_declaration_flows_without_another_line(tmp_path: Path, kind: str):
    """In a copy of the code with one field added to ``PaperFields`` and nothing else
    edited, that field reaches the ingest's record, the store, the catalogue, the
    bibliography, the answer's sources and their JSON."""
    for package in ("vocab", "index", "assistant", "prompts"):
        shutil.copytree(
            REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    declared = {
        "text": "isbn: str | None = None",
        "list": "subjects: tuple[str, ...] = ()",
    }[kind]
    anchor = "    keywords: tuple[str, ...] = ()\n"
    paper = tmp_path / "vocab" / "paper.py"
    assert anchor in paper.read_text()
    paper.write_text(paper.read_text().replace(anchor, anchor + f"    {declared}\n"))
    name = declared.split(":")[0]
    code = (
        "import vocab.paper, tests.paperflow as f\n"
        f"assert vocab.paper.__file__.startswith({str(tmp_path)!r}), vocab.paper.__file__\n"
        "print(' '.join(f.check_flow()))\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert name in done.stdout.split()
