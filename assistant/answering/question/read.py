"""Read a question against the index's bibliography, offline and without a language model.

``read_question`` finds the authors, years, venues, DOIs and title phrases a question names,
the names and years it names that the index lacks, and the kind of answer it wants;
``matching`` lists every entry that satisfies all of it (not a top k).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.answering.question.asks import (
    Asks,
    constraint_spans,
    designs_as_studies,
    read_asks,
)
from assistant.answering.question.bibliography import BibEntry, Bibliography, surname_keys
from assistant.answering.question.kind import asks_content, bibliographic_field, is_catalogue
from assistant.answering.question.names import find_names, question_words
from assistant.answering.question.refs import find_dois, find_titles, find_venues, overlaps
from assistant.answering.question.words import FRAME, STOP
from assistant.answering.question.years import YearRange, find_years, format_range, in_range
from ingest.language import detect_language
from vocab.textfold import fold, words

# "Strand et al.", "Strand and colleagues", "Strand et coll.", "Strand as first author".
_FIRST_AUTHOR = re.compile(
    r"\bet\s+al\b|\band\s+(?:colleagues|co-?workers|co-?authors)\b|\bet\s+coll|"
    r"\bfirst[- ]author|\bpremier\s+auteur",
    re.IGNORECASE,
)
_FRENCH = frozenset(
    "le la les des du est une qui que quels quelles quel quelle dans sur pour avec qu ecrit "
    "ete etude etudes auteur auteurs revue annee publie publies sont ont aux ces cette".split()
)
_ENGLISH = frozenset(
    "the of and what which who whom how why when where did does do is are was were about "
    "papers paper study studies find found wrote written published in on by with from".split()
)


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
    first_author: bool = False  # "Strand et al.": Strand leads the author list
    asks: Asks = Asks()  # what it asks of the papers' parts (a facet, a design, a country…)
    corrected: tuple[tuple[str, str], ...] = ()  # (as written, read as) for near surnames
    topic: bool = True  # words beyond the frame and the constraints say what it is about

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
        if self.corrected:
            data["corrected"] = {written: read for written, read in self.corrected}
        data.update(self.asks.to_json())
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
        parts += [f"read “{w}” as {r}" for w, r in self.corrected]
        parts += self.asks.describe()
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
    rest = [w for w in question_words(text) if not overlaps(w.start, w.end, spans)]
    return any(w.key not in FRAME and w.key not in STOP and len(w.key) > 2 for w in rest)


def read_question(question: str, bib: Bibliography) -> Interpretation:
    """What ``question`` asks, read against ``bib`` (see the module docstring)."""
    text = " ".join(question.split())
    doi, missing, taken = find_dois(text, bib)
    year_ranges, year_spans = find_years(_blank(text, taken))
    taken += year_spans
    titles, missing_titles, title_spans = find_titles(text, bib, taken)
    taken += title_spans
    venues, venue_spans = find_venues(text, bib, taken)
    taken += venue_spans
    names = find_names(text, bib, taken)
    taken += names.spans
    # A paper named by author, title or DOI, found or not (years only filter).
    named = bool(names.known or names.missing or titles or missing_titles or doi or missing)
    missing = names.missing + missing_titles + missing
    missing += [format_range(r) for r in year_ranges if not bib.by_year(*r)]
    # Words recognised as a title, venue or name ("… a mixed methods evaluation") say what
    # the paper is called, not what the question asks of it.
    asks = read_asks(_blank(text, taken))
    # A question about the study ("how old were the participants?") asks no record field.
    study_facet = any(
        f in ("ages", "participants", "setting", "method", "limitations") for f in asks.facets
    )
    field = None if study_facet else bibliographic_field(text)
    interp = Interpretation(
        kind="topic",
        authors=tuple(names.known),
        years=tuple(year_ranges),
        venues=tuple(venues),
        doi=doi,
        titles=tuple(titles),
        missing=tuple(dict.fromkeys(missing)),
        language=question_language(text),
        first_author=bool(_FIRST_AUTHOR.search(text)),
        asks=asks,
        corrected=tuple(names.corrected),
    )
    topic = _has_topic(text, taken + constraint_spans(text))
    listing = is_catalogue(designs_as_studies(text)) and not study_facet or asks.exists
    if field:
        kind = "bibliographic"
    elif listing and asks.constrains:
        kind = "catalogue"  # "which studies used focus groups?", "is there a 2016 review…?"
    elif asks.compare and len(names.known) > 1:
        kind = "paper"  # "compare Strand and Folker": the named papers, side by side
    elif (
        is_catalogue(text)
        and not study_facet
        and (not topic or interp.constrained and not asks_content(text))
    ):
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
    return Interpretation(**{**interp.__dict__, "kind": kind, "field": field, "topic": topic})


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
    # Start from the narrowest look-up the question allows; the whole bibliography is read
    # only when it constrains nothing that has one (an unconstrained catalogue).
    if interp.authors:
        sets = [{e.record_id for e in bib.by_author(a)} for a in interp.authors]
        entries = bib.by_ids(set.intersection(*sets) or set.union(*sets))
        if interp.first_author and len(interp.authors) == 1:
            # "Strand et al." names the first author: papers where Strand comes later are
            # not meant, unless no paper has Strand first.
            key = " ".join(words(interp.authors[0]))
            first = [e for e in entries if e.authors and key in surname_keys(e.authors[0])]
            entries = first or entries
    elif interp.doi:
        entry = bib.by_doi(interp.doi)
        entries = [entry] if entry else []
    elif interp.titles:
        entries = bib.by_ids(e.record_id for t in interp.titles for e in bib.by_title(t))
    elif interp.years:
        entries = bib.by_ids(e.record_id for r in interp.years for e in bib.by_year(*r))
    elif interp.venues:
        entries = bib.in_venues(interp.venues)
    else:
        entries = bib.entries
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
