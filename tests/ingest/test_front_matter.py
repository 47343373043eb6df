"""YAML front matter at the top of a Markdown note no longer hides its ``# Title``; its
title/author/date keys are metadata too (issue 25, smaller)."""

from __future__ import annotations

from pathlib import Path

from ingest.documents import records_from_file
from ingest.families.frontmatter import split_front_matter

BODY = (
    "Older adults who kept allotment plots reported steadier mood and more contact with "
    "neighbours than those still waiting for a plot, over a two-year cohort.\n"
)


def read(tmp_path: Path, text: str):
    path = tmp_path / "note.md"
    path.write_text(text, encoding="utf-8")
    return records_from_file(path, path.read_bytes(), "note.md", 1_000_000)


def test_the_title_under_front_matter_is_read(tmp_path):
    (record,) = read(tmp_path, "---\nkey: v\n---\n# Allotment gardening and wellbeing\n\n" + BODY)
    assert record.title == "Allotment gardening and wellbeing"
    assert record.abstract.startswith("Older adults") and "key" not in record.abstract


def test_front_matter_keys_are_metadata(tmp_path):
    text = (
        "---\n"
        'title: "Allotments and mood"\n'
        "author:\n  - Doe, Jane\n  - John Roe\n"
        "date: 2021-05-03\n"
        "doi: 10.1234/abc.5  # from the publisher\n"
        "tags: [garden, mood]\n"
        "---\n# Allotment gardening and wellbeing\n\n" + BODY
    )
    (record,) = read(tmp_path, text)
    assert record.title == "Allotment gardening and wellbeing"  # the heading, as shown
    assert record.authors == ("Doe, Jane", "John Roe")
    assert (record.year, record.doi) == (2021, "10.1234/abc.5")


def test_a_note_with_front_matter_and_no_heading_takes_its_title(tmp_path):
    (record,) = read(
        tmp_path, "---\ntitle: Allotments and mood\nauthor: [A. Berry, C. Dee]\n---\n\n" + BODY
    )
    assert record.title == "Allotments and mood" and record.authors == ("A. Berry", "C. Dee")


def test_the_notes_own_lines_win_over_its_front_matter(tmp_path):
    text = (
        "---\nauthor: Someone Else\nyear: 1999\n---\n# T\n\nAuthors: Monica Strand\nYear: 2018\n\n"
        + BODY
    )
    (record,) = read(tmp_path, text)
    assert (record.authors, record.year) == (("Monica Strand",), 2018)


def test_a_rule_that_opens_a_note_is_not_front_matter():
    lines = ["---", "", "Some text: here", "and a sentence that is not YAML.", "---", "# T"]
    assert split_front_matter(lines) == ({}, lines)
    unclosed = ["---", "title: x", "# T"]
    assert split_front_matter(unclosed) == ({}, unclosed)
    assert split_front_matter(["---", "---", "# T"]) == ({}, ["---", "---", "# T"])
