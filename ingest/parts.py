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

from ingest.partcues import CUE_ORDER, CUES, LABELS, STATED_AIM
from ingest.studyfacts import study_facts
from vocab.parts import Fact, Parts
from vocab.record import Record
from vocab.textfold import fold

MAX_TEXT = 60_000  # a full text's parts are read from its first pages
MAX_PER_PART = 6  # sentences kept per part (a full text has many)
MAX_SENTENCE = 600  # characters kept of one sentence

_PART_OF = {label: part for part, labels in LABELS.items() for label in labels}
_LABEL_ALT = "|".join(
    re.escape(label).replace(r"\ ", r"\s+") for label in sorted(_PART_OF, key=len, reverse=True)
)
# A label where a section may start (text start, a sentence end, a line start), followed by
# a colon or by a capitalised word: "METHODS In this…", "Aim: Explore…", "Findings The…".
_LABEL_AT = re.compile(
    rf"(?:^|(?<=[.!?:;)\]”\"])\s+|\n\s*)(?P<label>(?i:{_LABEL_ALT}))"
    rf"(?P<sep>\s*[:.—–-]\s*|\s+)"
)
# A sentence ends after its full stop and any closing quote or bracket (kept with it).
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"”’»)]))\s+(?=[\"“«(\[]?[A-Z0-9À-Þ])"
    r"|(?<=[a-z]{3}[.!?])(?=[A-Z][a-z]{2})"
)
_PARAGRAPH = re.compile(r"\n\s*\n")
_QUOTES = (("“", "”"), ("«", "»"))
MAX_QUOTED = 3  # sentences a quotation may span before an unclosed quote is given up on


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (whitespace normalised; fragments kept). A full stop inside a
    quotation (“Connecting to people. And life”) does not end the sentence around it."""
    out = []
    for paragraph in _PARAGRAPH.split(text):
        for raw in _quoted_whole(paragraph):
            s = " ".join(raw.split())
            if len(s) >= 3:
                out.append(s)
    return out


def _open_quotes(text: str) -> int:
    """Quotations opened in ``text`` and not closed there (straight quotes by parity)."""
    return sum(text.count(a) - text.count(b) for a, b in _QUOTES) + text.count('"') % 2


def _quoted_whole(paragraph: str) -> list[str]:
    """The paragraph's sentences, those split inside a quotation joined again (when the
    quotation closes within a few sentences; an unclosed quote is a typo, not a span)."""
    cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(paragraph)), len(paragraph)]
    pieces = [paragraph[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    out: list[str] = []
    i = 0
    while i < len(pieces):
        end = i
        if _open_quotes(pieces[i]) > 0:
            closes = (
                j
                for j in range(i + 1, min(i + MAX_QUOTED, len(pieces)))
                if _open_quotes("".join(pieces[i : j + 1])) <= 0
            )
            end = next(closes, i)
        out.append("".join(pieces[i : end + 1]))
        i = end + 1
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
    part = next((part for part in CUE_ORDER if CUES[part].search(folded)), None)
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


def without_title(text: str, title: str | None) -> str:
    """``text`` without the record's title at its start: a page or PDF that repeats the
    title above the abstract must not run it into the first sentence."""
    words = (title or "").split()
    if not words:
        return text
    pattern = r"\s+".join(re.escape(re.sub("['’‘]", "'", w)) for w in words)
    pattern = pattern.replace("'", "['’‘]")
    m = re.match(rf"\s*{pattern}(?!\w)\s*[.:]?", text, re.IGNORECASE)
    return text[m.end() :] if m and text[m.end() :].strip() else text


def read_parts(record: Record) -> Parts:
    """The parts and study facts of ``record`` (empty for a title-only record)."""
    text = without_title((record.abstract or "")[:MAX_TEXT], record.title)
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
    ordered = _aims_stated_under_other_labels(ordered)
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


def _aims_stated_under_other_labels(ordered: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A paper whose labels give no aim, but which states it under "Introduction" ("the
    current research aims to…") or "Methods" ("…to explore the following research
    question"): that sentence is its aim. Under a background label it is only the aim; under
    a method label it stays method too."""
    if any(part == "aim" for part, _ in ordered):
        return ordered
    out: list[tuple[str, str]] = []
    for part, sentence in ordered:
        if part in ("background", "method") and STATED_AIM.search(fold(sentence)):
            out.append(("aim", sentence))
            if part == "background":
                continue
        out.append((part, sentence))
    return out


def ordered_parts(ordered: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(sentence, part)`` pairs: which part each sentence was read as."""
    return [(s, p) for p, s in ordered]


def with_parts(record: Record) -> Record:
    """``record`` with its parts read (stored as JSON-ready data on the record)."""
    parts = read_parts(record)
    record.parts = parts.to_json() if parts else {}
    return record
