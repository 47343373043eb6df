"""Child-process entry point: print one PDF's layout as JSON (``python -m ingest.pdftext FILE``).

Run by :func:`ingest.readers.read_pdf_layout` under time and memory limits; a crash here is
reported as a skipped file, never as a failed ingest. pdfminer.six does the layout analysis
(lines, text boxes, reading order of columns); this module only reports what it found:

``{"pages": [{"width", "height", "lines": [{"text", "plain", "size", "box", "bbox",
"vertical"}]}], "info": {key: str}, "xmp": {"prefix:name": [str, ...]}}``

Lines are in reading order (see :mod:`ingest.pdforder`).
``plain`` is the line without characters much smaller than the line's own type (superscript
markers such as author affiliations); ``box`` numbers the text box (paragraph) it is in.
"""

from __future__ import annotations

import json
import logging
import re
import statistics
import sys
import time
from collections.abc import Iterator
from typing import Any

MAX_PAGES = 500
MAX_LINES = 200_000  # keeps the JSON the parent must hold to a few tens of MB
EXIT_ENCRYPTED = 3  # the parent reports "encrypted (needs a password)"
XMP_NAMESPACES = {  # namespace URI prefix -> the short prefix the parent reads
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://prismstandard.org/namespaces/": "prism",  # basic/2.0, 2.1, 3.0 ...
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://ns.adobe.com/pdfx/1.3/": "pdfx",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://crossref.org/crossmark/": "crossmark",
}
_CID = re.compile(r"\(cid:\d+\)")  # glyphs without a Unicode mapping
# TeX's bitmap (Type 3) fonts in the T1 encoding carry no Unicode map: pdfminer reads their
# ligatures, quotes and dashes as "(cid:28)rst", "di(cid:27)erent". These codes are control
# characters in every text encoding, so in a Type 3 font they are T1's glyphs.
_T1_GLYPHS = {
    16: "“", 17: "”", 18: "„", 21: "–", 22: "—", 25: "ı", 26: "ȷ",
    27: "ff", 28: "fi", 29: "fl", 30: "ffi", 31: "ffl",
}  # fmt: skip
_TYPE3 = "unknown"  # the name pdfminer gives a Type 3 font (it has no /BaseFont)
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


def _text_lines(item: Any) -> Iterator[tuple[Any, bool]]:
    """Every text line under a layout item, with whether it was set vertically."""
    from pdfminer.layout import LTTextBox, LTTextBoxVertical, LTTextLine

    if isinstance(item, LTTextBox):
        for line in item:
            if isinstance(line, LTTextLine):
                yield line, isinstance(item, LTTextBoxVertical)
    elif isinstance(item, LTTextLine):
        yield item, False


# A line this long with a space less often than every this many characters lost its
# spaces: pdfTeX with Type 1 fonts draws no space glyphs, and pdfminer's own gap rule
# (a tenth of a glyph's height) misses the narrow word gaps of tightly justified lines.
_SPACELESS_MIN_CHARS = 16
_SPACELESS_CHARS_PER_SPACE = 14
_WORD_GAP_EM = 0.05  # a gap this much wider than the line's letter gaps parts two words


class _Space:
    """A space put back between two glyphs."""

    def get_text(self) -> str:
        return " "


def _glyph(item: Any) -> str:
    """An item's text, with a TeX Type 3 font's unmapped T1 glyphs read as T1 (see above)."""
    text: str = item.get_text()
    if text.startswith("(cid:") and getattr(item, "fontname", None) == _TYPE3:
        match = re.fullmatch(r"\(cid:(\d+)\)", text)
        if match:
            return _T1_GLYPHS.get(int(match.group(1)), text)
    return text


def _items(line: Any, chars: list[Any], size: float, upright: bool) -> list[Any]:
    """The line's glyphs and pdfminer's spaces, with the spaces it lost put back from the
    glyph positions (upright lines that lost them only)."""
    from pdfminer.layout import LTChar

    items = list(line)
    text = line.get_text()
    if not upright or len(chars) < _SPACELESS_MIN_CHARS:
        return items
    if text.count(" ") * _SPACELESS_CHARS_PER_SPACE >= len(chars):
        return items
    gaps = [b.x0 - a.x1 for a, b in zip(chars, chars[1:], strict=False)]
    threshold = statistics.median(gaps) + _WORD_GAP_EM * size
    out: list[Any] = []
    last: Any = None
    for item in items:
        if isinstance(item, LTChar):
            spaced = out and out[-1].get_text() == " "
            if last is not None and item.x0 - last.x1 > threshold and not spaced:
                out.append(_Space())
            last = item
        out.append(item)
    return out


def _inner(items: list[Any], i: int) -> bool:
    """Whether the small glyph ``items[i]`` is a capital inside a word, as the raised "A"
    of the LaTeX logo is, rather than a mark after one ("Eddelbuettel^a", "Rio^1")."""
    text = items[i].get_text()
    if not (text.isalpha() and text.isupper()) or i == 0 or i + 1 >= len(items):
        return False
    return items[i - 1].get_text().isalpha() and items[i + 1].get_text().isalpha()


def _line_json(line: Any, box: int, vertical: bool) -> dict[str, Any] | None:
    from pdfminer.layout import LTChar, LTTextLineHorizontal

    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return None
    size = statistics.median(c.size for c in chars)
    upright = isinstance(line, LTTextLineHorizontal) and not vertical
    items = _items(line, chars, size, upright)
    text = " ".join(_CID.sub("", "".join(_glyph(c) for c in items)).split())
    if not text:
        return None
    # Rotated glyphs (side stamps such as "Downloaded from ...") are not upright.
    rotated = sum(not c.upright for c in chars) > len(chars) / 2
    plain = "".join(
        _glyph(c) if not isinstance(c, LTChar) or c.size >= 0.75 * size or _inner(items, i) else " "
        for i, c in enumerate(items)
    )
    out = {
        "text": text,
        "size": round(size, 2),
        "box": box,
        "bbox": [round(v, 1) for v in line.bbox],
        "vertical": vertical or rotated,
    }
    plain = " ".join(_CID.sub("", plain).split())
    if plain != text:
        out["plain"] = plain
    return out


def _page_json(layout: Any) -> dict[str, Any]:
    from pdfminer.layout import LTTextBox, LTTextBoxVertical, LTTextLine

    from ingest.pdforder import join_line_fragments, reading_order

    text = [item for item in layout if isinstance(item, (LTTextBox, LTTextLine))]
    # Side text runs the page's height: ordering it with the rest would chain every band.
    upright = [item for item in text if not isinstance(item, LTTextBoxVertical)]
    upright = [item for item in upright if item.height < 4 * item.width or len(item) > 1]
    rest = [item for item in text if item not in upright]
    lines = []
    for box, item in enumerate(reading_order(upright) + rest):
        for line, vertical in _text_lines(item):
            found = _line_json(line, box, vertical)
            if found:
                lines.append(found)
    return {
        "width": round(layout.width, 1),
        "height": round(layout.height, 1),
        "lines": join_line_fragments(lines),
    }


def _info(doc: Any) -> dict[str, str]:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    out: dict[str, str] = {}
    for entry in doc.info[:1]:
        for key, value in entry.items():
            value = resolve1(value)
            if isinstance(value, bytes):
                out[str(key)] = decode_text(value)
            elif isinstance(value, str):
                out[str(key)] = value
    return out


def _xmp(doc: Any) -> dict[str, list[str]]:
    """Leaf values of the XMP packet's Dublin Core / PRISM / PDF properties, by prefix:name."""
    import xml.etree.ElementTree as ET

    from pdfminer.pdftypes import resolve1, stream_value

    ref = doc.catalog.get("Metadata")
    if ref is None:
        return {}
    data = stream_value(resolve1(ref)).get_data()
    root = ET.fromstring(data[:2_000_000])
    out: dict[str, list[str]] = {}

    def put(tag: str, value: str | None) -> None:
        ns, _, local = tag[1:].partition("}")
        prefix = next((p for uri, p in XMP_NAMESPACES.items() if ns.startswith(uri)), None)
        if prefix and value and value.strip():
            out.setdefault(f"{prefix}:{local}", []).append(" ".join(value.split()))

    for desc in root.iter(RDF + "Description"):
        for attr, value in desc.attrib.items():
            if attr.startswith("{"):
                put(attr, value)
        for prop in desc:
            items = list(prop.iter(RDF + "li"))
            if items:
                for li in items:
                    put(prop.tag, "".join(li.itertext()))
            else:
                put(prop.tag, "".join(prop.itertext()))
    return out


def main(path: str, budget_s: float | None = None) -> int:
    """Write the PDF's layout and metadata to stdout as one JSON object.

    After ``budget_s`` seconds no further pages are read (``"truncated": true``): a long
    book keeps its first chapters instead of being killed at the parent's time limit.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    logging.disable(logging.WARNING)  # pdfminer warns loudly about harmless oddities
    with open(path, "rb") as fh:
        parser = PDFParser(fh)
        try:
            doc = PDFDocument(parser, password="")
        except PDFPasswordIncorrect:
            print("encrypted (needs a password)", file=sys.stderr)
            return EXIT_ENCRYPTED
        # detect_vertical: text set top-to-bottom becomes its own (droppable) boxes;
        # boxes_flow=None: ingest.pdforder puts the boxes in reading order (pdfminer's own
        # ordering read a right column first where it ended in a short block).
        params = LAParams(detect_vertical=True, boxes_flow=None)
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=params)
        interpreter = PDFPageInterpreter(manager, device)
        pages = []
        started = time.monotonic()
        truncated = False
        n_lines = 0
        for i, page in enumerate(PDFPage.create_pages(doc)):
            if (
                i >= MAX_PAGES
                or n_lines >= MAX_LINES
                or (budget_s and time.monotonic() - started > budget_s)
            ):
                truncated = True
                break
            try:
                interpreter.process_page(page)
                pages.append(_page_json(device.get_result()))
                n_lines += len(pages[-1]["lines"])
            except MemoryError:
                raise  # the parent reports "ran out of memory"
            except Exception:  # noqa: BLE001 - one damaged page must not cost the others
                pages.append({"width": 612, "height": 792, "lines": [], "damaged": True})
        result: dict[str, Any] = {"pages": pages, "info": {}, "xmp": {}, "truncated": truncated}
        try:
            result["info"] = _info(doc)
        except Exception:  # noqa: BLE001 - damaged metadata must not cost the text
            pass
        try:
            result["xmp"] = _xmp(doc)
        except Exception:  # noqa: BLE001
            pass
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


def _run(argv: list[str]) -> int:
    """``main`` with any failure reported as one line on stderr (the parent shows it)."""
    try:
        return main(argv[1], float(argv[2]) if len(argv) > 2 else None)
    except Exception as err:  # noqa: BLE001 - a hostile file may raise anything
        print(f"{type(err).__name__}: {err}"[:160].replace("\n", " "), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(_run(sys.argv))
