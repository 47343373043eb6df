"""No record is ever lost to identity: records the merge keeps apart never share an id, and a
file that merely claims a paper's DOI never replaces that paper."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.core import Index
from index.embedder import MiniLMEmbedder
from ingest.chunking import ChunkSettings
from ingest.merge import merge_groups, merge_records
from ingest.pipeline import run_ingest
from tests.conftest import model_dir
from vocab.record import Record

TITLES = ["Editorial", "Book reviews", "Peer support in mental health care", "Introduction"]
AUTHORS = [[], ["Strand, Monica"], ["Berry, Clio"], ["Strand, M."]]
YEARS = [None, 2018, 2019, 2021]
DOIS = [None, "10.1000/a", "10.1000/b"]
VENUES = [None, "BMJ", "Lancet"]
KINDS = ["export", "pdf", "page"]

record_strategy = st.builds(
    lambda title, authors, year, doi, venue, kind, text, n: Record(
        title=title,
        authors=list(authors),
        year=year,
        doi=doi,
        venue=venue,
        kind=kind,
        abstract=text,
        path=f"file{n}.{kind}",
        origins=[f"file{n}.{kind}"],
    ),
    st.sampled_from(TITLES),
    st.sampled_from(AUTHORS),
    st.sampled_from(YEARS),
    st.sampled_from(DOIS),
    st.sampled_from(VENUES),
    st.sampled_from(KINDS),
    st.sampled_from(["", "Some text about peer support.", "Another text entirely."]),
    st.integers(0, 5),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(record_strategy, min_size=1, max_size=8))
def test_merged_records_never_share_an_id(records):
    merged = merge_groups(records)
    ids = [m.record_id for m, _ in merged]
    assert len(ids) == len(set(ids))
    # Every input record is in exactly one merged record.
    assert sorted(i for _, members in merged for i in members) == list(range(len(records)))


@settings(max_examples=100, deadline=None)
@given(st.lists(record_strategy, min_size=2, max_size=6), st.randoms())
def test_ids_do_not_depend_on_input_order(records, rnd):
    first = sorted(
        m.record_id for m in merge_records([Record.from_dict(r.to_dict()) for r in records])
    )
    shuffled = [Record.from_dict(r.to_dict()) for r in records]
    rnd.shuffle(shuffled)
    assert sorted(m.record_id for m in merge_records(shuffled)) == first


def test_two_editorials_of_different_journals_are_two_records():
    a = Record(title="Editorial", venue="BMJ", year=2019, kind="export", path="a.ris")
    b = Record(title="Editorial", venue="Lancet", year=2019, kind="export", path="a.ris")
    merged = merge_records([a, b])
    assert len(merged) == 2 and merged[0].record_id != merged[1].record_id


def test_a_lone_record_keeps_its_plain_id():
    rec = Record(title="Peer support in mental health care", doi="10.1/x", kind="export")
    (merged,) = merge_records([rec])
    assert merged.record_id == Record(doi="10.1/x").record_id and not merged.id_key


def test_a_page_claiming_a_papers_doi_does_not_replace_it():
    paper = Record(
        title="Service users experience of peer support in Swedish mental health care",
        authors=["Rosenberg, David"],
        year=2018,
        doi="10.1000/peer",
        kind="pdf",
        abstract="Peer support ... " * 50,
        path="paper.pdf",
    )
    claim = Record(
        title="Cheap watches online",
        authors=["Spammer, A."],
        year=2024,
        doi="10.1000/peer",
        kind="page",
        abstract="Buy now. " * 200,
        path="claim.html",
    )
    merged = merge_records([claim, paper])
    assert len(merged) == 2
    real = next(m for m in merged if m.path == "paper.pdf")
    assert real.title == paper.title and real.authors == paper.authors and real.year == 2018
    assert real.abstract == paper.abstract
    # The stronger record keeps the id the DOI gives; the claim gets one of its own.
    assert real.record_id == Record(doi="10.1000/peer").record_id
    assert len({m.record_id for m in merged}) == 2


def test_a_pdf_with_a_misread_title_still_joins_its_export_by_doi():
    export = Record(
        title="Peer support in mental health care", doi="10.1/x", kind="export", path="l.ris"
    )
    pdf = Record(
        title="Research Article",
        doi="10.1/x",
        kind="pdf",
        abstract="Research Article Peer support in mental health care. Background ...",
        path="p.pdf",
    )
    (merged,) = merge_records([export, pdf])
    assert merged.title == export.title and merged.path == "p.pdf"


def test_a_weaker_source_never_replaces_a_pdfs_text():
    pdf = Record(
        title="Peer support in mental health care",
        doi="10.1/x",
        kind="pdf",
        abstract="The full text. " * 100,
        path="p.pdf",
    )
    page = Record(
        title="Peer support in mental health care",
        doi="10.1/x",
        kind="page",
        abstract="Forged text. " * 400,
        path="x.html",
    )
    (merged,) = merge_records([page, pdf])
    assert merged.abstract == pdf.abstract and merged.path == "p.pdf"


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(model_dir())


def test_ingest_keeps_a_claimed_doi_apart_and_says_so(tmp_path, embedder):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "library.ris").write_text(
        "TY  - JOUR\nTI  - Service users experience of peer support in Swedish mental health"
        " care\nAU  - Rosenberg, David\nPY  - 2018\nDO  - 10.1000/peer\n"
        "AB  - Peer support is a tipping point in the care-giving culture of services.\nER  - \n"
    )
    (folder / "claim.html").write_text(
        '<html><head><meta name="citation_title" content="Cheap watches online">'
        '<meta name="citation_doi" content="10.1000/peer"></head>'
        "<body><p>" + "Buy watches now at a discount from our shop. " * 10 + "</p></body></html>"
    )
    index = Index(tmp_path / "home")
    try:
        report = run_ingest([folder], index, embedder, ChunkSettings(), 10**7)
    finally:
        index.close()
    assert report.records == 2
    notes = [n["note"] for n in report.notes]
    assert any("DOI 10.1000/peer is claimed twice" in n for n in notes)
