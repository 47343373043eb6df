"""Front matter read as front matter (issue 23 defects 4-7): metadata only from the first
page's header block, margins and citation lines, never from the body or the reference
list; bylines, titles and the header's small print kept out of the indexed text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.pdf import pdf_records
from tests.ingest import frontpapers as F
from vocab.record import Record

LEAKS = [  # front-matter and reference text that must never be indexed as the body
    r"@", r"Department of", r"Correspondence", r"Received", r"Accepted", r"Copyright", r"©",
    r"Creative Commons", r"permits unrestricted", r"Permission to copy", r"Academic Editor",
    r"Proceedings of", r"Under review", r"Date:", r"arXiv", r"EFERENCES",
    r"British Medical Journal", r"Manuscript received", r"How to cite", r"Cite this",
    r"Umeå University", r"Karolinska", r"Universidade", r"Analytical Engine Group",
]  # fmt: skip


def read(tmp_path: Path, data: bytes, name: str = "paper.pdf") -> Record:
    path = tmp_path / name
    path.write_bytes(data)
    records = pdf_records(path, data, name)
    assert len(records) == 1
    return records[0]


def assert_no_leaks(record: Record, allowed: tuple[str, ...] = ()) -> None:
    body = record.abstract
    for leak in set(LEAKS) - set(allowed):
        assert not re.search(leak, body), (leak, body[:400])
    assert body.startswith("In Abstract sentence 0"), body[:200]
    assert "Results-2 sentence 6" in body


def test_a_label_over_the_title_marks_after_commas_and_the_header_small_print(tmp_path):
    record = read(tmp_path, F.hindawi())
    assert record.title == F.TITLE  # "Research Article" is a label, not the title's start
    assert record.authors == F.AUTHORS  # "Sundström,¹ Rönnlund,²": the commas still part
    assert (record.year, record.venue, record.doi) == (2014, "Journal of Aging Research", F.DOI)
    assert_no_leaks(record)


def test_an_info_title_with_the_journal_appended_loses_to_the_printed_one(tmp_path):
    info = {
        "/Title": f"{F.TITLE} - Journal of Aging Research",
        "/Author": "Anna Sundström",  # the Word account of the first author only
        "/Creator": "Microsoft® Word 2010",
        "/Producer": "Microsoft® Word 2010",
    }
    record = read(tmp_path, F.hindawi(info))
    assert record.title == F.TITLE
    assert record.authors == F.AUTHORS


def test_a_word_account_name_in_info_is_not_the_author_list(tmp_path):
    info = {"/Author": "Sundström Anna", "/Creator": "Microsoft® Word 2016"}
    record = read(tmp_path, F.hindawi(info))
    assert record.authors == F.AUTHORS


def test_an_author_grid_a_permission_block_and_a_split_references_heading(tmp_path):
    record = read(tmp_path, F.vldb())
    assert record.title == F.VLDB_TITLE
    assert record.authors == F.VLDB_AUTHORS
    assert (record.venue, record.year) == (F.VLDB_VENUE, 2004)
    assert_no_leaks(record)
    assert "Methods-3 sentence 6" in record.abstract


def test_a_preprint_is_dated_by_its_arxiv_stamp_not_by_years_in_its_text(tmp_path):
    record = read(tmp_path, F.arxiv())
    assert record.title == F.ARXIV_TITLE
    assert record.authors == ("Ada Lovelace", "Charles Babbage")
    assert record.year == 2015
    assert record.venue is None  # "Under review as a conference paper at ICLR" is not one
    assert_no_leaks(record, allowed=("©",))  # the body's "(© 2010 the Data Consortium)"
    assert "Hinton et al. (2010)" in record.abstract  # the body's own text stays


def test_society_memberships_in_a_byline_and_a_footnote_of_dates(tmp_path):
    record = read(tmp_path, F.ieee())
    assert record.title == F.IEEE_TITLE
    assert record.authors == F.AUTHORS
    assert (record.venue, record.year) == (F.IEEE_VENUE, 2014)
    assert_no_leaks(record)


def test_a_how_to_cite_footer_gives_venue_year_and_doi(tmp_path):
    record = read(tmp_path, F.peerj())
    assert record.authors == F.AUTHORS
    assert (record.venue, record.year, record.doi) == (F.PEERJ_VENUE, 2017, F.PEERJ_DOI)
    assert_no_leaks(record)


def test_an_issue_date_head_and_a_cite_line_on_the_last_page(tmp_path):
    record = read(tmp_path, F.cite_on_last_page())
    assert record.year == 2007
    assert record.venue == "Journal of Aging Research"  # not "January"
    assert record.doi == F.CITE_DOI
    assert_no_leaks(record)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Anna Sundström,1 Michael Rönnlund,2 and Lars Nyberg3", list(F.AUTHORS)),
        ("Anna Sundström, Member, IEEE, and Lars Nyberg, Senior Member, IEEE",
         ["Anna Sundström", "Lars Nyberg"]),
        ("Umeå, Sweden", None),
        ("Stockholm, Sweden", None),
    ],
)  # fmt: skip
def test_printed_bylines(byline: str, names: list[str] | None):
    from ingest.pdfmeta import parse_names

    assert parse_names(byline, printed=True) == names


def test_accents_set_as_glyphs_of_their_own_join_their_letters():
    from ingest.pdfpages import fix_accents

    assert fix_accents("Sundstr¨om and Gon¸calves") == "Sundström and Gonçalves"
    assert fix_accents("Sundstr ¨ om") == "Sundström"
    assert fix_accents("Ro\u0308nnlund") == "Rönnlund"
