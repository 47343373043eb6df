"""Defects the real article set (``bench/pdf_real.py``) showed, on generated files of the
same kind: author grids with a centred label under them, titles ending in a digit, an
Info author field in short forms, typographic ligatures and TeX's unmapped T1 glyphs."""

from __future__ import annotations

from pathlib import Path

from ingest.pdf import pdf_records
from ingest.pdffront import _names, _venue_of
from ingest.pdfheader import is_cite_block
from ingest.pdfmeta import plausible_title
from ingest.pdfpages import Line, fix_accents
from ingest.pdftext import _glyph, _inner
from tests.ingest import realpapers as P
from vocab.record import Record


def read(tmp_path: Path, data: bytes) -> Record:
    path = tmp_path / "paper.pdf"
    path.write_bytes(data)
    records = pdf_records(path, data, path.name)
    assert len(records) == 1
    return records[0]


def test_an_author_grid_over_a_centred_abstract_label_keeps_every_name(tmp_path):
    record = read(tmp_path, P.author_grid())
    assert record.title == P.GRID_TITLE  # "mem4": a digit at the title's size is its own
    assert record.authors == P.GRID_AUTHORS  # before: the names right of "Abstract" lost
    body = record.abstract
    assert body.startswith("In Abstract sentence 0"), body[:200]
    for place in P.GRID_AFFILIATIONS:
        assert place not in body  # before: the later cells were read as body text
    assert "Results-2 sentence 6" in body


def test_the_printed_byline_spells_the_names_an_info_field_shortens(tmp_path):
    info = {
        "/Author": "Anna Sundström, Mike Rönnlund, Lars Nyberg",
        "/Creator": "LaTeX with hyperref",
    }
    record = read(tmp_path, P.author_grid(info))
    assert record.authors == P.GRID_AUTHORS  # "Michael", as printed, not the Info's "Mike"


def test_typographic_ligatures_are_undone():
    assert fix_accents("signiﬁcant eﬀects of ﬂuid and eﬃcient oﬄine") == (
        "significant effects of fluid and efficient offline"
    )


class _Glyph:
    def __init__(self, text: str, fontname: str) -> None:
        self.text, self.fontname = text, fontname

    def get_text(self) -> str:
        return self.text


def test_tex_type3_fonts_unmapped_t1_glyphs_are_read():
    """Bitmap TeX fonts (Type 3, no /BaseFont, no Unicode map) in the T1 encoding:
    "(cid:28)rst", "di(cid:27)erent" and "(cid:16)dating(cid:17)" came out as "rst"."""
    word = "".join(
        _glyph(_Glyph(t, "unknown")) for t in ["di", "(cid:27)", "erent ", "(cid:28)", "rst"]
    )
    assert word == "different first"
    assert _glyph(_Glyph("(cid:16)", "unknown")) + _glyph(_Glyph("(cid:17)", "unknown")) == "“”"
    # A named font's unmapped glyph is not guessed at (dropped later, as before).
    assert _glyph(_Glyph("(cid:28)", "ABCDEF+SomeSans")) == "(cid:28)"


def test_a_date_line_under_the_byline_dates_the_article(tmp_path):
    record = read(tmp_path, P.plain_article(note=False))
    assert record.title == P.PLAIN_TITLE
    assert record.authors == P.GRID_AUTHORS
    assert record.year == 2015  # before: none (only "published", "accepted", © … counted)


def test_a_preprint_notice_names_the_journal_and_leaves_the_text(tmp_path):
    record = read(tmp_path, P.plain_article(note=True))
    assert record.title == P.PLAIN_TITLE
    assert (record.venue, record.year) == (P.PLAIN_VENUE, 2006)  # the © year outranks the date
    assert "preprint of an article" not in record.abstract
    assert "Copyright" not in record.abstract
    assert "Introduction-2 sentence 6" in record.abstract


def test_a_citation_line_above_the_title_gives_venue_year_and_doi(tmp_path):
    record = read(tmp_path, P.citation_above_title())
    assert record.title == P.CITED_TITLE
    assert record.authors == ("Anna Sundström", "Lars Nyberg")
    assert (record.venue, record.year, record.doi) == (P.CITED_VENUE, 2020, P.CITED_DOI)


def test_titles_that_start_with_template_or_hold_a_link():
    assert plausible_title("Template matching for recall of word lists in later life")
    assert not plausible_title("Template")
    assert not plausible_title("Electron. Commun. Probab. 0 (2020), https://doi.org/10.1214/x")


def test_an_acceptance_footer_names_the_journal():
    assert _venue_of("Accepted in Quantum 2017-05-09, click title to verify.") == "Quantum"


def test_a_small_capital_inside_a_word_is_kept_a_mark_after_it_is_not():
    logo = [_Glyph(t, "x") for t in "LATEX"]  # the "A" is set small and raised
    assert _inner(logo, 1)
    marked = [_Glyph(t, "x") for t in "Riob"]
    assert not _inner(marked, 3)


def test_a_byline_reads_the_same_names_every_run():
    line = Line("Dirk Eddelbuettela and James Balamutab", "Dirk Eddelbuettel and James Balamuta",
                12, 0, 0, 100, 12, 0, False)  # fmt: skip
    assert _names(line) == ["Dirk Eddelbuettel", "James Balamuta"]


def test_a_title_in_the_texts_own_type_over_a_byline(tmp_path):
    record = read(tmp_path, P.title_in_body_type())
    assert record.title == P.PLAIN_TITLE  # before: no title (nothing larger than the text)
    assert record.authors == (P.GRID_AUTHORS[0],)
    assert "Methods-2 sentence 6" in record.abstract


def test_an_appendix_after_the_reference_list_is_text_the_list_is_not(tmp_path):
    record = read(tmp_path, P.appendix_after_references())
    body = record.abstract
    assert "Methods-3 sentence 6" in body
    assert "Memory in old age" not in body
    assert "Appendix-2 sentence 5" in body  # before: everything after "References" lost
    assert "Umeå University" not in body


REAL = Path(__file__).resolve().parent.parent / "data" / "pdf_real"


def read_real(name: str) -> Record:
    path = REAL / name
    return pdf_records(path, path.read_bytes(), name)[0]


def test_real_ejpecp_sample_front_matter():
    record = read_real("ejpecp-sample.pdf")
    assert record.title == "Introduction to the ejpecp Class Version 1.11.1"
    assert record.authors == ("Krzysztof Burdzy", "Djalil Chafaï")
    assert (record.year, record.venue, record.doi) == (
        2020,
        "Electron. Commun. Probab.",
        "10.1214/YY-TN",
    )
    assert "ISSN: 1083-589X" not in record.abstract


def test_real_jacow_template_keeps_its_annexes():
    record = read_real("JACoW_LaTeX_A4.pdf")
    assert record.title == "PREPARATION OF PAPERS FOR JACoW CONFERENCES"  # as printed
    assert "The names of authors, their organizations/affiliations and" in record.abstract
    assert "woodward.library" not in record.abstract  # an entry of the reference list
    assert max(page for _, page in record.page_starts) >= 8  # annexes run to page 10


def test_prose_about_citations_is_not_a_how_to_cite_block():
    def block(text: str) -> list[Line]:
        return [Line(text, text, 10, 0, 0, 400, 10, 0, False)]

    # The SPIE template lost this line of its body as a "How to cite" block.
    assert not is_cite_block(block("Citations to the references are made using superscripts."))
    assert is_cite_block(block("Citation: Strand M, Gammon D (2019) Hope as shared work."))
    assert is_cite_block(block("How to cite this article Strand M, Gammon D. 2019."))
