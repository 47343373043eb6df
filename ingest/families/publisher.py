"""Publisher article pages: one paper, with a `Pages x-y | Published online: <date>` line.

Layout::

    3,401 / Views / ... / Research Article     counters and badges (boilerplate)
    <Journal> / Volume 18, 2009 - Issue 6      optional
    <Title>
    <Authors>                                  'A & B', or just '&' when names were stripped
    Pages 493-505 | Published online: 06 Jul 2009
    Abstract
    <abstract paragraphs>
    Keywords: ...                              optional
    Reprints and permissions ...               boilerplate ends the abstract
"""

from __future__ import annotations

import re

from ingest.clean import is_boilerplate_line
from ingest.families.common import (
    blocks,
    clean_author,
    find_doi,
    find_year,
    finish_abstract,
    normalize_pages,
    split_authors,
)
from vocab.record import Record

_PUBLISHED = re.compile(
    r"(?:\bPublished online|\bFirst published(?: online)?|\|\s*Published)\s*:\s*(.+)$", re.I
)
_PAGES = re.compile(r"\bPages?\s+([A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)", re.I)
_VOLUME = re.compile(
    r"^Vol(?:ume)?\.?\s*(\d\w*)(?:\s*,\s*(\d{4}))?(?:\s*[-–]\s*Issue\s+(\w+))?", re.I
)
_ABSTRACT_LABEL = re.compile(r"^(?:abstract|summary)\s*:?$", re.I)
_SECTION = re.compile(
    r"^(?:key ?words?|references|introduction|acknowledge?ments?|notes|funding|"
    r"disclosure statement|declaration|related research|full article|figures?|"
    r"supplemental|cited by|citations)\b",
    re.I,
)
_REFERENCES = re.compile(
    r"^(?:references|bibliography|works cited|cited by|related research)$", re.I
)
_LOWER_WORD = re.compile(r"(?<![\w'’-])(?!(?:and|van|von|de|der|den|la|le|du|da|di)\b)[a-z]")


def detect(lines: list[str]) -> bool:
    """A 'Published online:' (or 'Pages x-y | Published') line."""
    return any(_PUBLISHED.search(line) for line in lines[:400])


def _is_author_line(line: str) -> bool:
    """Names only: separators, initials and capitalised words, nothing like a title."""
    if ":" in line or len(line.split()) > 40:
        return False
    return ("&" in line or "," in line or " and " in line) and not _LOWER_WORD.search(line)


def _authors(line: str) -> list[str]:
    """'A, B & C': commas separate full names here, but 'Last, First' stays one name."""
    names: list[str] = []
    for part in split_authors(line):
        chunks = [c.strip() for c in part.split(",")]
        if all(len(c.split()) >= 2 for c in chunks):
            names.extend(n for n in (clean_author(c) for c in chunks) if n)
        else:
            names.append(part)
    return names


def _head(record: Record, head: list[str]) -> None:
    """Title, authors, venue and volume from the lines above the 'Published' line."""
    candidates = [line for line in head if line and not is_boilerplate_line(line)]
    for i, line in enumerate(candidates):
        volume = _VOLUME.match(line)
        if volume:
            record.volume = volume.group(1) + (f" ({volume.group(3)})" if volume.group(3) else "")
            record.venue = candidates[i - 1] if i else None
            record.year = int(volume.group(2)) if volume.group(2) else record.year
    rest = [c for c in candidates if not _VOLUME.match(c) and c != record.venue]
    titles = [c for c in rest if not _is_author_line(c) and len(c.split()) >= 2]
    if titles:
        record.title = titles[-1]
        after = rest[rest.index(titles[-1]) + 1 :]
        record.authors = tuple(a for line in after if _is_author_line(line) for a in _authors(line))


def _abstract(lines: list[str]) -> tuple[str, list[str]]:
    """Abstract paragraphs after an 'Abstract' label (or the first prose), plus keywords."""
    start = next((i + 1 for i, line in enumerate(lines) if _ABSTRACT_LABEL.match(line)), 0)
    paragraphs: list[str] = []
    keywords: list[str] = []
    for block in blocks(lines[start:]):
        text = " ".join(block)
        if re.match(r"^key ?words?\b", text, re.I):
            value = re.sub(r"^key ?words?\s*:?\s*", "", text, flags=re.I)
            keywords = [k.strip() for k in re.split(r"[;,]", value) if k.strip()]
            break
        if is_boilerplate_line(block[0]) or _SECTION.match(text):
            if paragraphs or start:
                break
            continue
        if not start and len(text.split()) < 30:
            continue  # without a label, only prose counts as the abstract
        paragraphs.append(" ".join(line for line in block if not is_boilerplate_line(line)))
    return finish_abstract("\n\n".join(paragraphs)), keywords


def parse(lines: list[str]) -> list[Record]:
    """The one paper of a publisher article page."""
    idx = next(i for i, line in enumerate(lines) if _PUBLISHED.search(line))
    published = lines[idx]
    record = Record()
    # Pages share the 'Published' line on most sites, or sit on a line next to it.
    near = [published, *lines[max(0, idx - 2) : idx + 3]]
    pages = next((m for m in map(_PAGES.search, near) if m), None)
    record.pages = normalize_pages(pages.group(1)) if pages else None
    match = _PUBLISHED.search(published)
    record.year = find_year(match.group(1)) if match else None
    _head(record, lines[:idx])
    if record.year is None:
        record.year = find_year(published)
    record.abstract, keywords = _abstract(lines[idx + 1 :])
    record.keywords = tuple(keywords)
    # The page's own DOI sits above its reference list; DOIs below are other papers'.
    refs = next((i for i, ln in enumerate(lines) if _REFERENCES.match(ln.strip())), len(lines))
    record.doi = find_doi("\n".join(lines[:refs]))
    if not record.title and not record.abstract:
        return []
    return [record]
