"""What a question needs, decided from the index's own bibliography before any search.

:func:`plan` reads the question (:mod:`.read`) and decides how it is answered:

- a name, year, title or DOI that is not in the index: say so, with no sources;
- *catalogue* ("which papers…", "papers by X", "from 2020"): every matching record, listed
  from the bibliography with a count (never a top k);
- *bibliographic* ("who wrote…", "what is the DOI of…"): the field, exactly as stored, of the
  paper named, or of the best retrieved paper when none is named;
- *paper* and *topic*: retrieval, restricted to the named or matching papers when the
  question names any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from assistant.answering.answer import Source
from assistant.answering.question.bibliography import BibEntry, Bibliography
from assistant.answering.question.catalogue import (
    ListAnswer,
    bibliographic_answer,
    catalogue_answer,
)
from assistant.answering.question.kind import topic_of
from assistant.answering.question.read import (
    Interpretation,
    matching,
    missing_sentence,
    read_question,
)
from assistant.answering.question.studies import (
    PartsOf,
    describe_constraints,
    evidence,
    study_catalogue,
)
from assistant.references import first_words
from index import ChunkMeta, Filters
from vocab.parts import Parts

# Only the start of a question is read for names and years: it is where they are, and a
# pasted 100 KB "question" must not cost seconds here.
READ_CHARS = 2000
# More papers than this named by a "paper" question is a topic with a filter, not one paper.
MAX_NAMED = 50
AUTHOR_PICKS = 5  # an --author filter matching this few papers names them


@dataclass
class Plan:
    """How to answer one question."""

    interpretation: Interpretation
    filters: Filters
    reply: ListAnswer | None = None  # answered from the bibliography alone
    missing: str | None = None  # what the question names that the index lacks
    named: bool = False  # the filters hold papers the question names (no relevance gate)
    unreported: str | None = None  # a design/setting asked that no paper meets

    def notes(self) -> list[str]:
        """What the reader of the answer should know about how the question was read."""
        return [
            f"Read “{w}” as {r} (no author “{w}” in the index)."
            for w, r in self.interpretation.corrected
        ]

    def interpreted(self) -> dict[str, Any] | None:
        """The ``interpreted`` object of the answer contract (None when nothing was read)."""
        interp = self.interpretation
        if interp.kind == "topic" and not interp.constrained and not interp.asks:
            return None
        return interp.to_json()


def bibliography_of(reader: Any) -> Bibliography:
    """The bibliography of one index generation: its catalogue, read on demand."""
    return Bibliography(catalog=reader.catalog)


def plan(
    question: str,
    bib: Bibliography,
    filters: Filters,
    best_records: Callable[[Filters, str], list[str]],
    parts_of: PartsOf | None = None,
) -> Plan:
    """Read ``question`` against ``bib``; ``best_records(filters, topic)`` retrieves record
    ids by relevance, searching for ``topic`` as well as the question; ``parts_of(ids)``
    gives papers' parts (for questions about designs and settings)."""
    interp = read_question(question[:READ_CHARS], bib)
    if interp.missing:
        lines = [missing_sentence(m, interp.language) for m in interp.missing]
        text = " ".join(s[:1].upper() + s[1:] + "." for s in lines)
        return Plan(interp, filters, missing=text)
    # An unconstrained catalogue ("how many papers are there?") is the whole bibliography.
    named = matching(interp, bib) if interp.constrained or interp.kind == "catalogue" else []
    named = [e for e in named if _passes(e, filters)]
    asks = interp.asks
    if interp.kind == "catalogue" and parts_of and asks.constrains:
        topic = question[:READ_CHARS]
        return Plan(interp, filters, reply=study_catalogue(interp, asks, named, parts_of, topic))
    if interp.kind == "catalogue":
        return Plan(interp, filters, reply=catalogue_answer(interp, named))
    by_name = interp.authors or interp.titles or interp.doi  # the name says which paper
    if parts_of and (asks.designs or asks.countries) and not by_name:
        within = _within_studies(interp, bib, filters, parts_of, named)
        if interp.kind != "bibliographic" or within.unreported:
            return within
        filters = within.filters  # "who wrote the study from Finland?": among those papers
    if interp.kind == "bibliographic":
        if not interp.constrained:  # "who wrote the study on X?": the best match is meant
            best = best_records(filters, topic_of(question[:READ_CHARS]))[:1]
            named = bib.by_ids(best)
        return Plan(
            interp, filters, reply=bibliographic_answer(interp.field or "", named, interp.language)
        )
    if interp.authors or interp.titles or interp.doi or interp.venues:
        if not named:
            return Plan(interp, filters, reply=catalogue_answer(interp, []))
        if len(named) <= MAX_NAMED:
            wanted = frozenset(e.record_id for e in named)
            if filters.record_ids is not None:
                wanted &= filters.record_ids
            is_named = bool(interp.authors or interp.titles or interp.doi)
            return Plan(interp, replace(filters, record_ids=wanted), named=is_named)
    if interp.years:  # a topic within years: a filter, not a set of named papers
        lo, hi = _span(interp.years)
        lo = _tighter(lo, filters.year_min, max)
        hi = _tighter(hi, filters.year_max, min)
        filters = replace(filters, year_min=lo, year_max=hi)
    if filters.author:  # ``--author Mpango``: as if the question named Mpango's papers
        # (the catalogue's author index, not a scan of the whole bibliography per question)
        picked = [e for e in bib.by_author(filters.author) if _passes(e, filters)]
        return Plan(interp, filters, named=0 < len(picked) <= AUTHOR_PICKS)
    return Plan(interp, filters)


def _within_studies(
    interp: Interpretation,
    bib: Bibliography,
    filters: Filters,
    parts_of: PartsOf,
    named: list[BibEntry],
) -> Plan:
    """A question about studies of a design or from a country ("what did the 2018 paper
    from Norway find?"): retrieval among the papers that meet it, or "not reported"."""
    pool = named if interp.constrained else [e for e in bib.entries if _passes(e, filters)]
    parts = parts_of([e.record_id for e in pool])
    meeting = [
        e for e in pool if evidence(e, parts.get(e.record_id, Parts()), interp.asks) is not None
    ]
    if not meeting:
        what = describe_constraints(interp, replace(interp.asks, not_about=None))
        return Plan(interp, filters, unreported=f"a study matching {what}")
    wanted = frozenset(e.record_id for e in meeting)
    if filters.record_ids is not None:
        wanted &= filters.record_ids
    # Papers picked by name, or by the constraint alone ("what did the mixed methods study
    # find?"), are relevant by being picked: no relevance gate for them.
    is_named = bool(interp.authors or interp.titles or interp.doi) or not interp.topic
    return Plan(interp, replace(filters, record_ids=wanted), named=is_named)


def _span(ranges: tuple[tuple[int | None, int | None], ...]) -> tuple[int | None, int | None]:
    """The smallest single range covering ``ranges`` (None: open on that side)."""
    starts = [r[0] for r in ranges]
    ends = [r[1] for r in ranges]
    lo = None if None in starts else min(s for s in starts if s is not None)
    hi = None if None in ends else max(e for e in ends if e is not None)
    return lo, hi


def _tighter(a: int | None, b: int | None, pick: Callable[[int, int], int]) -> int | None:
    """The stricter of two bounds (either may be open)."""
    return b if a is None else a if b is None else pick(a, b)


def _passes(entry: BibEntry, filters: Filters) -> bool:
    """Whether a record passes the user's own filters (``--year``, ``--author``,
    ``--collection``)."""
    meta = ChunkMeta(
        record_id=entry.record_id,
        authors=entry.authors,
        year=entry.year,
        collections=entry.collections,
    )
    return filters.accepts(meta)


def sources_for(entries: list[BibEntry], reader: Any) -> list[Source]:
    """Numbered sources for bibliography answers: each record with its opening passage."""
    out = []
    for n, entry in enumerate(entries, 1):
        chunks = reader.chunks_of(entry.record_id)
        if not chunks:
            continue
        first = chunks[0]
        out.append(
            Source.from_meta(n, entry.record_id, first.meta, first.text, 1.0, [first.chunk_id])
        )
    return out


def labels_for(sources: list[Source]) -> dict[str, str]:
    """How an untitled record is named in a list: its opening words."""
    return {s.record_id: first_words(s.text) for s in sources if not s.title}
