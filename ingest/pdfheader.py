"""An article's front matter read as blocks, by type size, position and what they say.

GROBID's header model labels whole zones of the first page (title, byline, affiliation,
address, e-mail, dates, copyright, submission notes) rather than single lines; so does
this module, with pdfminer's text boxes as the zones. A block in small type that names an
e-mail address, an affiliation, a correspondence address, the manuscript's dates, a
copyright, licence or permission notice, or how to cite the article is front matter as a
whole: its other lines ("which permits unrestricted use, distribution …") go with it,
out of the indexed text, and its text is where venue, year and DOI are looked for. A
block in body type is front matter only when it opens with such a label ("Received: …",
"Correspondence: …"), so prose that mentions an e-mail or a licence stays content.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.pdfpages import Line, Page, body_size, join_lines

_DATE_NEXT = r"[:\s]+(?:on\s+)?(?:\d|[A-Z][a-z]{2,8}\.?\s+\d)"
# Labels that open a front-matter block, in whatever type it is set.
_OPENS = re.compile(
    r"^\W{0,3}(?:"
    r"correspond\w*|\*?\s*to whom correspondence|e-?mails?\s*(?:addresses?)?\s*:|"
    rf"(?:manuscript\s+)?(?:received|accepted|revised|published(?: online)?|available online|"
    rf"first published|date of (?:publication|current version)){_DATE_NEXT}|"
    r"article history|academic editor|handling editor|edited by|reviewed by|editor\s*:|"
    r"date\s*:|copyright|©|\(c\)\s*(?:19|20)\d\d|licen[cs]e[ds]?\b|"
    r"this (?:is an open[- ]access|article is (?:an open[- ]access|distributed|licensed|"
    r"published))|open access\b.{0,40}\b(?:distributed|licen[cs]e)|"
    r"permission to (?:make|copy|reproduce)|"
    r"how to cite|cite this (?:article|paper)|to cite this article|please cite this|"
    r"citation\s*:|preprint submitted|submitted to\b|under review\b|"
    r"published as a (?:conference )?paper|accepted (?:at|to|for publication in)\b|"
    r"to appear in\b|author manuscript|accepted manuscript|arxiv:|"
    r"this is an? (?:pre-?print|version|author'?s? (?:version|manuscript)) of an? "
    r"(?:article|paper)\b"
    r")",
    re.IGNORECASE,
)
# What marks a block in small type as front matter wherever it says it ...
_NOTICES = (
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|©|\bcopyright\b|creative commons|\blicen[cs]e|"
    r"all rights reserved|permission to (?:make|copy)|\bcorrespond|"
    r"\b(?:received|accepted|revised)\b.{0,40}\b(?:19|20)\d\d|is with the\b|"
    r"\bproceedings of\b|how to cite|cite this article"
)
_MENTIONS = re.compile(_NOTICES, re.IGNORECASE)
# ... and, on the first page, what addresses and identifiers look like.
_FIRST_PAGE_MENTIONS = re.compile(
    _NOTICES + r"|\bdoi\b|10\.\d{4,9}/|\b(?:department|dept\.|universit\w*|institut\w*|"
    r"school of|faculty of|college|hospital|laborator\w*|centre|center)\b",
    re.IGNORECASE,
)
_CITE = re.compile(  # "Citation:" needs its colon: "Citations to the references …" is prose
    r"^\W{0,3}(?:(?:how to cite(?: this (?:article|paper))?|cite this (?:article|paper)(?: as)?|"
    r"to cite this article|please cite this (?:article|paper)(?: as)?)\b|citation\s*:)",
    re.IGNORECASE,
)
SMALL = 0.4  # points below the body type that make a block small type


def blocks(lines: list[Line]) -> Iterator[list[Line]]:
    """Consecutive lines of one text box."""
    run: list[Line] = []
    for ln in lines:
        if run and ln.box != run[-1].box:
            yield run
            run = []
        run.append(ln)
    if run:
        yield run


def block_text(block: list[Line]) -> str:
    """The block's lines as one string."""
    return join_lines([ln.text for ln in block])


def _size(block: list[Line]) -> float:
    return body_size(block)


def is_front_block(block: list[Line], body: float, first_page: bool = True) -> bool:
    """True for a zone of front matter: labelled as such, or small type that names an
    address, a date of the manuscript, a notice or a citation on most of its lines (an
    abstract in small type that mentions a hospital once is not)."""
    text = block_text(block)
    if _OPENS.match(text):
        return True
    if _size(block) >= body - SMALL:
        return False
    rule = _FIRST_PAGE_MENTIONS if first_page else _MENTIONS
    return 3 * sum(1 for _ in rule.finditer(text)) >= len(block)


def is_cite_block(block: list[Line]) -> bool:
    """True for a "How to cite" / "Cite this article as" block."""
    return _CITE.match(block_text(block)) is not None


def front_blocks(lines: list[Line], body: float, first_page: bool) -> list[list[Line]]:
    """The blocks of ``lines`` (one page's content) that are front matter."""
    return [b for b in blocks(lines) if is_front_block(b, body, first_page)]


def cite_blocks(pages: list[Page]) -> list[list[Line]]:
    """ "How to cite" blocks anywhere (journals print them on the first or the last page)."""
    return [b for p in pages for b in blocks(p.lines) if is_cite_block(b)]


def is_body_block(block: list[Line], body: float) -> bool:
    """A block that reads as the article's running text: body type, lines of prose (not the
    short lines of a name, an address or an author grid's cell), not front matter."""
    words = sum(len(ln.text.split()) for ln in block)
    addresses = sum(1 for _ in _FIRST_PAGE_MENTIONS.finditer(block_text(block)))
    return (
        _size(block) >= body - SMALL
        and words >= 15
        and words >= 5 * len(block)
        and 2 * addresses < len(block)
        and not is_front_block(block, body)
    )


_ARXIV = re.compile(r"\barXiv:\s*(?:(\d{2})(\d{2})\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/(\d{2})\d{5})")


def arxiv_year(texts: list[str]) -> int | None:
    """The year of an arXiv identifier stamped on the pages (its first version's month)."""
    for text in texts:
        match = _ARXIV.search(text)
        if match:
            yy = int(match.group(1) or match.group(3))
            return (1900 if yy > 90 else 2000) + yy
    return None
