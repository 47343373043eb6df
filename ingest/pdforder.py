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

from typing import Any, Protocol, TypeVar

GUTTER_SLACK = 2.0  # points a box may reach into the next column's start
ALIGN_SLACK = 12.0  # points from a column's left edge that still start a line there
COLUMN_SHARE = 0.5  # of a column's width that a box continuing it fills, if not aligned


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
    """True when ``box`` lies inside one column's stretch of the page (up to the next) and
    reads as that column's text: it starts at the column's left edge (a paragraph, a
    label over its text) or fills half its width. A label centred on the page under an
    author grid ("Abstract") does neither under the cell it happens to lie beneath."""
    starts = [min(b.x0 for b in col) for col in columns]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else float("inf")
        if box.x0 >= start - GUTTER_SLACK and box.x1 <= end + GUTTER_SLACK:
            width = max(b.x1 for b in columns[i]) - start
            aligned = abs(box.x0 - start) <= ALIGN_SLACK
            return aligned or box.x1 - box.x0 >= COLUMN_SHARE * width
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


BASELINE_SLACK = 0.3  # of the type size: two pieces this close in height share a baseline


def _key(line: dict[str, Any]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = line["bbox"]
    return x0, y0, x1, y1


def join_line_fragments(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lines (``ingest.pdftext``'s dicts, in reading order) with the pieces pdfminer cut off
    a line at a wide justified gap put back at its end.

    pdfminer ends a line where two words are far apart; in a column of justified text the
    right-hand pieces of two lines in a row then become a box of their own, which is read
    after the column (or before its left pieces). A piece belongs to the line that ends to
    its left on the same baseline inside the same column: every line of a box of such
    pieces has one, in one box, whose column reaches past the piece (a true neighbouring
    column starts where the other ends)."""
    boxes: dict[int, list[dict[str, Any]]] = {}
    for ln in lines:
        boxes.setdefault(ln["box"], []).append(ln)
    right = {b: max(_key(ln)[2] for ln in lns) for b, lns in boxes.items()}
    left = {b: min(_key(ln)[0] for ln in lns) for b, lns in boxes.items()}
    joined: dict[int, dict[str, Any]] = {}  # id(piece) -> the line it joins
    for b, pieces in boxes.items():
        hosts = []
        for piece in pieces:
            x0, y0, x1, _ = _key(piece)
            slack = BASELINE_SLACK * piece["size"]
            partners = [
                ln
                for ln in lines
                if ln["box"] != b
                and not ln.get("vertical")
                and not piece.get("vertical")
                and abs(_key(ln)[1] - y0) <= slack
                and _key(ln)[2] <= x0 + 1
                and left[ln["box"]] <= _key(ln)[0]
                and right[ln["box"]] >= x1 - GUTTER_SLACK
            ]
            if not partners:
                break
            hosts.append(max(partners, key=lambda ln: _key(ln)[2]))
        else:
            if hosts and len({h["box"] for h in hosts}) == 1:
                for piece, host in zip(pieces, hosts, strict=True):
                    joined[id(piece)] = host
    if not joined:
        return lines
    out: list[dict[str, Any]] = []
    for ln in lines:
        found = joined.get(id(ln))
        if found is None:
            out.append(ln)
            continue
        host = found
        host["text"] = f"{host['text']} {ln['text']}"
        if "plain" in host or "plain" in ln:
            host["plain"] = f"{host.get('plain', host['text'])} {ln.get('plain', ln['text'])}"
        hx0, hy0, hx1, hy1 = _key(host)
        host["bbox"] = [hx0, min(hy0, _key(ln)[1]), max(hx1, _key(ln)[2]), max(hy1, _key(ln)[3])]
    return out
