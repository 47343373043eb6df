"""Which sentences of a source's passage an answer used: the source dialog highlights them.

The answer sentences that rest on source ``n`` are those the answer's ``support`` check
found supported by it (a model's answer: each sentence citing ``n``, or given ``[n]`` as a
repair), or, for an answer without that check (extractive, quoted from the passages; an
older answer), the answer's sentences that cite ``[n]``. Each such sentence is matched to
the passage sentence sharing most of its content words (stemmed, as the support check
counts them); that sentence is marked when it holds at least
:data:`~assistant.answering.support.LEXICAL_THRESHOLD` of them, and its neighbour too when
the two together hold clearly more (an answer sentence that joins two of the passage's).

UI-free: spans into the passage's text, for the dialog to style.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answering.answer import Answer

PAIR_GAIN = 0.2
"""How much more of an answer sentence two adjacent passage sentences must hold together
than the best one alone for the neighbour to be marked too."""


def answer_sentences(answer: Answer, n: int) -> list[str]:
    """The sentences of ``answer`` that rest on source ``n``."""
    from assistant.answering.sentences import cited_numbers, sentence_spans

    if answer.support:
        return [str(entry.get("text", "")) for entry in answer.support if _rests_on(entry, n)]
    text = answer.answer
    spans = [text[s:e] for s, e in sentence_spans(text)]
    return [sentence for sentence in spans if n in cited_numbers(sentence)]


def _rests_on(entry: dict[str, Any], n: int) -> bool:
    if not entry.get("supported") and entry.get("repair") != n:
        return False
    cited = entry.get("cited") or ()
    return n in cited or entry.get("repair") == n or (not cited and entry.get("source") == n)


def used_spans(passage: str, sentences: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each passage sentence the answer ``sentences`` rest on, in order."""
    from assistant.answering.sentences import CITATION, content_words, sentence_spans
    from assistant.answering.support import LEXICAL_THRESHOLD

    spans = sentence_spans(passage)
    words = [set(content_words(passage[s:e])) for s, e in spans]
    marked: set[int] = set()
    for sentence in sentences:
        wanted = set(content_words(CITATION.sub(" ", sentence)))
        if not wanted or not spans:
            continue
        shares = [len(wanted & w) / len(wanted) for w in words]
        best = max(range(len(spans)), key=shares.__getitem__)
        if shares[best] < LEXICAL_THRESHOLD:
            continue
        marked.add(best)
        for other in (best - 1, best + 1):
            if 0 <= other < len(spans):
                together = len(wanted & (words[best] | words[other])) / len(wanted)
                if together - shares[best] >= PAIR_GAIN:
                    marked.add(other)
    return [spans[i] for i in sorted(marked)]


def used_in_passage(passage: str, answer: Answer | None, n: int) -> list[tuple[int, int]]:
    """The spans of ``passage`` (source ``n``'s, as shown) that ``answer`` used."""
    if answer is None or not answer.answer.strip():
        return []
    return used_spans(passage, answer_sentences(answer, n))
