"""What a question asks of a paper's parts: a facet (method, participants and their
ages, setting, aim, findings, limitations), study constraints (a design, a country), a
negation, an existence check, a comparison, or a measure (an effect size, a dose) that
must be reported.

Rules over the folded question, English and French; the vocabulary of designs and
countries is the ingest's own (:mod:`vocab.studyterms`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vocab.studyterms import BROADER, COUNTRY, DESIGN_PATTERNS, countries_in, designs_in
from vocab.textfold import fold

FACETS: list[tuple[str, re.Pattern[str]]] = [
    (
        "ages",
        re.compile(
            r"\bhow old\b|\bwhat ages?\b|\bages?\b(?! of (?:the )?(?:paper|article|study|"
            r"publication))|\baged\b|\bage (?:range|group)s?\b|\bquel age\b|\bages? des\b"
        ),
    ),
    (
        "participants",
        re.compile(
            r"\bhow many (?:\w+ ){0,3}?(?:took part|participated|were (?:interviewed|included|"
            r"recruited|involved|studied|surveyed))|\bhow many (?:participants|people|patients|"
            r"service users|respondents|informants|interviewees|subjects)\b|\bwho (?:took part|"
            r"participated|were the participants|was (?:interviewed|studied|surveyed))"
            r"|\bhow many (?!(?:other )?(?:papers?|stud(?:y|ies)|articles?|works?|records?|"
            r"publications?|sources?|documents?|references?|abstracts?|items?|entries|reviews?|"
            r"trials?|authors?|journals?|years?|times?|pages?|chunks?|of them)\b)"
            r"|\bcombien de (?!(?:articles?|etudes?|travaux|publications?|revues?|textes?)\b)"
            r"|\bont participe\b|\bsample\b"
            # "participants" unless they are the ones doing ("what did participants value?")
            r"|(?<!did )(?<!did the )(?<!do )(?<!do the )\bparticipants?\b"
            r"(?!(?: \S+){0,4}? (?:describ|report|say|said|valu|experienc|feel|felt|"
            r"mention|express|perceiv|found|find|think|thought|want|need|prefer|identif|"
            r"emphasi|highlight|benefit|learn|gain|dislike|appreciat|suggest|pay)\w*)"
            r"|\brespondents\b|\binformants\b|\binterviewees\b"
            r"|\bcombien de (?:participants|personnes|usagers)|\bqui a participe|\bechantillon\b"
            r"|\b(?:with|among|from) whom\b|\bavec qui\b"
            r"|\bwho (?:were|was) (?:they|studied|interviewed|surveyed|included|recruited)\b"
        ),
    ),
    (
        "setting",
        re.compile(
            r"\bwhere (?:was|were|did|is|are) (?:the |this |that |these |those )?(?:\S+ ){0,4}?"
            r"(?:study|studies|research|it|they|data|trials?|interviews?)\b"
            r"(?!.*\b(?:publish|appear|print))|\bwhere (?:was|were) (?:\S+ ){0,6}?(?:done|"
            r"conducted|carried out|based|held|run)\b|\bwhere (?:\S+ ){0,6}?took place\b"
            r"|\bin which (?:country|countries|city|"
            r"cities|setting|place)|\b(?:which|what) (?:country|countries|city|cities|setting)"
            r"|\bsettings?\b|\bdans quel (?:pays|milieu)|\bou (?:a ete menee|s'est deroulee)"
            r"|\bou (?:\S+ ){0,4}?(?:menee?s?|realisee?s?|deroulee?s?)\b"
        ),
    ),
    (
        "method",
        re.compile(
            r"\bmethods?\b|\bmethodolog\w*|\bwhat did (?:\S+ ){1,4}?do\b|\bwhat was done\b"
            r"|\bhow (?:\S+ ){0,3}?(?:collected|gathered|analy[sz]ed|recruited|sampled)\b"
            r"|\bhow did (?:\S+ ){0,4}?(?:collect|gather|"
            r"analy[sz]e|recruit|measure|sample)\b"
            r"|\bhow (?:was|were) (?:\S+ ){0,5}?(?:study|studies|research|trials?|surveys?|"
            r"reviews?)\b(?: \S+){0,4}? (?:conducted|done|carried out|designed|run|performed)\b"
            r"|\bhow (?:was|were|did) (?:the |this |that |they |"
            r"it )?(?:\w+ )?(?:study|studies|research|data|researchers|authors)? ?(?:conducted|"
            r"done|carried out|collected|designed|analy[sz]ed|gathered|study|research|collect)"
            r"|\bwhat (?:kind|type|sort) of (?:study|research|design|data)|\bstudy design\b"
            r"|\bdesign\b|\bdata collection\b|\bapproach\b|\bmethode\w*|\bdevis\b"
            r"|\bquel type d'etude\b"
        ),
    ),
    (
        "limitations",
        re.compile(r"\blimitations?\b|\bweakness\w*|\bshortcomings?\b|\blimites\b"),
    ),
    (
        "aim",
        re.compile(
            r"\baims?\b|\bpurpose\b|\bobjectives?\b|\bgoals?\b|\bresearch questions?\b"
            r"|\bobjectifs?\b|\bbut de\b"
        ),
    ),
    (
        "about",
        re.compile(
            r"\b(?:write|wrote|written|writing|publish\w*|study|studied|research\w*) about\b"
            r"|\bwhat (?:is|was|are|were) (?:\w+ ){0,6}?about\b|\bsur quoi\b|\bporte sur\b"
            r"|\bde quoi (?:parle|traite)"
        ),
    ),
    (
        "conclusions",
        re.compile(r"\bconclu\w*|\bin conclusion\b|\btake-?aways?\b"),
    ),
    (
        "findings",
        re.compile(
            r"\bfind(?:ings?)?\b|\bfound\b|\bresults?\b|\bshow(?:ed|n)?\b"
            r"|\boutcomes?\b|\bwhat did (?:\w+ ){1,6}?(?:learn|discover|report)|\bresultats?\b"
            r"|\bconstat\w*|\btrouve\w*"
        ),
    ),
]
_EXISTS = re.compile(
    r"^(?:so |and )?(?:is there|are there|was there|were there|do you have|does the (?:index|"
    r"corpus|collection) (?:have|hold|contain|include)|have you got|any\b|y a-t-il|"
    r"existe-t-il|est-ce qu'il y a|avez-vous)"
)
_NEGATION = re.compile(
    r"\b(?:(?:are|is|were|was)\s+)?(?:not|never|n't)\s+(?:about|on|concerned with|related to|"
    r"focused on|dealing with)\s+(?P<t1>.+)|\b(?:do|does|did)(?:\s+not|n't)\s+(?:mention|"
    r"discuss|deal with|address|concern|cover|study|focus on)\s+(?P<t2>.+)|\bne (?:portent|"
    r"porte|traitent|traite|parlent|parle) pas (?:sur|de|du|des)?\s*(?P<t3>.+)"
)
_COMPARE = re.compile(
    r"\bcompar\w*|\bdiffer\w*|\bversus\b|\bvs\b|\bcontrast\w*|\bsimilarit\w*|\bside by side\b"
    r"|\bin common\b|\bdistingu\w*"
)
# Measures a question can ask for, and how a passage that reports one reads.
MEASURES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    name: (re.compile(asked), re.compile(shown))
    for name, asked, shown in [
        (
            "effect size",
            r"\beffect sizes?\b|\bcohen'?s d\b|\bhedges'? g\b",
            r"effect sizes?|cohen|hedges|\bd ?= ?-?\d|standardi[sz]ed mean difference|\bsmd\b",
        ),
        (
            "odds ratio",
            r"\bodds ratios?\b|\bhazard ratios?\b|\brelative risks?\b",
            r"odds ratio|hazard ratio|relative risk|\b(?:or|hr|rr) ?= ?\d",
        ),
        (
            "dose",
            r"\bdoses?\b|\bdosages?\b|\bmg\b|\bmilligrams?\b|\bposologie\b",
            r"\bdoses?\b|\bdosages?\b|\d ?mg\b|milligram",
        ),
        (
            "cost",
            r"\bhow much (?:did|does|do|will) (?:it|they|\w+) cost\b|\bcosts?\b|\bprice\b"
            r"|\bcout\w*",
            r"\bcosts?\b|\$ ?\d|€ ?\d|£ ?\d|\d ?(?:euros?|dollars|usd|eur)\b|\bcout",
        ),
        (
            "p-value",
            r"\bp-?values?\b|\bstatistically significant\b|\bsignificance level\b",
            r"\bp ?[<=>≤] ?0?\.\d|statistically significant|significan",
        ),
        (
            "percentage",
            r"\bwhat (?:percentage|proportion|share)\b|\bhow many percent\b"
            r"|\bprevalence\b|\bpourcentage\b",
            r"\d ?%|per ?cent|prevalen|proportion of",
        ),
        ("response rate", r"\bresponse rates?\b|\btaux de reponse\b", r"response rate|taux de"),
        (
            "dropout rate",
            r"\bdrop-?outs?(?: rates?)?\b|\battrition\b|\bretention rates?\b|\bhow many "
            r"(?:\w+ )?(?:dropped out|withdrew|were lost)\b|\babandon\w*\b|\btaux d'abandon\b",
            r"drop(?:ped)?[- ]?outs?|attrition|retention|withdr[ae]w|lost to follow|"
            r"did not complete|completed the|abandon",
        ),
        (
            "salary or payment",
            r"\b(?:were|was|are|is) (?:\w+ ){0,7}?(?:un)?paid\b|\bsalar(?:y|ies)\b"
            r"|\bwages?\b|\bremunerat\w*|\bpay(?:ment)?s?\b(?! attention)|\bremuneration\b",
            r"\bpaid\b|\bunpaid\b|salar|\bwages?\b|remunerat|\bpay(?:ment)?s?\b|\bvolunt",
        ),
        (
            "theoretical framework",
            r"\btheoretical (?:framework|lens|perspective|model)s?\b|\bwhich theor(?:y|ies)\b"
            r"|\bwhat theor(?:y|ies)\b|\bconceptual framework\b|\bcadre theorique\b",
            r"theor(?:y|ies|etical)|framework|drawing on|drew on|informed by|\blens\b|"
            r"conceptuali[sz]|grounded in",
        ),
        (
            "correlation",
            r"\bcorrelat\w+ coefficient|\bhow (?:strongly|closely) correlated\b",
            r"correlat\w*|\br ?= ?-?0?\.\d",
        ),
    ]
}


@dataclass(frozen=True)
class Asks:
    """What a question asks of the papers' parts; empty fields were not asked."""

    facets: tuple[str, ...] = ()  # more than one when its clauses ask for each in turn
    designs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    not_about: str | None = None
    exists: bool = False
    compare: bool = False
    measure: str | None = None

    @property
    def facet(self) -> str | None:
        """The facet asked first (None: none)."""
        return self.facets[0] if self.facets else None

    def __bool__(self) -> bool:
        return bool(
            self.facets
            or self.designs
            or self.countries
            or self.not_about
            or self.exists
            or self.compare
            or self.measure
        )

    @property
    def constrains(self) -> bool:
        """Whether it names study constraints (a design, a country) or a negation."""
        return bool(self.designs or self.countries or self.not_about)

    def to_json(self) -> dict[str, Any]:
        """The keys ``interpreted`` gains (only what was read)."""
        data: dict[str, Any] = {}
        if self.facets:
            data["facet"] = self.facets[0] if len(self.facets) == 1 else list(self.facets)
        if self.designs:
            data["design"] = self.designs[0] if len(self.designs) == 1 else list(self.designs)
        if self.countries:
            data["setting"] = (
                self.countries[0] if len(self.countries) == 1 else list(self.countries)
            )
        if self.not_about:
            data["not_about"] = self.not_about
        if self.exists:
            data["exists"] = True
        if self.compare:
            data["compare"] = True
        if self.measure:
            data["measure"] = self.measure
        return data

    def describe(self) -> list[str]:
        """Words for people ('facet participants', 'design focus groups')."""
        return [
            f"{k} {', '.join(v) if isinstance(v, list) else v}" if v is not True else k
            for k, v in self.to_json().items()
        ]


# Where a question's clauses part: "where was it done, and with whom?", "… and how many took
# part", "…; what did it find". A facet read in each of two or more clauses is asked of each.
_CLAUSES = re.compile(
    r"\s*(?:[,;]\s*(?:and|but|et(?! al\b)|mais)?|\band\b|\bas well as\b|\bet\b(?! al\b))\s+"
)


def _facet_of(text: str) -> str | None:
    return next((name for name, pattern in FACETS if pattern.search(text)), None)


def read_facets(text: str) -> tuple[str, ...]:
    """The facets a folded question asks: one (the first by priority), or one per clause
    when two or more of its clauses each ask for a different one."""
    first = _facet_of(text)
    if first is None:
        return ()
    each = [f for f in (_facet_of(c) for c in _CLAUSES.split(text)) if f]
    return tuple(dict.fromkeys(each)) if len(set(each)) > 1 else (first,)


_AFTER_DESIGN = r"(?:\s+(?:designs?|approach(?:es)?|stud(?:y|ies)|papers?|articles?))?"
_CUES = re.compile(r"\b(?:methods?|designs?|approach(?:es)?|methodolog\w*)\b")


def _without_designs(text: str, by: str | Callable[[re.Match[str]], str] | None = None) -> str:
    """Folded ``text`` with each design it names (and a "design", "approach" or "study"
    after it) replaced ``by`` a word; by default only its words that ask for a method are
    blanked: "which studies used a mixed methods design?" names a design as a constraint,
    it does not ask how the studies were done."""

    def cues(m: re.Match[str]) -> str:
        return _CUES.sub("_", m.group(0))

    for pattern in DESIGN_PATTERNS.values():
        text = re.sub(rf"(?:{pattern.pattern}){_AFTER_DESIGN}", by or cues, text)
    return text


def designs_as_studies(question: str) -> str:
    """The folded question with each design named as "study" or "studies": "which scoping
    reviews are indexed?" lists papers as "which studies are indexed?" does."""

    def noun(m: re.Match[str]) -> str:
        return "studies" if m.group(0).endswith("s") else "study"

    return _without_designs(fold(" ".join(question.split())), noun)


def constraint_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a design or a country (what the papers must be, not what the
    question is about); none when folding would move the offsets."""
    folded = fold(text)
    if len(folded) != len(text):
        return []
    found = [
        m.span()
        for p in DESIGN_PATTERNS.values()
        for m in re.finditer(p.pattern + _AFTER_DESIGN, folded)
    ]
    return found + [m.span() for m in COUNTRY.finditer(folded)]


def read_asks(question: str) -> Asks:
    """What ``question`` asks of the papers' parts."""
    text = fold(" ".join(question.split()))
    negation = _NEGATION.search(text)
    not_about = None
    if negation:
        topic = next(g for g in negation.groups() if g)
        not_about = topic.strip(" ?!.,;:") or None
        text = text[: negation.start()]  # what is negated is not a constraint
    facets = read_facets(_without_designs(text))
    found = designs_in(text)
    # "randomised trials" names one design, not also the broader "trial".
    designs = tuple(d for d in found if not any(n in found for n in BROADER.get(d, ())))
    measure = next((name for name, (asked, _) in MEASURES.items() if asked.search(text)), None)
    return Asks(
        facets=facets,
        designs=designs,
        countries=tuple(countries_in(text, strict=False)),
        not_about=not_about,
        exists=bool(_EXISTS.search(text.strip())),
        compare=bool(_COMPARE.search(text)),
        measure=measure,
    )


def reports_measure(measure: str, text: str) -> bool:
    """Whether ``text`` reports the ``measure`` a question asks for."""
    return MEASURES[measure][1].search(fold(text)) is not None
