"""Metadata read from the first article page's layout: title, authors, DOI, year, journal.

The largest type on the page (above the body text size) is the title; the line(s) right
under it that parse as personal names are the authors; the journal comes from a running
head or the citation line at the top ("Journal of X, 2019, Vol. 28, No. 3"); the year from
that citation line, a copyright line or the publication dates.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.clean import smart_title_case
from ingest.families.common import find_doi
from ingest.pdfheader import arxiv_year, is_body_block
from ingest.pdfmeta import Meta, parse_names, plausible_title
from ingest.pdfpages import Line, Page, body_size, furniture_key, is_abstract_label, join_lines

_YEAR = r"((?:19|20)\d\d)(?!\d)"
_CITATION = re.compile(
    r"\b(?:vol|volume|no|issue|pp)\b\.?\s*\d|\d+\s*\(\d+\)|\d+:e?\d+", re.IGNORECASE
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# A date as articles print them: "12 March 2019", "March 12, 2019", "2019-03-12", "12.03.2019".
_DATE = (
    r"(?:on\s+)?(?:(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    + _MONTH
    + r"\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?"
    r"(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d|\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d)"
)
_YEAR_RULES = [  # (kind, pattern); the year is the last one in the match
    ("cite", re.compile(r"(?:how to cite|cite this (?:article|paper)|to cite this article|"
                        r"please cite)\b.*?\b(?:19|20)\d\d(?!\d)", re.I)),
    ("citation", re.compile(r"\bproceedings of\b.*?\b(?:19|20)\d\d(?!\d)", re.I)),
    ("copyright", re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:19|20)\d\d(?!\d)", re.I)),
    ("published", re.compile(r"\bpublished(?: in print)?\s*:?\s*" + _DATE, re.I)),
    ("online", re.compile(r"(?:published online|first published(?: online)?|available online|"
                          r"online publication date|epub ahead of print|online first)\s*:?\s*"
                          + _DATE, re.I)),
    ("accepted", re.compile(r"\baccepted(?: for publication)?\s*:?\s*" + _DATE, re.I)),
    # A line of the header that is only a date: the document's own ("Jan 2015", "(Dated:
    # August 10, 2010)", "This version was compiled on January 11, 2022").
    ("dated", re.compile(r"^\W*(?:(?:dated|date|draft(?: version| of)?|version|this version "
                         r"was (?:compiled|typeset) on)\s*:?\s*)?" + _DATE + r"\W*$", re.I)),
]  # fmt: skip
_ACCESS = re.compile(r"download|accessed|printed|retrieved|\bat \d\d?:\d\d", re.IGNORECASE)
_LABEL = re.compile(  # article-type labels printed above titles and in running heads
    r"^(?:(?:original|research|review|brief|short|regular|invited|empirical|systematic|"
    r"scoping|narrative|literature|clinical|case|qualitative|quantitative|special|full|"
    r"technical|mixed[- ]methods)\s+)*(?:(?:articles?|reports?|papers?|communications?|"
    r"research|contributions?|open access|reviews?|study|trial|protocol|note|letters?|"
    r"commentary|editorial|perspectives?|essay)\b\s*)+$",
    re.IGNORECASE,
)
# A label set on the title's first line: "Research Article Age and Gender Differences ...".
_LABEL_PREFIX = re.compile(
    r"^(?:(?:Original|Research|Review|Brief|Short|Regular|Invited|Empirical|Systematic|Case|"
    r"Clinical|Special|Full|Technical)\s+)+(?:Articles?|Reports?|Papers?|Communications?|"
    r"Research|Study|Reviews?|Notes?|Letters?)\s+(?=[A-Z0-9])"
)
_JOURNAL_WORDS = re.compile(
    r"\b(?:journal|review|annals|bulletin|proceedings|quarterly|letters|transactions|"
    r"archives|psychiatr\w*|psycholog\w*|medicine|medical|health|services|research|"
    r"science|sciences|nursing|studies|social|care|therapy|practice|rehabilitation|"
    r"international|reports|communications|lancet|bmj|plos|bmc)\b",
    re.IGNORECASE,
)
# Where a journal's name ends: volume, issue, pages, a number that is no ordinal ("30th
# VLDB Conference" goes on), a copyright sign, a bar, or the comma before a place or date.
_NUMBERS = re.compile(
    r"\s*[,;]?\s*(?:\b(?:vol|volume|no|issue|pp|e?-?issn)\b\.?|\d(?!\d*(?:st|nd|rd|th)\b)|©|\||"
    r"(?<=\w),)",
    re.IGNORECASE,
)
# "Strand et al. BMC ...", "Sundström et al. (2017), PeerJ Comput. Sci., ..."
_ET_AL_PREFIX = re.compile(
    r"^.*?\bet al\b\.?,?\s*(?:\(?(?:19|20)\d\d[a-z]?\)?\s*[,.:]?\s*)?", re.IGNORECASE
)
_DATE_PREFIX = re.compile(  # "January 2007, Volume 18": an issue date, not a journal
    r"^\s*(?:(?:" + _MONTH + r"|spring|summer|autumn|fall|winter)\s*(?:\d{1,2},?\s*)?)+"
    r"(?=(?:19|20)\d\d|$)",
    re.IGNORECASE,
)
_NOT_VENUE = re.compile(
    r"downloaded|copyright|©|licen[cs]|all rights|http|www\.|\bpage\b|et al|reprint|"
    r"homepage|contents lists|available (?:online|at)|\bissn\b|\(print\)|\(online\)|"
    r"under review|submitted to|preprint|published as|accepted (?:at|to|for)|to appear|"
    r"how to cite|cite this|\bdraft\b|typeset",
    re.I,
)


@dataclass
class Front:
    """What the first article page yields: metadata and the lines that held title/authors."""

    meta: Meta
    used: set[Line] = field(default_factory=set)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _title(page: Page, lines: list[Line], skip: set[str]) -> tuple[str | None, list[Line]]:
    """The first run of lines in the largest type that reads like a title; an article-type
    label set in the same type above it or on its first line is not part of it."""
    body = body_size(lines)
    upper = [ln for ln in lines if ln.y1 >= page.height / 3]
    sizes = sorted({round(ln.size * 2) / 2 for ln in upper if ln.size > body + 0.9}, reverse=True)
    for size in sizes:
        run: list[Line] = []
        for ln in upper:
            if abs(ln.size - size) <= 0.5:
                run.append(ln)
            elif run:
                break
        while run and _LABEL.match(run[0].plain.strip()):
            run = run[1:]
        text = " ".join(join_lines([ln.plain for ln in run], keep_hyphens=True).split())
        # A raised mark typed at the title's size; a digit stays ("Using lme4"): marks set
        # smaller (the usual footnote digit) are already out of ``plain``.
        text = re.sub(r"(?<=[^\W_])[*†‡§¶∗]+$", "", text).strip()
        text = _LABEL_PREFIX.sub("", text)
        if not run or _norm(text) in skip or _LABEL.match(text) or not plausible_title(text):
            continue
        return smart_title_case(text), run
    return _body_size_title(upper, skip, body)


PLAIN_TITLE_LINES = 6  # how far down the page a title in body-size type is looked for


def _body_size_title(
    upper: list[Line], skip: set[str], body: float
) -> tuple[str | None, list[Line]]:
    """A title set no larger than the text (amsart's capitals, TUGboat, AASTeX): a line
    near the top in at least the body's type, right above a byline in type no larger."""
    for i, ln in enumerate(upper[:PLAIN_TITLE_LINES]):
        text = re.sub(r"(?<=[^\W_])[*†‡§¶∗]+$", "", " ".join(ln.plain.split())).strip()
        if ln.size < body - 0.3 or _norm(text) in skip or _LABEL.match(text):
            continue
        if not plausible_title(text) or _CITATION.search(text) or re.search(_DATE, text, re.I):
            continue
        under = [u for u in upper[i + 1 : i + 3] if u.size >= 0.7 * ln.size]
        if under and under[0].size <= ln.size and _names(under[0]):
            return smart_title_case(text), [ln]
    return None, []


BYLINE_LINES = 40  # how far under the title an author grid's names are looked for
_SECTION = re.compile(r"^(?:\d+\.?|[IVX]+\.)?\s*(?:introduction|background)\b", re.IGNORECASE)


def _names(line: Line) -> list[str] | None:
    """The names on a printed byline: with raised marks as separators ("Lovelace* Babbage†"),
    or without them (letters as marks: "Strand a, Gammon b"), whichever reads more names."""
    # The line without its small marks first: it wins a tie ("Eddelbuettel^a and Balamuta^b").
    texts = list(dict.fromkeys([line.plain, line.text]))
    found = [n for n in (parse_names(t, printed=True) for t in texts) if n]
    return max(found, key=len) if found else None


def _authors(lines: list[Line], after: list[Line], body: float) -> tuple[list[str], list[Line]]:
    """The byline under the title, read as a block: the lines in the type of its first name
    line that parse as names, up to the abstract or the body's first paragraph. Names set in
    a grid (each over its own affiliation and e-mail) are read across, row by row."""
    if not after:
        return [], []
    start = lines.index(after[-1]) + 1
    boxes: dict[int, list[Line]] = {}
    for ln in lines:
        boxes.setdefault(ln.box, []).append(ln)
    names: list[str] = []
    used: list[Line] = []
    size: float | None = None
    for i, ln in enumerate(lines[start : start + BYLINE_LINES]):
        if ln.size >= after[-1].size - 0.5 or is_abstract_label(ln.text) or _SECTION.match(ln.text):
            break
        found = _names(ln)
        if found and (size is None or abs(ln.size - size) <= 0.3):
            names += found
            used.append(ln)
            size = ln.size
            continue
        if is_body_block(boxes[ln.box], body):
            break  # the abstract or the text begins
        if size is None and i >= 1:
            break  # one line (a subtitle) may sit between title and byline, not more
    return names, used


def title_and_byline(page: Page, lines: list[Line], heads: list[str], body: float) -> Front:
    """Title and authors of the first article page: ``lines`` are its content lines in
    reading order, ``heads`` its running heads / citation lines."""
    # A journal masthead in large type is not the title.
    masthead = find_venue(heads, None, [])
    title, title_lines = _title(page, lines, {_norm(masthead)} if masthead else set())
    authors, author_lines = _authors(lines, title_lines, body)
    return Front(Meta(title=title, authors=tuple(authors)), set(title_lines) | set(author_lines))


def find_year(heads: list[str], texts: list[str]) -> tuple[int | None, int | None]:
    """Issue year (the online-first one when nothing else is printed) and online year,
    from running heads / citation lines (``heads``) and the front pages' lines."""
    limit = datetime.date.today().year + 1
    found: dict[str, int] = {}
    # "Journal 2019, Vol. 28, No. 3" / "Psychiatry Research 272 (2019)" / "PLOS ONE | March 5,
    # 2019": a running head's year is the issue's.
    for text in heads:
        if _ACCESS.search(text):
            continue  # the day someone downloaded or printed the file
        years = [int(y) for y in re.findall(_YEAR, text) if int(y) <= limit]
        if years and (_CITATION.search(text) or re.search(_DATE, text, re.IGNORECASE)):
            found["citation"] = years[0]
            break
    for text in heads + texts:
        for kind, rule in _YEAR_RULES:
            match = rule.search(text) if kind not in found else None
            if match:
                printed = int(re.findall(r"(?:19|20)\d\d", match.group(0))[-1])
                if printed <= limit:
                    found[kind] = printed
    order = ["cite", "citation", "copyright", "published", "online", "accepted", "dated"]
    return next((found[k] for k in order if k in found), None), found.get("online")


def _venue_of(text: str) -> str | None:
    """The journal name in a running head or citation line, without numbers."""
    text = re.sub(r"https?://\S+|www\.\S+|\bdoi\b:?\s*\S+", " ", text, flags=re.IGNORECASE)
    text = _DATE_PREFIX.sub("", text)
    text = re.sub(r"^\s*(?i:accepted|published) in\s+(?=[A-Z])", "", text)  # "Accepted in X"
    name = _NUMBERS.split(_ET_AL_PREFIX.sub("", text), maxsplit=1)[0]
    name = " ".join(name.split())
    # "PeerJ Comput. Sci.": a name of abbreviations keeps its last full stop.
    stop = "." if re.search(r"\b[A-Z][a-z]{0,6}\.\s+[A-Z][a-z]{0,6}\.$", name) else ""
    name = name.strip(" ,.;:|([–—-") + stop
    if len(re.sub(r"[^\w]", "", name)) < 4 or _NOT_VENUE.search(name):
        return None
    return name


def find_venue(
    heads: list[str], title: str | None, authors: Sequence[str], keep: set[str] | None = None
) -> str | None:
    """The journal named in running heads or the first page's citation line (an all-capitals
    name title-cased, but for the words in ``keep``)."""
    norm_title = _norm(title or "")
    title_words = set(norm_title.split())
    surnames = {_norm(a.split(",")[0] if "," in a else a.split()[-1]) for a in authors}
    best: tuple[int, int, str] | None = None
    counts = Counter(furniture_key(h) for h in heads)
    for i, head in enumerate(heads):
        name = _venue_of(head)
        if not name:
            continue
        words = _norm(name).split()
        if any(s and s in words for s in surnames):
            continue  # "M. STRAND ET AL." / "STRAND AND GAMMON"
        cited = bool(_CITATION.search(head) or re.search(_YEAR, head))
        journal = bool(_JOURNAL_WORDS.search(name))
        shared = sum(w in title_words for w in words) >= 0.6 * len(words)
        if norm_title and (f" {_norm(name)} " in f" {norm_title} " or (shared and not journal)):
            continue  # a short running title
        if not (cited or journal) or (not cited and _LABEL.match(name)):
            continue  # nothing says journal, or an article-type label ("Research Article")
        score = (2 * cited + journal + (counts[furniture_key(head)] > 1), -i, name)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None:
        return None
    return smart_title_case(best[2], keep) if best[2].isupper() else best[2]


def cited_venue(text: str, title: str | None) -> str | None:
    """The journal in a "How to cite" / "Cite this article as" line: what follows the
    article's own title, up to the volume ("… Title. PeerJ Comput. Sci. 3:e118; DOI …")."""
    words = _norm(title or "").split()
    if len(words) < 3:
        return None
    found = re.search(r"\W+".join(map(re.escape, words)), text, re.IGNORECASE)
    if not found:
        return None
    rest = text[found.end() :].lstrip(" .:;,”\"'")
    return _venue_of(rest) if re.match(r"[^\d\W]", rest) else None


def fill_fields(
    meta: Meta, heads: list[str], texts: list[str], cites: list[str], stamps: list[str]
) -> None:
    """DOI, year and venue from the front matter only: running heads and citation lines
    (``heads``), the header's and margins' lines (``texts``), "How to cite" blocks
    (``cites``) and stamps on the page edge (an arXiv identifier)."""
    evidence = texts + cites
    meta.doi = next((d for d in (find_doi(t) for t in evidence) if d), None)
    meta.year, meta.online_year = find_year(heads, evidence)
    if meta.year is None:
        meta.year = arxiv_year(stamps)
    venues = [v for v in (cited_venue(c, meta.title) for c in cites) if v]
    # A proceedings volume names itself in the permission block ("Proceedings of the 30th
    # VLDB Conference, Toronto, Canada, 2004").
    proceedings = [m.group(0) for t in texts for m in [_PROCEEDINGS.search(t)] if m]
    # "This is a preprint of an article published in The American Statistician, Volume 60"
    for text in texts:
        found = _PREPRINT_OF.search(text)
        if found:  # up to the sentence's end: "… Biometrical Journal. Copyright © 2009 …"
            venues.append(_venue_of(re.split(r"[.;]\s|\s©", found.group(1))[0]) or "")
    keep = _acronyms(texts + heads)
    meta.venue = next((v for v in venues if v), None) or find_venue(
        heads + proceedings, meta.title, meta.authors, keep
    )


_PROCEEDINGS = re.compile(r"\bProceedings of\b.*")
_PREPRINT_OF = re.compile(
    r"\b(?:pre-?print|version|author'?s? (?:version|manuscript)) of an? (?:article|paper) "
    r"(?:to be |that has been |that was )?(?:published|accepted for publication) in "
    r"(?:the journal )?(.+)",
    re.IGNORECASE,
)


def _acronyms(texts: list[str]) -> set[str]:
    """Words printed in capitals inside mixed-case text ("Member, IEEE"): they stay in
    capitals when an all-capitals journal name is title-cased."""
    out: set[str] = set()
    for text in texts:
        if not text.isupper():
            out.update(w for w in re.findall(r"\b[A-Z]{2,6}\b", text))
    return out
