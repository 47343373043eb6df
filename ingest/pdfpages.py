"""PDF pages as laid out lines: cover pages, page furniture and the article's body text.

Works on the JSON that :mod:`ingest.pdftext` prints. Page furniture is what a publisher
repeats on the page margins (running heads, "Downloaded from ..." footers, page numbers)
and text set vertically along the edge; none of it is the paper's content.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

TOP_ZONE = 0.12  # fraction of the page height where running heads live
BOTTOM_ZONE = 0.10
HEAD_MAX_SIZE = 1.2  # running heads are set no larger than this times the body type
REPEAT_SHARE = 0.4  # a margin line on this share of pages (and at least two) is furniture
COVER_MAX_WORDS = 400  # cover sheets are short; a first page of prose is not one

_COVER_MARKS = re.compile(
    r"downloaded by|to cite this article|terms (?:and|&) conditions|full terms|"
    r"scroll down for|link to this article|view related articles|submit your article|"
    r"view crossmark|article views|jstor|your use of|repository copy|takedown|"
    r"citation for published version|general rights|this article may be used for research|"
    r"accepted manuscript|unedited manuscript|please cite this article as|to appear in:|"
    r"published by:|publisher:",
    re.IGNORECASE,
)
_ABSTRACT = re.compile(  # case matters: "Abstract Syntax Notation" is prose, not a label
    r"^(?i:abstract|summary)\s*[:.—–-]?$|^(?i:abstract|summary)\s*[:.—–-]\s*\S|"
    r"^(?:ABSTRACT|SUMMARY)\s+\S|^(?:Abstract|Summary)\s+[A-Z]\w+:"
)
# Capitalised: a wrapped line of prose may start "downloaded from the registry ...".
_DOWNLOAD = re.compile(
    r"^(?:This (?:article|content) was )?(?:Downloaded|DOWNLOADED) (?i:from|by)\b"
)
_PAGE_NO = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_REFERENCES = re.compile(
    r"^(?:[0-9IVX]+(?:\.\d+)*\.?\s*)?(?:references?(?: list| cited)?|bibliography|"
    r"literature cited|works cited|cited literature|références|bibliographie|literatur)"
    r"\s*:?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?:;)\]\"”]$")


@dataclass(eq=False)
class Line:
    """One laid-out line of text; ``y0``/``y1`` are from the page's bottom edge."""

    text: str
    plain: str
    size: float
    x0: float
    y0: float
    x1: float
    y1: float
    box: int
    vertical: bool


@dataclass
class Page:
    """One page: its number in the file (1-based) and its lines in reading order."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)

    def in_margin(self, line: Line) -> bool:
        """True when ``line`` sits in the top or bottom margin band."""
        return line.y0 >= self.height * (1 - TOP_ZONE) or line.y1 <= self.height * BOTTOM_ZONE

    def in_top(self, line: Line) -> bool:
        """True when ``line`` sits in the top margin band (running heads)."""
        return line.y0 >= self.height * (1 - TOP_ZONE)


def pages_from_json(data: dict[str, Any]) -> list[Page]:
    """The pages of :mod:`ingest.pdftext`'s output."""
    pages = []
    for number, raw in enumerate(data.get("pages") or [], start=1):
        page = Page(number, float(raw.get("width") or 612), float(raw.get("height") or 792))
        for ln in raw.get("lines") or []:
            x0, y0, x1, y1 = (float(v) for v in ln["bbox"])
            text = fix_accents(str(ln["text"]))
            page.lines.append(
                Line(
                    text,
                    fix_accents(str(ln["plain"])) if "plain" in ln else text,
                    float(ln["size"]),
                    x0,
                    y0,
                    x1,
                    y1,
                    int(ln["box"]),
                    bool(ln.get("vertical")),
                )
            )
        pages.append(page)
    return pages


# Accents that TeX sets as glyphs of their own ("Sundstr¨om", "Sundstr ¨ om") and combining
# marks after their letter: put on the letter, in NFC.
_SPACING_ACCENTS = {
    "¨": "\u0308", "´": "\u0301", "`": "\u0300", "ˆ": "\u0302", "˜": "\u0303", "¸": "\u0327",
    "ˇ": "\u030c", "˘": "\u0306", "˚": "\u030a", "˝": "\u030b", "˛": "\u0328", "¯": "\u0304",
}  # fmt: skip
_ACCENT_BEFORE = re.compile(
    "(?:(?<=[^\\W\\d_]) )?([" + "".join(_SPACING_ACCENTS) + "]) ?([^\\W\\d_])"
)


# Typographic ligatures ("ﬁ", "ﬀ", "ﬃ"): fonts map them to one character, which no query
# typed on a keyboard matches ("signiﬁcant" is not "significant").
_LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}


def fix_accents(text: str) -> str:
    """``text`` with separately set accents joined to their letters and ligatures undone."""
    text = text.translate(_LIGATURES)
    if _ACCENT_BEFORE.search(text):
        text = _ACCENT_BEFORE.sub(lambda m: m.group(2) + _SPACING_ACCENTS[m.group(1)], text)
        text = re.sub(r"(?<=\w) (?=[\u0300-\u036f])", "", text)
    return unicodedata.normalize("NFC", text)


def is_abstract_label(text: str) -> bool:
    """'Abstract', 'ABSTRACT Peer ...', 'Abstract: ...', 'Abstract Background: ...'."""
    return _ABSTRACT.match(text.strip()) is not None


def is_cover(page: Page) -> bool:
    """True for a publisher's cover sheet (citation notice, terms of use, download stamp)."""
    text = " ".join(ln.text for ln in page.lines)
    marks = {m.group(0).lower() for m in _COVER_MARKS.finditer(text)}
    # An article's own first page may carry a notice too, but it has an abstract or prose.
    if any(is_abstract_label(ln.text) for ln in page.lines):
        return False
    return len(marks) >= 2 and len(text.split()) < COVER_MAX_WORDS


def is_stamp(line: Line) -> bool:
    """True for side text and "Downloaded from/by ..." stamps, wherever they sit."""
    return line.vertical or _DOWNLOAD.match(line.text) is not None


def furniture_key(text: str) -> str:
    """A margin line's identity across pages: case-folded, digits and punctuation blurred."""
    text = re.sub(r"\d+", "#", text.casefold())
    return " ".join(re.sub(r"[^\w#]+", " ", text).split())


@dataclass
class Furniture:
    """Which lines are page furniture, and the running heads/footers seen (for the venue)."""

    lines: set[Line]
    heads: list[str]
    body_size: float


def find_furniture(pages: list[Page]) -> Furniture:
    """Running heads/footers repeated on most pages, page numbers, download stamps, side text."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({furniture_key(ln.text) for ln in page.lines if page.in_margin(ln)})
    need = max(2.0, REPEAT_SHARE * len(pages))
    repeated = {key for key, n in counts.items() if n >= need and key}
    body = body_size([ln for page in pages for ln in page.lines])
    found: set[Line] = set()
    heads: list[str] = []
    for page in pages:
        for ln in page.lines:
            margin = page.in_margin(ln)
            again = furniture_key(ln.text) in repeated
            # Short papers repeat nothing: a short line in small type on the margin band
            # is a running head or footer all the same.
            small = ln.size < body - 0.4 and len(ln.text.split()) <= 15
            # Never larger than the text: a title repeated as running head stays a title.
            head = (
                margin and not ln.vertical and ln.size <= body * HEAD_MAX_SIZE and (again or small)
            )
            if is_stamp(ln) or head or (margin and _PAGE_NO.match(ln.text.strip())):
                found.add(ln)
                # Journals name themselves in running heads and in repeated footers
                # ("PLOS ONE | https://doi.org/... | March 5, 2019").
                # Only repeated ones: a small line at the top of one later page may be a
                # reference entry or a footnote naming another paper's journal.
                if head and not is_stamp(ln) and again:
                    heads.append(ln.text)
    return Furniture(found, heads, body)


def body_size(lines: list[Line]) -> float:
    """The type size most of the text is set in."""
    weight: Counter[float] = Counter()
    for ln in lines:
        weight[round(ln.size * 2) / 2] += len(ln.text)
    return weight.most_common(1)[0][0] if weight else 0.0


_SPLIT_CAPITAL = re.compile(r"^(\W*[A-Z]) (?=[A-Z]{3,})")  # "R EFERENCES": a small-caps heading
_HEADING_WORDS = ("REFERENCES", "BIBLIOGRAPHY", "LITERATURE CITED", "WORKS CITED")


def is_references_heading(text: str) -> bool:
    """True for a 'References' / 'Bibliography' / 'Literature cited' heading line, also set
    in small capitals that pdfminer splits ("R EFERENCES") or whose larger first capital
    it reads as a line of its own ("EFERENCES")."""
    text = _SPLIT_CAPITAL.sub(r"\1", text.strip())
    bare = re.sub(r"^[0-9IVX]+(?:\.\d+)*(?:\.\s*|\s+)", "", text)
    if any(bare == word[1:] for word in _HEADING_WORDS):
        return True
    starts_well = text[:1].isupper() or text[:1].isdigit()  # not a wrapped line of prose
    return starts_well and _REFERENCES.match(text) is not None


# What the entries of a reference list look like: a year in parentheses or before a stop,
# "et al.", a DOI or URL, a numbered entry, volume(issue): pages, "pp.".
_REFERENCE_LIKE = re.compile(
    r"\((?:19|20)\d\d[a-z]?\)|\b(?:19|20)\d\d[a-z]?[.;,)]|\bet al\b|\bdoi\b|10\.\d{4,}/|"
    r"https?://|^\s*\[\d{1,3}\]|^\s*\d{1,3}\.\s+\S|\d+\s*\(\d+\)\s*[:,]\s*\d|\bpp?\.\s*\d",
    re.IGNORECASE,
)
_FOLLOWING = 8  # lines after a heading looked at for reference entries


def _beside(page: Page, line: Line) -> bool:
    """Whether short pieces of text share the line's baseline: a table's header row, or a
    contents line whose dots and page number pdfminer set apart. (The other column's
    paragraph beside a heading is a box of many lines.)"""
    sizes = Counter(ln.box for ln in page.lines)
    return any(
        other is not line
        and other.box != line.box
        and sizes[other.box] <= 2
        and not other.vertical
        and abs(other.y0 - line.y0) < max(line.size, 1) * 0.5
        and not page.in_margin(other)
        for other in page.lines
    )


def references_start(page: Page, following: Page | None = None) -> int | None:
    """Index of the page's references heading: a heading line opening its own text box,
    alone on its row, followed by lines that look like reference entries (a table column
    "Reference" or a contents line "References ... 11" is not where the body ends)."""
    for i, line in enumerate(page.lines):
        opens_box = i == 0 or page.lines[i - 1].box != line.box
        if not (opens_box and is_references_heading(line.text)) or _beside(page, line):
            continue
        after = [ln.text for ln in page.lines[i + 1 : i + 1 + _FOLLOWING]]
        if len(after) < _FOLLOWING and following is not None:
            after += [ln.text for ln in following.lines[: _FOLLOWING - len(after)]]
        entries = sum(bool(_REFERENCE_LIKE.search(t)) for t in after)
        if not after or entries * 3 >= len(after):
            return i
    return None


def join_lines(lines: list[str], keep_hyphens: bool = False) -> str:
    """Lines of one paragraph as one string, words hyphenated at a line's end rejoined.

    ``keep_hyphens`` for ragged-right text such as titles, where a line-end hyphen is the
    word's own ("mixed-" + "methods"), not the typesetter's.
    """
    out = ""
    for text in lines:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and text[:1].islower():
            out = (out if keep_hyphens else out[:-1]) + text
        else:
            out = f"{out} {text}" if out else text
    return out


@dataclass
class Body:
    """The article's running text and where each page's part of it starts."""

    text: str
    page_starts: list[list[int]]


def _paragraphs(lines: list[Line]) -> list[str]:
    """Lines grouped by text box into paragraphs."""
    paras: list[list[str]] = []
    last_box: int | None = None
    for ln in lines:
        if last_box is None or ln.box != last_box:
            paras.append([])
        paras[-1].append(ln.text)
        last_box = ln.box
    return [join_lines(p) for p in paras if p]


def assemble_body(pages: list[Page], keep: dict[int, list[Line]]) -> Body:
    """Join the kept lines of each page into paragraphs; a paragraph cut by a column or
    page break (no sentence end, next part starts in lower case) is joined back."""
    text = ""
    starts: list[list[int]] = []
    for page in pages:
        paras = _paragraphs(keep.get(page.number, []))
        if not paras:
            continue
        for i, para in enumerate(paras):
            if not text:
                sep = ""
            elif text.endswith("-") and text[-2:-1].isalpha() and para[:1].islower():
                text, sep = text[:-1], ""  # a word hyphenated across the break
            elif not _SENTENCE_END.search(text) and para[:1].islower():
                sep = " "
            else:
                sep = "\n\n"
            if i == 0:
                starts.append([len(text) + len(sep), page.number])
            text += sep + para
    return Body(text, starts)
