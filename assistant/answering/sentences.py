"""The words of an answer: its sentences, what each cites, and the numbers and names it uses.

Shared by the support check (:mod:`assistant.answering.support`); standalone, so the
answer checks do not depend on where the citation checker lives.
"""

from __future__ import annotations

import re
from typing import Any

from vocab.textfold import fold

CITATION = re.compile(r"\[\s*(\d+(?:\s*(?:[,;]|[-–])\s*\d+)*)\s*\](?!\()")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*%?")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_NUMBERING = re.compile(r"^\s*(?:[-*•]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+", re.IGNORECASE)
_ABBREVIATIONS = {"al", "e.g", "i.e", "eg", "ie", "etc", "vs", "cf", "fig", "dr", "prof", "no"}
_BOUNDARY = re.compile(r"[.!?](?:\s*\[[\d\s,;–-]+\])*(?=\s)|\n+")
STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves et al source sources study studies paper
    papers according however moreover furthermore overall additionally also thus""".split()
)
# What follows a sentence's first word when that word is a name: "Strand et al.",
# "Folker and Moreau", "Voyce (2019)", "Krupin's", "Kowalczyk reported".
_NAME_CONTEXT = re.compile(
    r"^(?:\s*(?:et al|and (?:[A-Z]|colleagues|co-?workers)|&|\()|['’]s\b|"
    r"\s+(?:found|find|finds|reported|reports|showed|shows|argued|argues|suggested|suggests|noted|notes|described|describes|"
    r"observed|concluded|wrote|claimed|studied|examined|explored)\b)"
)


# -- splitting ------------------------------------------------------------------------------
def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``; citation markers that follow a full stop
    ("... found. [2]") stay with the sentence before them, list items are sentences."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0)[0] == ".":
            before = re.search(r"(\S+)$", text[start : m.start()])
            word = before.group(1).lower().lstrip("([") if before else ""
            if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word) or word.endswith("e.g"):
                continue  # "et al.", "e.g.", an initial "M."
        end = m.end() if m.group(0)[0] != "\n" else m.start()
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    merged: list[tuple[int, int]] = []
    for s, e in spans:  # a line holding only markers belongs to the sentence before it
        if (
            merged
            and not content_words(CITATION.sub(" ", text[s:e]))
            and CITATION.search(text[s:e])
        ):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return [_trim(text, s, e) for s, e in merged]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def cited_numbers(sentence: str) -> tuple[int, ...]:
    """The source numbers a sentence cites, in order, each once."""
    out: list[int] = []
    for m in CITATION.finditer(sentence):
        for part in re.split(r"[,;]", m.group(1)):
            bounds = [int(x) for x in re.findall(r"\d+", part)]
            span = range(bounds[0], bounds[1] + 1) if len(bounds) == 2 else bounds
            if len(bounds) == 2 and not 0 <= bounds[1] - bounds[0] <= 50:
                span = bounds
            out.extend(n for n in span if n not in out)
    return tuple(out)


# -- words ------------------------------------------------------------------------------------
def _stemmer() -> Any:
    global _STEMMER
    if _STEMMER is None:
        import Stemmer

        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER


_STEMMER: Any = None


def content_words(text: str) -> list[str]:
    """Stemmed content words and numbers of ``text`` (folded; stop words left out)."""
    found = [w for w in _WORD.findall(fold(text)) if w not in STOP]
    found = [w for w in found if w.isdigit() or len(w) > 1]
    return list(_stemmer().stemWords(found)) if found else []


_SPELLED = {
    w: str(i)
    for i, w in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if w != "_"  # "one" is a pronoun as often as a number
}
_SPELLED.update({"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100"})
_SPELLED_NUMBER = re.compile(r"\b(" + "|".join(_SPELLED) + r")\b", re.IGNORECASE)


def numbers(text: str) -> set[str]:
    """The numbers in ``text``, normalised ("1,200" -> "1200", "45%" -> "45", "fifteen" ->
    "15"), so a number a source writes in words matches the same number in digits."""
    out = {_SPELLED[w.lower()] for w in _SPELLED_NUMBER.findall(text)}
    for raw in _NUMBER.findall(CITATION.sub(" ", text)):
        value = raw.rstrip("%").replace(",", "")
        out.add(value.rstrip("0").rstrip(".") if "." in value else value)
    return out


def names(sentence: str) -> set[str]:
    """Capitalised words that name someone or something: not the first word of the
    sentence unless a name follows it ("Strand et al.", "Folker and ...", "Voyce (2019)")."""
    out = set()
    body = _NUMBERING.sub("", CITATION.sub(" ", sentence))
    for i, m in enumerate(re.finditer(r"\b[A-Z][\w’'-]*[A-Za-z]\b", body)):
        word = m.group(0)
        at_start = not body[: m.start()].strip(" \"'“(")
        if at_start or (i == 0 and re.search(r"[:;]\s*$", body[: m.start()])):
            if not _NAME_CONTEXT.match(body[m.end() :]):
                continue
        word = re.sub(r"['’]s$", "", word)
        if fold(word) in STOP or len(word) < 2:
            continue
        out.add(word)
    return out


def specifics(sentence: str) -> set[str]:
    """The numbers and names a sentence uses (each must be in a source that supports it)."""
    return {*numbers(sentence), *names(sentence)}


__all__ = [
    "CITATION",
    "STOP",
    "cited_numbers",
    "content_words",
    "names",
    "numbers",
    "sentence_spans",
    "specifics",
]
