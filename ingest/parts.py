"""A paper's parts, read offline at ingest: aim, method, participants, setting, findings.

Structured abstracts name their parts ("BACKGROUND", "Methods:", Emerald's
"Design/methodology/approach", Érudit's "Résultats", in any case); those labels decide.
Sentences without a label are classified by how papers state each part ("the aim of this
study was…", "were interviewed", "themes were identified", "we conclude…"), and where no
cue speaks, by position (what comes before the aim is background, what follows the
findings concludes). The study facts a researcher filters by (design, number and kind of
participants, ages, country) are read from every sentence and the title, each with the
sentence it came from. Nothing here knows any particular paper.
"""

from __future__ import annotations

import re

from ingest.studyfacts import study_facts
from vocab.parts import Fact, Parts
from vocab.record import Record
from vocab.textfold import fold

MAX_TEXT = 60_000  # a full text's parts are read from its first pages
MAX_PER_PART = 6  # sentences kept per part (a full text has many)
MAX_SENTENCE = 600  # characters kept of one sentence

# Section labels, folded, by the part they open. Longest first when matching.
_LABELS: dict[str, tuple[str, ...]] = {
    "background": (
        "background",
        "introduction",
        "context",
        "rationale",
        "issue",
        "problem",
        "description of the problem",
        "contexte",
        "problematique",
        "antecedentes",
        "hintergrund",
        "einleitung",
        "introduccion",
        "mise en contexte",
    ),
    "aim": (
        "objective",
        "objectives",
        "aim",
        "aims",
        "purpose",
        "goal",
        "goals",
        "aims and objectives",
        "research question",
        "research questions",
        "objectif",
        "objectifs",
        "but",
        "buts",
        "objetivo",
        "objetivos",
        "ziel",
        "ziele",
        "fragestellung",
        "study objective",
    ),
    "method": (
        "method",
        "methods",
        "methodology",
        "design",
        "design/methodology/approach",
        "materials and methods",
        "material and methods",
        "study design",
        "approach",
        "design and methods",
        "design, setting and participants",
        "methods and analysis",
        "methode",
        "methodes",
        "methodologie",
        "devis",
        "metodo",
        "metodos",
        "methoden",
        "methodik",
        "data sources",
        "data collection",
        "analysis",
        "procedure",
    ),
    "participants": (
        "participants",
        "sample",
        "subjects",
        "population",
        "study population",
        "participants and setting",
        "echantillon",
        "participantes",
        "teilnehmer",
    ),
    "setting": ("setting", "settings", "milieu", "cadre", "lieu", "study setting"),
    "results": (
        "results",
        "result",
        "findings",
        "main results",
        "main outcome measures",
        "outcomes",
        "resultats",
        "resultat",
        "constats",
        "resultados",
        "ergebnisse",
    ),
    "conclusions": (
        "conclusion",
        "conclusions",
        "discussion",
        "implications",
        "practical implications",
        "social implications",
        "implications for practice",
        "lessons",
        "lessons learned",
        "challenges and lessons learned",
        "key messages",
        "interpretation",
        "conclusions and implications",
        "originality/value",
        "value",
        "relevance",
        "conclusiones",
        "schlussfolgerung",
        "schlussfolgerungen",
        "discussion et conclusion",
    ),
    "limitations": (
        "limitations",
        "research limitations/implications",
        "strengths and limitations",
        "limites",
        "limitaciones",
    ),
}
_PART_OF = {label: part for part, labels in _LABELS.items() for label in labels}
_LABEL_ALT = "|".join(
    re.escape(label).replace(r"\ ", r"\s+") for label in sorted(_PART_OF, key=len, reverse=True)
)
# A label where a section may start (text start, a sentence end, a line start), followed by
# a colon or by a capitalised word: "METHODS In this…", "Aim: Explore…", "Findings The…".
_LABEL_AT = re.compile(
    rf"(?:^|(?<=[.!?:;)\]”\"])\s+|\n\s*)(?P<label>(?i:{_LABEL_ALT}))"
    rf"(?P<sep>\s*[:.—–-]\s*|\s+)"
)
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(\[]?[A-Z0-9À-Þ])|(?<=[a-z]{3}[.!?])(?=[A-Z][a-z]{2})|\n\s*\n"
)

# Cues of each part over folded sentences (English and French).
_CUES: dict[str, re.Pattern[str]] = {
    "aim": re.compile(
        r"\b(?:the|our|main|primary) (?:aims?|purpose|objectives?|goals?) (?:of|was|were|is|are)\b"
        r"|\baim(?:s|ed)? (?:to|at)\b|\bis aimed\b|\bsought to\b|\bwe (?:aimed|set out|wanted)\b"
        r"|\bthis (?:paper|study|article|research|review|commentary) (?:aims|seeks|explores|"
        r"examines|investigates|describes|presents|reports|discusses|outlines|considers|"
        r"focuses|addresses)\b|\bin order to (?:explore|examine|understand|investigate)\b"
        r"|\bresearch questions?\b|\bl'objectif\b|\bobjectif (?:de|du|est)\b|\bvise a\b"
        r"|\ble but\b|\bcette (?:etude|recherche|article) (?:vise|explore|examine|presente)"
    ),
    "method": re.compile(
        r"\bwere (?:interviewed|recruited|collected|analy[sz]ed|surveyed|selected|included|"
        r"conducted|transcribed|coded|used)\b|\bwas (?:used|conducted|carried out|employed|"
        r"utili[sz]ed|chosen)\b|\bwe (?:interviewed|recruited|conducted|used|analy[sz]ed|"
        r"performed|carried out|collected|searched|surveyed)\b|\bdata (?:were|was)\b"
        r"|\bsemi-?structured\b|\bin-?depth interviews\b|\bfocus groups?\b|\bquestionnaires?\b"
        r"|\b(?:thematic|template|content|framework|qualitative|statistical|regression) "
        r"analy|\bmethodolog|\bstudy design\b|\bdesign was\b|\bdatabases? were searched\b"
        r"|\brandomi[sz]ed\b|\bentretiens?\b|\bont ete (?:interroges|recrutes|analyses)\b"
        r"|\banalyse (?:thematique|qualitative|de contenu)\b|\bdevis\b|\bmethodes?\b"
    ),
    "participants": re.compile(
        r"\b(?:participants?|respondents|informants|interviewees)\b.*\b(?:were|included|"
        r"comprised|consisted|aged|took part)\b|\btook part\b|\bsample (?:of|size|comprised)\b"
        r"|\bn ?= ?\d|\baged\b|\byears of age\b|\bmean age\b|\bechantillon\b|\bages? de\b"
    ),
    "setting": re.compile(
        r"\b(?:was|were) (?:conducted|carried out|performed|undertaken|done) in\b"
        r"|\bstudy setting\b|\btook place (?:in|at)\b|\bs'est deroulee?\b|\ba ete menee?\b"
    ),
    "results": re.compile(
        r"\b(?:themes?|categories|subthemes?) (?:were|was|emerged|identified)\b"
        r"|\b(?:main |three |two |four |five )?themes? (?:were|emerged)\b"
        r"|\b(?:results|findings|analysis) (?:show|showed|shows|revealed|reveal|indicate|"
        r"indicated|identified|demonstrated|suggest)\b|\bwe found\b|\b(?:was|were) found\b"
        r"|\bidentified\b|\bemerged\b|\brevealed\b|\breported (?:that|feeling|being)\b"
        r"|\bsignificant(?:ly)?\b|\bvalued\b|\bappreciated\b|\bexperienced\b"
        r"|\bthemes?\b|\bresultats\b|\brevele\w*\b|\bont (?:montre|identifie|rapporte)\b"
        r"|\bressort\w*\b|\bthemes?\b"
    ),
    "conclusions": re.compile(
        r"\bwe conclude\b|\bin conclusion\b|\bconclude[sd]? that\b|\bimplications?\b"
        r"|\b(?:our|these|the) (?:findings|results|study) (?:suggest|indicate|highlight|"
        r"demonstrate|show|support|underline|emphasi[sz]e)\b|\bsuggests? that\b"
        r"|\bmore research\b|\bfurther research\b|\ben conclusion\b|\bnous concluons\b"
    ),
    # Weaker: a recommendation reads as a conclusion only when nothing else speaks.
    "advice": re.compile(
        r"\bshould\b|\bneeds? to be\b|\brecommend\w*\b|\bdevrai\w*\b|\bdoi(?:t|vent) etre\b"
        r"|\bpistes?\b|\bmust\b"
    ),
    "limitations": re.compile(
        r"\blimitations?\b|\bwas limited by\b|\bis limited by\b|\blimites? de (?:cette|l)"
    ),
}
# Checked in this order: the first part whose cue matches wins (aims and conclusions are
# stated most explicitly; results cues are the loosest).
_CUE_ORDER = (
    "aim",
    "limitations",
    "conclusions",
    "participants",
    "setting",
    "method",
    "results",
    "advice",
)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (whitespace normalised; fragments kept)."""
    out = []
    for raw in _SENTENCE_END.split(text):
        s = " ".join(raw.split())
        if len(s) >= 3:
            out.append(s)
    return out


def labelled_segments(text: str) -> list[tuple[str | None, str]]:
    """``text`` cut at its section labels: ``(part or None, text)`` in order."""
    folded = fold(text)
    if len(folded) != len(text):  # folding moved characters: read the text as it is
        folded = text
    marks = [
        (m.start("label"), m.end(), _PART_OF[" ".join(fold(m.group("label")).split())])
        for m in _LABEL_AT.finditer(folded)
        if _is_label(text[m.start("label") : m.end("label")], m.group("sep"), text[m.end() :])
    ]
    if not marks:
        return [(None, text)]
    out: list[tuple[str | None, str]] = []
    if text[: marks[0][0]].strip():
        out.append((None, text[: marks[0][0]]))
    for i, (_, body_start, part) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        out.append((part, text[body_start:end]))
    return out


def _is_label(label: str, sep: str, rest: str) -> bool:
    """Written as a label: capitalised (or in capitals) and followed by a colon or by a
    capitalised word (not "Results show…", not "Design of the…")."""
    if not label[:1].isupper():
        return False
    starts = bool(re.match(r"[A-ZÀ-Þ0-9“\"(\[]", rest))
    return starts or bool(sep.strip()) and (label.isupper() or ":" in sep or not rest[:1].islower())


def _classify(sentence: str) -> str | None:
    folded = fold(sentence)
    if sentence.endswith("?"):
        return "aim"  # a research question
    part = next((part for part in _CUE_ORDER if _CUES[part].search(folded)), None)
    return "conclusions" if part == "advice" else part


def _by_position(parts: list[str | None]) -> list[str]:
    """Fill unclassified sentences from their neighbours: before the aim is background,
    after the findings is conclusion, otherwise the part before continues."""
    out: list[str] = []
    first_aim = next((i for i, p in enumerate(parts) if p in ("aim", "method")), None)
    seen_results = False
    for i, part in enumerate(parts):
        if part is None:
            if first_aim is not None and i < first_aim or not out:
                part = "background"
            elif seen_results and i == len(parts) - 1:
                part = "conclusions"
            else:
                part = out[-1] if out[-1] != "aim" else "method"
        seen_results = seen_results or part == "results"
        out.append(part)
    return out


def read_parts(record: Record) -> Parts:
    """The parts and study facts of ``record`` (empty for a title-only record)."""
    text = (record.abstract or "")[:MAX_TEXT]
    sections: dict[str, list[str]] = {}
    labelled = False
    ordered: list[tuple[str, str]] = []
    for part, body in labelled_segments(text) if text.strip() else []:
        sentences = split_sentences(body)
        if part is not None:
            labelled = True
            ordered += [(part, s) for s in sentences]
            continue
        guessed = _by_position([_classify(s) for s in sentences])
        ordered += list(zip(guessed, sentences, strict=True))
    for part, sentence in ordered:
        kept = sections.setdefault(part, [])
        if len(kept) < MAX_PER_PART:
            kept.append(sentence[:MAX_SENTENCE])
    facts = study_facts(record.title or "", [s for _, s in ordered], dict(ordered_parts(ordered)))
    return Parts(
        {k: tuple(v) for k, v in sections.items()},
        {k: tuple(Fact(v, s[:MAX_SENTENCE]) for v, s in found) for k, found in facts.items()},
        labelled,
    )


def ordered_parts(ordered: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(sentence, part)`` pairs: which part each sentence was read as."""
    return [(s, p) for p, s in ordered]


def with_parts(record: Record) -> Record:
    """``record`` with its parts read (stored as JSON-ready data on the record)."""
    parts = read_parts(record)
    record.parts = parts.to_json() if parts else {}
    return record
