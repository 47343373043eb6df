"""Article PDFs (generated here with reportlab) become one record each with exact metadata,
body text free of covers, running heads, stamps and references, and chunks with pages."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.chunking import ChunkSettings, chunk_record
from ingest.errors import SkipFile
from ingest.pdf import pdf_records
from ingest.readers import read_pdf_layout
from tests.ingest.paperpdf import (
    MastheadPaper,
    Paper,
    make_masthead_paper,
    make_paper,
    xmp_packet,
)
from vocab.record import Record

TOPICS = [
    "peer workers", "service users", "recovery colleges", "care coordinators",
    "family carers", "ward staff", "crisis teams", "housing officers",
]  # fmt: skip
VERBS = ["described", "questioned", "valued", "negotiated", "reported", "rejected"]


def prose(tag: str, n: int) -> str:
    """``n`` distinct sentences; ``tag`` makes them findable (e.g. 'Methods-2')."""
    return " ".join(
        f"In {tag} sentence {i} the {TOPICS[i % len(TOPICS)]} "
        f"{VERBS[i % len(VERBS)]} how shared lived experience shaped hope and trust."
        for i in range(n)
    )


TITLE = "Hope as Shared Work: Peer Support Workers in Community Mental Health Teams"
AUTHORS = ("Monica Strand", "Deede Gammon", "Ulla-Karin Schön")
DOI = "10.1080/09638237.2019.1608929"
REFERENCES = [
    "Davidson, L., & Chinman, M. (2006). Peer support among adults with serious mental "
    "illness: A report from the field. Schizophrenia Bulletin, 32(3), 443-450. "
    "https://doi.org/10.1093/schbul/sbj043",
    "Repper, J., & Carter, T. (2011). A review of the literature on peer support in mental "
    "health services. Journal of Mental Health, 20(4), 392-411. "
    "https://doi.org/10.3109/09638237.2011.583947",
]
HEAD = "JOURNAL OF MENTAL HEALTH, 2019, VOL. 28, NO. 3, {n}"
FOOTER = "Downloaded from https://journals.example.org by Oslo University Library on 03 May 2021"


def paper(**changes) -> Paper:
    """A typical journal article; tests change what they are about."""
    base = Paper(
        title=TITLE,
        authors=AUTHORS,
        affiliation="Department of Health Sciences, University of Oslo, Norway",
        abstract=prose("Abstract", 5),
        sections=[
            ("Introduction", [prose("Introduction-1", 9), prose("Introduction-2", 7)]),
            ("Methods", [prose("Methods-1", 12), prose("Methods-2", 10)]),
            ("Results", [prose("Results-1", 14), prose("Results-2", 12)]),
            ("Discussion", [prose("Discussion-1", 10)]),
        ],
        references=REFERENCES,
        first_page_lines=[f"https://doi.org/{DOI}", "© 2019 Informa UK Limited"],
        running_heads=("M. STRAND ET AL.", HEAD),
        footer=FOOTER,
    )
    return replace(base, **changes)


def read(tmp_path: Path, spec: Paper, name: str = "paper.pdf") -> Record:
    path = tmp_path / name
    path.write_bytes(make_paper(spec))
    records = pdf_records(path, path.read_bytes(), f"library/{name}")
    assert len(records) == 1
    return records[0]


def assert_clean(record: Record) -> None:
    """No page furniture, cover or reference text in the indexed body."""
    body = record.abstract
    for junk in ("Downloaded", "JOURNAL OF MENTAL HEALTH", "STRAND ET AL", "Davidson",
                 "Schizophrenia Bulletin", "sbj043", "References", "To cite this article",
                 "Terms & Conditions", "University Library"):  # fmt: skip
        assert junk not in body, junk
    assert not re.search(r"(?m)^\d+$", body)  # bare page numbers


def test_junk_info_falls_back_to_the_first_page_layout(tmp_path: Path):
    spec = paper(info={"/Title": "Microsoft Word - final_v3.docx", "/Author": "jsmith"})
    record = read(tmp_path, spec)
    assert record.title == TITLE
    assert record.authors == AUTHORS
    assert record.year == 2019
    assert record.doi == DOI
    assert record.venue == "Journal of Mental Health"
    assert (record.kind, record.path, record.origins) == (
        "pdf",
        "library/paper.pdf",
        ["library/paper.pdf"],
    )
    assert record.abstract.startswith("In Abstract sentence 0 the peer workers described")
    assert "Discussion-1 sentence 9" in record.abstract
    assert "University of Oslo" not in record.abstract  # front matter above the abstract
    assert_clean(record)


@pytest.mark.parametrize(
    "junk_title", ["untitled", "final_v3", "jmh-2019-0042.indd", "Layout 1", "Document1"]
)
def test_implausible_info_titles_are_not_used(tmp_path: Path, junk_title: str):
    spec = paper(info={"/Title": junk_title, "/Author": "Administrator"}, sections=[])
    record = read(tmp_path, spec)
    assert record.title == TITLE
    assert record.authors == AUTHORS


XMP_TITLE = "Hope as shared work: peer support workers in community mental health teams"


def test_superscript_affiliation_marks_are_not_part_of_names(tmp_path: Path):
    record = read(tmp_path, paper(author_marks=["1,2", "2*", "1,3"], sections=[]))
    assert record.authors == AUTHORS


def test_good_xmp_wins_over_the_layout(tmp_path: Path):
    xmp = xmp_packet(
        XMP_TITLE,
        ["Strand, Monica", "Gammon, Deede", "Schön, Ulla-Karin"],
        DOI,
        "Journal of Mental Health",
        "2019-06-01",
    )
    # The page itself prints no DOI and an online-first date only.
    spec = paper(
        xmp=xmp,
        info={"/Title": "Microsoft Word - final_v3.docx"},
        first_page_lines=["Published online: 12 December 2018"],
        running_heads=None,
    )
    record = read(tmp_path, spec)
    assert (
        record.title == "Hope as shared work: peer support workers in community mental health teams"
    )
    assert record.authors == ("Strand, Monica", "Gammon, Deede", "Schön, Ulla-Karin")
    assert record.doi == DOI
    assert record.venue == "Journal of Mental Health"
    assert record.year == 2019
    assert record.online_year == 2018


def test_plausible_info_fields_are_used(tmp_path: Path):
    spec = paper(
        info={
            "/Title": XMP_TITLE,
            # All three printed names (an Info list that is a part of the printed byline
            # is a word processor's account name, and loses to the byline).
            "/Author": "Strand, Monica; Gammon, Deede; Schön, Ulla-Karin",
            "/Subject": "Psychiatric Services, 70 (2020) 12-19. doi:10.1176/appi.ps.2020",
        },
        first_page_lines=[],
        running_heads=None,
    )
    record = read(tmp_path, spec)
    assert record.title == XMP_TITLE
    assert record.authors == ("Strand, Monica", "Gammon, Deede", "Schön, Ulla-Karin")
    assert record.doi == "10.1176/appi.ps.2020"
    assert record.venue == "Psychiatric Services"
    assert record.year == 2020


def test_stale_info_from_another_paper_is_not_trusted(tmp_path: Path):
    # A manuscript started from a colleague's file keeps that file's title and author.
    info = {"/Title": "Loneliness among older adults in rural Norway", "/Author": "Clio Berry"}
    record = read(tmp_path, paper(info=info, sections=[]))
    assert record.title == TITLE
    assert record.authors == AUTHORS


COVER = [
    "Journal of Mental Health",
    "ISSN: 0963-8237 (Print) 1360-0567 (Online) Journal homepage: https://example.org/ijmh",
    "Hope as shared work (cover copy of the title)",
    "To cite this article: Monica Strand, Deede Gammon & Ulla-Karin Schön (2019) Hope as "
    f"shared work, Journal of Mental Health, 28:3, 245-252, DOI: {DOI}",
    "Published online: 12 Dec 2018.",
    "Full Terms & Conditions of access and use can be found at https://example.org/terms",
]


def test_a_publisher_cover_page_is_dropped(tmp_path: Path):
    spec = paper(cover=COVER, first_page_lines=[], running_heads=None)
    record = read(tmp_path, spec)
    assert record.title == TITLE
    assert record.authors == AUTHORS
    assert record.doi == DOI  # found on the cover's citation line
    assert record.year == 2019
    assert "cover copy" not in record.abstract and "ISSN" not in record.abstract
    assert record.page_starts[0] == [0, 2]  # the article starts on the file's second page
    assert_clean(record)


def test_two_columns_read_in_column_order(tmp_path: Path):
    record = read(tmp_path, paper(columns=2))
    body = record.abstract
    markers = [
        "Introduction-1 sentence 0", "Introduction-2 sentence 6", "Methods-1 sentence 11",
        "Methods-2 sentence 9", "Results-1 sentence 13", "Results-2 sentence 11",
        "Discussion-1 sentence 9",
    ]  # fmt: skip
    positions = [body.index(m) for m in markers]
    assert positions == sorted(positions)
    # Every sentence survives whole, also those cut by a column or page break.
    for tag, n in [("Methods-1", 12), ("Results-1", 14), ("Results-2", 12)]:
        for sentence in re.findall(r"In .+?trust\.", prose(tag, n)):
            assert sentence in body
    assert record.title == TITLE and record.venue == "Journal of Mental Health"
    assert_clean(record)


def test_running_heads_footers_and_side_text_are_not_content(tmp_path: Path):
    side = "Downloaded by [Oslo University Library] at 10:12 03 May 2021"
    record = read(tmp_path, paper(side_text=side))
    assert_clean(record)
    assert "10:12" not in record.abstract and "Oslo" not in record.abstract
    assert record.year == 2019  # not the download stamp's 2021


def test_doi_and_copyright_in_the_first_page_footer_are_found(tmp_path: Path):
    footer = ["CONTACT Monica Strand monica.strand@example.org", "© 2019 Informa UK Limited",
              f"https://doi.org/{DOI}"]  # fmt: skip
    record = read(tmp_path, paper(first_page_lines=[], first_page_footer=footer))
    assert (record.doi, record.year) == (DOI, 2019)
    assert "CONTACT" not in record.abstract and "Informa" not in record.abstract


def test_references_are_not_content_and_their_dois_are_not_the_papers(tmp_path: Path):
    spec = paper(first_page_lines=[], sections=[("Introduction", [prose("Intro", 6)])])
    record = read(tmp_path, spec)
    assert record.doi is None
    assert record.abstract.endswith("shaped hope and trust.")
    assert_clean(record)


def test_aes_encrypted_pdf_with_empty_user_password_is_read(tmp_path: Path):
    record = read(tmp_path, paper(user_password=""))
    assert record.title == TITLE
    assert record.doi == DOI
    assert "Methods-2 sentence 3" in record.abstract


def test_password_protected_pdf_is_skipped_as_encrypted(tmp_path: Path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(make_paper(paper(user_password="s3cret")))
    with pytest.raises(SkipFile) as err:
        pdf_records(path, path.read_bytes(), "locked.pdf")
    assert err.value.reason == "encrypted (needs a password)"


def test_chunks_carry_the_page_they_start_on(tmp_path: Path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(make_paper(paper(cover=COVER, columns=2)))
    record = pdf_records(path, path.read_bytes(), "paper.pdf")[0]
    chunks = chunk_record(record, ChunkSettings(max_tokens=80), lambda s: len(s.split()), 10**6)
    layout = read_pdf_layout(path, path.read_bytes())
    page_text = [" ".join(ln["text"] for ln in p["lines"]) for p in layout["pages"]]
    assert len(chunks) > 5
    pages = [c.page for c in chunks]
    assert pages == sorted(pages) and pages[0] == 2 and pages[-1] == len(page_text)
    for chunk in chunks:
        opening = " ".join(chunk.text.split()[:6])
        assert chunk.page is not None
        assert opening in page_text[chunk.page - 1], (chunk.page, opening)


def test_records_without_pages_get_no_chunk_pages():
    record = Record(title="A title", abstract="Some text about peer support. " * 40)
    chunks = chunk_record(record, ChunkSettings(max_tokens=40), lambda s: len(s.split()), 10**6)
    assert chunks and all(c.page is None for c in chunks)


@pytest.mark.integration  # ingests and asks through the real index
def test_ingest_indexes_pdfs_and_skips_locked_ones(tmp_path: Path, capsys):
    from assistant.cli import main

    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "strand2019.pdf").write_bytes(make_paper(paper(cover=COVER, columns=2)))
    (folder / "locked.pdf").write_bytes(make_paper(paper(user_password="s3cret")))
    assert main(["ingest", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["skipped"] == [
        {"path": "library/locked.pdf", "reason": "encrypted (needs a password)"}
    ]
    assert main(["sources", "--json"]) == 0
    (source,) = json.loads(capsys.readouterr().out)
    assert (source["title"], source["doi"], source["year"]) == (TITLE, DOI, 2019)
    assert source["authors"] == list(AUTHORS) and source["path"] == "library/strand2019.pdf"
    assert source["venue"] == "Journal of Mental Health"
    # Answers say which page a passage is on: in JSON, and in the reference line.
    assert main(["ask", TITLE, "--no-llm", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["sources"] and all(s["page"] >= 2 for s in answer["sources"])  # 1: cover
    assert main(["ask", TITLE, "--no-llm"]) == 0
    assert f"p. {answer['sources'][0]['page']}" in capsys.readouterr().out


def test_a_publisher_masthead_page_yields_its_metadata_and_abstract(tmp_path: Path):
    spec = MastheadPaper(
        title_lines=["Recovery-oriented practice in acute psychiatric wards: a mixed-",
                     "methods evaluation of peer-led groups"],
        authors=[("Ingrid Hansen", "a,*"), ("Per Olav Nilsen", "b"), ("Sara Lindqvist", "a,c")],
        journal="Psychiatry Research",
        citation="Psychiatry Research 272 (2019) 123–130",
        info_lines=["Keywords:", "Peer support", "Article history:", "Received 3 March 2018",
                    "Accepted 2 January 2019", "Available online 4 January 2019"],
        footnotes=["* Corresponding author. E-mail address: ingrid.hansen@example.org",
                   "https://doi.org/10.1016/j.psychres.2019.01.004",
                   "0165-1781/ © 2019 Elsevier B.V. All rights reserved."],
        abstract=prose("Abstract", 6),
        body=[prose("Intro", 10), prose("Body", 10)],
        references=REFERENCES[:1],
    )  # fmt: skip
    path = tmp_path / "hansen.pdf"
    path.write_bytes(make_masthead_paper(spec))
    (record,) = pdf_records(path, path.read_bytes(), "hansen.pdf")
    assert record.title == (
        "Recovery-oriented practice in acute psychiatric wards: "
        "a mixed-methods evaluation of peer-led groups"
    )
    assert record.authors == ("Ingrid Hansen", "Per Olav Nilsen", "Sara Lindqvist")
    assert (record.year, record.online_year) == (2019, None)
    assert record.venue == "Psychiatry Research"
    assert record.doi == "10.1016/j.psychres.2019.01.004"
    assert record.abstract.startswith("In Abstract sentence 0")
    assert record.abstract.endswith("In Body sentence 9 the service users negotiated how "
                                    "shared lived experience shaped hope and trust.")  # fmt: skip
    for junk in ("ScienceDirect", "homepage", "ARTICLE INFO", "Keywords", "Received",
                 "Corresponding", "Elsevier", "Davidson"):  # fmt: skip
        assert junk not in record.abstract, junk


def test_open_access_head_with_citation_and_doi(tmp_path: Path):
    head = "Strand et al. BMC Psychiatry (2020) 20:311 https://doi.org/10.1186/s12888-020-02700-1"
    spec = paper(running_heads=(head, head), first_page_lines=[], footer=None)
    record = read(tmp_path, spec)
    assert record.venue == "BMC Psychiatry"
    assert (record.year, record.doi) == (2020, "10.1186/s12888-020-02700-1")
    assert "BMC" not in record.abstract and "Strand et al" not in record.abstract


def test_journal_masthead_in_large_type_is_not_the_title(tmp_path: Path):
    footer = "PLOS ONE | https://doi.org/10.1371/journal.pone.0212345 March 5, 2019"
    spec = paper(masthead="PLOS ONE", footer=footer, running_heads=None, first_page_lines=[])
    record = read(tmp_path, spec)
    assert record.title == TITLE
    assert (record.venue, record.year) == ("PLOS ONE", 2019)
    assert record.doi == "10.1371/journal.pone.0212345"
    assert "PLOS" not in record.abstract


def test_a_download_footer_date_is_not_the_publication_year(tmp_path: Path):
    footer = "Oslo University Library, downloaded 3 May 2021 at 10:12"
    record = read(tmp_path, paper(footer=footer, running_heads=None, first_page_lines=[]))
    assert record.year is None
    assert "Oslo University Library" not in record.abstract


@pytest.mark.integration  # ingests through the real index
def test_an_export_entry_and_its_pdf_are_one_record_listing_both_files(tmp_path: Path, capsys):
    import shutil

    from assistant.cli import main
    from tests.conftest import REPO

    folder = tmp_path / "library"
    folder.mkdir()
    shutil.copy(REPO / "tests" / "data" / "exports" / "library.ris", folder)
    title = "Social relationships as a decisive factor in recovering from severe mental illness"
    spec = paper(
        title=title,
        authors=["Ulla-Karin Schön", "Anne Denhov", "Alain Topor"],
        first_page_lines=["https://doi.org/10.1177/0020764008093686"],
    )
    (folder / "schon2009.pdf").write_bytes(make_paper(spec))
    assert main(["ingest", str(folder), "--json"]) == 0
    capsys.readouterr()
    assert main(["sources", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    (merged,) = [r for r in records if r["doi"] == "10.1177/0020764008093686"]
    assert merged["origins"] == ["library/library.ris", "library/schon2009.pdf"]
    assert merged["venue"] == "International Journal of Social Psychiatry"  # the export's
    assert merged["path"] == "library/schon2009.pdf"  # the text is the PDF's full text
