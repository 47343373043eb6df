"""Where an article's body ends, and words that the PDF did not space (issue 23 defects 2, 3)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ingest.pdf import pdf_records

FONT, SIZE = "Times-Roman", 10
SENTENCES = [
    "Peer workers draw on their own experience of recovery when they support others.",
    "Managers described how they protected the peer role within the team.",
    "Service users valued hope, shared power and availability when needed.",
    "The study used interviews with twelve managers in four services.",
]


class Pages:
    """A few pages of prose written line by line, with extra drawing where wanted."""

    def __init__(self) -> None:
        self.buf = io.BytesIO()
        self.c = Canvas(self.buf)
        self.y = 770.0

    def heading(self, text: str, size: float = 13) -> None:
        self.c.setFont("Times-Bold", size)
        self.c.drawString(72, self.y, text)
        self.y -= size * 2

    def prose(self, tag: str, lines: int = 12) -> None:
        self.c.setFont(FONT, SIZE)
        for i in range(lines):
            self.c.drawString(72, self.y, f"{tag}: {SENTENCES[i % len(SENTENCES)]}")
            self.y -= 12.5
        self.y -= 8

    def row(self, cells: list[str], xs: list[float], size: float = 9) -> None:
        self.c.setFont(FONT, size)
        for x, cell in zip(xs, cells, strict=True):
            self.c.drawString(x, self.y, cell)
        self.y -= size * 1.6

    def page(self) -> None:
        self.c.showPage()
        self.y = 770.0

    def bytes(self) -> bytes:
        self.c.save()
        return self.buf.getvalue()


def read(tmp_path: Path, data: bytes, name: str = "paper.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return pdf_records(path, data, name)


def references(p: Pages) -> None:
    p.heading("References")
    p.c.setFont(FONT, 9)
    for n in range(6):
        p.c.drawString(
            72, p.y, f"Author{n}, A., & Other, B. (201{n}). A cited work. J. Stud., 4(2), 1-9."
        )
        p.y -= 12


def test_a_table_column_headed_reference_does_not_end_the_body(tmp_path):
    p = Pages()
    p.heading("Peer workers in mental health services", 16)
    p.heading("Introduction")
    p.prose("Intro")
    p.c.setFont(FONT, 9)
    p.row(["Study", "Reference", "Country", "Design"], [72, 200, 330, 440])
    for n in range(5):
        p.row([f"S{n}", f"Smith et al. (201{n})", "Norway", "Qualitative"], [72, 200, 330, 440])
    p.y -= 10
    p.heading("Results")
    p.prose("Results")
    p.page()
    p.heading("Discussion")
    p.prose("Discussion")
    references(p)
    (record,) = read(tmp_path, p.bytes())
    assert "Results: Managers described" in record.abstract
    assert "Discussion: Peer workers draw" in record.abstract
    assert "A cited work" not in record.abstract  # the real list still ends the body


def test_a_contents_line_naming_references_does_not_end_the_body(tmp_path):
    p = Pages()
    p.heading("A report on peer support", 16)
    p.heading("Contents")
    for title, page_no in [("Introduction", "2"), ("Findings", "5"), ("References", "11")]:
        p.c.setFont(FONT, SIZE)
        p.c.drawString(72, p.y, title)
        p.c.drawString(250, p.y, ". . . . . . . . . . . . . . . .")
        p.c.drawString(480, p.y, page_no)
        p.y -= 14
    p.page()
    p.heading("Introduction")
    p.prose("Intro", 20)
    p.heading("Findings")
    p.prose("Findings", 20)
    p.page()
    references(p)
    (record,) = read(tmp_path, p.bytes())
    assert "Findings: Managers described" in record.abstract
    assert "A cited work" not in record.abstract


def spaceless_pdf(pages: int = 2, gap: float = 0.8) -> bytes:
    """Words placed one by one with narrow gaps and no space glyphs, as pdfTeX sets them."""
    buf = io.BytesIO()
    c = Canvas(buf)
    words = " ".join(SENTENCES).split()
    for _ in range(pages):
        y = 770.0
        for row in range(50):
            x = 72.0
            c.setFont(FONT, SIZE)
            for k in range(12):
                word = words[(row * 12 + k) % len(words)]
                c.drawString(x, y, word)
                x += stringWidth(word, FONT, SIZE) + gap
            y -= 13
        c.showPage()
    c.save()
    return buf.getvalue()


def test_words_are_separated_from_glyph_positions(tmp_path):
    records = read(tmp_path, spaceless_pdf())
    text = records[0].abstract
    assert "their own experience of recovery" in text
    assert records.notes == []


def test_a_pdf_with_almost_no_words_is_reported(tmp_path):
    c_buf = io.BytesIO()
    c = Canvas(c_buf)
    c.setFont("Times-Bold", 16)
    c.drawString(72, 770, "Figures accompanying the peer support study")
    for _ in range(6):
        c.showPage()
    c.rect(72, 300, 400, 300)
    c.save()
    records = read(tmp_path, c_buf.getvalue())
    assert len(records) == 1
    assert records.notes and records.notes[0].startswith("little text:")


def figures_only_pdf() -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf)
    c.setFont("Times-Bold", 16)
    c.drawString(72, 770, "Figures accompanying the peer support study")
    c.setFont(FONT, SIZE)
    c.drawString(72, 740, "Figure 1 shows the teams. Figure 2 shows the services.")
    for n in range(2, 8):
        c.showPage()
        c.setFont(FONT, SIZE)
        c.drawString(72, 770, f"Figure {n}")
    c.save()
    return buf.getvalue()


def test_the_ingest_summary_counts_pdfs_with_little_text_and_says_why():
    from assistant.adding import little_text_summary

    notes = [
        {"path": "a.pdf", "note": "little text: 12 words on 8 pages (scanned pages or ...)"},
        {"path": "b.pdf", "note": "little text: 40 words on 2 pages, run together (no spaces)"},
        {"path": "c.pdf", "note": "read 120 of 300 pages"},
    ]
    line = little_text_summary(notes)
    assert line is not None and line.startswith("2 PDFs gave little text")
    assert "1 no text layer on pages" in line and "1 words run together" in line
    assert little_text_summary(notes[2:]) is None


@pytest.mark.integration  # ingests into the real index
def test_sources_missing_metadata_flags_pdfs_with_little_text(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")  # the table fits the width: wide enough for its notes
    import json

    from assistant.cli import main

    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "figures.pdf").write_bytes(figures_only_pdf())
    (folder / "paper.pdf").write_bytes(spaceless_pdf(pages=2))
    assert main(["ingest", str(folder)]) == 0
    assert "1 PDF gave little text for its pages (1 no text layer" in capsys.readouterr().out
    assert main(["sources", "--missing-metadata", "--json"]) == 0
    flagged = {r["path"]: r for r in json.loads(capsys.readouterr().out)}
    assert flagged["library/figures.pdf"]["little_text"].startswith("little text:")
    assert "library/paper.pdf" not in flagged or "little_text" not in flagged["library/paper.pdf"]
    assert main(["sources", "--missing-metadata"]) == 0
    out = capsys.readouterr()
    assert "text" in out.out and "little text:" in out.err
