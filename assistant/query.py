"""Read a question against the index's bibliography, offline and without a language model.

``read_question`` finds the authors, years, venues, DOIs and title phrases a question names,
the names and years it names that the index lacks, and the kind of answer it wants;
``matching`` lists every entry that satisfies all of it (not a top k).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.bibliography import VENUE_STOP, BibEntry, Bibliography
from assistant.query_kind import asks_content, bibliographic_field, is_catalogue
from assistant.query_names import Word, find_names, question_words
from assistant.query_words import FRAME, STOP
from assistant.query_years import YearRange, find_years, format_range, in_range
from assistant.textfold import fold, words
from ingest.families.common import find_doi
from ingest.language import detect_language

_QUOTED = re.compile(
    r"[\"“«]\s*([^\"”»]{3,200}?)\s*[\"”»]|(?:^|\s)['‘]([^'’]{3,200}?)['’](?=[\s.,;:?!)]|$)"
)
_FRENCH = frozenset(
    "le la les des du est une qui que quels quelles quel quelle dans sur pour avec qu ecrit "
    "ete etude etudes auteur auteurs revue annee publie publies sont ont aux ces cette".split()
)
_ENGLISH = frozenset(
    "the of and what which who whom how why when where did does do is are was were about "
    "papers paper study studies find found wrote written published in on by with from".split()
)
_MIN_TITLE_SHARE = 0.8
# Words before a quotation that make it a title: "the paper 'X'", "titled 'X'", "wrote 'X'".
_TITLE_FRAME = re.compile(
    r"(?i:\b(?:paper|study|article|review|report|chapter|book|titled|entitled|called|named|wrote|"
    r"write|written|authored|étude|etude|intitulée?|appelée?|titre)\s*[:,]?\s*)$"
)  # an unquoted phrase names a paper when it is (almost) its whole title


@dataclass(frozen=True)
class Interpretation:
    """What a question was read as; empty fields were not recognised."""

    kind: str  # "catalogue" | "bibliographic" | "paper" | "topic"
    field: str | None = None  # for "bibliographic": authors | doi | venue | year | title
    authors: tuple[str, ...] = ()
    years: tuple[YearRange, ...] = ()
    venues: tuple[str, ...] = ()
    doi: str | None = None
    titles: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    language: str = "en"

    @property
    def constrained(self) -> bool:
        """Whether any bibliographic constraint (or a missing name/year) was recognised."""
        return bool(
            self.authors or self.years or self.venues or self.doi or self.titles or self.missing
        )

    def to_json(self) -> dict[str, Any]:
        """Only what was recognised: one value as itself, several as a list."""
        data: dict[str, Any] = {"kind": self.kind}
        if self.field:
            data["field"] = self.field
        for key, values in (
            ("author", self.authors),
            ("venue", self.venues),
            ("title", self.titles),
        ):
            if values:
                data[key] = values[0] if len(values) == 1 else list(values)
        if self.years:
            ranges = [list(r) for r in self.years]
            data["year"] = ranges[0] if len(ranges) == 1 else ranges
        if self.doi:
            data["doi"] = self.doi
        if self.missing:
            data["missing"] = list(self.missing)
        return data

    def describe(self) -> str:
        """One line for people, e.g. 'paper question · author Folker · 2019'."""
        label = {"catalogue": "list of papers", "bibliographic": f"the {self.field} of a paper"}
        parts = [label.get(self.kind, f"{self.kind} question")]
        parts += [f"author {a}" for a in self.authors]
        parts += [format_range(r) for r in self.years]
        parts += [f"venue {v}" for v in self.venues]
        parts += [f"DOI {self.doi}"] if self.doi else []
        parts += [f"title “{t}”" for t in self.titles]
        parts += [missing_sentence(m) for m in self.missing]
        return " · ".join(parts)


_MISSING = {
    "en": (
        "no paper from {} in the index",
        "no paper with DOI {} in the index",
        "no paper titled {} in the index",
        "no paper by {} in the index",
    ),
    "fr": (
        "aucun article de {} dans l’index",
        "aucun article avec le DOI {} dans l’index",
        "aucun article intitulé {} dans l’index",
        "aucun article de {} dans l’index",
    ),
}


def missing_sentence(item: str, language: str = "en") -> str:
    """'no paper by Kowalczyk in the index' for an item of ``Interpretation.missing``."""
    year, doi, title, name = _MISSING.get(language, _MISSING["en"])
    if item[:1].isdigit() and not item.startswith("10."):
        return year.format(item)
    if item.startswith("10."):
        return doi.format(item)
    return (title if item.startswith("“") else name).format(item)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _find_dois(text: str, bib: Bibliography) -> tuple[str | None, list[str], list[tuple[int, int]]]:
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


def _find_titles(
    text: str, bib: Bibliography, taken: list[tuple[int, int]]
) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """Quoted or unquoted titles; a quoted title the index lacks is reported missing.

    Quotes also mark terms ("what is 'shared decision making'?"), so a quoted phrase is a
    title only when it is most of one, or the question frames it as one ("the paper …",
    "who wrote …", "titled …").
    """
    found: list[str] = []
    missing: list[str] = []
    spans: list[tuple[int, int]] = []
    framed_question = bibliographic_field(text) is not None
    for match in _QUOTED.finditer(text):
        phrase = (match.group(1) or match.group(2)).strip(" .?!")
        start, end = match.span()
        if len(words(phrase)) < 2 or _overlaps(start, end, taken):
            continue
        framed = framed_question or _TITLE_FRAME.search(text[:start]) is not None
        hits = bib.by_title(phrase)
        if hits and (framed or any(_names_title(phrase, e.title or "", 0.5) for e in hits)):
            found.append(phrase)
            spans.append((start, end))
        elif not hits and framed and len(words(phrase)) >= 3 and not bib.by_venue(phrase):
            missing.append(f"“{phrase}”")
            spans.append((start, end))
    ws = [w for w in question_words(text) if not _overlaps(w.start, w.end, taken + spans)]
    found += _unquoted_titles(text, ws, bib, spans)
    return found, missing, spans


def _unquoted_titles(
    text: str, ws: list[Word], bib: Bibliography, spans: list[tuple[int, int]]
) -> list[str]:
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


def _find_venues(
    text: str, bib: Bibliography, taken: list[tuple[int, int]]
) -> tuple[list[str], list[tuple[int, int]]]:
    """Venues named whole (any case) or, written like a name, by a leading part or abbreviation."""
    ws = [w for w in question_words(text) if not _overlaps(w.start, w.end, taken)]
    found: list[str] = []
    spans: list[tuple[int, int]] = []
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


def question_language(question: str) -> str:
    """ISO 639-1 code of a question: 'fr' or 'en' by their function words, else the detector's.

    Function words decide first: the detector is built for abstracts and can misread a
    short question, and a quoted English title must not make "Qui a écrit …" English.
    """
    found = words(question)
    french = sum(w in _FRENCH for w in found) + 2 * bool(re.search(r"\bqu['’]", question, re.I))
    english = sum(w in _ENGLISH for w in found)
    if french >= 2 and french > english:
        return "fr"
    if english >= 2:
        return "en"
    return detect_language(question) or "en"


def _has_topic(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether words remain that say what the question is about, beyond the frame."""
    rest = [w for w in question_words(text) if not _overlaps(w.start, w.end, spans)]
    return any(w.key not in FRAME and w.key not in STOP and len(w.key) > 2 for w in rest)


def read_question(question: str, bib: Bibliography) -> Interpretation:
    """What ``question`` asks, read against ``bib`` (see the module docstring)."""
    text = " ".join(question.split())
    doi, missing, taken = _find_dois(text, bib)
    year_ranges, year_spans = find_years(_blank(text, taken))
    taken += year_spans
    titles, missing_titles, title_spans = _find_titles(text, bib, taken)
    taken += title_spans
    venues, venue_spans = _find_venues(text, bib, taken)
    taken += venue_spans
    names = find_names(text, bib, taken)
    taken += names.spans
    # A paper named by author, title or DOI, found or not (years only filter).
    named = bool(names.known or names.missing or titles or missing_titles or doi or missing)
    missing = names.missing + missing_titles + missing
    missing += [format_range(r) for r in year_ranges if not bib.by_year(*r)]
    field = bibliographic_field(text)
    interp = Interpretation(
        kind="topic",
        authors=tuple(names.known),
        years=tuple(year_ranges),
        venues=tuple(venues),
        doi=doi,
        titles=tuple(titles),
        missing=tuple(dict.fromkeys(missing)),
        language=question_language(text),
    )
    topic = _has_topic(text, taken)
    if field:
        kind = "bibliographic"
    elif is_catalogue(text) and (not topic or interp.constrained and not asks_content(text)):
        # "What did studies from 2020 report about X?" asks about content, with a filter.
        kind = "catalogue"
    elif named and (asks_content(text) or topic):
        kind = "paper"
    elif interp.constrained and not topic:
        kind = "catalogue"  # "Folker 2019", "papers from 2020?"
    elif named:
        kind = "paper"
    else:
        kind = "topic"
    return Interpretation(**{**interp.__dict__, "kind": kind, "field": field})


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans replaced by spaces (positions kept)."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def matching(interp: Interpretation, bib: Bibliography) -> list[BibEntry]:
    """Every entry satisfying all recognised constraints, in index order.

    Several authors must be co-authors of one paper; when no paper has them all, papers
    by any of them are returned ("Strand and Folker" may mean two papers). A name or year
    the index lacks matches nothing. No constraint at all matches every entry.
    """
    if interp.missing:
        return []
    entries = bib.entries
    if interp.authors:
        sets = [{e.record_id for e in bib.by_author(a)} for a in interp.authors]
        ids = set.intersection(*sets) or set.union(*sets)
        entries = [e for e in entries if e.record_id in ids]
    if interp.years:
        entries = [e for e in entries if any(in_range(e.year, r) for r in interp.years)]
    if interp.venues:
        entries = [e for e in entries if e.venue in interp.venues]
    if interp.doi:
        entries = [e for e in entries if e.doi and fold(e.doi) == fold(interp.doi)]
    if interp.titles:
        ids = {e.record_id for t in interp.titles for e in bib.by_title(t)}
        entries = [e for e in entries if e.record_id in ids]
    return list(entries)
