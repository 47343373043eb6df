"""Reading order of a page's text boxes, from their positions alone.

Boxes whose vertical extents overlap sit side by side, so they form one band (chained:
a two-column stretch of text is one band, a full-width title another); a band whose boxes
each fit a column of the multi-column band above joins it. Bands are read top to bottom;
inside a band, columns (boxes grouped by where they start across the page) are read left
to right, each top to bottom. This keeps column order for two-column bodies, a column
running on below a shorter one, an "article info" column beside the abstract, and text
around full-width figures.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

GUTTER_SLACK = 2.0  # points a box may reach into the next column's start


class Box(Protocol):
    """Anything with a bounding box; ``y`` grows upwards as in PDF space."""

    x0: float
    y0: float
    x1: float
    y1: float


B = TypeVar("B", bound=Box)


def _bands(boxes: list[B]) -> list[list[B]]:
    bands: list[list[B]] = []
    bottom = 0.0
    for box in sorted(boxes, key=lambda b: -b.y1):
        if bands and box.y1 > bottom:  # overlaps the band above: side by side
            bands[-1].append(box)
            bottom = min(bottom, box.y0)
        else:
            bands.append([box])
            bottom = box.y0
    return bands


def _columns(band: list[B]) -> list[list[B]]:
    columns: list[list[B]] = []
    right = 0.0
    for box in sorted(band, key=lambda b: b.x0):
        if columns and box.x0 < right - GUTTER_SLACK:
            columns[-1].append(box)
            right = max(right, box.x1)
        else:
            columns.append([box])
            right = box.x1
    return columns


def _fits_columns(box: Box, columns: list[list[B]]) -> bool:
    """True when ``box`` lies inside one column's stretch of the page (up to the next)."""
    starts = [min(b.x0 for b in col) for col in columns]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else float("inf")
        if box.x0 >= start - GUTTER_SLACK and box.x1 <= end + GUTTER_SLACK:
            return True
    return False


def _merged(bands: list[list[B]]) -> list[list[B]]:
    """Bands joined to the multi-column band above when each box fits one of its columns:
    a column that runs on below a shorter neighbour, column labels above their text, and
    paragraph breaks that happen to line up across columns."""
    out: list[list[B]] = []
    for band in bands:
        if out:
            columns = _columns(out[-1])
            if len(columns) > 1 and all(_fits_columns(b, columns) for b in band):
                out[-1] = out[-1] + band
                continue
        out.append(band)
    return out


def reading_order(boxes: list[B]) -> list[B]:
    """``boxes`` (horizontal text) in reading order."""
    out: list[B] = []
    for band in _merged(_bands(boxes)):
        for column in _columns(band):
            out.extend(sorted(column, key=lambda b: (-b.y1, b.x0)))
    return out
