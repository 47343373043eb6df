"""Article PDFs written in the test suite (reportlab), shaped like journals' real ones.

A :class:`Paper` describes what is on the pages; :func:`make_paper` lays it out: an
optional publisher cover page, a first page with the title in large type, authors and
affiliations under it, the abstract and body in one or two columns, running heads and
download footers on every page, a rotated side stamp, a references section, embedded
Info/XMP metadata and optional AES encryption (pypdf).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4
MARGIN = 56
BODY_FONT, BODY_SIZE, LEADING = "Times-Roman", 10, 12.5


@dataclass
class Paper:
    """What a generated article PDF shows and carries."""

    title: str
    authors: list[str]
    affiliation: str = ""
    author_marks: list[str] = field(default_factory=list)  # superscripts after the names
    abstract: str = ""
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    first_page_lines: list[str] = field(default_factory=list)  # e.g. DOI, received dates
    first_page_footer: list[str] = field(default_factory=list)  # small type, page 1 only
    columns: int = 1
    running_heads: tuple[str, str] | None = None  # (even pages, odd pages); "{n}" = page no.
    footer: str | None = None  # e.g. "Downloaded from ... on 3 May 2021"
    masthead: str | None = None  # the journal's name in large type above the title
    side_text: str | None = None  # rotated 90 degrees along the left edge
    cover: list[str] | None = None  # lines of a publisher cover page before the article
    info: dict[str, str] = field(default_factory=dict)  # /Title, /Author, /Subject ...
    xmp: bytes | None = None
    user_password: str | None = None  # set: AES-256 encrypted with this user password


class _Writer:
    """Flows paragraphs into columns, starting new pages with their furniture."""

    def __init__(self, canvas: Canvas, paper: Paper, first_page_no: int) -> None:
        self.c = canvas
        self.paper = paper
        self.page_no = first_page_no
        self.col = 0
        self.col_width = (WIDTH - 2 * MARGIN - (18 if paper.columns == 2 else 0)) / paper.columns
        self.top = HEIGHT - MARGIN - 20
        self.y = self.top
        self.furniture()

    def furniture(self) -> None:
        c, p = self.c, self.paper
        c.setFont("Helvetica", 8)
        if p.running_heads:
            head = p.running_heads[self.page_no % 2].replace("{n}", str(self.page_no))
            c.drawString(MARGIN, HEIGHT - 36, head)
        if p.footer:
            c.drawString(MARGIN, 30, p.footer)
        c.drawRightString(WIDTH - MARGIN, 30, str(self.page_no))
        if self.page_no == 1:
            for i, line in enumerate(p.first_page_footer):
                c.drawString(MARGIN, 42 + 10 * (len(p.first_page_footer) - 1 - i), line)
        if p.side_text:
            c.saveState()
            c.translate(24, 200)
            c.rotate(90)
            c.drawString(0, 0, p.side_text)
            c.restoreState()

    def new_page(self) -> None:
        self.c.showPage()
        self.page_no += 1
        self.col = 0
        self.top = HEIGHT - MARGIN - 20
        self.y = self.top
        self.furniture()

    def x(self) -> float:
        return MARGIN + self.col * (self.col_width + 18)

    def advance(self, lines: int = 1) -> None:
        if self.y - LEADING * lines < MARGIN + 10:
            if self.col + 1 < self.paper.columns:
                self.col += 1
                self.y = self.top
            else:
                self.new_page()

    def paragraph(self, text: str, font: str = BODY_FONT, size: float = BODY_SIZE) -> None:
        for line in simpleSplit(text, font, size, self.col_width):
            self.advance()
            self.c.setFont(font, size)
            self.c.drawString(self.x(), self.y, line)
            self.y -= LEADING
        self.y -= LEADING * 0.6

    def heading(self, text: str) -> None:
        self.advance(3)
        self.y -= 4
        self.paragraph(text, "Helvetica-Bold", 11)


def _cover(canvas: Canvas, lines: list[str]) -> None:
    y = HEIGHT - 90
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(MARGIN, y, lines[0])
    canvas.setFont("Helvetica", 9)
    for line in lines[1:]:
        for part in simpleSplit(line, "Helvetica", 9, WIDTH - 2 * MARGIN):
            y -= 13
            canvas.drawString(MARGIN, y, part)
        y -= 8
    canvas.showPage()


def _byline(c: Canvas, paper: Paper, y: float) -> None:
    """'A, B and C', each name followed by its superscript mark when there are marks."""
    x = MARGIN
    last = len(paper.authors) - 1
    for i, name in enumerate(paper.authors):
        sep = ", " if i < last - 1 else " and " if i == last - 1 else ""
        for text, size, rise in [(name, 11, 0), (_mark(paper, i), 6, 5), (sep, 11, 0)]:
            c.setFont("Helvetica", size)
            c.drawString(x, y + rise, text)
            x += c.stringWidth(text, "Helvetica", size)


def _mark(paper: Paper, i: int) -> str:
    return paper.author_marks[i % len(paper.author_marks)] if paper.author_marks else ""


def _first_page(w: _Writer, paper: Paper) -> None:
    c = w.c
    if paper.masthead:
        c.setFont("Helvetica-Bold", 24)
        c.drawString(MARGIN, HEIGHT - 60, paper.masthead)
    y = HEIGHT - MARGIN - 30
    for line in simpleSplit(paper.title, "Helvetica-Bold", 18, WIDTH - 2 * MARGIN):
        c.setFont("Helvetica-Bold", 18)
        c.drawString(MARGIN, y, line)
        y -= 22
    y -= 6
    _byline(c, paper, y)
    y -= 16
    if paper.affiliation:
        c.setFont("Helvetica-Oblique", 8)
        c.drawString(MARGIN, y, paper.affiliation)
        y -= 14
    c.setFont("Helvetica", 8)
    for line in paper.first_page_lines:
        c.drawString(MARGIN, y, line)
        y -= 11
    y -= 10
    if paper.abstract:
        c.setFont("Helvetica-Bold", 10)
        c.drawString(MARGIN, y, "Abstract")
        y -= 14
        for line in simpleSplit(paper.abstract, "Times-Italic", 10, WIDTH - 2 * MARGIN):
            c.setFont("Times-Italic", 10)
            c.drawString(MARGIN, y, line)
            y -= LEADING
        y -= 16
    w.top = w.y = y


def make_paper(paper: Paper) -> bytes:
    """The PDF bytes of ``paper``."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=True)
    if paper.cover:
        _cover(canvas, paper.cover)
    w = _Writer(canvas, paper, first_page_no=1)
    _first_page(w, paper)
    for heading, paragraphs in paper.sections:
        w.heading(heading)
        for text in paragraphs:
            w.paragraph(text)
    if paper.references:
        w.heading("References")
        for ref in paper.references:
            w.paragraph(ref, size=8)
    canvas.showPage()
    canvas.save()
    return _finish(buf.getvalue(), paper)


def _finish(data: bytes, paper: Paper) -> bytes:
    """Replace reportlab's Info, add XMP and encryption with pypdf."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.metadata = None
    if paper.info:
        writer.add_metadata(paper.info)
    if paper.xmp is not None:
        writer.xmp_metadata = paper.xmp
    if paper.user_password is not None:
        writer.encrypt(paper.user_password, "owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def xmp_packet(title: str, creators: list[str], doi: str, journal: str, cover_date: str) -> bytes:
    """An XMP packet as publishers embed it (Dublin Core + PRISM)."""
    lis = "".join(f"<rdf:li>{name}</rdf:li>" for name in creators)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
      xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/"
      prism:doi="{doi}" prism:coverDate="{cover_date}">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq>{lis}</rdf:Seq></dc:creator>
   <prism:publicationName>{journal}</prism:publicationName>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


@dataclass
class MastheadPaper:
    """A first page in the style of large publishers: citation line, journal masthead in
    large type, article-info column beside the abstract, footnotes with DOI and ©."""

    title_lines: list[str]
    authors: list[tuple[str, str]]  # (name, superscript marks)
    journal: str
    citation: str  # e.g. "Psychiatry Research 272 (2019) 123–130"
    info_lines: list[str]  # keywords, article history
    footnotes: list[str]
    abstract: str
    body: list[str]
    references: list[str]


def make_masthead_paper(p: MastheadPaper) -> bytes:
    """The PDF bytes of ``p``: a two-column first page and a page of references."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=True)
    c.setFont("Helvetica", 7.5)
    c.drawString(50, HEIGHT - 40, p.citation)
    c.setFont("Helvetica", 8)
    c.drawCentredString(WIDTH / 2, HEIGHT - 70, "Contents lists available at ScienceDirect")
    c.setFont("Helvetica", 16)
    c.drawCentredString(WIDTH / 2, HEIGHT - 92, p.journal)
    c.setFont("Helvetica", 8)
    c.drawCentredString(WIDTH / 2, HEIGHT - 108, "journal homepage: www.example.com/locate/j")
    y = HEIGHT - 150
    for line in p.title_lines:
        c.setFont("Helvetica", 15)
        c.drawString(50, y, line)
        y -= 18
    x, y = 50.0, y - 6
    for i, (name, marks) in enumerate(p.authors):
        sep = ", " if i < len(p.authors) - 1 else ""
        for text, size, rise in [(name, 10, 0), (marks, 6, 4), (sep, 10, 0)]:
            c.setFont("Helvetica", size)
            c.drawString(x, y + rise, text)
            x += c.stringWidth(text, "Helvetica", size) + (1 if size == 6 else 0)
    y -= 30
    c.setFont("Helvetica-Bold", 8)
    c.drawString(50, y, "ARTICLE INFO")
    c.drawString(200, y, "ABSTRACT")
    c.setFont("Helvetica", 7.5)
    for i, text in enumerate(p.info_lines):
        c.drawString(50, y - 14 - i * 10, text)
    y -= 14
    for line in simpleSplit(p.abstract, "Helvetica", 8.5, WIDTH - 250):
        c.setFont("Helvetica", 8.5)
        c.drawString(200, y, line)
        y -= 10.5
    c.setFont("Helvetica", 7)
    for i, text in enumerate(p.footnotes):
        c.drawString(50, 60 - 10 * i, text)
    col_w, top, col = (WIDTH - 120) / 2, y - 30, 0
    y = top
    for para in p.body:
        for line in simpleSplit(para, "Times-Roman", 9.5, col_w):
            if y < 80:
                col, y = col + 1, top
            c.setFont("Times-Roman", 9.5)
            c.drawString(50 + col * (col_w + 20), y, line)
            y -= 11.5
        y -= 6
    c.showPage()
    c.setFont("Helvetica-Bold", 9)
    c.drawString(50, HEIGHT - 70, "References")
    c.setFont("Times-Roman", 8)
    for i, ref in enumerate(p.references):
        c.drawString(50, HEIGHT - 84 - 11 * i, ref)
    c.showPage()
    c.save()
    return buf.getvalue()
