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


def test_the_frozen_carriers_derive_from_the_one_declaration():
    from assistant.answering.answer import Source
    from assistant.answering.question.bibliography import BibEntry
    from index import ChunkMeta, RecordEntry
    from vocab.paper import PaperMeta

    for cls in (ChunkMeta, BibEntry, Source, RecordEntry):
        assert issubclass(cls, PaperMeta), cls


def test_the_record_carries_every_paper_field_as_its_mutable_twin():
    """``Record`` is the ingest's mutable record, so it cannot inherit a frozen class: it
    declares the same names, lists where the declaration has tuples."""
    from vocab.paper import KINDS, PaperMeta
    from vocab.record import Record

    theirs = {f.name: f for f in fields(Record)}
    for f in fields(PaperMeta):
        assert f.name in theirs, f"Record lacks the paper field {f.name!r}"
        twin = theirs[f.name]
        if KINDS[f.name] == "list":
            assert twin.type in ("list[str]",), (f.name, twin.type)
        else:
            assert twin.type == f.type and twin.default == f.default, (f.name, twin.type)


@pytest.mark.parametrize("kind", ["text", "list"])
def test_a_field_added_to_the_declaration_flows_without_another_line(tmp_path: Path, kind: str):
    """In a copy of the code with one field added to ``PaperMeta`` (and its twin to the
    ingest's ``Record``), that field reaches the store, the catalogue, the bibliography,
    the answer's sources and their JSON, with nothing else edited."""
    for package in ("vocab", "index", "assistant", "prompts"):
        shutil.copytree(
            REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    declared, twin = {
        "text": ("isbn: str | None = None", "isbn: str | None = None"),
        "list": (
            "subjects: tuple[str, ...] = ()",
            "subjects: list[str] = field(default_factory=list)",
        ),
    }[kind]
    anchor = "    keywords: tuple[str, ...] = ()\n"
    paper = tmp_path / "vocab" / "paper.py"
    assert anchor in paper.read_text()
    paper.write_text(paper.read_text().replace(anchor, anchor + f"    {declared}\n"))
    record = tmp_path / "vocab" / "record.py"
    anchor = "    keywords: list[str] = field(default_factory=list)\n"
    assert anchor in record.read_text()
    record.write_text(record.read_text().replace(anchor, anchor + f"    {twin}\n"))
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
