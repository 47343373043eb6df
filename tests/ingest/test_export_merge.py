"""The same paper across files is one record; re-ingesting an export stays incremental."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.core import Index
from index.embedder import MiniLMEmbedder
from ingest.chunking import ChunkSettings
from ingest.documents import records_from_file
from ingest.pipeline import run_ingest
from ingest.records import merge_records
from tests.conftest import model_dir
from tests.ingest.test_exports import DATA, MAX, TOPOR_TEXT
from vocab.record import Record

FILES = ["library.ris", "library.bib", "pubmed.nbib", "zotero.json", "savedrecs.txt", "scopus.csv"]


def every_export() -> list[Record]:
    out: list[Record] = []
    for name in FILES:
        path = DATA / name
        out += records_from_file(path, path.read_bytes(), f"lib/{name}", MAX)
    return out


def by_doi(records: list[Record], doi: str) -> list[Record]:
    return [r for r in records if (r.doi or "").lower() == doi]


def test_six_exports_merge_into_one_record_per_paper():
    merged = merge_records(every_export())
    titles = sorted((r.title or "").casefold()[:40] for r in merged)
    assert len(titles) == len(set(titles)) == 11  # each paper once
    (topor,) = [r for r in merged if (r.title or "").startswith("Not just an individual")]
    # WoS has no DOI for it: matched by title + first author + year, with the other three.
    assert topor.origins == [
        "lib/library.ris",
        "lib/pubmed.nbib",
        "lib/savedrecs.txt",
        "lib/zotero.json",
    ]
    assert (topor.doi, topor.year, topor.online_year) == ("10.1177/0020764009345062", 2011, 2009)
    assert topor.abstract == TOPOR_TEXT and topor.path in ("lib/library.ris", "lib/pubmed.nbib")
    (schon,) = by_doi(merged, "10.1177/0020764008093686")
    assert schon.authors == ("Schön, Ulla-Karin", "Denhov, Anne", "Topor, Alain")
    assert schon.origins == ["lib/library.bib", "lib/library.ris", "lib/savedrecs.txt"]
    (akerblom,) = by_doi(merged, "10.1186/s13033-023-00588-5")
    assert akerblom.authors[0] == "Åkerblom, Kristina Bakke"  # the accented spelling wins
    (who,) = [r for r in merged if r.authors == ("World Health Organization",)]
    assert who.origins == ["lib/library.bib", "lib/zotero.json"] and who.year == 2021


def test_export_metadata_with_a_pdf_text_and_its_pages():
    export = Record(
        title="Social relationships as a decisive factor in recovering from severe mental illness",
        authors=["Schön, Ulla-Karin", "Denhov, Anne"],
        year=2009,
        venue="International Journal of Social Psychiatry",
        volume="55 (4)",
        abstract="A short abstract of the paper.",
        kind="export",
        path="lib/library.ris",
        origins=["lib/library.ris"],
    )
    full_text = "Introduction. " + "Recovery happens among people. " * 40
    pdf = Record(
        title="SOCIAL RELATIONSHIPS AS A DECISIVE FACTOR IN RECOVERING FROM SEVERE MENTAL ILLNESS",
        authors=["Ulla-Karin Schon", "Anne Denhov"],  # read off the first page, accents lost
        year=2009,
        venue="Int J Soc Psychiatry",
        abstract=full_text,
        page_starts=[[0, 336], [620, 337]],
        kind="pdf",
        path="papers/schon.pdf",
        origins=["papers/schon.pdf"],
    )
    page = Record(
        title=export.title, authors=["Schon, UK"], year=2009, venue="Scraped", kind="page"
    )
    (merged,) = merge_records([pdf, page, export])
    assert (merged.title, merged.authors, merged.venue, merged.volume) == (
        export.title,
        export.authors,
        export.venue,
        "55 (4)",
    )
    assert (merged.abstract, merged.page_starts, merged.path) == (
        full_text,
        [[0, 336], [620, 337]],
        "papers/schon.pdf",
    )
    assert merged.origins == ["lib/library.ris", "papers/schon.pdf"] and merged.kind == "export"


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (dict(authors=["Schon, UK"], year=2009), True),  # initials, accents lost
        (dict(authors=["Ulla-Karin Schön"], year=2008, online_year=2009), True),  # online first
        (dict(authors=[], year=None), True),  # nothing contradicts
        (dict(authors=["Berg, Åsa"], year=2009), False),  # another first author
        (dict(authors=["Schön, Ulla-Karin"], year=2015), False),  # another year
        (dict(authors=["Schön, U."], year=2010), True),  # a year apart, same first author
        (dict(authors=[], year=2010), False),  # a year apart and nothing else to go on
    ],
)
def test_title_matches_need_first_author_and_year_to_agree(other, same):
    title = "Social relationships as a decisive factor in recovering from severe mental illness"
    a = Record(title=title, authors=["Schön, Ulla-Karin"], year=2009, kind="export")
    b = Record(title=title.upper(), kind="export", **other)
    assert len(merge_records([a, b])) == (1 if same else 2)


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(model_dir())


def test_reingest_embeds_only_the_edited_entry(tmp_path: Path, embedder):
    library = tmp_path / "library"
    library.mkdir()
    for name in ("library.ris", "pubmed.nbib"):
        shutil.copy(DATA / name, library)

    def ingest():
        index = Index(tmp_path / "home")
        try:
            return run_ingest([library], index, embedder, ChunkSettings(), MAX)
        finally:
            index.close()

    first = ingest()
    assert first.records == 4 and first.skipped == []  # Topor and Davidson are in both files
    again = ingest()
    assert (again.embedded, again.unchanged) == (0, 2)
    ris = library / "library.ris"
    ris.write_bytes(ris.read_bytes().replace(b"fellow users and staff", b"peers and staff"))
    edited = ingest()
    assert (edited.updated, edited.records_updated, edited.records_added) == (1, 1, 0)
    assert 0 < edited.embedded < first.embedded
    reader = Index(tmp_path / "home").reader()
    assert reader is not None
    texts = "\n".join(c.text for c in reader.all_chunks())
    assert "peers and staff" in texts and "fellow users" not in texts
