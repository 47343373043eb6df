"""Search-result listings: entries of `2018 ◽` / `Vol 5 (1) ◽` / `pp. 53-61` / `Author(s):`.

Layout (as scraped from a journal search site)::

    scholarly journals <Title>          optional: the title of the entry that follows
    2018 ◽                              an entry starts with its metadata lines
    Vol 5 (1) ◽
    pp. 53-61
    Author(s):
    First Author ◽                      '◽' after a name: more names follow
    Last Author                         '...' stands for truncated lists (et al.)

    Abstract paragraph                  belongs to the entry whose authors precede it

A title line belongs to the entry *after* it, an abstract to the entry *before* it, so a
title-only entry directly followed by another entry keeps no abstract.
"""

from __future__ import annotations

import re

from ingest.clean import is_boilerplate_line
from ingest.families.common import (
    clean_author,
    find_doi,
    finish_abstract,
    is_et_al,
    normalize_pages,
)
from vocab.record import Record

_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
# Values are short and numeric, so prose such as "Volume of care..." is never metadata.
_VOLUME = re.compile(r"^Vol(?:ume)?\.?\s*(\w{0,4}\d[\w()\-–./ ]{0,30})$", re.IGNORECASE)
_PAGES = re.compile(r"^(?:pp?\.|pages?)\s*([A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)$", re.I)
_AUTHORS = re.compile(r"^Authors?(?:\s*\(s\))?\s*:\s*(.*)$", re.IGNORECASE)
_DOI_LINE = re.compile(r"^(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+$", re.I)
# The site prefixes a title with its document kind, in lower case.
_HEADER = re.compile(
    r"^(?:scholarly journals?|conference (?:papers?|proceedings)|book chapters?|books?"
    r"|posted content|preprints?|dissertations?|theses|reports?|datasets?)\s+(\S.*)$"
)
_TITLE_MAX_WORDS = 30


def detect(lines: list[str]) -> bool:
    """An `Author(s):` line plus `◽`-separated metadata."""
    has_authors = any(_AUTHORS.match(line) for line in lines)
    return has_authors and any(line.endswith("◽") for line in lines)


def _meta_pieces(line: str) -> list[tuple[str, str]] | None:
    """Classify a metadata line (possibly several `◽`-joined pieces); None if it is text."""
    pieces = [p.strip() for p in line.split("◽")]
    out: list[tuple[str, str]] = []
    for i, piece in enumerate(pieces):
        if not piece:
            continue
        authors = _AUTHORS.match(piece)
        if authors:
            # Names may follow on the same line; everything after the label is authors.
            rest = " ◽ ".join([authors.group(1), *pieces[i + 1 :]])
            return [*out, ("authors", rest)]
        for kind, pattern in (("year", _YEAR), ("volume", _VOLUME), ("pages", _PAGES)):
            match = pattern.match(piece)
            if match:
                out.append((kind, match.group(1).strip()))
                break
        else:
            if not _DOI_LINE.match(piece):
                return None
            out.append(("doi", find_doi(piece) or piece))
    return out or None


class _Parser:
    """One pass over the lines, keeping the entry being filled and a pending title."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.current: Record | None = None
        self.state = "none"  # "meta" -> "authors" -> "body"
        self.pending_title: str | None = None

    def meta(self, pieces: list[tuple[str, str]]) -> None:
        """Apply metadata, starting a new entry when the current one is complete."""
        for kind, value in pieces:
            cur = self.current
            # A DOI line may trail the author list; every other field opens the next entry.
            done = self.state in ("authors", "body") and kind != "doi"
            if cur is None or done or _is_set(cur, kind):
                cur = self.current = Record(title=self.pending_title)
                self.records.append(cur)
                self.pending_title = None
                self.state = "meta"
            if kind == "authors":
                self.state = "authors"
                if value.strip(" ◽"):
                    self.author_line(value)
            elif kind == "year":
                cur.year = int(value)
            elif kind == "pages":
                cur.pages = normalize_pages(value)
            else:
                setattr(cur, kind, value)

    def author_line(self, line: str) -> None:
        """Names on one line; a trailing `◽` says more names follow."""
        if self.current is None:
            return
        for part in line.split("◽"):
            name = clean_author(part)
            if name:
                self.current.authors += (name,)
        if not line.rstrip().endswith("◽"):
            self.state = "body"

    def text(self, block: str, next_is_meta: bool) -> None:
        """A paragraph: next entry's title, this entry's abstract, or more of it."""
        header = _HEADER.match(block)
        if header:
            self.pending_title = header.group(1).strip(" ◽")
            return
        title_like = len(block.split()) <= _TITLE_MAX_WORDS and not block.endswith(".")
        cur = self.current
        if self.state == "meta" and title_like:
            return  # an unknown metadata line of the current entry (a venue?), not a title
        if cur is None or (title_like and next_is_meta):
            if title_like:
                self.pending_title = block
            return  # text before the first entry is the page's introduction
        abstract = finish_abstract(block)
        cur.abstract = f"{cur.abstract}\n\n{abstract}" if cur.abstract else abstract


def _is_name_line(line: str) -> bool:
    """Names (or '...') between `◽`s; a sentence here means the author list has ended."""
    parts = [p.strip() for p in line.split("◽") if p.strip()]
    return all(clean_author(p) or is_et_al(p) or not any(c.isalpha() for c in p) for p in parts)


def _is_set(record: Record, kind: str) -> bool:
    """Whether a metadata field is already filled (then the line starts a new entry)."""
    return kind != "authors" and getattr(record, kind) not in (None, "")


def parse(lines: list[str]) -> list[Record]:
    """Records of a search-result listing, in page order."""
    parser = _Parser()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            if parser.state == "authors" and parser.current and parser.current.authors:
                parser.state = "body"
            continue
        pieces = _meta_pieces(line)
        if pieces:
            parser.meta(pieces)
        elif parser.state == "authors" and _is_name_line(line):
            parser.author_line(line)
        elif not is_boilerplate_line(line):
            parser.state = "body" if parser.state == "authors" else parser.state
            block = [line]
            while i < len(lines) and lines[i].strip() and not _meta_pieces(lines[i].strip()):
                if not is_boilerplate_line(lines[i]):
                    block.append(lines[i].strip())
                i += 1
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            next_is_meta = j < len(lines) and _meta_pieces(lines[j].strip()) is not None
            parser.text(" ".join(block), next_is_meta)
    return parser.records
