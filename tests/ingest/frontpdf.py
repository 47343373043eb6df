"""Article PDFs drawn line by line (reportlab), for the front-matter layouts of real journals.

:class:`Sheet` places text where a publisher would: labels over titles, bylines with
superscript marks, author grids, affiliation and licence blocks in small type, side stamps,
footers and body prose flowed into one or two columns. ``^{...}`` in a line sets a raised
mark in smaller type ("Anna Sundström,^{1}").
"""

from __future__ import annotations

import io
import re

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4
LEFT = 56.0
BODY = ("Times-Roman", 10.0)
SENTENCES = [
    "Peer workers draw on their own experience of recovery when they support others",
    "managers described how they protected the peer role within the team",
    "service users valued hope, shared power and availability when needed",
    "the study used interviews with twelve managers in four services",
    "older adults remembered fewer words when the list was read quickly",
    "women and men differed little in how they recalled the episodes",
]


def prose(tag: str, n: int) -> str:
    """``n`` distinct sentences that ``tag`` makes findable ("Results-3")."""
    return " ".join(f"In {tag} sentence {i} {SENTENCES[i % len(SENTENCES)]}." for i in range(n))


class Sheet:
    """A PDF drawn page by page; ``y`` grows upwards as in PDF space."""

    def __init__(self) -> None:
        self.buf = io.BytesIO()
        self.c = Canvas(self.buf, pagesize=A4, invariant=True)
        self.page_no = 1
        self.y = HEIGHT - 60

    def line(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 10,
        font: str = "Times-Roman",
        mark_scale: float = 0.6,
        center: bool = False,
    ) -> float:
        """Draw one line (``^{m}`` raised marks) at (x, y); returns its width."""
        pieces = re.split(r"(\^\{[^}]*\})", text)
        width = sum(
            self.c.stringWidth(p[2:-1] if p.startswith("^{") else p, font,
                               size * mark_scale if p.startswith("^{") else size)
            for p in pieces
        )  # fmt: skip
        if center:
            x = (WIDTH - width) / 2
        for piece in pieces:
            mark = piece.startswith("^{")
            text_, size_ = (piece[2:-1], size * mark_scale) if mark else (piece, size)
            self.c.setFont(font, size_)
            self.c.drawString(x, y + (size * 0.35 if mark else 0), text_)
            x += self.c.stringWidth(text_, font, size_)
        return width

    def block(
        self,
        x: float,
        y: float,
        width: float,
        text: str,
        size: float = 10,
        font: str = "Times-Roman",
        leading: float | None = None,
    ) -> float:
        """Wrap ``text`` into ``width`` from (x, y) down; returns the y under it."""
        leading = leading or size * 1.25
        for part in simpleSplit(text, font, size, width):
            self.c.setFont(font, size)
            self.c.drawString(x, y, part)
            y -= leading
        return y

    def side(self, text: str, size: float = 9) -> None:
        """A stamp set vertically along the left edge (arXiv, "Downloaded from")."""
        self.c.saveState()
        self.c.translate(24, 250)
        self.c.rotate(90)
        self.c.setFont("Times-Roman", size)
        self.c.drawString(0, 0, text)
        self.c.restoreState()

    def page(self) -> None:
        self.c.showPage()
        self.page_no += 1
        self.y = HEIGHT - 60

    def pdf(self, info: dict[str, str] | None = None) -> bytes:
        """The file's bytes, with ``info`` as its Info dictionary."""
        self.c.showPage()
        self.c.save()
        data = self.buf.getvalue()
        if info is None:
            return data
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.metadata = None
        writer.add_metadata(info)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


class Flow:
    """Body prose flowed into ``columns`` on a sheet, from ``top`` on the current page, with
    new pages (and their ``furniture``) as needed."""

    def __init__(self, sheet: Sheet, columns: int = 1, top: float | None = None,
                 furniture=None, bottom: float = 70) -> None:  # fmt: skip
        self.s = sheet
        self.columns = columns
        self.gap = 18.0
        self.width = (WIDTH - 2 * LEFT - self.gap * (columns - 1)) / columns
        self.top = top if top is not None else HEIGHT - 70
        self.col = 0
        self.y = self.top
        self.bottom = bottom
        self.furniture = furniture or (lambda sheet: None)

    def x(self) -> float:
        return LEFT + self.col * (self.width + self.gap)

    def _room(self, leading: float, lines: int = 1) -> None:
        if self.y - leading * lines >= self.bottom:
            return
        if self.col + 1 < self.columns:
            self.col += 1
            self.y = self.top
            return
        self.s.page()
        self.furniture(self.s)
        self.col, self.top, self.bottom = 0, HEIGHT - 70, 70
        self.y = self.top

    def para(self, text: str, size: float = 10, font: str = "Times-Roman") -> None:
        leading = size * 1.25
        for part in simpleSplit(text, font, size, self.width):
            self._room(leading)
            self.s.c.setFont(font, size)
            self.s.c.drawString(self.x(), self.y, part)
            self.y -= leading
        self.y -= leading * 0.5

    def heading(self, text: str, size: float = 11) -> None:
        self._room(size * 1.25, 3)
        self.y -= 4
        self.para(text, size, "Times-Bold")
