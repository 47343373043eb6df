"""Author surnames in a question: those the index knows, and reference-like names it does not.

A word counts as a known surname when it is one in the bibliography and the question
writes it like a name: in an author context ("by X", "X et al.", "X's study", "X (2019)",
"X and Y"), or capitalised mid-sentence, or it is not an ordinary word of the corpus at all
(so a lower-case "folker" still counts but "hope" in "does it give hope?" does not).
A name the index lacks is only reported in a strong author context, capitalised or not
ordinary, so "Which Norwegian studies…" never yields a phantom "Norwegian".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answering.question.bibliography import Bibliography
from assistant.answering.question.words import CONTENT_VERBS, FRAME, NOUNS, STOP
from vocab.textfold import fold

# Hyphens join a word ("Muir-Cochrane"); apostrophes end one ("Strand's", "l'article").
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_FOLLOWING_STRONG = re.compile(
    r"^\s*(?:et\s+al\b|and\s+(?:colleagues|co-?authors|others)\b|et\s+(?:coll(?:\.|ègues|egues)?|"
    r"al)\b|\(\s*(?:19|20)\d\d|,?\s*(?:19|20)\d\d\b|"
    # a possessive before a study word: "Krupin's study", "Voyce's 2019 review"
    r"['’]s?\s+(?:[\w-]+\s+)?(?:papers?|stud(?:y|ies)|articles?|work|reviews?|findings|"
    r"research|team|abstract|trial|survey|analysis|report|results|conclusions?))",
    re.I,
)
# "by X", "by Anna X", "l'étude de X": a name may follow (given names may come first).
_PRECEDING_WEAK = re.compile(
    r"(?i:\b(?:by|par|selon|according to|"
    r"(?:article|étude|etude|travaux|recherche|papier)s?\s+(?:de|d['’])))"
    r"\s*(?:[A-ZÀ-Þ][\w.'’-]*\s+){0,2}$"
)
_PRECEDING_DID = re.compile(
    r"(?i:\b(?:did|does|do|do the|have|has|a|ont))\s*(?:[A-ZÀ-Þ][\w.'’-]*\s+){0,2}$"
)
_PARTNER = re.compile(r"\s*(?:and|&|et)\s+[A-ZÀ-Þ][^\W\d_]+(?:-[^\W\d_]+)*")
_AND = re.compile(r"^\s*(?:and|&|et)\s*$", re.I)


@dataclass(frozen=True)
class Word:
    """One word of the question, with where it is and how it is written."""

    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return " ".join(re.findall(r"[^\W_]+", fold(self.text)))

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() and not (self.text.isupper() and len(self.text) > 1)


def question_words(text: str) -> list[Word]:
    """The words of ``text`` with their character spans."""
    return [Word(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _sentence_initial(text: str, word: Word) -> bool:
    before = text[: word.start].rstrip(" \"“«'‘(")
    return not before or before[-1] in ".?!:;"


def _partner_end(text: str, end: int) -> int:
    """End of 'and Jones' after 'Smith', so 'Smith and Jones (2017)' counts for Smith too."""
    pair = _PARTNER.match(text[end:])
    return end + pair.end() if pair else end


def _strong_context(text: str, start: int, end: int) -> bool:
    """Followed by 'et al.', 'and colleagues', a year, or a possessive before 'study'."""
    return any(_FOLLOWING_STRONG.match(text[e:]) for e in {end, _partner_end(text, end)})


def _did_context(text: str, start: int, end: int) -> bool:
    """'What did X find?': the next word is a content verb."""
    nxt = re.match(r"\s+([^\W\d_]+)", text[_partner_end(text, end) :])
    return bool(_PRECEDING_DID.search(text[:start]) and nxt and fold(nxt.group(1)) in CONTENT_VERBS)


def _weak_context(text: str, start: int, end: int) -> bool:
    """'by X' / 'par X' where X ends the phrase (not 'by Norwegian researchers')."""
    if not _PRECEDING_WEAK.search(text[:start]):
        return False
    nxt = re.match(r"\s*([^\W\d_]+)?", text[end:])
    follow = nxt.group(1) if nxt and nxt.group(1) else ""
    word = fold(follow)
    return not follow or (word in STOP or word in FRAME) and word not in NOUNS


@dataclass
class NameHits:
    """Known surnames (index spelling), unknown reference-like names, spans consumed."""

    known: list[str]
    missing: list[str]
    spans: list[tuple[int, int]]
    corrected: list[tuple[str, str]] = field(default_factory=list)  # (written, read as)


def find_names(text: str, bib: Bibliography, taken: list[tuple[int, int]]) -> NameHits:
    """Surnames in ``text`` outside the ``taken`` spans (years, venues, titles, DOIs)."""
    ws = [w for w in question_words(text) if not any(s <= w.start < e for s, e in taken)]
    hits = NameHits([], [], [])
    lengths = list(range(max(bib.surname_lengths() or [1]), 0, -1))
    i = 0
    while i < len(ws):
        matched = 0
        for n in lengths:
            group = ws[i : i + n]
            if len(group) < n:
                continue
            key = " ".join(w.key for w in group)
            if bib.has_surname(key) and _accept(text, group, key, bib):
                hits.known.append(bib.display_surname(key))
                hits.spans.append((group[0].start, group[-1].end))
                matched = n
                break
        if not matched and _looks_missing(text, ws[i], bib, hits):
            near = near_surname(ws[i].key, bib)
            if near is not None:  # one letter off a surname the index holds: that author
                shown = bib.display_surname(near)
                hits.known.append(shown)
                hits.corrected.append((ws[i].text, shown))
            else:
                hits.missing.append(ws[i].text)
            hits.spans.append((ws[i].start, ws[i].end))
        i += matched or 1
    hits.known = list(dict.fromkeys(hits.known))
    hits.missing = list(dict.fromkeys(hits.missing))
    return hits


def _ordinary(key: str, bib: Bibliography) -> bool:
    return all(part in STOP or part in bib.ordinary_words for part in key.split())


def _accept(text: str, group: list[Word], key: str, bib: Bibliography) -> bool:
    start, end = group[0].start, group[-1].end
    if all(part in STOP for part in key.split()):
        return False
    if _strong_context(text, start, end) or _did_context(text, start, end):
        return True
    # A writer who capitalises nothing gives no case cue; one who does, gives one.
    lower = text == text.lower()
    if _weak_context(text, start, end) and (group[0].capitalised or lower):
        return True
    if group[0].capitalised:
        return not _sentence_initial(text, group[0]) or not _ordinary(key, bib)
    return lower and not _ordinary(key, bib)


def _looks_missing(text: str, word: Word, bib: Bibliography, hits: NameHits) -> bool:
    """A name the index lacks, written where only a name fits."""
    key = word.key
    if len(key) < 2 or key in STOP or not (word.capitalised or word.text.islower()):
        return False
    if word.text.isupper() and len(word.text) > 1:
        return False  # an acronym ("COVID"), not a surname
    if _strong_context(text, word.start, word.end):
        return word.capitalised or not _ordinary(key, bib)
    if _did_context(text, word.start, word.end):
        return word.capitalised and not _ordinary(key, bib)
    after_known = bool(hits.spans) and _AND.match(text[hits.spans[-1][1] : word.start])
    weak = _weak_context(text, word.start, word.end) or bool(after_known)
    return weak and word.capitalised and not _ordinary(key, bib)


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` once it is sure to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) > limit:
            return limit + 1
    return row[-1]


def near_surname(key: str, bib: Bibliography) -> str | None:
    """The one surname key of the index within a small edit distance of ``key`` (1 for
    short names, 2 from eight letters), or None when there is none or several tie."""
    if len(key) < 4 or " " in key:
        return None
    limit = 1 if len(key) < 8 else 2
    scored = [
        (_distance(key, other, limit), other)
        for other in bib.catalog.author_keys_sized(len(key) - limit, len(key) + limit)
    ]
    close = sorted((d, k) for d, k in scored if d <= limit)
    if not close or len(close) > 1 and close[0][0] == close[1][0]:
        return None
    return close[0][1]
