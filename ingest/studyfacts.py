"""The study facts a researcher filters by, read from a paper's sentences and title:
its design, how many took part and who they were, their ages, and the country or place.

Each value keeps the first sentence it was read from. Patterns run over folded text
(English and French); the vocabulary of designs and countries is shared with the question
reader (:mod:`vocab.studyterms`).
"""

from __future__ import annotations

import re

from vocab.studyterms import DESIGN_PATTERNS, countries_in
from vocab.textfold import fold

MAX_VALUES = 4
MAX_PLACES = 8  # a multi-country study names several
MAX_DESIGNS = 6  # "qualitative; interviews; focus groups" leaves room for the analysis method

_NUMBER_WORDS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred deux trois quatre cinq sept huit neuf dix onze douze treize quatorze quinze seize "
    "vingt trente quarante cinquante cent"
).split()
_PEOPLE = (
    r"participants?|participantes?|service[- ]users?|users?|patients?|people|persons?|"
    r"individuals|adults?|youths?|young people|children|adolescents?|women|men|mothers|"
    r"fathers|parents|famil(?:y|ies)|family members|carers?|care-?givers?|nurses?|"
    r"physicians?|doctors?|clinicians?|professionals?|practitioners?|staff(?: members)?|"
    r"workers?|managers?|students?|veterans?|respondents?|informants?|interviewees?|"
    r"stakeholders?|experts?|consumers?|clients?|residents?|survivors?|therapists?|"
    r"psychiatrists?|psychologists?|volunteers?|employees?|teachers?|leaders?|"
    r"usagers?|usageres?|personnes?|patientes?|femmes|hommes|jeunes|intervenants?|"
    r"intervenantes?|professionnels?|gestionnaires?|infirmieres?|infirmiers?|etudiants?|"
    r"repondants?|proches|aidants?|membres|immigrants?|migrants?|refugees?|consultants?|"
    # agent nouns in general: beekeepers, pharmacists, librarians, trainees, bibliothecaires
    r"(?!(?:centers|papers|letters|numbers|others|orders|layers|clusters|chapters|quarters|"
    r"markers|parameters|barriers|factors|sectors|errors|indicators|predictors|behaviors|"
    r"colors|floors|doors|waters|matters|powers|filters|computers|vectors|reactors|motors)\b)"
    r"[a-z]{3,}(?:ers|ists|ians|ees|aires|eurs|euses|ors)"
)
_WORDS = "|".join(_NUMBER_WORDS)
_COUNT = rf"(?P<n>\d[\d,]*|(?:a |one )?(?:{_WORDS})(?:[- ](?:{_WORDS}))?)"
# "14 service users", "six experienced professionals", "17 Norwegian … managers".
_PARTICIPANTS = re.compile(
    rf"(?<![\w.-]){_COUNT}\s+(?P<mods>(?:(?![\d])[\w'-]+\s+){{0,7}}?)(?P<noun>{_PEOPLE})\b"
)
# "a sample (n = 6) of service-users", "(n=120) patients".
_N_EQUALS = re.compile(
    rf"\(?\bn ?= ?(?P<n>\d[\d,]*)\)?\s+(?:of\s+|d['’]\s*|de\s+)?(?P<mods>(?:[\w'-]+\s+){{0,4}}?)"
    rf"(?P<noun>{_PEOPLE})\b"
)
# Said of people who took part in the study: a count elsewhere (a service's "over a hundred
# users", "300 million people") is not a sample.
_TOOK_PART = re.compile(
    r"\b(?:took|take|taking) part\b|\bparticipat\w*|\b(?:responded|responding|respondents)\b"
    r"|\bwere (?:\w+ )?(?:interviewed|recruited|included|enrolled|surveyed|sampled|selected|"
    r"invited|observed|asked|studied|involved|consulted|randomi[sz]ed|allocated|assigned|"
    r"followed|assessed|approached|purposively)\b"
    r"|\b(?:we|researchers?|authors?|investigators?) (?:\w+ )?(?:interviewed|recruited|included|"
    r"enrolled|surveyed|sampled|selected|observed|invited|studied|asked|followed|consulted|"
    r"approached|met)\b|\b(?:completed|answered|returned|consented|agreed to|attended)\b"
    r"|\b(?:interviews?|focus groups?|surveys?|questionnaires?|conversations|discussions|"
    r"workshops|observations?|meetings) (?:[\w-]+ ){0,4}?(?:with|among|of)\b"
    r"|\b(?:sample|cohort|panel|selection)\b|\bcomprised\b|\bconsisted of\b"
    r"|\bn ?= ?\d|\baged\b|\byears of age\b|\bmean age\b"
    r"|\bont (?:participe|pris part|repondu|reuni|ete (?:\w+ )?(?:interroge|recrute|rencontre|"
    r"inclus|sollicite|interviewe|consulte|selectionne)\w*)|\baupres (?:de|d')|\bechantillon\b"
    r"|\bages? de\b|\b(?:entretiens?|entrevues?|groupes? de discussion|questionnaires?) "
    r"(?:[\w-]+ ){0,4}?avec\b"
)
# People named by their part in the study are a sample whatever the sentence says.
_ROLE = re.compile(
    r"participants?|participantes?|respondents?|informants?|interviewees?|repondants?|"
    r"repondantes?"
)
_NOT_A_COUNT = re.compile(r"^(?:19|20)\d\d$")  # a year, not a number of people
_AGES = [
    re.compile(r"(?P<v>\d{1,2} ?(?:-|–|to) ?\d{1,2}) years? (?:of age|old)"),
    re.compile(r"\baged (?:between )?(?P<v>\d{1,2} ?(?:-|–|to|and) ?\d{1,2})"),
    re.compile(r"\bages? (?:ranged|ranging) (?:from )?(?P<v>\d{1,2} ?(?:-|–|to) ?\d{1,2})"),
    re.compile(r"\b(?P<v>mean age (?:of |was |= ?)?\d{1,2}(?:[.,]\d)?)"),
    re.compile(r"\baged (?P<v>\d{1,2}) (?:years|and (?:over|older|above))"),
    re.compile(r"\bages? (?:de|entre) (?P<v>\d{1,2} (?:a|et) \d{1,2}) ans"),
    re.compile(r"\b(?P<v>\d{1,2} ?(?:-|–|a) ?\d{1,2}) ans\b"),
    re.compile(r"\b(?P<v>age moyen (?:de |= ?)?\d{1,2}(?:[.,]\d)?)"),
]
_PLACE = re.compile(
    r"\b(?:community (?:mental health )?(?:centres?|centers?|clinics?|services?|teams?)|"
    r"(?:psychiatric |general |university |district )?hospitals?\b|"
    r"(?:outpatient |community[- ]based |mental health |specialized |specialised )?clinics?\b|"
    r"primary (?:health )?care|specialist (?:mental health )?services|prisons?\b|schools?\b|"
    r"nursing homes?|rural (?:areas?|communities|settings?)|urban (?:areas?|settings?)|"
    r"low- and middle-income countries|low-resource settings|"
    r"centres? de sante mentale|cliniques?\b|hopitaux|hopital\b|milieu rural|soins primaires)"
)
# "in Berlin", "in Lisbon and Porto", "de Montréal": a capitalised place after a preposition
# (not after "a": in English that is the article, "evaluated a Housing First programme").
_PLACE_NAME = re.compile(
    r"\b(?:in|at|across|à|au|en|de)\s+(?P<v>[A-ZÀ-Þ][a-zà-ÿ]+(?:[- ][A-ZÀ-Þ][a-zà-ÿ]+)?"
    r"(?:,?\s+(?:and|et)\s+[A-ZÀ-Þ][a-zà-ÿ]+)?)(?![\w-])"
)
# A design word that names other work, not this paper's design: "unlike earlier trials",
# "previous qualitative studies have used focus groups", "ethnographic precedents".
_OTHER_BEFORE = re.compile(
    r"\b(?:previous|prior|earlier|existing|former|published|unlike|contrairement)\b"
    r"|\bin contrast (?:to|with)\b"
    r"|\bother (?:studies|research|trials|reviews|work)\b"
    r"|\b(?:many|most|several|few) (?:[\w-]+ )?(?:studies|trials|reviews)\b"
)
# A clause whose subject is other work: "(while) previous qualitative studies have used…".
_OTHER_SUBJECT = re.compile(
    r"^\s*(?:\w+\s+)?(?:previous|prior|earlier|existing|published|other|many|most|several|few)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:studies|research|work|trials|reviews|literature|evidence)\b"
    r"|^\s*(?:\w+\s+)?(?:les |des |d'autres )?(?:etudes|recherches|travaux|essais)"
    r" (?:anterieur|precedent|existant|recent)\w*"
)
_OTHER_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?precedents?\b")
_CLAUSE = re.compile(r"[,;:()\[\]]")
_SELF = re.compile(r"\b(?:this|our|the present|the current|cette|notre)\b")
_PLACE_PARTS = ("aim", "method", "participants", "setting")
# Sentences of these parts speak of other studies or of the future, not of this study's design.
_NOT_OWN = ("background", "conclusions", "limitations")


def _original(sentence: str, folded: str, start: int, end: int) -> str:
    """The matched span in the sentence's own spelling when folding kept positions."""
    return sentence[start:end] if len(folded) == len(sentence) else folded[start:end]


def _own_designs(folded: str) -> list[str]:
    """The designs ``folded`` names as the paper's own: a mention in a clause about other
    work ("previous studies have used…", "unlike earlier trials") or followed by
    "precedents" does not count."""
    out = []
    for name, pattern in DESIGN_PATTERNS.items():
        for m in pattern.finditer(folded):
            clause = _CLAUSE.split(folded[: m.start()])[-1]
            near = " ".join(clause.split()[-4:])
            other = _OTHER_SUBJECT.match(clause) or _OTHER_BEFORE.search(near)
            if not other and not _OTHER_AFTER.match(folded[m.end() :]):
                out.append(name)
                break
    return out


def _add(found: dict[str, list[tuple[str, str]]], name: str, value: str, sentence: str) -> None:
    values = found.setdefault(name, [])
    value = " ".join(value.split()).strip(" ,;()")
    limit = {"setting": MAX_PLACES, "design": MAX_DESIGNS}.get(name, MAX_VALUES)
    if value and len(values) < limit and all(fold(v) != fold(value) for v, _ in values):
        values.append((value, sentence))


def _participants(
    sentence: str, folded: str, part: str | None, found: dict[str, list[tuple[str, str]]]
) -> None:
    """Numbers of people the sentence says took part (a count of a service's users, of a
    country's patients, or in the background is not the study's sample)."""
    if part == "background":
        return
    sampled = part == "participants" or _TOOK_PART.search(folded) is not None
    for pattern in (_PARTICIPANTS, _N_EQUALS):
        for m in pattern.finditer(folded):
            n = m.group("n").strip()
            if _NOT_A_COUNT.match(n) or n.startswith(("a ", "one ")) and "hundred" not in n:
                continue
            if not sampled and not _ROLE.fullmatch(m.group("noun")):
                continue
            if pattern is _N_EQUALS:
                noun = _original(sentence, folded, m.start("mods"), m.end("noun"))
                _add(found, "participants", f"{n} {noun}", sentence)
            else:
                _add(
                    found, "participants", _original(sentence, folded, m.start(), m.end()), sentence
                )


def study_facts(
    title: str, sentences: list[str], part_of: dict[str, str]
) -> dict[str, list[tuple[str, str]]]:
    """``{fact: [(value, sentence), ...]}`` read from the title and ``sentences``
    (``part_of`` says which part each sentence was read as)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for sentence in ([title] if title else []) + sentences:
        folded = fold(sentence)
        own = part_of.get(sentence) not in _NOT_OWN
        # Background speaks of other studies, except where it names this one ("This
        # commentary outlines…").
        mine = folded if own else folded[m.start() :] if (m := _SELF.search(folded)) else ""
        if mine:
            for design in _own_designs(mine):
                _add(found, "design", design, sentence)
        _participants(sentence, folded, part_of.get(sentence), found)
        for pattern in _AGES:
            for m in pattern.finditer(folded):
                _add(found, "ages", _original(sentence, folded, m.start("v"), m.end("v")), sentence)
        if own:
            for country in countries_in(folded):
                _add(found, "setting", country, sentence)
    for sentence in sentences:  # a country named only in the background or conclusions
        if part_of.get(sentence) in _NOT_OWN:
            for country in countries_in(fold(sentence)):
                _add(found, "setting", country, sentence)
    for sentence in ([title] if title else []) + sentences:
        if part_of.get(sentence) in _NOT_OWN:
            continue
        folded = fold(sentence)
        m = _PLACE.search(folded)
        if m:
            _add(found, "setting", _original(sentence, folded, m.start(), m.end()), sentence)
        if part_of.get(sentence) in _PLACE_PARTS:
            for name in _PLACE_NAME.finditer(sentence):
                if not countries_in(fold(name.group("v")), strict=False):
                    _add(found, "setting", name.group("v"), sentence)
    return found
