"""Metadata fields and body text of PDFs, checked on laid-out lines without a PDF."""

from __future__ import annotations

import pytest

from ingest.pdf import record_from_layout
from ingest.pdffront import find_venue, find_year
from ingest.pdfmeta import parse_names, plausible_title
from ingest.pdfpages import Line, Page, assemble_body


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Monica Strand1,2, Deede Gammon2 & Ulla-Karin Schön1,3*",
         ["Monica Strand", "Deede Gammon", "Ulla-Karin Schön"]),
        ("Strand, M.; Gammon, D.", ["Strand, M.", "Gammon, D."]),
        ("MONICA STRAND AND DEEDE GAMMON", ["Monica Strand", "Deede Gammon"]),
        ("Jane Doe, PhD, John Roe, MD", ["Jane Doe", "John Roe"]),
        ("Anne-Marie van der Berg and José García-López",
         ["Anne-Marie van der Berg", "José García-López"]),
        ("jsmith", None),
        ("Administrator", None),
        ("Department of Psychology, University of Oslo", None),
        ("X Desktop Group (http://www.example.org)", None),
    ],
)  # fmt: skip
def test_bylines_parse_into_names_or_nothing(byline: str, names: list[str] | None):
    assert parse_names(byline) == names


@pytest.mark.parametrize(
    ("title", "ok"),
    [
        ("Microsoft Word - final_v3.docx", False), ("untitled", False), ("Layout 1", False),
        ("Document1", False), ("jmh-2019-0042.indd", False),
        ("PII: S0165-1781(19)30123-4", False),
        ("Peer support at the margins of care", True), ("COVID-19 and peer work", True),
    ],
)  # fmt: skip
def test_embedded_titles_are_checked(title: str, ok: bool):
    assert plausible_title(title) is ok


@pytest.mark.parametrize(
    ("heads", "venue"),
    [
        (["Strand et al. BMC Psychiatry (2019) 19:123 https://doi.org/10.1186/s12888-019-2"],
         "BMC Psychiatry"),
        (["Psychiatric Rehabilitation Journal © 2019 American Psychological Association "
          "2019, Vol. 42, No. 3, 245–252"], "Psychiatric Rehabilitation Journal"),
        (["Contents lists available at ScienceDirect",
          "journal homepage: www.elsevier.com/locate/psychres",
          "Psychiatry Research 272 (2019) 123–130"], "Psychiatry Research"),
        (["M. STRAND ET AL.", "JOURNAL OF MENTAL HEALTH 247"], "Journal of Mental Health"),
        (["Peer support in teams", "M. Strand"], None),  # a running title and an author
    ],
)  # fmt: skip
def test_the_journal_is_read_from_running_heads(heads: list[str], venue: str | None):
    assert find_venue(heads, "Peer support in teams: a study", ["Monica Strand"]) == venue


def test_issue_year_wins_over_received_and_online_dates():
    heads = ["Psychiatry Research 272 (2019) 123–130"]
    lines = ["Received 3 March 2018; Accepted 2 January 2019", "Available online 28 December 2018"]
    assert find_year(heads, lines) == (2019, 2018)
    assert find_year([], lines) == (2018, 2018)  # online-first is all the page says


def test_years_in_running_text_are_not_publication_years():
    lines = [
        "Peer work was first published in 1998, vol. 3 of the series, and at 10:30 in 2004",
        "Accepted wisdom since 2001 holds that hope matters.",
    ]
    assert find_year([], lines) == (None, None)


def test_paragraphs_cut_by_a_page_break_are_joined_and_pages_mapped():
    def line(text: str, box: int) -> Line:
        return Line(text, text, 10, 50, 400, 300, 410, box, False)

    pages = [
        Page(1, 600, 800, [line("Peer workers spoke of recov-", 0), line("ery and of", 0)]),
        Page(2, 600, 800, [line("hope in their teams.", 0), line("Staff agreed.", 1)]),
    ]
    body = assemble_body(pages, {p.number: p.lines for p in pages})
    assert (
        body.text == "Peer workers spoke of recovery and of hope in their teams.\n\nStaff agreed."
    )
    assert body.page_starts == [[0, 1], [body.text.index("hope"), 2]]


@pytest.mark.parametrize(
    ("heads", "venue"),
    [
        (["RESEARCH ARTICLE Open Access"], None),
        (["Systematic Review"], None),
        (["Qualitative Research 2019, Vol. 19(3) 245–262"], "Qualitative Research"),
        (["Journal of Mental Health ISSN: 0963-8237"], "Journal of Mental Health"),
    ],
)
def test_article_type_labels_are_not_journals(heads: list[str], venue: str | None):
    assert find_venue(heads, "Peer work in teams", []) == venue


def test_words_that_only_look_like_headings_or_stamps_stay_in_the_text():
    def ln(text: str, box: int, top: float, size: float = 10) -> dict:
        return {"text": text, "size": size, "box": box, "bbox": [72, top - size, 520, top]}

    body = [
        "Registry data were", "downloaded from the national registry and checked against",
        "the clinical notes; where notes and registry disagreed, later", "references",
        "to the same person were preferred over earlier ones.",
    ]  # fmt: skip
    layout = {
        "pages": [{"width": 612, "height": 792, "lines": [
            ln("Registry Linkage in Community Mental Health Care", 0, 640, 18),
            ln("Clio Berry and Jonas Lind", 1, 610, 11),
            ln("Abstract", 2, 580),
            *[ln(text, 3, 560 - 12 * i) for i, text in enumerate(body)],
            ln("References", 4, 480, 11),
            ln("Berry, C. (2015). Linkage. Health Data, 3, 1-9.", 5, 460, 8),
        ]}],
    }  # fmt: skip
    record = record_from_layout(layout, "linkage.pdf")
    assert record.title == "Registry Linkage in Community Mental Health Care"
    assert record.authors == ("Clio Berry", "Jonas Lind")
    assert record.abstract == " ".join(body)
