"""``assistant papers``: what it says when there is no row to show."""

from __future__ import annotations

from assistant.cli import main


def test_a_filter_that_matches_nothing_says_so_not_to_ingest(seeded_home, capsys):
    assert main(["papers", "--year", "2030"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip() == "No paper in the index matches (2030)."
    assert "ingest" not in captured.err and captured.out == ""


def test_an_empty_index_says_to_ingest(isolated_env, capsys):
    assert main(["papers"]) == 0
    assert "The index is empty; run `assistant ingest` first." in capsys.readouterr().err
