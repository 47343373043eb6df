"""One record per article PDF: its metadata, and its body text with page numbers.

Metadata in order of trust: the PDF's XMP/Info fields when plausible, then the first
article page's layout. The body runs from the abstract to the references heading; the
publisher's cover page, running heads/footers, page numbers and side stamps are left out.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest.clean import strip_abstract_label
from ingest.errors import SkipFile
from ingest.language import detect_language
from ingest.pdffront import fill_fields, title_and_byline
from ingest.pdfheader import block_text, blocks, cite_blocks, front_blocks, is_body_block
from ingest.pdfmeta import Meta, confirm, embedded_meta
from ingest.pdfpages import (
    HEAD_MAX_SIZE,
    Body,
    Line,
    Page,
    assemble_body,
    find_furniture,
    is_abstract_label,
    is_cover,
    is_stamp,
    pages_from_json,
    references_start,
)
from ingest.readers import read_pdf_layout
from vocab.record import ReadRecords, Record

log = logging.getLogger(__name__)
FRONT_PAGES = 2  # DOIs and dates are looked for on this many article pages


def pdf_records(path: Path, data: bytes, display: str) -> list[Record]:
    """The article in the PDF at ``path`` (bytes ``data``), shown as ``display``."""
    layout = read_pdf_layout(path, data)
    try:
        record = record_from_layout(layout, display)
    except Exception:  # noqa: BLE001 - an odd layout must cost the metadata, not the file
        log.warning("PDF layout analysis failed on %r; keeping its plain text", display)
        try:
            record = _plain_record(pages_from_json(layout), display)
        except Exception:  # noqa: BLE001
            raise SkipFile("broken PDF (its text could not be laid out)") from None
    if not record.title and not record.abstract:
        raise SkipFile("no paper text found (only boilerplate or very short text)")
    note = little_text(record.abstract, len(layout.get("pages", [])))
    return ReadRecords([record], [note] if note else [])


LOW_WORDS_PER_PAGE = 40  # an article page holds several hundred; a figure page still some
RUN_TOGETHER_CHARS = 14  # an average "word" this long is words run together


def little_text(text: str, pages: int) -> str | None:
    """A note for a PDF whose text is short for its pages (and why it may be), else None."""
    words = text.split()
    if pages <= 0 or not words:
        return f"little text: no words on {pages} pages (scanned images without a text layer?)"
    if sum(map(len, words)) / len(words) >= RUN_TOGETHER_CHARS:
        return f"little text: {len(words)} words on {pages} pages, run together (no spaces)"
    if len(words) < LOW_WORDS_PER_PAGE * pages:
        return (
            f"little text: {len(words)} words on {pages} pages "
            "(scanned pages or figures without a text layer?)"
        )
    return None


def _first_page_lines(
    lines: list[Line], used: set[Line], body: float
) -> tuple[list[Line], list[Line]]:
    """The first article page's header and its content: the content runs from the abstract
    label on, else from the first block of running text under the byline (affiliations,
    correspondence, dates and licence blocks between them are header)."""
    for i, line in enumerate(lines):
        if is_abstract_label(line.text):
            rest = strip_abstract_label(line.text)
            if rest.rstrip(":.").casefold() in {"abstract", "summary"}:
                return lines[:i], lines[i + 1 :]
            return lines[:i], [replace(line, text=rest), *lines[i + 1 :]]
    start = max((lines.index(ln) + 1 for ln in used), default=0)
    at = start
    for block in blocks(lines[start:]):
        if is_body_block(block, body):
            break
        at += len(block)
    else:
        at = start  # no running text found: keep what follows the byline
    return lines[:at], lines[at:]


def _until_references(article: list[Page], content: dict[int, list[Line]]) -> dict[int, list[Line]]:
    """Content lines per page up to the references heading, and from an appendix heading
    after the reference list on (appendices and annexes printed after the references are
    the paper's text; what else follows them, such as an "Affiliation:" block, is not).

    The heading is looked for among all of a page's lines: set in small type at the top
    of a page it may have been taken for a running head.
    """
    keep: dict[int, list[Line]] = {}
    in_references = False
    for n, page in enumerate(article):
        lines, at = page.lines, 0
        kept: list[Line] = []
        while at < len(lines):
            if in_references:
                resume = _appendix_start(lines, at)
                if resume is None:
                    break
                in_references, at = False, resume
            following = article[n + 1] if n + 1 < len(article) else None
            stop = references_start(Page(page.number, page.width, page.height, lines[at:]),
                                    following)  # fmt: skip
            end = len(lines) if stop is None else at + stop
            closing = _end_matter_start(lines, at, end)
            if closing is not None:
                kept += lines[at:closing]
                in_references, at = True, closing + 1  # what follows is no text either
                continue
            kept += lines[at:end]
            if stop is None:
                break
            in_references, at = True, end + 1
        chosen = set(kept)
        keep[page.number] = [ln for ln in content[page.number] if ln in chosen]
    return keep


_APPENDIX = re.compile(
    r"^(?:[A-Z0-9]{1,2}\.?\s+)?(?:appendix|appendices|annex|supplementary "
    r"(?:material|information|methods))\b",
    re.IGNORECASE,
)
APPENDIX_HEADING_WORDS = 12


_END_MATTER = re.compile(
    r"^(?:affiliations?|authors?[’']? (?:addresses|affiliations|information)|"
    r"about the authors?|authors?[’']? biograph(?:y|ies))\s*:?$",
    re.IGNORECASE,
)


def _end_matter_start(lines: list[Line], at: int, end: int) -> int | None:
    """Index of an end-matter heading between ``at`` and ``end`` ("Affiliation:", "About
    the authors"): the authors' addresses a journal prints after the text."""
    for i in range(at, end):
        opens = i == 0 or lines[i - 1].box != lines[i].box
        if opens and _END_MATTER.match(lines[i].text.strip()):
            return i
    return None


def _appendix_start(lines: list[Line], at: int) -> int | None:
    """Index of the first appendix heading from ``lines[at]`` on: a short line opening its
    text box, "Appendix A …", "ANNEX B:", "Supplementary material"."""
    for i in range(at, len(lines)):
        line = lines[i]
        opens = i == 0 or lines[i - 1].box != line.box
        text = line.text.strip()
        short = len(text.split()) <= APPENDIX_HEADING_WORDS
        if opens and short and text[:1].isupper() and _APPENDIX.match(text):
            return i
    return None


def _plain_record(pages: list[Page], display: str) -> Record:
    body = assemble_body(pages, {p.number: p.lines for p in pages})
    return _record(body, display)


def _record(body: Body, display: str) -> Record:
    return Record(
        abstract=body.text,
        page_starts=body.page_starts,
        language=detect_language(body.text),
        kind="pdf",
        origins=[display],
        path=display,
    )


def record_from_layout(layout: dict[str, Any], display: str) -> Record:
    """The article record from :mod:`ingest.pdftext`'s output."""
    pages = pages_from_json(layout)
    cover: list[Page] = []
    if len(pages) > 1 and is_cover(pages[0]):
        cover, pages = pages[:1], pages[1:]
    article = [p for p in pages if p.lines]
    furniture = find_furniture(article)
    body = furniture.body_size
    content = {p.number: [ln for ln in p.lines if ln not in furniture.lines] for p in article}
    first = next((p for p in article if content[p.number]), article[0])
    heads = list(
        dict.fromkeys(
            [
                ln.text
                for ln in first.lines
                if first.in_top(ln) and not ln.vertical and ln.size <= body * HEAD_MAX_SIZE
            ]
            + furniture.heads
        )
    )
    front = title_and_byline(first, content[first.number], heads, body)
    # A journal's citation line may sit above the title, below the margin band ("Electron.
    # Commun. Probab. 0 (2020), article no. 0, 1–5."): a running head all the same.
    if front.used:
        top = max(ln.y1 for ln in front.used)
        heads += [
            ln.text
            for ln in first.lines
            if ln.y0 > top and not ln.vertical and ln.size <= body * HEAD_MAX_SIZE
            and ln.text not in heads
        ]  # fmt: skip
    kept = _until_references(article, content)
    header, kept[first.number] = _first_page_lines(kept.get(first.number, []), front.used, body)
    # Front matter is read from the header, the margins of the first pages, front-matter
    # blocks (affiliations, dates, notices) and "How to cite" blocks: never from the body
    # or the reference list, whose citations name other papers' journals and years.
    cites = cite_blocks(article)
    out = {ln for block in cites for ln in block}
    evidence = [ln.text for p in cover for ln in p.lines if not is_stamp(ln)]
    evidence += [ln.text for ln in header]
    for p in article[:FRONT_PAGES]:
        evidence += [ln.text for ln in p.lines if ln in furniture.lines and not is_stamp(ln)]
    for number, lines in kept.items():
        for block in front_blocks(lines, body, first_page=number == first.number):
            out.update(block)
            if number in {p.number for p in article[:FRONT_PAGES]}:
                evidence += [ln.text for ln in block] + [block_text(block)]
    for number, lines in kept.items():
        kept[number] = [ln for ln in lines if ln not in out]

    embedded = embedded_meta(layout.get("info") or {}, layout.get("xmp") or {})
    meta = confirm(embedded, "\n".join(evidence + [ln.text for ln in front.used]))
    fill_fields(
        front.meta,
        heads,
        evidence,
        [block_text(b) for b in cites] + [ln.text for b in cites for ln in b],
        [ln.text for p in article for ln in p.lines if ln.vertical],
    )
    _prefer_printed(meta, front.meta)
    meta.fill_from(front.meta)
    record = _record(assemble_body(article, kept), display)
    record.title = meta.title
    record.authors = tuple(meta.authors)
    record.year = meta.year
    record.online_year = meta.online_year if meta.online_year != meta.year else None
    record.venue = meta.venue
    record.doi = meta.doi
    if record.language is None and record.title:
        record.language = detect_language(record.title)
    return record


def _prefer_printed(embedded: Meta, printed: Meta) -> None:
    """Drop embedded values the printed front matter shows to be incomplete: a title with
    the journal's name appended ("Title - Journal of X"), an author list that is a part of
    the printed byline (a word processor's account name)."""
    if embedded.title and printed.title:
        mine, theirs = _key(embedded.title), _key(printed.title)
        if mine != theirs and theirs in mine:
            embedded.title = printed.title
    same_count = embedded.authors and len(printed.authors) == len(embedded.authors)
    if same_count and not any("," in a for a in embedded.authors):
        # The same people as the byline prints them, typed by hand into a plain Author field:
        # the byline's spelling ("Benjamin M. Bolker" for "Ben Bolker") is the page's.
        if all(
            _key(a).split()[-1:] == _key(b).split()[-1:]
            for a, b in zip(embedded.authors, printed.authors, strict=True)
        ):
            embedded.authors = printed.authors
    if embedded.authors and len(printed.authors) > len(embedded.authors):
        families = {_key(a.split(",")[0] if "," in a else a.split()[-1]) for a in printed.authors}
        if all(
            _key(a.split(",")[0] if "," in a else a.split()[-1]) in families
            or any(w in families for w in _key(a).split())
            for a in embedded.authors
        ):
            embedded.authors = printed.authors


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())
