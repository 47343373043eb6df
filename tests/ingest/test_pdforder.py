"""Reading order of text boxes from their positions (y grows upwards, as in PDF space)."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.pdforder import reading_order


@dataclass
class B:
    name: str
    x0: float
    y0: float
    x1: float
    y1: float


def left(name: str, top: float, bottom: float) -> B:
    return B(name, 50, bottom, 290, top)


def right(name: str, top: float, bottom: float) -> B:
    return B(name, 306, bottom, 546, top)


def order(boxes: list[B]) -> list[str]:
    return [b.name for b in reading_order(boxes)]


def test_two_columns_under_a_title_with_a_short_right_column():
    boxes = [
        right("R1", 700, 600), left("L3", 420, 300), B("title", 50, 720, 546, 760),
        left("L1", 700, 560), right("R2", 590, 500), left("L2", 550, 430),
    ]  # fmt: skip
    assert order(boxes) == ["title", "L1", "L2", "L3", "R1", "R2"]


def test_paragraph_breaks_lined_up_across_columns_keep_column_order():
    boxes = [left("L1", 700, 600), right("R1", 700, 600), left("L2", 590, 400),
             right("R2", 590, 400)]  # fmt: skip
    assert order(boxes) == ["L1", "L2", "R1", "R2"]


def test_a_full_width_figure_splits_the_columns():
    boxes = [
        left("L1", 700, 500), right("R1", 700, 500), B("figure", 50, 380, 546, 480),
        left("L2", 360, 100), right("R2", 360, 100),
    ]  # fmt: skip
    assert order(boxes) == ["L1", "R1", "figure", "L2", "R2"]


def test_article_info_column_beside_the_abstract_is_read_first():
    boxes = [
        B("ARTICLE INFO", 50, 618, 106, 626), B("ABSTRACT", 200, 618, 244, 626),
        B("abstract text", 200, 530, 540, 612.6), B("keywords", 50, 554, 156, 611.8),
    ]  # fmt: skip
    assert order(boxes) == ["ARTICLE INFO", "keywords", "ABSTRACT", "abstract text"]


def test_one_column_reads_top_to_bottom():
    boxes = [B("p2", 72, 500, 540, 600), B("p1", 72, 610, 540, 700), B("p3", 90, 300, 540, 490)]
    assert order(boxes) == ["p1", "p2", "p3"]


def test_a_centred_label_under_an_author_grid_comes_after_the_whole_grid():
    """JSS-style front matter: names over affiliations side by side, then "Abstract"
    centred on the page between the two cells (real vignettes of lme4, zoo, pscl)."""
    boxes = [
        B("title", 87, 695, 516, 738), B("name 1", 150, 643, 260, 669),
        B("Abstract", 280, 596, 323, 606), B("name 2", 340, 643, 460, 669),
        B("abstract text", 108, 457, 495, 589),
    ]  # fmt: skip
    assert order(boxes) == ["title", "name 1", "name 2", "Abstract", "abstract text"]
