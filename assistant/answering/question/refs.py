"""References to papers in a question: DOIs, titles (quoted or not) and venue names.

Each finder returns what it recognised and the character spans it used, so the next
finder (and the name reader) skips those words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answering.question.bibliography import VENUE_STOP, Bibliography
from assistant.answering.question.kind import bibliographic_field
from assistant.answering.question.names import Word, question_words
from assistant.answering.question.words import STOP
from ingest.families.common import find_doi
from vocab.textfold import words

Spans = list[tuple[int, int]]

_QUOTED = re.compile(
    r"[\"“«]\s*([^\"”»]{3,200}?)\s*[\"”»]|(?:^|\s)['‘]([^'’]{3,200}?)['’](?=[\s.,;:?!)]|$)"
)
_MIN_TITLE_SHARE = 0.8  # an unquoted phrase names a paper when it is (almost) its title
# Words before a quotation that make it a title: "the paper 'X'", "titled 'X'", "wrote 'X'".
_TITLE_FRAME = re.compile(
    r"(?i:\b(?:paper|study|article|review|report|chapter|book|titled|entitled|called|named|wrote|"
    r"write|written|authored|étude|etude|intitulée?|appelée?|titre)\s*[:,]?\s*)$"
)


def overlaps(start: int, end: int, spans: Spans) -> bool:
    """Whether the span ``start``..``end`` overlaps any of ``spans``."""
    return any(s < end and start < e for s, e in spans)


def find_dois(text: str, bib: Bibliography) -> tuple[str | None, list[str], Spans]:
    """The first DOI of the index named in ``text``, DOIs it lacks, and their spans."""
    known, missing, spans = None, [], []
    for match in re.finditer(r"\b10\.\d{4,9}/\S+", text):
        doi = find_doi(match.group(0))
        if not doi:
            continue
        spans.append((match.start(), match.start() + len(doi)))
        entry = bib.by_doi(doi)
        if entry and entry.doi:
            known = known or entry.doi
        else:
            missing.append(doi)
    return known, missing, spans


def find_titles(text: str, bib: Bibliography, taken: Spans) -> tuple[list[str], list[str], Spans]:
    """Quoted or unquoted titles; a quoted title the index lacks is reported missing.

    Quotes also mark terms ("what is 'shared decision making'?"), so a quoted phrase is a
    title only when it is most of one, or the question frames it as one ("the paper …",
    "who wrote …", "titled …").
    """
    found: list[str] = []
    missing: list[str] = []
    spans: Spans = []
    framed_question = bibliographic_field(text) is not None
    for match in _QUOTED.finditer(text):
        phrase = (match.group(1) or match.group(2)).strip(" .?!")
        start, end = match.span()
        if len(words(phrase)) < 2 or overlaps(start, end, taken):
            continue
        framed = framed_question or _TITLE_FRAME.search(text[:start]) is not None
        hits = bib.by_title(phrase)
        if hits and (framed or any(_names_title(phrase, e.title or "", 0.5) for e in hits)):
            found.append(phrase)
            spans.append((start, end))
        elif not hits and framed and len(words(phrase)) >= 3 and not bib.by_venue(phrase):
            missing.append(f"“{phrase}”")
            spans.append((start, end))
    ws = [w for w in question_words(text) if not overlaps(w.start, w.end, taken + spans)]
    found += _unquoted_titles(text, ws, bib, spans)
    return found, missing, spans


def _unquoted_titles(text: str, ws: list[Word], bib: Bibliography, spans: Spans) -> list[str]:
    """Runs of question words that are (nearly) a whole title or its part before the colon."""
    found = []
    i = 0
    while i < len(ws):
        best = 0
        for j in range(min(len(ws), i + bib.longest_title), i + 1, -1):
            phrase = text[ws[i].start : ws[j - 1].end]
            if sum(w.key not in STOP for w in ws[i:j]) < 2:
                continue
            if any(_names_title(phrase, e.title or "") for e in bib.by_title(phrase)):
                best = j
                break
        if best:
            found.append(text[ws[i].start : ws[best - 1].end])
            spans.append((ws[i].start, ws[best - 1].end))
            i = best
        else:
            i += 1
    return found


def _names_title(phrase: str, title: str, share: float = _MIN_TITLE_SHARE) -> bool:
    """Whether ``phrase`` is (nearly) all of ``title`` or of its part before the colon."""
    needle = " " + " ".join(words(phrase)) + " "
    content = sum(w not in STOP for w in words(phrase))
    for part, part_content in _title_parts(title):
        if part_content >= 2 and needle in part and content >= share * part_content:
            return True
    return False


@lru_cache(maxsize=65536)
def _title_parts(title: str) -> tuple[tuple[str, int], ...]:
    """The whole title and its part before the colon: folded text and content-word count."""
    parts = []
    for part in (title, title.split(":")[0]):
        found = words(part)
        parts.append((" " + " ".join(found) + " ", sum(w not in STOP for w in found)))
    return tuple(parts)


def find_venues(text: str, bib: Bibliography, taken: Spans) -> tuple[list[str], Spans]:
    """Venues named whole (any case) or, written like a name, by a leading part or abbreviation."""
    ws = [w for w in question_words(text) if not overlaps(w.start, w.end, taken)]
    found: list[str] = []
    spans: Spans = []
    i = 0
    while i < len(ws):
        hit = None
        first = ws[i].key.split()[0] if ws[i].key else ""
        capital = ws[i].text[:1].isupper()
        if (first in bib.venue_starts or capital) and first not in VENUE_STOP:
            for j in range(min(len(ws), i + 12), i, -1):
                group = ws[i:j]
                if group[-1].key in VENUE_STOP:
                    continue
                phrase = text[group[0].start : group[-1].end]
                loose = all(w.text[:1].isupper() or w.key in VENUE_STOP for w in group) and not (
                    len(group) == 1 and group[0].key in STOP
                )
                named = bib.venues_named(phrase, loose)
                if named:
                    hit = (j, named)
                    break
        if hit:
            found += hit[1]
            spans.append((ws[i].start, ws[hit[0] - 1].end))
            i = hit[0]
        else:
            i += 1
    return list(dict.fromkeys(found)), spans
