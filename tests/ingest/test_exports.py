"""Bibliographic exports: every fixture entry's exact metadata, and detection by content."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ingest.documents import records_from_file
from ingest.errors import SkipFile
from ingest.exports.common import abstract_text
from tests.conftest import REPO
from tests.ingest.pdfmaker import make_pdf
from vocab.record import Record

DATA = REPO / "tests" / "data" / "exports"
MAX = 20_000_000
FIELDS = ("title", "authors", "year", "online_year", "venue", "volume", "pages", "doi")
FIELDS += ("language", "keywords", "abstract")


def read(name: str, display: str | None = None, data: bytes | None = None) -> list[Record]:
    path = DATA / name
    return records_from_file(
        path, path.read_bytes() if data is None else data, display or name, MAX
    )


def meta(record: Record) -> dict:
    return {name: getattr(record, name) for name in FIELDS}


def entry(title, authors, year, venue, volume, pages, doi, abstract="", keywords=(), **more):
    out = dict(title=title, authors=tuple(authors), year=year, venue=venue, volume=volume)
    out |= dict(pages=pages, doi=doi, abstract=abstract, keywords=tuple(keywords))
    return {"online_year": None, "language": "en"} | out | more


SCHON = "Social relationships as a decisive factor in recovering from severe mental illness"
SCHON_NAMES = ["Schön, Ulla-Karin", "Denhov, Anne", "Topor, Alain"]
TOPOR = "Not just an individual journey: Social aspects of recovery"
TOPOR_NAMES = ["Topor, Alain", "Borg, Marit", "Di Girolamo, Sabrina", "Davidson, Larry"]
TOPOR_TEXT = (
    "Research on recovery has mostly pictured an inner, personal journey. This paper argues "
    "that recovery also takes place between people: in relationships, in material living "
    "conditions and in the wider community."
)
IJSP = "International Journal of Social Psychiatry"
DAVIDSON = (
    "Peer support among persons with severe mental illnesses: a review of evidence and experience"
)
DAVIDSON_NAMES = ["Davidson, Larry", "Bellamy, Chyrell", "Guy, Kimberly", "Miller, Rebecca"]
AKERBLOM = (
    "Managers as peer workers' allies: a qualitative study of managers' perceptions and "
    "actions to involve peer workers in Norwegian mental health and substance use services"
)
LLOYD = (
    "A systematic review and meta-analysis of randomised controlled trials of peer support "
    "for people with severe mental illness"
)
LLOYD_NAMES = [
    "Lloyd-Evans, Brynmor",
    "Mayo-Wilson, Evan",
    "Harrison, Bronwyn",
    "Istead, Hannah",
    "Brown, Ellie",
    "Pilling, Stephen",
    "Johnson, Sonia",
    "Kendall, Tim",
]
WHO = (
    "Guidance on community mental health services: "
    "promoting person-centred and rights-based approaches"
)


def test_ris_zotero_endnote_and_mendeley_flavours():
    records = read("library.ris", "lib/library.ris")
    assert [meta(r) for r in records] == [
        entry(
            SCHON,
            SCHON_NAMES,
            2009,
            IJSP,
            "55 (4)",
            "336-347",
            "10.1177/0020764008093686",
            "Recovery from severe mental illness is more and more described as a social "
            "process. Interviews with people who consider themselves recovered show how "
            "family, friends, fellow users and staff shaped that process. Being met as a "
            "person rather than a diagnosis, and having someone who stayed, mattered most.",
            ["recovery", "social relationships", "severe mental illness"],
        ),  # © line gone; Y2 (accessed 2024) is not the year
        entry(
            TOPOR,
            TOPOR_NAMES,
            2011,
            IJSP,
            "57 (1)",
            "90-99",
            "10.1177/0020764009345062",
            TOPOR_TEXT,
            ["recovery", "social factors", "community"],
            online_year=2009,
        ),  # EndNote: T1, JO, Y1 '2011///', N2 over three lines, a range in SP
        entry(
            DAVIDSON,
            DAVIDSON_NAMES,
            2012,
            "World Psychiatry",
            "11 (2)",
            "123-128",
            "10.1016/j.wpsyc.2012.05.009",
            keywords=["Peer support", "recovery", "mental health services"],
            language=None,
        ),  # Mendeley: JF, the DOI only in UR, no abstract (title-only)
    ]  # the fourth entry has neither title nor abstract
    for r in records:
        assert (r.kind, r.origins, r.path) == ("export", ["lib/library.ris"], "lib/library.ris")


def test_bibtex_better_bibtex_latex_and_entry_types():
    assert [meta(r) for r in read("library.bib")] == [
        entry(
            "Social Relationships as a Decisive Factor in Recovering from Severe Mental Illness",
            SCHON_NAMES,
            2009,
            IJSP,
            "55 (4)",
            "336-347",
            "10.1177/0020764008093686",
            "Recovery from severe mental illness is more and more described as a social "
            "process. People who consider themselves recovered describe family, friends "
            "and staff who stayed.",
            ["recovery", "severe mental illness", "social relationships"],
        ),  # Sch{\"o}n, @string journaltitle, biblatex date, urldate ignored, \textcopyright
        entry(
            "Design Opportunities for Mental Health Peer Support Technologies",
            [
                "O'Leary, Kathleen",
                "Bhattacharya, Arpita",
                "Munson, Sean A.",
                "Wobbrock, Jacob O.",
                "Pratt, Wanda",
            ],
            2017,
            "Proceedings of the 2017 ACM Conference on Computer Supported Cooperative Work "
            "and Social Computing",
            None,
            "1470-1484",
            "10.1145/2998181.2998349",
            "Peer support helps people live with mental illness, yet most online tools were "
            "built for other purposes. Interviews and design sessions with people who give "
            "and receive peer support point to chances for better tools: matching peers, "
            "guiding conversations and keeping people safe.",
            ["mental health", "peer support", "design"],
        ),  # {{protected}} words, booktitle as the venue
        entry(
            "A Review of the Literature on Peer Support in Mental Health Services",
            ["Repper, Julie", "Carter, Tim"],
            2011,
            "Journal of Mental Health",
            "20 (4)",
            "392-411",
            "10.3109/09638237.2011.583947",
            "Peer support workers are being employed in mental health services in many "
            "countries. This review summarises what trials and qualitative studies say about "
            "their impact on hope, empowerment and admissions & finds the evidence promising "
            "but uneven.",
        ),  # bare year = 2011, month macro, {\&}
        entry(
            "Personal Recovery and Mental Illness: A Guide for Mental Health Professionals",
            ["Slade, Mike"],
            2009,
            "Cambridge University Press",
            None,
            None,
            "10.1017/CBO9780511581649",
            language=None,
        ),  # @book without abstract: title-only
        entry(
            "Guidance on Community Mental Health Services: Promoting Person-Centred and "
            "Rights-Based Approaches",
            ["World Health Organization"],
            2021,
            "World Health Organization",
            None,
            None,
            None,
            language=None,
        ),
    ]  # @report with a braced corporate author


def test_medline_labelled_abstracts_continuations_and_epub_year():
    assert [meta(r) for r in read("pubmed.nbib")] == [
        entry(
            LLOYD,
            LLOYD_NAMES,
            2014,
            "BMC psychiatry",
            "14",
            "39",
            "10.1186/1471-244X-14-39",
            "BACKGROUND: Peer support is widely offered to people with severe mental illness, "
            "but trials of it have not been pooled.\nMETHODS: Randomised trials of peer "
            "support were searched for and combined by meta-analysis.\nRESULTS: Eighteen "
            "trials with 5597 participants were found; effects on admissions and overall "
            "symptoms were small or absent.\nCONCLUSIONS: Peer support needs better trials "
            "before it is recommended for hope or recovery.",
            ["peer support", "severe mental illness", "meta-analysis"],
        ),
        entry(
            "Not just an individual journey: social aspects of recovery",
            TOPOR_NAMES,
            2011,
            "The International journal of social psychiatry",
            "57 (1)",
            "90-99",
            "10.1177/0020764009345062",
            TOPOR_TEXT,
            online_year=2009,
        ),  # DP 2011 Jan is the issue; DEP 2009 the online-first date; CI kept out
        entry(
            DAVIDSON,
            DAVIDSON_NAMES,
            2012,
            "World psychiatry",
            "11 (2)",
            "123-128",
            "10.1016/j.wpsyc.2012.05.009",
        ),  # no AB: title-only; 'eng' declared
    ]


def test_csl_json_dates_names_and_keywords():
    assert [meta(r) for r in read("zotero.json")] == [
        entry(
            AKERBLOM,
            ["Åkerblom, Kristina Bakke", "Mohn-Haugen, Torbjørn", "Agdal, Rita", "Ness, Ottar"],
            2023,
            "International Journal of Mental Health Systems",
            "17",
            "8",
            "10.1186/s13033-023-00588-5",
            "Peer workers, people who have used mental health and substance use services, are "
            "now employed in those services. Four online focus groups with seventeen "
            "Norwegian managers explored how managers see and involve them. Managers valued "
            "peer workers as partners in reshaping services and as bridges to service users.",
            ["Peer workers", "Management", "Co-creation"],
        ),  # 'accessed' 2024 is not the year; date-parts as strings
        entry(
            TOPOR,
            TOPOR_NAMES,
            2011,
            IJSP,
            "57 (1)",
            "90-99",
            "10.1177/0020764009345062",
            online_year=2009,
            language=None,
        ),  # non-dropping particle "Di"; available-date = online first
        entry(
            WHO,
            ["World Health Organization"],
            2021,
            "World Health Organization",
            None,
            None,
            None,
            language=None,
        ),  # literal name, raw date
    ]


def test_web_of_science_cited_dois_are_not_the_papers():
    records = read("savedrecs.txt")
    assert [meta(r) for r in records] == [
        entry(
            "Social Relationships as a Decisive Factor in Recovering From Severe Mental Illness",
            ["Schon, Ulla-Karin", "Denhov, Anne", "Topor, Alain"],
            2009,
            IJSP,
            "55 (4)",
            "336-347",
            "10.1177/0020764008093686",
            "Recovery from severe mental illness is more and more described as a social "
            "process. People who consider themselves recovered describe family, friends and "
            "staff who stayed.",
            ["recovery", "social relationships", "severe mental illness", "qualitative research"],
        ),
        entry(
            TOPOR,
            TOPOR_NAMES,
            2011,
            IJSP,
            "57 (1)",
            "90-99",
            None,
            "Research on recovery has mostly pictured an inner, personal journey. This paper "
            "argues that recovery also takes place between people.",
            ["MENTAL-ILLNESS", "PEER SUPPORT"],
            online_year=2009,
        ),  # no DI: the DOIs in CR are other papers'; "(C) The Author(s)" cut; EA year
        entry(
            AKERBLOM,
            ["Akerblom, Kristina Bakke", "Mohn-Haugen, Torbjorn", "Agdal, Rita", "Ness, Ottar"],
            2023,
            "International Journal of Mental Health Systems",
            "17",
            "8",
            "10.1186/s13033-023-00588-5",
            keywords=["Peer workers", "Management", "Co-creation"],
        ),  # article number for pages; no abstract
    ]


def test_scopus_csv_references_and_copyright():
    assert [meta(r) for r in read("scopus.csv")] == [
        entry(
            LLOYD,
            LLOYD_NAMES,
            2014,
            "BMC Psychiatry",
            "14 (1)",
            "39",
            "10.1186/1471-244X-14-39",
            "Background: Peer support is widely offered to people with severe mental illness, "
            "but trials of it have not been pooled. Methods: Randomised trials were combined "
            "by meta-analysis. Results: Effects on admissions and symptoms were small or "
            "absent.",
            ["Peer support", "Severe mental illness", "Meta-analysis"],
        ),
        entry(
            "Peer support services for individuals with serious mental illnesses: Assessing "
            "the evidence",
            [
                "Chinman, M.",
                "George, P.",
                "Dougherty, R.H.",
                "Daniels, A.S.",
                "Ghose, S.S.",
                "Swift, A.",
                "Delphin-Rittmon, M.E.",
            ],
            2014,
            "Psychiatric Services",
            "65 (4)",
            "429-441",
            "10.1176/appi.ps.201300244",
            "Objective: This review rates the evidence for peer support services for adults "
            "with serious mental illness. Results: Findings on hope, empowerment and service "
            "use were mixed but mostly positive.",
        ),  # short author form only; "Copyright ©" notice cut
        entry(
            "Peer support: A theoretical perspective",
            ["Mead, Shery", "Hilton, David", "Curtis, Laurie"],
            2001,
            "Psychiatric Rehabilitation Journal",
            "25 (2)",
            "134-141",
            "10.1037/h0095032",
        ),  # [No abstract available]: title-only, language as declared
    ]


# --- detection by content ---------------------------------------------------------------


def test_txt_is_sniffed_never_named(tmp_path: Path):
    wos = tmp_path / "pubmed_result.txt"  # a misleading name: the content decides
    wos.write_bytes((DATA / "savedrecs.txt").read_bytes())
    assert [r.venue for r in records_from_file(wos, wos.read_bytes(), "w.txt", MAX)][:1] == [
        "International Journal of Social Psychiatry"
    ]
    nbib = (DATA / "pubmed.nbib").read_bytes()
    as_txt = records_from_file(tmp_path / "savedrecs.txt", nbib, "m.txt", MAX)
    assert [r.kind for r in as_txt] == ["export"] * 3 and as_txt[0].venue == "BMC psychiatry"
    ris = records_from_file(tmp_path / "x.txt", (DATA / "library.ris").read_bytes(), "r", MAX)
    assert len(ris) == 3


def test_plain_text_still_reads_as_a_page():
    text = (
        "PT boat crews in the second world war were studied for decades after. "
        "This essay follows their letters home and what they said about comradeship."
    )
    (record,) = records_from_file(Path("notes.txt"), text.encode(), "notes.txt", MAX)
    assert (record.kind, record.origins, record.abstract) == ("page", ["notes.txt"], text)


def test_pdf_keeps_todays_path_with_its_kind(tmp_path: Path):
    text = "Peer workers in Norwegian services were interviewed about their first year at work."
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(make_pdf([text]))
    (record,) = records_from_file(pdf, pdf.read_bytes(), "papers/paper.pdf", MAX)
    assert (record.kind, record.origins, record.path) == (
        "pdf",
        ["papers/paper.pdf"],
        "papers/paper.pdf",
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("data.json", b'{"rows": [1, 2, 3]}', "JSON that is not a CSL-JSON bibliography"),
        ("data.json", b"{not json", "JSON that is not a CSL-JSON bibliography"),
        ("table.csv", b"name,score\nann,3\n", "CSV without the columns of a Scopus export"),
        ("empty.ris", b"Provider: nobody\n\nno entries here\n", "RIS export with no entry"),
        ("empty.bib", b"@comment{nothing}\n@article{x, year = 2001}\n", "BibTeX export with"),
        ("blank.nbib", b"PMID- 1\nOWN - NLM\n", "MEDLINE export with no entry"),
    ],
)
def test_exports_that_yield_nothing_are_skipped_with_a_reason(name, content, reason):
    with pytest.raises(SkipFile) as err:
        records_from_file(Path(name), content, name, MAX)
    assert err.value.reason.startswith(reason)


def test_utf16_and_windows_1252_exports_decode():
    text = (DATA / "library.ris").read_bytes().decode("utf-8-sig")
    utf16 = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    assert [r.authors[0] for r in read("library.ris", data=utf16)][0] == "Schön, Ulla-Karin"
    cp1252 = text.encode("cp1252")
    assert read("library.ris", data=cp1252)[0].authors[0] == "Schön, Ulla-Karin"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Findings held. © 2020 Elsevier Ltd. All rights reserved.", "Findings held."),
        ("Findings held. Copyright © 2019 John Wiley & Sons, Ltd.", "Findings held."),
        ("Findings held. (C) 2020 The Authors.", "Findings held."),
        ("The © symbol in 2020 text stays when mid-sentence.", None),
        ("[No abstract available]", ""),
    ],
)
def test_copyright_notices_end_abstracts(given, kept):
    assert abstract_text(given) == (given if kept is None else kept)


def test_ris_with_one_space_tags_still_parses():
    text = "TY - JOUR\nTI - Peer support in rural mental health care\nAU - Doe, Jane\nER - \n"
    for name in ("loose.ris", "loose.txt"):
        (record,) = records_from_file(Path(name), text.encode(), name, MAX)
        assert (record.title, record.authors) == (
            "Peer support in rural mental health care",
            ("Doe, Jane",),
        )


@pytest.mark.parametrize(
    "name",
    ["x.ris", "x.bib", "x.nbib", "x.json", "x.csv", "x.ciw"],
)
@pytest.mark.parametrize(
    "content",
    [
        b"@article{a, title = {unclosed",
        b'[{"type": 3, "title": {"x": 1}, "author": "nobody", "issued": [1]}]',
        b'"Title","Authors","DOI"\n"unterminated',
        b"TY  - JOUR\nER  -\n" * 3,
        "PMID- 1\nTI  - \u00e9\u0000".encode(),
    ],
)
def test_malformed_exports_give_records_or_a_reason(name, content):
    try:
        records = records_from_file(Path(name), content, name, MAX)
    except SkipFile as skip:
        assert skip.reason and "\n" not in skip.reason
    else:
        assert all(r.title or r.abstract for r in records)


def test_a_ris_file_cut_short_keeps_its_last_entry():
    text = "TY  - JOUR\nTI  - Peer work in practice\nER  - \nTY  - JOUR\nTI  - Cut short here\n"
    records = records_from_file(Path("cut.ris"), text.encode(), "cut.ris", MAX)
    assert [r.title for r in records] == ["Peer work in practice", "Cut short here"]


@pytest.mark.parametrize("authors", ["Schön U.-K.; Denhov A.", "Schön, U.-K., Denhov, A."])
def test_scopus_short_author_forms(authors):
    row = f'"Authors","Title","Year","Source title"\n"{authors}","Peer work in practice","2020","J"'
    (record,) = records_from_file(Path("s.csv"), row.encode(), "s.csv", MAX)
    assert record.authors == ("Schön, U.-K.", "Denhov, A.")


def test_bibtex_entries_with_a_repeated_key_are_both_kept():
    text = (
        "@article{same, title = {Peer work in practice}, year = 2001}\n"
        '@article{same, title = "Peer work in theory", author = "Doe, Jane and Roe, Rick"}\n'
    )
    records = records_from_file(Path("dup.bib"), text.encode(), "dup.bib", MAX)
    assert [(r.title, r.authors) for r in records] == [
        ("Peer work in practice", ()),
        ("Peer work in theory", ("Doe, Jane", "Roe, Rick")),
    ]


@pytest.mark.integration  # ingests through the real index
def test_a_malformed_bibtex_entry_is_passed_over_and_reported(tmp_path, capsys):
    import json

    from assistant.cli import main

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "refs.bib").write_text(
        "@article{good1,\n  title = {Peer support in recovery colleges},\n"
        "  author = {Strand, Monica},\n  year = {2019},\n  abstract = {Peer support helped.}\n}\n\n"
        "@article{broken,\n  title = {Half an entry\n\n"
        "@article{good2,\n  title = {Hope and recovery in community teams},\n"
        "  author = {Berry, Clio},\n  year = {2020}\n}\n",
        encoding="utf-8",
    )
    records = records_from_file(folder / "refs.bib", (folder / "refs.bib").read_bytes(), "r", MAX)
    assert records.notes == ["1 malformed BibTeX entry passed over (line 8)"]
    assert main(["ingest", str(folder), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["notes"] == [
        {"path": "lib/refs.bib", "note": "1 malformed BibTeX entry passed over (line 8)"}
    ]
    assert "WARNING" not in err  # the parser's own log lines never reach the terminal
