"""Answers built from the bibliography alone: lists of papers and single metadata fields.

Catalogue answers state a count and list EVERY matching entry as a numbered reference;
bibliographic answers give the field asked for exactly as the page stated it, or say it
is not stated. Either way ``[n]`` is the entry's position in the returned ``entries``,
which is the order the caller must number its sources in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.answering.question.bibliography import BibEntry, surname
from assistant.answering.question.read import Interpretation, missing_sentence
from assistant.answering.question.years import format_range
from assistant.references import list_ref, short_ref
from vocab.names import given_first
from vocab.textfold import fold

# A list answer names at most this many papers (each a numbered source); the count covers
# all of them. A library of 20,000 records listed whole is megabytes no one reads.
LIST_LIMIT = 200

_TEXT = {
    "en": {
        "none": "No paper in the index matches{what}.",
        "one": "One paper in the index matches{what}:",
        "many": "{n} papers in the index match{what}:",
        "by": " by {names}",
        "from": " from {years}",
        "in": " in {venues}",
        "doi": " with DOI {doi}",
        "titled": " titled {titles}",
        "and": " and ",
        "not_stated": "{ref}: the {field} is not stated on the page.",
        "authors": "{ref} was written by {value}.",
        "doi_is": "The DOI of {ref} is {value}.",
        "venue": "{ref} was published in {value}.",
        "year": "{ref} was published in {value}.",
        "title": "The title of {ref} is “{value}”.",
        "unknown": "No paper in the index could be identified for this question.",
        "untitled": "untitled abstract",
        "more": "… and {n} more: name an author, a year or a journal to narrow the list, or "
        "see them all with `assistant sources`.",
        "fields": {
            "authors": "author list",
            "doi": "DOI",
            "venue": "journal",
            "year": "year",
            "title": "title",
        },
    },
    "fr": {
        "none": "Aucun article de l’index ne correspond{what}.",
        "one": "Un article de l’index correspond{what} :",
        "many": "{n} articles de l’index correspondent{what} :",
        "by": " (auteurs : {names})",
        "from": " (années : {years})",
        "in": " (revue : {venues})",
        "doi": " (DOI {doi})",
        "titled": " (titre : {titles})",
        "and": " et ",
        "not_stated": "{ref} : le champ « {field} » n’est pas indiqué sur la page.",
        "authors": "{ref} a été écrit par {value}.",
        "doi_is": "Le DOI de {ref} est {value}.",
        "venue": "{ref} a été publié dans {value}.",
        "year": "{ref} a été publié en {value}.",
        "title": "Le titre de {ref} est « {value} ».",
        "unknown": "Aucun article de l’index ne correspond à cette question.",
        "untitled": "résumé sans titre",
        "more": "… et {n} de plus : précisez un auteur, une année ou une revue, ou voyez-les "
        "tous avec `assistant sources`.",
        "fields": {
            "authors": "auteurs",
            "doi": "DOI",
            "venue": "revue",
            "year": "année",
            "title": "titre",
        },
    },
}


@dataclass(frozen=True)
class ListAnswer:
    """Answer text and the entries it cites, ``[1]`` being ``entries[0]``; ``matched`` is
    every entry that matched (more than are cited when the list was cut)."""

    text: str
    entries: list[BibEntry]
    matched: tuple[BibEntry, ...] = ()
    final: bool = False  # the text already names untitled papers (nothing to relabel)


def _words(language: str) -> dict[str, Any]:
    return _TEXT.get(language, _TEXT["en"])


def sort_key(entry: BibEntry) -> tuple[int, str, str]:
    """Chronological, then by first author, then by title: a stable reading order."""
    first = fold(surname(entry.authors[0])) if entry.authors else "~"
    return (entry.year or 9999, first, fold(entry.title or ""))


def _constraints(interp: Interpretation, w: dict[str, Any]) -> str:
    what = ""
    if interp.authors:
        what += w["by"].format(names=w["and"].join(interp.authors))
    if interp.years:
        what += w["from"].format(years=", ".join(format_range(r) for r in interp.years))
    if interp.venues:
        what += w["in"].format(venues=", ".join(interp.venues))
    if interp.doi:
        what += w["doi"].format(doi=interp.doi)
    if interp.titles:
        what += w["titled"].format(titles=", ".join(f"“{t}”" for t in interp.titles))
    return what


def catalogue_answer(
    interp: Interpretation, entries: list[BibEntry], labels: Mapping[str, str] | None = None
) -> ListAnswer:
    """A count sentence, what the index lacks, and a numbered reference for every entry
    (the first ``LIST_LIMIT`` of a longer list, and how many more there are)."""
    w = _words(interp.language)
    ordered = sorted(entries, key=sort_key)
    shown = ordered[:LIST_LIMIT]
    what = _constraints(interp, w)
    key = "none" if not ordered else "one" if len(ordered) == 1 else "many"
    lines = [w[key].format(n=len(ordered), what=what)]
    lines += [_missing(m, interp.language) for m in interp.missing]
    lines += [
        f"[{n}] {list_ref(e, (labels or {}).get(e.record_id))}" for n, e in enumerate(shown, 1)
    ]
    if len(ordered) > len(shown):
        lines.append(w["more"].format(n=len(ordered) - len(shown)))
    return ListAnswer("\n".join(lines), shown, tuple(ordered))


def _missing(item: str, language: str) -> str:
    sentence = missing_sentence(item, language)
    return sentence[:1].upper() + sentence[1:] + "."


def bibliographic_answer(
    field: str,
    entries: list[BibEntry],
    language: str = "en",
    labels: Mapping[str, str] | None = None,
) -> ListAnswer:
    """The ``field`` (authors | doi | venue | year | title) of each entry, as stored, cited."""
    w = _words(language)
    if not entries:
        return ListAnswer(w["unknown"], [])
    lines = []
    for n, entry in enumerate(entries, 1):
        ref = f"{_name(entry, field, labels)} [{n}]"
        value = _value(entry, field, w)
        if value is None:
            lines.append(w["not_stated"].format(ref=ref, field=w["fields"].get(field, field)))
        else:
            lines.append(w["doi_is" if field == "doi" else field].format(ref=ref, value=value))
    return ListAnswer("\n".join(lines), list(entries))


def _name(entry: BibEntry, field: str, labels: Mapping[str, str] | None) -> str:
    """How the answer names the paper: never by the field it is asked for."""
    label = (labels or {}).get(entry.record_id)
    title = f"“{entry.title}”" if entry.title else label
    who = short_ref(entry).rsplit(" (", 1)[0] if entry.authors else ""
    if field == "authors":
        return title or (f"The paper from {entry.year}" if entry.year else "The paper")
    if field == "title":
        return short_ref(entry)
    if field != "year" and entry.year:
        who = f"{who}, {entry.year}" if who else str(entry.year)
    if title:
        return f"{title} ({who})" if who else title
    return who or "The paper"


def _value(entry: BibEntry, field: str, w: dict[str, Any]) -> str | None:
    if field == "authors":
        if not entry.authors:
            return None
        names = [given_first(a) for a in entry.authors]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + w["and"] + names[-1]
    value = {"doi": entry.doi, "venue": entry.venue, "title": entry.title}.get(field)
    if field == "year":
        value = str(entry.year) if entry.year else None
    return value or None
