"""Words in a two-column page stay in their lines' order when pdfminer cuts two lines in a
row at a wide justified gap (issue 23 defect 8)."""

from __future__ import annotations

from pathlib import Path

from ingest.pdf import pdf_records
from tests.ingest.frontpdf import Sheet

WORDS = "the peer workers described how shared lived experience shaped hope and trust".split()


def row_words(col: int, row: int) -> list[str]:
    words = WORDS[row % 5 : row % 5 + 6]
    return [f"c{col}r{row}", *words]


def two_columns_with_cut_lines() -> bytes:
    s = Sheet()
    for col, x0 in enumerate([56, 310]):
        y = 760.0
        for row in range(45):
            words = row_words(col, row)
            if row in (10, 11):  # a justified line pair with one wide gap at the same place
                s.line(x0, y, " ".join(words[:4]))
                s.line(x0 + 125, y, " ".join(words[4:]))
            else:
                s.line(x0, y, " ".join(words))
            y -= 12
    return s.pdf()


def test_pieces_of_cut_lines_are_read_in_their_lines(tmp_path: Path):
    data = two_columns_with_cut_lines()
    path = tmp_path / "p.pdf"
    path.write_bytes(data)
    text = " ".join(pdf_records(path, data, "p.pdf")[0].abstract.split())
    expected = " ".join(w for col in (0, 1) for row in range(45) for w in row_words(col, row))
    assert text == expected
