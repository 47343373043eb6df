"""Catalogue answers from the papers' parts: "which studies used focus groups / were done
in Norway / are not about X?", "is there a 2016 review on Y?".

Every paper in the index is checked (not a top k), from the design and setting facts read
at ingest; each listed paper quotes the sentence that says so, cited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from assistant.answering.question.asks import Asks
from assistant.answering.question.bibliography import BibEntry
from assistant.answering.question.catalogue import LIST_LIMIT, ListAnswer, sort_key
from assistant.answering.question.read import Interpretation
from assistant.answering.question.words import FRAME, STOP
from assistant.answering.question.years import format_range
from assistant.references import first_words, short_ref
from vocab.parts import PART_NAMES, Parts
from vocab.studyterms import countries_in, design_covers, designs_in
from vocab.textfold import fold, words

PartsOf = Callable[[list[str]], Mapping[str, Parts]]


def stem(word: str) -> str:
    """The stem topics are compared by: a word's first five letters."""
    return word[:5]


def topic_words(topic: str) -> list[str]:
    """The content words of a topic, stemmed ('peer workers' -> ['peer', 'worke'])."""
    return [stem(w) for w in topic_terms(topic)]


def topic_terms(topic: str) -> list[str]:
    """The content words of a topic, folded ('Peer workers' -> ['peer', 'workers'])."""
    return [
        w
        for w in words(topic)
        if w not in STOP
        and w not in FRAME
        and len(w) > 2
        and not w.isdigit()
        and not designs_in(w)
        and not countries_in(w, strict=False)
    ]


def text_of(entry: BibEntry, parts: Parts) -> str:
    """What a paper is about, as one folded text: title, keywords and its parts."""
    pieces = [entry.title or "", " ".join(entry.keywords)]
    pieces += [s for name in parts.sections for s in parts.part(name)]
    return fold(" ".join(pieces))


def is_about(entry: BibEntry, parts: Parts, stems: list[str]) -> bool:
    """Whether every content word of the topic occurs in what the paper is about (its
    journal's name too: a paper in *Social Work in Mental Health* is about mental health)."""
    have = {stem(w) for w in words(f"{text_of(entry, parts)} {fold(entry.venue or '')}")}
    return bool(stems) and all(s in have for s in stems)


def evidence(entry: BibEntry, parts: Parts, asks: Asks) -> str | None:
    """The sentence that shows a paper meets the asked design or setting (None: it does not)."""
    quote = ""
    for design in asks.designs:
        found = [f for f in parts.fact("design") if design_covers(design, (f.value,))]
        if not found:
            return None
        quote = quote or found[0].sentence
    sentences = [s for name in PART_NAMES for s in parts.part(name)]
    for country in asks.countries:
        said = [f.sentence for f in parts.fact("setting") if fold(f.value) == fold(country)]
        # A country named anywhere in the paper (the facts keep only the first few).
        said += [s for s in sentences if country in countries_in(fold(s), strict=False)]
        if not said:
            return None
        quote = quote or said[0]
    return quote


def study_catalogue(
    interp: Interpretation, asks: Asks, entries: list[BibEntry], parts_of: PartsOf, topic: str
) -> ListAnswer:
    """The papers among ``entries`` that meet the asked design/setting, or that are not
    about the negated topic; for an existence question, yes or no first."""
    parts = parts_of([e.record_id for e in entries])
    matched: list[tuple[BibEntry, str]] = []
    negated = topic_words(asks.not_about or "")
    names = {stem(w) for n in (*interp.authors, *interp.venues) for w in words(n)}
    wanted = [s for s in topic_words(topic) if s not in names] if asks.exists else []
    for entry in entries:
        own = parts.get(entry.record_id, Parts())
        if negated:
            if is_about(entry, own, negated):
                continue
            matched.append((entry, ""))
            continue
        quote = evidence(entry, own, asks)
        if quote is None or wanted and not all(s in text_of(entry, own) for s in wanted):
            continue
        matched.append((entry, quote))
    matched.sort(key=lambda m: sort_key(m[0]))
    shown = matched[:LIST_LIMIT]
    what = describe_constraints(interp, asks)
    n = len(matched)
    found = (
        f"{_count(n)} in the index {'is' if n == 1 else 'are'} {what}"
        if negated
        else (f"{_count(n)} in the index {'matches' if n == 1 else 'match'} ({what})")
    )
    if not matched:
        found = f"No paper in the index {'is ' + what if negated else 'matches (' + what + ')'}"
    if asks.exists:
        found = ("Yes: " if matched else "No: ") + found[:1].lower() + found[1:]
    head = found + (":" if n else ".")
    lines = [head]
    for n, (entry, quote) in enumerate(shown, 1):
        title = entry.title or _opening(parts.get(entry.record_id))
        line = f"[{n}] {short_ref(entry)} {title}"
        lines.append(f"{line} — “{quote}”" if quote and quote != entry.title else line)
    if len(matched) > len(shown):
        lines.append(f"… and {len(matched) - len(shown)} more.")
    entries_shown = [e for e, _ in shown]
    return ListAnswer("\n".join(lines), entries_shown, tuple(e for e, _ in matched), final=True)


def _opening(parts: Parts | None) -> str:
    for name in PART_NAMES:
        if parts and parts.part(name):
            return first_words(parts.part(name)[0])
    return "(untitled abstract)"


def _count(n: int) -> str:
    return "One paper" if n == 1 else f"{n} papers"


def describe_constraints(interp: Interpretation, asks: Asks) -> str:
    """'design: focus groups; setting: Norway; 2018', or 'not about mental health'."""
    if asks.not_about:
        return f"not about {asks.not_about}"
    parts = []
    if asks.designs:
        parts.append("design: " + " and ".join(asks.designs))
    if asks.countries:
        parts.append("setting: " + " and ".join(asks.countries))
    parts += [format_range(r) for r in interp.years]
    return "; ".join(parts)
