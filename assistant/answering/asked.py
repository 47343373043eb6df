"""The asked fact, from the right part of each paper; or an honest "not reported".

Before any answer is written, the selected papers are checked for what the question asks:
the facet (participants, setting, method, aim, limitations), a measure (an effect size, a
dose), a named term, a design or country the plan could not meet. When none addresses it,
the answer says the indexed papers do not report it, cites nothing, and lists the closest
papers as related reading. Otherwise, without a model, the answer states the fact (the
number, the method, the place, the finding) with the sentence it comes from, cited; named
papers compared are set side by side, part by part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answering.answer import Source
from assistant.answering.asked_words import ENGLISH, Wording, wording
from assistant.answering.question.asks import reports_measure
from assistant.answering.question.planner import Plan
from assistant.answering.question.studies import stem, topic_terms
from assistant.answering.question.words import CONTENT_VERBS
from assistant.answering.retrieval import DISTINCTIVE
from assistant.answering.walk import Outcome
from vocab.parts import Parts
from vocab.textfold import fold, words

NOT_REPORTED = "Nothing in the indexed papers addresses what was asked."
_STUDY_FACETS = frozenset(ENGLISH.missing)
# Acronyms, CamelCase and letter-digit names: terms a paper either mentions or does not.
_TERM = DISTINCTIVE
_COMPARED = ("aim", "method", "participants", "setting", "findings")
_CLOSED = re.compile(r"[.!?…][\"”’»)\]]*$")  # a quote that ends as a sentence does


@dataclass(frozen=True)
class Stated:
    """An answer from the papers' parts, or a "not reported" one (no sources, related)."""

    text: str
    sources: list[Source] = field(default_factory=list)
    cited: list[int] = field(default_factory=list)
    related: list[Source] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def unreported(self) -> bool:
        """Whether it says the papers do not report what was asked."""
        return NOT_REPORTED in self.warnings

    def outcome(self, warnings: list[str] | None = None) -> Outcome:
        """As the walk's result (``warnings``: why it stands in for a model's answer)."""
        why = [*(warnings or []), *self.warnings]
        return Outcome(self.text, self.sources, self.cited, warnings=why, related=self.related)


def stated(facet: str, parts: Parts) -> list[tuple[str, str]]:
    """``(what, sentence)`` a paper states for a facet: the values and their sentences."""
    out: list[tuple[str, str]] = []

    def facts(*names: str) -> None:
        for name in names:
            for fact in parts.fact(name):
                label = {"ages": "aged "}.get(name, "")
                out.append((label + fact.value, fact.sentence))

    def sentences(*names: str, limit: int = 2) -> None:
        for name in names:
            out.extend(("", s) for s in parts.part(name)[:limit])

    if facet == "ages":
        facts("ages")
    elif facet == "participants":
        facts("participants", "ages")
        if not out:
            sentences("participants")
    elif facet == "setting":
        facts("setting")
        if not out:
            sentences("setting")
    elif facet == "method":
        facts("design")
        sentences("method", limit=1)
    elif facet == "aim":
        sentences("aim")
    elif facet == "limitations":
        sentences("limitations")
    elif facet == "about":
        sentences("aim", limit=1)
        sentences("results", "conclusions", limit=1)
    elif facet == "conclusions":  # what the paper concludes, else what it found
        sentences("conclusions", limit=2)
        if not out:
            return stated("findings", parts)
    elif facet == "findings":
        found = [s for s in parts.part("results") if not _only_sample(s, parts)]
        out += [("", s) for s in found[:2]]
        sentences("conclusions", limit=1)
    return out


def _only_sample(sentence: str, parts: Parts) -> bool:
    """A results sentence that only says who took part."""
    return any(f.sentence == sentence for f in parts.fact("participants"))


def _line(what: list[tuple[str, str]], n: int, ref: str | None) -> str:
    values = "; ".join(dict.fromkeys(v for v, _ in what if v))
    quotes = list(dict.fromkeys(s for _, s in what))[:2]
    # A title quoted before a sentence has no full stop of its own: close it, or the two
    # read as one run-on sentence ("…substance use services A researcher conducted…").
    last = len(quotes) - 1
    body = " ".join(q if i == last or _CLOSED.search(q) else q + "." for i, q in enumerate(quotes))
    head = " — ".join(p for p in (ref, values) if p)
    return f"- {head}: “{body}” [{n}]" if head else f"- {body} [{n}]"


def _missing_term(question: str, sources: list[Source], known: set[str]) -> str | None:
    """A distinctive term of the question that no selected source mentions."""
    texts = fold(" ".join(f"{s.title or ''} {s.text}" for s in sources))
    for term in _TERM.findall(question):
        if fold(term) not in known and fold(term) not in texts:
            return term
    return None


_FRAMING = frozenset({"according", "regarding", "concerning", "selon", "concernant"})


def _missing_topic(question: str, sources: list[Source], known: set[str]) -> str | None:
    """The question's own topic words when most of them (two or more) occur in none of the
    papers it picked by name: "what does Strand say about volcanic eruptions?"."""
    have = {stem(w) for w in words(" ".join(f"{s.title or ''} {s.text}" for s in sources))}
    asked = [
        w
        for w in topic_terms(question)
        if w not in CONTENT_VERBS and w not in known and w not in _FRAMING
    ]
    absent = list(dict.fromkeys(w for w in asked if stem(w) not in have))
    if len(absent) >= 2 and len(absent) * 2 > len(asked):
        return " ".join(absent)
    return None


def _unreported(
    the_plan: Plan, question: str, sources: list[Source], parts: dict[str, Parts], w: Wording
) -> str | None:
    asks = the_plan.interpretation.asks
    if the_plan.unreported:
        return the_plan.unreported
    if not sources:
        return None
    unstated = _unstated(asks.facets, sources, parts)
    if asks.facets and len(unstated) == len(asks.facets):  # none of what was asked is stated
        return w.nor.join(w.unreported(f, len(sources) == 1) for f in unstated)
    if asks.measure and not any(reports_measure(asks.measure, s.text) for s in sources):
        return w.measure(asks.measure)
    interp = the_plan.interpretation
    known = {fold(w) for name in (*interp.authors, *interp.venues) for w in name.split()}
    term = _missing_term(question, sources, known)
    if term is None and the_plan.named and not asks.facets:  # picked by name, not relevance
        term = _missing_topic(question, sources, known)
    return w.anything_on.format(term) if term else None


def related_reading(sources: list[Source], w: Wording = ENGLISH) -> str:
    """The closest papers, listed after an answer that cites none of them ('' if none)."""
    if not sources:
        return ""
    listed = "\n".join(f"- {s.short_ref()} {s.display_title()}" for s in sources)
    return f"\n\n{w.related}\n{listed}"


def _naming_terms(question: str, sources: list[Source]) -> list[Source]:
    """The sources that mention a distinctive term of the question ("the ReConnect study"),
    when any does: the term says which study is meant."""
    terms = [fold(t) for t in _TERM.findall(question)]
    if not terms:
        return sources
    naming = [s for s in sources if any(t in fold(f"{s.title or ''} {s.text}") for t in terms)]
    return naming or sources


def _unstated(facets: tuple[str, ...], sources: list[Source], parts: dict[str, Parts]) -> list[str]:
    """The asked study facets that no selected paper states."""
    return [
        f
        for f in facets
        if f in _STUDY_FACETS
        and not any(stated(f, parts.get(s.record_id, Parts())) for s in sources)
    ]


def state_asked(
    the_plan: Plan, question: str, sources: list[Source], parts: dict[str, Parts]
) -> Stated | None:
    """The answer from the papers' parts (``parts``: each source's, by record id): "not
    reported", the asked facts, or None (nothing to state: quote or compose as usual)."""
    asks = the_plan.interpretation.asks
    w = wording(the_plan.interpretation.language)
    missing = _unreported(the_plan, question, sources, parts, w)
    if missing:
        text = w.not_report.format(missing) + related_reading(sources, w)
        return Stated(text, related=list(sources), warnings=[NOT_REPORTED])
    if not sources:
        return None
    named = the_plan.interpretation.kind == "paper"
    if asks.compare and named and len(sources) > 1:
        named_order = [fold(a) for a in the_plan.interpretation.authors]
        return _compare(_in_order(sources, named_order), parts, w, asks.facets or _COMPARED)
    sources = _naming_terms(question, sources)
    if len(asks.facets) > 1:
        return _each_facet(asks.facets, sources, parts, w)
    picked = named or the_plan.named  # by name, or by a design or country alone
    if asks.facet in _STUDY_FACETS or asks.facet in ("findings", "conclusions", "about") and picked:
        facet = asks.facet
        lines = []
        for s in sources:
            what = stated(facet, parts.get(s.record_id, Parts()))
            if what:
                lines.append(_line(what, s.n, s.short_ref() if len(sources) > 1 else None))
        if lines:
            cited = [int(m) for m in re.findall(r"\[(\d+)\]$", "\n".join(lines), re.M)]
            return Stated("\n".join(lines), sources, cited)
    return None


def _in_order(sources: list[Source], names: list[str]) -> list[Source]:
    """The sources in the order the question names their first authors."""

    def place(s: Source) -> int:
        first = fold(s.authors[0]) if s.authors else ""
        return next((i for i, name in enumerate(names) if name in first), len(names))

    return sorted(sources, key=place)


def _compare(
    sources: list[Source],
    parts: dict[str, Parts],
    w: Wording = ENGLISH,
    facets: tuple[str, ...] = _COMPARED,
) -> Stated:
    """The named papers side by side, part by part (the parts asked, else the main ones)."""
    lines: list[str] = []
    cited: list[int] = []
    for facet in facets:
        rows = []
        for s in sources:
            what = stated(facet, parts.get(s.record_id, Parts()))
            if what:
                rows.append("  " + _line(what[:2], s.n, s.short_ref()))
                cited.append(s.n)
            else:
                rows.append(f"  - {s.short_ref()}: {w.none_said}")
        lines += [f"{w.heading(facet)}:", *rows]
    return Stated("\n".join(lines), sources, list(dict.fromkeys(cited)))


def _each_facet(
    facets: tuple[str, ...], sources: list[Source], parts: dict[str, Parts], w: Wording
) -> Stated | None:
    """A question that asks several things ("where, and with whom?"): each in turn, from
    the papers' parts, and "not reported" for a study facet no paper states. None (the
    usual answer from the passages, which favours findings) when the parts hold no finding
    that was asked for, or nothing at all."""
    lines: list[str] = []
    unstated = _unstated(facets, sources, parts)
    shown: set[tuple[int, str]] = set()  # (source, value or sentence) already stated
    for facet in facets:
        rows, said_before = [], False
        for s in sources:
            what = stated(facet, parts.get(s.record_id, Parts()))
            new = {(s.n, x) for pair in what for x in pair if x} - shown
            said_before = said_before or bool(what and not new)
            if what and new:  # "how many, and how old?": the ages are in the count's line
                rows.append(_line(what, s.n, s.short_ref() if len(sources) > 1 else None))
                shown |= new
        if rows:
            lines += [f"{w.heading(facet)}:", *rows]
        elif said_before:
            continue
        elif facet in unstated:
            said = w.not_report.format(w.unreported(facet, len(sources) == 1))
            lines.append(f"{w.heading(facet)}: {said[:1].lower()}{said[1:]}")
        else:
            return None
    cited = [int(m) for m in re.findall(r"\[(\d+)\]$", "\n".join(lines), re.M)]
    if not cited:
        return None
    return Stated("\n".join(lines), sources, list(dict.fromkeys(cited)))
