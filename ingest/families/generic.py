"""Pages of no known family: Markdown notes, or bare paragraphs of prose.

* Markdown (first line a ``# Title`` heading): one titled record per level-1 heading, with
  ``Authors:`` / ``DOI:`` / ``Year:`` / ``Journal:`` / ``Keywords:`` lines read as metadata
  and the remaining prose as the abstract. YAML front matter above the heading
  (:mod:`ingest.families.frontmatter`) is set apart: its ``title`` names a note without a
  heading, and its ``author``/``date``/``doi``… fill what a one-paper note leaves unsaid.
* Anything else: every substantial paragraph (>= 30 words, not boilerplate) becomes an
  untitled record. A paragraph is a run of lines between blank lines, unless its lines are
  themselves paragraph-sized (one abstract per line), in which case each line is one.
  A page with no substantial paragraph that is just one or two short paragraphs of
  prose (a short abstract or note, >= 12 words with a sentence end) is one record: short
  is not the same as boilerplate.
* Plain text whose first line is a title (short, alone above a blank line, no final full
  stop, not a label such as "Background:") is a titled paper: the prose below it is its
  abstract, up to the next such title line that is followed by prose of its own.
"""

from __future__ import annotations

import re

from ingest.clean import is_boilerplate_line, word_count
from ingest.families.common import (
    blocks,
    find_doi,
    find_year,
    finish_abstract,
    normalize_pages,
    split_authors,
)
from ingest.families.frontmatter import FrontMatter, split_front_matter, text_of
from ingest.partcues import LABELS
from vocab.record import Record
from vocab.textfold import fold

MIN_PARAGRAPH_WORDS = 30
MIN_SHORT_PAGE_WORDS = 12
MAX_TITLE_WORDS = 30
# Words that label a field or a section, not a paper: "Background:", "Abstract", "DOI: …".
_FIELD_LABELS = frozenset(
    [label for labels in LABELS.values() for label in labels]
    + "abstract summary resume keywords key words title authors author doi source date url "
    "journal citation references".split()
)
_H1 = re.compile(r"^#(?!#)\s+(.+?)\s*#*$")
_HEADING = re.compile(r"^#{2,6}\s+")
_META = re.compile(
    r"^[*_]{0,2}(?P<key>authors?|by|doi|year|date|published|journal|venue|source|"
    r"keywords?|volume|pages)[*_]{0,2}\s*:\s*[*_]{0,2}\s*(?P<value>.+)$",
    re.IGNORECASE,
)


def is_markdown(lines: list[str]) -> bool:
    """First non-blank line (below any front matter) is a level-1 Markdown heading, or the
    front matter gives a title."""
    meta, body = split_front_matter(lines)
    first = next((line for line in body if line.strip()), "")
    return _H1.match(first.strip()) is not None or bool(text_of(meta.get("title")))


def _apply_meta(record: Record, key: str, value: str) -> None:
    """Store one `Key: value` line of a Markdown note."""
    value = value.strip(" *_")
    if key in ("author", "authors", "by"):
        record.authors = tuple(split_authors(value))
    elif key == "doi":
        record.doi = find_doi(value)
    elif key in ("year", "date", "published"):
        record.year = find_year(value)
    elif key in ("journal", "venue", "source"):
        record.venue = value or None
    elif key in ("keyword", "keywords"):
        record.keywords = tuple(k.strip() for k in re.split(r"[;,]", value) if k.strip())
    elif key == "volume":
        record.volume = value or None
    else:
        record.pages = normalize_pages(value)


def _markdown_section(title: str, body: list[str]) -> Record:
    """One `# Title` section."""
    record = Record(title=re.sub(r"[*_`]+", "", title).strip() or None)
    prose: list[str] = []
    for line in body:
        meta = _META.match(line.strip())
        if meta and not any(prose):
            _apply_meta(record, meta.group("key").lower(), meta.group("value"))
        elif _HEADING.match(line.strip()):
            prose.append("")  # a sub-heading ("## Abstract") separates paragraphs
        else:
            prose.append("" if is_boilerplate_line(line) else line)
    paragraphs = [" ".join(b) for b in blocks(prose)]
    text = "\n\n".join(re.sub(r"\*\*|__", "", p) for p in paragraphs)
    record.abstract = finish_abstract(text)
    return record


def parse_markdown(lines: list[str]) -> list[Record]:
    """One record per level-1 heading (a note with front matter but no heading: one record
    titled by its front matter)."""
    meta, lines = split_front_matter(lines)
    records: list[Record] = []
    title: str | None = None
    body: list[str] = []
    first = next((line for line in lines if line.strip()), "")
    if not _H1.match(first.strip()) and text_of(meta.get("title")):
        title = text_of(meta.get("title"))
    for line in lines:
        heading = _H1.match(line.strip())
        if heading:
            if title is not None:
                records.append(_markdown_section(title, body))
            title, body = heading.group(1), []
        else:
            body.append(line)
    if title is not None:
        records.append(_markdown_section(title, body))
    if len(records) == 1:  # the front matter describes the note: here, its one paper
        _fill_from(records[0], meta)
    return records


_FRONT_KEYS = {  # front-matter key -> the metadata line it stands for
    "author": "authors",
    "authors": "authors",
    "date": "year",
    "year": "year",
    "doi": "doi",
    "journal": "journal",
    "venue": "journal",
    "publication": "journal",
    "keywords": "keywords",
    "volume": "volume",
    "pages": "pages",
}


def _fill_from(record: Record, meta: FrontMatter) -> None:
    """What the note's own lines left unsaid, from its front matter."""
    said = Record()
    for key, value in meta.items():
        if key in _FRONT_KEYS and text_of(value):
            _apply_meta(said, _FRONT_KEYS[key], text_of(value))
    for name in ("authors", "year", "doi", "venue", "keywords", "volume", "pages"):
        if not getattr(record, name) and getattr(said, name):
            setattr(record, name, getattr(said, name))


def paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs of a page: blank-line separated, or one per line when lines are that long."""
    out: list[str] = []
    for block in blocks(lines):
        kept = [line for line in block if not is_boilerplate_line(line)]
        if any(word_count(line) >= MIN_PARAGRAPH_WORDS for line in kept):
            out.extend(kept)
        elif kept:
            out.append(" ".join(kept))
    return out


def looks_like_title(line: str) -> bool:
    """A line that can be a paper's title: short, capitalised, not a sentence (no final
    full stop, not two sentences), not a label ("Background:", "Abstract") or chrome."""
    line = line.strip()
    words = line.split()
    if not 2 <= len(words) <= MAX_TITLE_WORDS or is_boilerplate_line(line):
        return False
    if not line[:1].isupper() and not line[:1].isdigit() and line[:1] not in "“\"'‘«":
        return False
    if line.endswith((".", ":", ";", ",")) or re.search(r"[a-z]{2}\.\s+[A-Z]", line):
        return False
    head = fold(line.split(":", 1)[0] if ":" in line else line)
    if all(" ".join(w.split()) in _FIELD_LABELS for w in re.split(r",|&|\band\b", head)):
        return False  # "Background:", "Results and discussion"
    if any(mark in line for mark in ("http", "@", "|", "◽")):  # an address, a menu
        return False
    return sum(ch.isalpha() for ch in line) >= len(line) / 2


def _is_prose(text: str) -> bool:
    return word_count(text) >= MIN_SHORT_PAGE_WORDS and re.search(r"[.!?]", text) is not None


def titled_papers(lines: list[str]) -> list[Record]:
    """A plain-text page that opens with a title line: one record per title and the prose
    below it (none when the page does not open so, or lists one abstract per line)."""
    found = blocks(lines)
    if len(found) < 2 or len(found[0]) != 1 or not looks_like_title(found[0][0]):
        return []
    if any(sum(word_count(x) >= MIN_PARAGRAPH_WORDS for x in b) > 1 for b in found):
        return []  # one abstract per line: a listing, not one titled paper
    papers: list[tuple[str, list[str]]] = []
    for block in found:
        kept = [line for line in block if not is_boilerplate_line(line)]
        if len(kept) == 1 and looks_like_title(kept[0]):
            if not papers or papers[-1][1]:  # a second line above the prose (authors…) is not
                papers.append((kept[0], []))  # a new title
        elif kept:
            papers[-1][1].append(" ".join(kept))
    return [
        Record(title=title, abstract=finish_abstract("\n\n".join(body)))
        for title, body in papers
        if _is_prose(" ".join(body))
    ]


def parse_paragraphs(lines: list[str]) -> list[Record]:
    """An untitled record per substantial, non-boilerplate paragraph; or titled papers,
    when the page opens with a title line."""
    titled = titled_papers(lines)
    if titled:
        return titled
    found = paragraphs(lines)
    records = [
        Record(abstract=finish_abstract(p)) for p in found if word_count(p) >= MIN_PARAGRAPH_WORDS
    ]
    if not records and 1 <= len(found) <= 2:
        text = " ".join(found)
        if word_count(text) >= MIN_SHORT_PAGE_WORDS and re.search(r"[.!?;:]", text):
            records.append(Record(abstract=finish_abstract(text)))
    return records
