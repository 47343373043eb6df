"""First pages in the layouts of real journals and proceedings (issue 23 defects 4-7).

Each function returns PDF bytes; the module constants are what a reader must find.
"""

from __future__ import annotations

from tests.ingest.frontpdf import HEIGHT, LEFT, WIDTH, Flow, Sheet, prose

TITLE = "Age and Gender Differences in Episodic Memory in a Population-Based Sample"
AUTHORS = ("Anna Sundström", "Michael Rönnlund", "Lars Nyberg")
DOI = "10.1155/2014/123456"
SECTIONS = [("Introduction", 2), ("Methods", 3), ("Results", 3), ("Discussion", 2)]


def _body(flow: Flow, sections=SECTIONS, numbered: bool = True) -> None:
    for i, (name, paras) in enumerate(sections, start=1):
        flow.heading(f"{i}. {name}" if numbered else name)
        for p in range(paras):
            flow.para(prose(f"{name}-{p + 1}", 7))


def _references(sheet: Sheet, lines: list[str], split_heading: bool, top: float) -> None:
    """A references heading (its capital set apart, as small caps come out of pdfminer) and
    entries in small type, each line drawn as given."""
    if split_heading:
        sheet.line(LEFT, top, "R", 10, "Times-Bold")
        sheet.line(LEFT + 9.5, top, "EFERENCES", 8, "Times-Bold")
    else:
        sheet.line(LEFT, top, "References", 11, "Times-Bold")
    y = top - 16
    for line in lines:
        sheet.line(LEFT, y, line, 8)
        y -= 10


def hindawi(info: dict[str, str] | None = None) -> bytes:
    """A label over the title, marks after commas, then affiliations, correspondence, dates,
    an editor and a licence paragraph in small type, and an abstract without a label."""
    s = Sheet()
    for i, text in enumerate(["Hindawi Publishing Corporation", "Journal of Aging Research",
                              "Volume 2014, Article ID 123456, 10 pages",
                              f"http://dx.doi.org/{DOI}"]):  # fmt: skip
        s.line(LEFT, HEIGHT - 40 - 9 * i, text, 7.5, "Helvetica")
    y = HEIGHT - 120
    s.line(LEFT, y, "Research Article", 17, "Helvetica-Bold")
    y -= 22
    for part in ["Age and Gender Differences in Episodic Memory in a",
                 "Population-Based Sample"]:  # fmt: skip
        s.line(LEFT, y, part, 17, "Helvetica-Bold")
        y -= 22
    y -= 6
    s.line(LEFT, y, "Anna Sundström,^{1} Michael Rönnlund,^{2} and Lars Nyberg^{3}", 11,
           "Helvetica", mark_scale=0.8)  # fmt: skip
    y -= 22
    for text in ["^{1}Department of Psychology, Umeå University, 901 87 Umeå, Sweden",
                 "^{2}Aging Research Center, Karolinska Institutet, Stockholm, Sweden",
                 "^{3}Umeå, Sweden", "",
                 "Correspondence should be addressed to Anna Sundström; anna.sundstrom@umu.se",
                 "", "Received 3 March 2014; Accepted 12 May 2014; Published 2 June 2014", "",
                 "Academic Editor: Jane Roe", ""]:  # fmt: skip
        if text:
            s.line(LEFT, y, text, 8, "Helvetica")
        y -= 10
    licence = (
        "Copyright © 2014 Anna Sundström et al. This is an open access article distributed "
        "under the Creative Commons Attribution License, which permits unrestricted use, "
        "distribution, and reproduction in any medium, provided the original work is "
        "properly cited."
    )
    y = s.block(LEFT, y, WIDTH - 2 * LEFT, licence, 8, "Helvetica", 10) - 14
    y = s.block(LEFT, y, WIDTH - 2 * LEFT, prose("Abstract", 5), 10, "Times-Roman") - 14
    _body(Flow(s, 2, top=y))
    s.page()
    _references(s, ["1. A. Jones, “Memory in old age,” Psychology and Aging, vol. 3, "
                    "pp. 1–9, 2001."], False, HEIGHT - 80)  # fmt: skip
    return s.pdf(info)


VLDB_TITLE = "Scalable Joins over Compressed Column Stores"
VLDB_AUTHORS = ("Élodie Marchand", "Jürgen Köhler", "Rui Gonçalves")
VLDB_VENUE = "Proceedings of the 30th VLDB Conference"


def vldb() -> bytes:
    """Two columns, authors in a grid with affiliations and e-mail under each name, the
    permission block at the foot of the first column, and a reference list on a page of
    its own whose heading's capital is set apart and whose entries wrap onto lines that
    name journals and years."""
    s = Sheet()
    s.line(0, HEIGHT - 90, VLDB_TITLE, 18, "Helvetica-Bold", center=True)
    emails = ["elodie@cs.toronto.edu", "koehler@in.tum.de", "rui@fe.up.pt"]
    places = ["University of Toronto", "TU München", "Universidade do Porto"]
    for i, name in enumerate(VLDB_AUTHORS):
        x = LEFT + 30 + i * 170
        s.line(x, HEIGHT - 130, name, 12, "Helvetica")
        s.line(x, HEIGHT - 144, places[i], 10, "Helvetica")
        s.line(x, HEIGHT - 157, emails[i], 9, "Courier")
    flow = Flow(s, 2, top=HEIGHT - 200, bottom=150)
    flow.heading("Abstract")
    flow.para(prose("Abstract", 4), 9, "Times-Italic")
    _body(flow, [("Introduction", 1)])
    permission = (
        "Permission to copy without fee all or part of this material is granted provided "
        "that the copies are not made or distributed for direct commercial advantage, the "
        "VLDB copyright notice and the title of the publication and its date appear."
    )
    y = s.block(LEFT, 130, flow.width, permission, 7, "Times-Roman", 8.5)
    s.line(LEFT, y, "Proceedings of the 30th VLDB Conference,", 7)
    s.line(LEFT, y - 8.5, "Toronto, Canada, 2004", 7)
    flow.bottom = 70
    flow.col, flow.y = 1, flow.top
    _body(flow, [("Methods", 3), ("Results", 2)], numbered=False)
    s.page()
    _references(
        s,
        ["[1] J. Smith and A. Brown, “Compression and joins for",
         "carers in the community,” British Medical Journal, vol. 12, pp. 45–50, 2010.",
         "[2] P. White, Column stores revisited. Communications of the ACM, 53(4), 2010."],
        True, HEIGHT - 60,
    )  # fmt: skip
    return s.pdf()


ARXIV_TITLE = "Distilling the Knowledge in a Small Ensemble of Models"


def arxiv() -> bytes:
    """A preprint: arXiv's side stamp (2015), a "submitted to" running head, a "Date:" line,
    and body text on pages 1-2 that names earlier years in citations and a © line."""
    s = Sheet()

    def head(sheet: Sheet) -> None:
        sheet.line(LEFT, HEIGHT - 40, "Under review as a conference paper at ICLR 2016", 9)
        sheet.side("arXiv:1503.02531v1 [stat.ML] 9 Mar 2015", 14)

    head(s)
    s.line(0, HEIGHT - 100, ARXIV_TITLE, 17, "Times-Bold", center=True)
    s.line(0, HEIGHT - 125, "Ada Lovelace^{*}   Charles Babbage^{†}", 11, center=True)
    s.line(0, HEIGHT - 138, "Analytical Engine Group, London, UK", 9, center=True)
    s.line(LEFT, 60, "Date: March 9, 2015.", 8)
    flow = Flow(s, 1, top=HEIGHT - 170, furniture=head)
    flow.heading("Abstract")
    flow.para(prose("Abstract", 4))
    flow.heading("1 Introduction")
    flow.para(prose("Introduction-1", 6) + " Hinton et al. (2010) first published in 2010, "
              "vol. 3 of the series, and the corpus (© 2010 the Data Consortium) was "
              "published 3 March 2010.")  # fmt: skip
    _body(flow, [("Methods", 3), ("Results", 3)], numbered=False)
    return s.pdf()


IEEE_TITLE = "Learning to Rank Column Encodings for Fast Scans"
IEEE_VENUE = "IEEE Transactions on Knowledge and Data Engineering"


def ieee() -> bytes:
    """Society memberships in the byline, running heads with the journal and issue date, and
    a first-column footnote with the manuscript's dates and the authors' e-mail."""
    s = Sheet()

    def head(sheet: Sheet) -> None:
        sheet.line(LEFT, HEIGHT - 40,
                   f"{IEEE_VENUE.upper()}, VOL. 26, NO. 3, MARCH 2014", 7.5)  # fmt: skip
        sheet.line(WIDTH - LEFT - 10, HEIGHT - 40, str(sheet.page_no), 7.5)

    head(s)
    s.line(0, HEIGHT - 100, IEEE_TITLE, 20, "Times-Roman", center=True)
    s.line(0, HEIGHT - 128, "Anna Sundström, Member, IEEE, Michael Rönnlund, Senior Member, "
           "IEEE,", 11, center=True)  # fmt: skip
    s.line(0, HEIGHT - 142, "and Lars Nyberg, Fellow, IEEE", 11, center=True)
    flow = Flow(s, 2, top=HEIGHT - 180, bottom=140, furniture=head)
    flow.para("Abstract—" + prose("Abstract", 4), 9, "Times-Bold")
    y = 128.0
    for text in ["Manuscript received 3 Mar. 2013; revised 12 May 2013; accepted",
                 "2 June 2013. Date of publication 9 July 2013.",
                 "A. Sundström is with the Department of Psychology,",
                 "Umeå University, Sweden (e-mail: anna@umu.se)."]:  # fmt: skip
        s.line(LEFT, y, text, 7.5)
        y -= 9
    _body(flow, [("Introduction", 1)])
    flow.bottom = 70
    flow.col, flow.y = 1, flow.top
    _body(flow, [("Methods", 3), ("Results", 3)], numbered=False)
    return s.pdf()


PEERJ_VENUE = "PeerJ Comput. Sci."
PEERJ_DOI = "10.7717/peerj-cs.118"


def peerj() -> bytes:
    """The citation only in a "How to cite this article" footer and short footers after."""
    s = Sheet()

    def foot(sheet: Sheet) -> None:
        sheet.line(LEFT, 40, f"Sundström et al. (2017), PeerJ Comput. Sci., DOI {PEERJ_DOI}"
                   f"    {sheet.page_no}/4", 7.5)  # fmt: skip

    s.line(LEFT, HEIGHT - 100, VLDB_TITLE, 18, "Helvetica-Bold")
    s.line(LEFT, HEIGHT - 125, "Anna Sundström^{1}, Michael Rönnlund^{2} and Lars Nyberg^{1}",
           11, "Helvetica")  # fmt: skip
    s.line(LEFT, HEIGHT - 140, "^{1} Department of Psychology, Umeå University, Sweden", 8)
    s.line(LEFT, 52, "How to cite this article Sundström et al. (2017), Scalable Joins over "
           "Compressed Column Stores.", 7.5)  # fmt: skip
    s.line(LEFT, 43, f"PeerJ Comput. Sci. 3:e118; DOI {PEERJ_DOI}", 7.5)
    flow = Flow(s, 1, top=HEIGHT - 180, furniture=foot, bottom=80)
    flow.heading("ABSTRACT")
    flow.para(prose("Abstract", 4))
    _body(flow, [("Introduction", 3), ("Methods", 3), ("Results", 3)], numbered=False)
    return s.pdf()


CITE_DOI = "10.1186/1471-244X-7-23"


def cite_on_last_page() -> bytes:
    """An issue-date running head ("January 2007, Volume 18, Issue 3") and the DOI printed
    only in a "Cite this article as" block at the end of the last page."""
    s = Sheet()

    def head(sheet: Sheet) -> None:
        sheet.line(LEFT, HEIGHT - 40, "January 2007, Volume 18, Issue 3", 8)
        sheet.line(WIDTH - LEFT - 10, HEIGHT - 40, str(sheet.page_no), 8)

    head(s)
    s.line(LEFT, HEIGHT - 100, TITLE, 16, "Times-Bold")
    s.line(LEFT, HEIGHT - 122, "Anna Sundström, Michael Rönnlund and Lars Nyberg", 11)
    flow = Flow(s, 1, top=HEIGHT - 160, furniture=head)
    flow.heading("Abstract")
    flow.para(prose("Abstract", 4))
    _body(flow, [("Introduction", 2), ("Methods", 3), ("Results", 3)], numbered=False)
    flow.heading("References")
    flow.para("1. Jones A: Memory in old age. Psychol Aging 2001, 3:1-9.", 8)
    flow.y -= 20
    flow.para(f"Cite this article as: Sundström A, Rönnlund M, Nyberg L: {TITLE}. "
              f"Journal of Aging Research 2007, 18(3):1-10. doi:{CITE_DOI}", 8)  # fmt: skip
    return s.pdf()
