"""``assistant sources`` as a table: it fits the width it is given and says what untitled means."""

from __future__ import annotations

import argparse

import pytest

from assistant.commands import sources


def _record(n: int, title: str | None) -> dict:
    return {
        "record_id": f"r{n}",
        "title": title,
        "authors": ["Kristina Bakke Åkerblom", "Marit Borg", "Tore Dag Bøe"],
        "year": 2023,
        "venue": "International Journal of Mental Health Systems and Substance Use Services",
        "doi": "10.1186/s13033-023-00588-5",
        "path": f"/home/someone/papers/library/exports/scopus-export-2023-{n:04d}.csv",
        "chunks": 3,
    }


RECORDS = [
    _record(1, "Managers as peer workers’ allies: A qualitative study of managers’ " * 3),
    _record(2, None),
    _record(3, None),
]


@pytest.mark.parametrize("columns", [80, 120, 200])
@pytest.mark.parametrize("missing", [False, True])
def test_the_table_fits_the_width_and_names_untitled_records(
    monkeypatch, capsys, settings, columns, missing
):
    monkeypatch.setattr(sources, "list_records", lambda _settings, **_: [dict(r) for r in RECORDS])
    monkeypatch.setenv("COLUMNS", str(columns))
    args = argparse.Namespace(json=False, missing_metadata=missing)
    assert sources.run(args, settings) == 0
    out, err = capsys.readouterr()
    lines = out.rstrip("\n").splitlines()
    shown = 2 if missing else 3  # --missing-metadata leaves out the complete record
    assert len(lines) == 1 + shown  # a header, then one line per record
    assert max(len(line) for line in lines) <= columns
    assert out.count("(untitled abstract)") == 2
    assert "2 shown as (untitled abstract): their file gives the abstract but no title" in err
    assert "0003.csv" in out  # a cut path keeps its end, which tells files apart
