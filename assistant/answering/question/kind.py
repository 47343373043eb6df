"""What kind of answer a question wants: a catalogue, one bibliographic field, or content.

Rules over the folded question (English and French); the bibliography is not needed here.
"""

from __future__ import annotations

import re

from vocab.textfold import fold

_NOUNS = (
    r"(?:papers?|stud(?:y|ies)|articles?|works?|records?|publications?|sources?|documents?|"
    r"references?|abstracts?|items?|entries|etudes?|travaux|textes?)"
)
_PLURAL = (
    r"(?:papers|studies|articles|works|records|publications|sources|documents|references|"
    r"abstracts|entries|etudes|travaux|textes)"
)
# Checked in this order: the first field whose pattern matches is the one asked for.
FIELDS: list[tuple[str, re.Pattern[str]]] = [
    ("doi", re.compile(r"\bdoi\b(?!\s+10\.)|\bdigital object identifier\b")),
    (
        "venue",
        re.compile(
            r"\b(?:which|what|quelle|quel)\s+(?:\w+\s+)?(?:journal|venue|periodical|"
            r"revue|conference)\b|\bwhere (?:was|were|did|is|has)\b.*\b(?:publish|appear)|"
            r"\bpublished where\b|\bou (?:a ete|ont ete|est paru|a paru)\b|\bjournal name\b"
        ),
    ),
    (
        "year",
        re.compile(
            r"\bwhen (?:was|were|did|is|has)\b|\b(?:what|which) year\b"
            r"|\bpublication (?:year|date)|\byear of publication\b|\bquand\b|\bquelle annee\b"
            r"|\bannee de (?:publication|parution)"
            r"|\bdate de publication\b|\bhow old\b"
        ),
    ),
    (
        "title",
        re.compile(
            r"\b(?:what|which) (?:is|was|are|were) the (?:full )?titles?\b|\btitles? of\b|"
            r"\bwhat is (?:it|the (?:paper|study|article)) called\b|\bquel est le titre\b|"
            r"\btitre (?:de|du|exact)\b|\bquels sont les titres\b"
        ),
    ),
    (
        "authors",
        re.compile(
            r"\bwho (?:wrote|writes|authored|are the authors|is the author|were the authors|"
            r"published|conducted|did|led|carried out|is behind|are behind|co-?authored)\b|"
            r"\bauthors? (?:of|for)\b|\bwritten by whom\b|\bby whom\b|\bqui (?:a|ont) "
            r"(?:ecrit|redige|publie|mene|realise|signe)\b|\bauteur(?:e|s|es)? (?:de|du|des)\b|"
            r"\bqui sont les auteur|\bqui est l'auteur"
        ),
    ),
]
CATALOGUE = [
    re.compile(
        rf"^(?:so |and |ok,? )?(?:which|what|any|quels?|quelles?)\s+(?:other\s+)?{_PLURAL}\b"
    ),
    re.compile(rf"^(?:which|what) {_NOUNS} (?:are|were|was|is|have|has|did|do)\b"),
    re.compile(r"\b(?:how many|combien)\b"),
    re.compile(
        rf"\b(?:list|enumerate|show|give|name|liste[rz]?|enumere[rz]?|montre[rz]?|donne[rz]?)"
        rf"\b.*\b(?:{_NOUNS}|everything|all|tout|tous|toutes)\b"
    ),
    re.compile(
        rf"\b(?:is there|are there|do you have|does the (?:index|corpus) (?:have|hold|"
        rf"contain)|y a-t-il|existe-t-il|il y a)\b.*\b{_NOUNS}\b"
    ),
    re.compile(rf"\b(?:all|every|tous les|toutes les) {_NOUNS}\b"),
    re.compile(rf"^{_PLURAL}\b"),
    re.compile(
        rf"\b{_PLURAL} (?:by|from|published|written|authored|in|between|since|after|"
        rf"before|de|par|publie|publies|parus|en|depuis|apres|avant)\b"
    ),
]
CONTENT = re.compile(
    r"\b(?:what did|what does|what do|what have|summari[sz]e|summary|findings?|find|found|"
    r"conclu\w*|results?|argue\w*|show\w*|report\w*|suggest\w*|say|said|recommend\w*|"
    r"tell me (?:more )?about|describe\w*|explain\w*|what is known|main points?|takeaways?|"
    r"qu'?est-ce que|qu'ont|qu'a|resume\w*|trouve\w*|montre\w*|constat\w*|propose\w*|"
    r"decri\w*|explique\w*|parle\w*)\b"
)


# "the paper on …", "of the study about …": how a question points at a paper by its topic.
_FRAME = re.compile(
    rf"^\W*(?:(?:of|for|in|de|du|des|did|was|were|is|has|have)\s+)?"
    rf"(?:(?:the|a|an|this|that|le|la|l'|les|un|une|"
    rf"cet|cette|ce)\s*)?{_NOUNS}\s+(?:on|about|of|into|regarding|concerning|sur|concernant|"
    rf"de|du|des)\s+"
)
_WORD3 = re.compile(r"[^\W\d_]{3,}")
# Words that say nothing about what a paper is about.
_EMPTY = frozenset(
    "what which who whom when where whose the this that its paper papers study studies "
    "article articles work quel quelle quels qui est les des une".split()
)


def topic_of(question: str) -> str:
    """What a bibliographic question says the paper is about, without the frame that asks
    for a field: "who are the authors of the paper on liminality?" -> "liminality".

    Searching with the frame ("who are the authors of…") dilutes a short topic below the
    relevance gate. The question itself is returned when no frame is found or nothing
    would be left."""
    text = fold(question)
    if len(text) != len(question):  # folding moved characters: spans would not line up
        return question
    match = next((m for _, p in FIELDS if (m := p.search(text))), None)
    if match is None:
        return question
    for start, end in ((match.end(), len(text)), (0, match.start())):
        frame = _FRAME.search(text[start:end])
        skip = frame.end() if frame else 0
        topic = question[start + skip : end].strip(" \t?!.,;:")
        if any(w not in _EMPTY for w in _WORD3.findall(fold(topic))):
            return topic
    return question


def bibliographic_field(question: str) -> str | None:
    """The field a bibliographic question asks for: authors, doi, venue, year or title."""
    text = fold(question)
    if any(p.search(text) for p in CATALOGUE[:1]) and not re.search(
        r"\b(?:which|what) (?:journal|venue|year)", text
    ):
        return None  # "which papers appeared in …" lists papers; it does not ask a field
    return next((name for name, pattern in FIELDS if pattern.search(text)), None)


def is_catalogue(question: str) -> bool:
    """Whether the question asks for a list or a count of papers."""
    text = fold(question).strip()
    return any(p.search(text) for p in CATALOGUE)


def asks_content(question: str) -> bool:
    """Whether the question asks what a paper says (findings, conclusions, a summary)."""
    return CONTENT.search(fold(question)) is not None
