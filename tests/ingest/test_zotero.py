"""A Zotero data directory ingested directly: exact metadata per item, its attachments' text,
collections, whatever lock a running Zotero holds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from index.core import Index
from index.embedder import MiniLMEmbedder
from ingest.chunking import ChunkSettings
from ingest.documents import records_from_file
from ingest.merge import merge_records
from ingest.pipeline import run_ingest
from ingest.readers import scan
from tests.conftest import model_dir
from tests.ingest.paperpdf import Paper, make_paper
from tests.ingest.zoterolib import Item, make_library
from vocab.record import Record

MAX = 20_000_000
BODY = [
    "Peer workers bring lived experience of recovery into mental health services. " * 6,
    "Managers described how they protected the peer role from being absorbed. " * 6,
]


SNAPSHOT = (
    "<html><head><title>Recovery-oriented practice</title></head><body><h1>Recovery-oriented"
    " practice</h1><p>"
    + "Recovery-oriented practice supports people to build a meaningful life. " * 8
    + "</p></body></html>"
).encode()


def pdf_bytes(extra: str = "") -> bytes:
    # The PDF's own layout says little: a generic heading where the title should be.
    return make_paper(
        Paper(
            title="Original Research",
            authors=[],
            abstract="Background: peer workers are employed in services. " * 4,
            sections=[("Introduction", BODY), ("Methods", BODY + [extra] if extra else BODY)],
        )
    )


def items() -> list[Item]:
    return [
        Item(
            "AAAA1111",
            "journalArticle",
            {
                "title": "Managers as peer workers' allies",
                "date": "2023-07-00 July 2023",
                "publicationTitle": "International Journal of Mental Health Systems",
                "volume": "17",
                "issue": "1",
                "pages": "23",
                "DOI": "10.1186/s13033-023-00588-5",
                "abstractNote": "Peer workers' proximity to service users is valued.",
            },
            [("Åkerblom", "Kristina Bakke", "author"), ("Ness", "Ottar", "author")],
            collections=["Methods"],
            tags=["peer support", "management"],
            files={"PDFKEY01/Akerblom - 2023.pdf": pdf_bytes()},
            note="<p>my reading note</p>",
        ),
        Item(
            "BBBB2222",
            "bookSection",
            {
                "title": "Recovery-oriented practice",
                "date": "2015",
                "bookTitle": "Handbook of recovery",
                "extra": "DOI: 10.4324/9781315678733-3\nCitation Key: slade2015",
            },
            [("Slade", "Mike", "editor"), ("World Health Organization", "", "contributor")],
            collections=["Thesis"],
            files={"HTMLKEY2/snapshot.html": SNAPSHOT},
        ),
        Item(
            "CCCC3333",
            "conferencePaper",
            {"title": "Editorial", "date": "2019", "proceedingsTitle": "Proc. A"},
            [("Berry", "Clio", "author")],
        ),
        Item(
            "DDDD4444",
            "conferencePaper",
            {"title": "Editorial", "date": "2019", "proceedingsTitle": "Proc. B"},
            [("Berry", "Clio", "author")],
        ),
        Item("EEEE5555", "journalArticle", {"title": "In the trash"}, deleted=True),
    ]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return make_library(tmp_path / "Zotero", items(), nested={"Methods": "Thesis"})


def library_records(library: Path) -> list[Record]:
    db = library / "zotero.sqlite"
    return list(records_from_file(db, db.read_bytes(), "Zotero/zotero.sqlite", MAX))


def test_every_item_with_its_exact_metadata(library):
    found = library_records(library)
    assert len(found) == 4  # two "Editorial"s, no note, attachment or trashed item
    records = {r.title: r for r in found}
    article = records["Managers as peer workers' allies"]
    assert article.kind == "library"
    assert article.authors == ("Åkerblom, Kristina Bakke", "Ness, Ottar")
    assert (article.year, article.venue, article.volume, article.pages) == (
        2023,
        "International Journal of Mental Health Systems",
        "17 (1)",
        "23",
    )
    assert article.doi == "10.1186/s13033-023-00588-5"
    assert article.collections == ["Thesis/Methods"]  # filed in Methods, inside Thesis
    assert article.keywords == ("management", "peer support")
    assert article.attachments == ["Zotero/storage/PDFKEY01/Akerblom - 2023.pdf"]
    chapter = records["Recovery-oriented practice"]
    assert chapter.authors == ("Slade, Mike", "World Health Organization")  # no author: editors
    assert chapter.doi == "10.4324/9781315678733-3" and chapter.venue == "Handbook of recovery"


def test_the_scanner_reads_the_database_and_storage_only(library):
    shown = {f.display: f.skip for f in scan([library])}
    assert shown == {
        "Zotero/zotero.sqlite": None,
        "Zotero/storage/PDFKEY01/Akerblom - 2023.pdf": None,
        "Zotero/storage/HTMLKEY2/snapshot.html": None,
    }


def test_an_item_and_its_pdf_are_one_record(library):
    pdf = library / "storage/PDFKEY01/Akerblom - 2023.pdf"
    shown = "Zotero/storage/PDFKEY01/Akerblom - 2023.pdf"
    from_pdf = records_from_file(pdf, pdf.read_bytes(), shown, MAX)
    merged = merge_records(library_records(library) + list(from_pdf))
    assert len(merged) == 4 and len({m.record_id for m in merged}) == 4
    (article,) = [m for m in merged if m.doi == "10.1186/s13033-023-00588-5"]
    assert article.title == "Managers as peer workers' allies"
    assert article.authors[0] == "Åkerblom, Kristina Bakke"
    assert "Managers described how they protected" in article.abstract
    assert article.path == shown and article.page_starts  # cited by the PDF, with pages
    assert article.origins == sorted([shown, "Zotero/zotero.sqlite"])


def test_a_running_zotero_holding_its_lock_does_not_matter(library):
    holder = sqlite3.connect(library / "zotero.sqlite")
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert len(library_records(library)) == 4
    finally:
        holder.rollback()
        holder.close()


def test_a_database_that_is_not_zoteros_is_skipped(tmp_path):
    db_path = tmp_path / "zotero.sqlite"
    sqlite3.connect(db_path).execute("CREATE TABLE t (x)").connection.commit()
    from ingest.errors import SkipFile

    with pytest.raises(SkipFile, match="not a Zotero database"):
        records_from_file(db_path, db_path.read_bytes(), "zotero.sqlite", MAX)


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(model_dir())


def test_ingesting_the_data_directory(library, tmp_path, embedder):
    def ingest():
        index = Index(tmp_path / "home")
        try:
            return run_ingest([library], index, embedder, ChunkSettings(), MAX)
        finally:
            index.close()

    first = ingest()
    assert first.skipped == [] and first.files_seen == 3
    assert first.records == 4  # one per item: the PDF and the snapshot joined their items
    again = ingest()
    assert (again.embedded, again.unchanged, again.records) == (0, 3, 4)
    # A new PDF for the item (Zotero replaced the file): its record is updated, not doubled.
    pdf = library / "storage/PDFKEY01/Akerblom - 2023.pdf"
    pdf.write_bytes(pdf_bytes("Annotated later by the reader with a new closing paragraph."))
    edited = ingest()
    assert (edited.updated, edited.records, edited.records_added) == (1, 4, 0)
    reader = Index(tmp_path / "home").reader()
    assert reader is not None
    texts = "\n".join(c.text for c in reader.all_chunks())
    assert "a new closing paragraph" in texts and "Managers described" in texts
