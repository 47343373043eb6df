"""First pages in layouts the real article set of ``bench/pdf_real.py`` showed misread.

Each function returns PDF bytes; the module constants are what a reader must find.
"""

from __future__ import annotations

from tests.ingest.frontpdf import HEIGHT, LEFT, WIDTH, Flow, Sheet, prose

GRID_TITLE = "Fitting Mixed Models for Repeated Recall with the Package mem4"
GRID_AUTHORS = ("Anna Sundström", "Michael Rönnlund", "Lars Nyberg")
GRID_AFFILIATIONS = ["Umeå University", "Karolinska Institutet", "Lund University"]
SECTIONS = [("Introduction", 2), ("Methods", 3), ("Results", 3), ("Discussion", 2)]


def author_grid(info: dict[str, str] | None = None) -> bytes:
    """The Journal of Statistical Software's preprint layout (jss.cls): a centred title
    ending in a package name with a digit, names side by side each over its affiliation,
    "Abstract" centred under the grid (between two cells), an indented abstract, keywords,
    then the body."""
    s = Sheet()
    y = HEIGHT - 100
    for part in ["Fitting Mixed Models for Repeated Recall", "with the Package mem4"]:
        s.line(0, y, part, 17, "Helvetica-Bold", center=True)
        y -= 22
    y -= 18
    cell = (WIDTH - 2 * LEFT) / len(GRID_AUTHORS)
    for i, (name, place) in enumerate(zip(GRID_AUTHORS, GRID_AFFILIATIONS, strict=True)):
        middle = LEFT + cell * (i + 0.5)
        s.line(middle - s.c.stringWidth(name, "Times-Roman", 12) / 2, y, name, 12)
        s.line(middle - s.c.stringWidth(place, "Times-Roman", 11) / 2, y - 13, place, 11)
    y -= 50
    s.line(0, y, "Abstract", 10, "Times-Bold", center=True)
    y -= 18
    y = s.block(LEFT + 30, y, WIDTH - 2 * LEFT - 60, prose("Abstract", 5), 10) - 8
    s.line(LEFT, y, "Keywords: episodic memory, mixed models, repeated recall, R.", 10)
    flow = Flow(s, 1, top=y - 30)
    for i, (name, paras) in enumerate(SECTIONS, start=1):
        flow.heading(f"{i}. {name}")
        for p in range(paras):
            flow.para(prose(f"{name}-{p + 1}", 7))
    return s.pdf(info)


PLAIN_TITLE = "Recall of Word Lists in Later Life"
PLAIN_VENUE = "Journal of Aging Research"


def plain_article(note: bool) -> bytes:
    """A plain LaTeX article: title, a byline, a date line ("Jan 2015") under it, and (with
    ``note``) a footnote saying where the article was published, with its copyright."""
    s = Sheet()
    y = HEIGHT - 110
    s.line(0, y, PLAIN_TITLE + ("^{∗}" if note else ""), 17, "Times-Roman", center=True)
    s.line(0, y - 30, ", ".join(GRID_AUTHORS), 12, center=True)
    s.line(0, y - 50, "Jan 2015", 12, center=True)
    s.line(0, y - 84, "Abstract", 10, "Times-Bold", center=True)
    y = s.block(LEFT + 30, y - 100, WIDTH - 2 * LEFT - 60, prose("Abstract", 5), 10) - 8
    flow = Flow(s, 1, top=y - 20, bottom=110)
    for i, (name, paras) in enumerate(SECTIONS[:2], start=1):
        flow.heading(f"{i}. {name}")
        for p in range(paras):
            flow.para(prose(f"{name}-{p + 1}", 7))
    if note:
        for i, text in enumerate([
            f"^{{∗}}This is a preprint of an article published in {PLAIN_VENUE}, Volume 6, "
            "Number 3,",
            "Pages 25–33. Copyright © 2006 Hindawi; available online at http://www.jar.org/.",
        ]):  # fmt: skip
            s.line(LEFT, 80 - 10 * i, text, 8)
    return s.pdf()


CITED_TITLE = "Recall of Word Lists in Later Life: A Second Look"
CITED_VENUE = "Electron. J. Probab. Stat."
CITED_DOI = "10.1234/ejps.2020.12"


def citation_above_title() -> bytes:
    """The journal's citation line and DOI printed above the title, lower than the margin
    band where running heads sit (the EJP/ECP layout)."""
    s = Sheet()
    y = HEIGHT - 140
    for text in [f"{CITED_VENUE} 7 (2020), article no. 12, 1–9.",
                 f"https://doi.org/{CITED_DOI}", "ISSN: 1083-589X"]:  # fmt: skip
        s.line(LEFT + 40, y, text, 8)
        y -= 11
    y -= 40
    s.line(0, y, CITED_TITLE, 13, "Times-Bold", center=True)
    s.line(0, y - 28, "Anna Sundström^{‡}    Lars Nyberg^{§}", 11, center=True)
    s.line(0, y - 70, "Abstract", 8, "Times-Bold", center=True)
    y = s.block(LEFT + 60, y - 88, WIDTH - 2 * LEFT - 120, prose("Abstract", 4), 8) - 20
    flow = Flow(s, 1, top=y)
    for i, (name, paras) in enumerate(SECTIONS[:3], start=1):
        flow.heading(f"{i}. {name}")
        for p in range(paras):
            flow.para(prose(f"{name}-{p + 1}", 7))
    return s.pdf()


def title_in_body_type() -> bytes:
    """amsart's first page: the title in capitals at the text's own size, the author in
    smaller capitals under it, an "Abstract." paragraph in small type, then the body."""
    s = Sheet()
    y = HEIGHT - 150
    s.line(0, y, PLAIN_TITLE.upper(), 10, "Times-Bold", center=True)
    s.line(0, y - 24, GRID_AUTHORS[0].upper(), 8, center=True)
    y = s.block(LEFT + 60, y - 50, WIDTH - 2 * LEFT - 120,
                "Abstract. " + prose("Abstract", 4), 8) - 20  # fmt: skip
    flow = Flow(s, 1, top=y)
    for i, (name, paras) in enumerate(SECTIONS[:3], start=1):
        flow.heading(f"{i}. {name}", 10)
        for p in range(paras):
            flow.para(prose(f"{name}-{p + 1}", 7))
    return s.pdf()


def appendix_after_references() -> bytes:
    """Body, a reference list, then "Appendix A." with text of its own (as JACoW's and
    many statistics papers print their annexes), then an author address block."""
    s = Sheet()
    s.line(0, HEIGHT - 110, PLAIN_TITLE, 17, "Times-Roman", center=True)
    s.line(0, HEIGHT - 140, GRID_AUTHORS[0], 12, center=True)
    flow = Flow(s, 1, top=HEIGHT - 180)
    flow.heading("Abstract")
    flow.para(prose("Abstract", 4))
    for i, (name, paras) in enumerate(SECTIONS[:2], start=1):
        flow.heading(f"{i}. {name}")
        for p in range(paras):
            flow.para(prose(f"{name}-{p + 1}", 7))
    flow.heading("References")
    for n in range(1, 6):
        flow.para(f"[{n}] A. Jones, “Memory in old age {n},” Psychology and Aging, vol. {n}, "
                  f"pp. 1–9, 200{n}.", 8)  # fmt: skip
    flow.heading("Appendix A. Derivations")
    for p in range(2):
        flow.para(prose(f"Appendix-{p + 1}", 6))
    flow.heading("Affiliation:")
    flow.para("Anna Sundström, Department of Psychology, Umeå University, 901 87 Umeå", 9)
    return s.pdf()
