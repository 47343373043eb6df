"""Answers that are not answers: caught while the model streams, or when it has finished.

Small local models fail in a few recognisable ways, and each must not reach the reader
as an answer:

- **a loop**: one word or a short run of words repeated ("YOU-YOU-YOU-…", the same
  sentence again and again). Caught while streaming, so the model can be stopped early;
- **only citation markers** ("1. [1] 2. [2] 3. [3]"): numbers, no content;
- **only a list of sources**: lines naming authors, years and titles, nothing said about
  them;
- **no citation at all** although sources were given (at the end only; an answer that
  says the sources do not cover the question is not counted).

:class:`DegenerateCheck` is fed the pieces as they stream (``feed`` returns a reason the
first time one is found, else ``None``) and told when the answer ends (``finish``). The
reasons are short sentences for a warning ("The model repeated itself: …").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

# [1], [1, 2], [1-3], [1–3]; not markdown links [text](url). (The same shape as the
# citation checker's; kept here so this module stands alone.)
MARKER = re.compile(r"\[\s*\d+\s*(?:(?:[,;]|[-–])\s*\d+\s*)*\](?!\()")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_NUMBERING = re.compile(r"^\s*(?:[-*•]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b|\bn\.\s?d\.")

SAME_WORD_RUN = 8  # the same word this many times in a row is a loop
LOOP_MIN_REPEATS = 3  # a run of words repeated this many times in a row ...
LOOP_MIN_WORDS = 24  # ... covering at least this many words is a loop
LOOP_MAX_PERIOD = 20  # the longest run of words looked for
LINE_REPEATS = 3  # the same (non-trivial) line this many times is a loop
MIN_CONTENT_WORDS = 3  # fewer words outside markers and numbering: nothing said
LIST_MIN_ITEMS = 2

# Words that make a line a statement rather than an entry of a reference list.
_VERBS = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|can|could|may|might|"
    r"must|should|will|would|found|find|finds|show|shows|showed|shown|report|reports|"
    r"reported|suggest|suggests|suggested|describe|describes|described|highlight|"
    r"highlights|highlighted|indicate|indicates|indicated|value|values|valued|"
    r"include|includes|included|explore|explores|explored|examine|examines|examined)\b",
    re.IGNORECASE,
)
_REFUSAL = re.compile(
    r"\b(?:(?:do|does|did)\s+not|don't|doesn't|cannot|can't|no)\s+"
    r"(?:\w+\s+){0,3}?(?:answer|say|state|mention|contain|cover|address|discuss|report|"
    r"information|evidence|details?)\b",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits), lower-cased, citation markers removed."""
    return [w.lower() for w in _WORD.findall(MARKER.sub(" ", text))]


class DegenerateCheck:
    """Watches one streamed answer for a degenerate shape.

    ``sources``: the numbered sources the model was given (anything with ``.n``, and
    optionally ``authors``, ``year``, ``title`` to recognise a list of them).
    """

    def __init__(self, sources: Sequence[Any] = ()) -> None:
        self.valid = {int(s.n) for s in sources}
        self._names = _reference_words(sources)
        self.text = ""
        self.reason: str | None = None
        self._checked_words = 0

    def feed(self, piece: str) -> str | None:
        """Take the next streamed piece; the reason the answer is degenerate, the first
        time one is seen (then the caller should stop the model), else ``None``."""
        if self.reason is not None:
            return None
        self.text += piece
        found = words(self.text)
        if len(found) == self._checked_words and "\n" not in piece:
            return None  # nothing new to look at (punctuation, a marker)
        self._checked_words = len(found)
        self.reason = repetition(self.text, found)
        return self.reason

    def finish(self) -> str | None:
        """The answer ended: the reason it is degenerate (a loop found while streaming, or
        a shape only visible whole), else ``None``."""
        if self.reason is not None:
            return self.reason
        self.reason = degenerate(self.text, self.valid, self._names)
        return self.reason


def degenerate(text: str, valid: Iterable[int], names: set[str] | None = None) -> str | None:
    """Why a finished answer is not an answer, or ``None`` (see the module docstring).

    ``valid``: the source numbers the model was given; ``names``: lower-cased words of the
    sources' authors, titles and venues, to recognise a list of sources.
    """
    valid = set(valid)
    if not text.strip():
        return "The model wrote nothing."
    loop = repetition(text, words(text))
    if loop is not None:
        return loop
    items = [line for line in _items(text) if line]
    content = _content_words(text)
    markers = len(MARKER.findall(text))
    if markers and (len(content) < MIN_CONTENT_WORDS or (markers >= 3 and len(content) <= markers)):
        return "The answer is only citation markers, with nothing said."
    if len(items) >= LIST_MIN_ITEMS and all(_is_reference(i, names or set()) for i in items):
        return "The answer only lists sources, with nothing said about them."
    cited = {n for m in MARKER.finditer(text) for n in _numbers(m.group(0))}
    if valid and not (cited & valid) and not _REFUSAL.search(text):
        return "The answer cites none of the sources it was given."
    return None


def repetition(text: str, found: Sequence[str]) -> str | None:
    """Why ``text`` is a loop (its tail repeats a word or a run of words, or a line comes
    back again and again), or ``None``. ``found`` is ``words(text)``."""
    run = 1
    for i in range(len(found) - 1, 0, -1):
        if found[i] != found[i - 1]:
            break
        run += 1
    if run >= SAME_WORD_RUN:
        return f"The model repeated itself: {found[-1]!r} {run} times in a row."
    tail = found[-LOOP_MAX_PERIOD * LOOP_MIN_REPEATS * 2 :]
    for period in range(2, LOOP_MAX_PERIOD + 1):
        unit = tail[-period:]
        if len(unit) < period:
            break
        repeats = 1
        while tail[-(repeats + 1) * period : -repeats * period] == unit:
            repeats += 1
        if repeats >= LOOP_MIN_REPEATS and repeats * period >= LOOP_MIN_WORDS:
            phrase = " ".join(unit[:8]) + (" …" if period > 8 else "")
            return f"The model repeated itself: {phrase!r} {repeats} times in a row."
    seen: dict[str, int] = {}
    for line in _items(text):
        key = " ".join(words(line))
        if len(key.split()) >= 4:
            seen[key] = seen.get(key, 0) + 1
            if seen[key] >= LINE_REPEATS:
                return f"The model repeated itself: the line {line[:60]!r} {seen[key]} times."
    return None


def _numbers(marker: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"[,;]", marker.strip("[]")):
        bounds = [int(x) for x in re.findall(r"\d+", part)]
        if len(bounds) == 2 and 0 <= bounds[1] - bounds[0] <= 50:
            out.extend(range(bounds[0], bounds[1] + 1))
        else:
            out.extend(bounds)
    return out


def _items(text: str) -> list[str]:
    """Lines (and list items) without their numbering or bullets."""
    return [_NUMBERING.sub("", line).strip() for line in text.splitlines()]


# Words that say nothing about the question: function words, and the talk about the task
# itself a small model wraps markers in ("The sources I provided are: [1] [2]").
_EMPTY = frozenset(
    """a an the and or of to in on for with by as at from is are was were be been it its
    this that these those i we you they here there following below above based according
    source sources answer answers question questions provided listed list given cited
    reference references following summary""".split()
)


def _content_words(text: str) -> list[str]:
    """Words that could say something: not markers, numbering, numbers or empty words."""
    out = []
    for item in _items(text):
        out += [w for w in words(item) if not w.isdigit() and w not in _EMPTY]
    return out


def _is_reference(item: str, names: set[str]) -> bool:
    """Whether a line reads as an entry of a reference list rather than a statement."""
    found = words(item)
    if not found:
        return True  # a marker or a bullet alone
    if _VERBS.search(MARKER.sub(" ", item)):
        return False
    known = sum(1 for w in found if w in names or w.isdigit() or w in {"et", "al", "and"})
    looks_cited = bool(_YEAR.search(item) or re.search(r"\bet al\b", item))
    return looks_cited or known >= 0.6 * len(found)


def _reference_words(sources: Sequence[Any]) -> set[str]:
    out: set[str] = set()
    for source in sources:
        for author in getattr(source, "authors", None) or ():
            out.update(words(str(author)))
        for key in ("title", "venue"):
            value = getattr(source, key, None)
            if value:
                out.update(words(str(value)))
        year = getattr(source, "year", None)
        if year:
            out.add(str(year))
    return out


__all__ = ["DegenerateCheck", "degenerate", "repetition", "words"]
