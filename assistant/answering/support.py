"""Does each sentence of an answer say what the sources it cites say?

An answer is split into sentences, each with the source numbers it cites. Each sentence is
scored against a source by two measures, combined:

- **lexical**: the share of the sentence's content words (stemmed; numbers included) that
  the source's passage or its bibliographic fields contain;
- **semantic**: the cosine similarity (an embedder such as MiniLM) of the sentence to the
  most similar sentence, or pair of adjacent sentences, of the passage.

A cited sentence is *supported* when its best cited source scores at least the calibrated
threshold and holds every number and name the sentence uses. A sentence without a
citation that exactly one source clearly supports gets that citation as its ``repair``.
A number, name or year that appears in no source at all is always flagged (``unknown``),
whatever the scores. Thresholds were calibrated on labelled sentence/passage pairs
(``tests/data/support_pairs.jsonl``; ``bench/calibrate_support.py`` re-derives them).

The embedder is anything with ``embed(list[str]) -> array`` (rows are vectors); without
one only the lexical measure is used, with its own threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from assistant.answering.sentences import (
    CITATION,
    cited_numbers,
    content_words,
    names,
    numbers,
    sentence_spans,
    specifics,
)
from vocab.textfold import fold

# Calibrated on tests/data/support_pairs.jsonl with all-MiniLM-L6-v2 (see the module doc).
# 51 pairs; 82% right combined, 78% lexical alone. Both: every verbatim, wrong-number,
# invented-name and unrelated pair right. Combined: wrong claims 9/10, paraphrases 13/18;
# lexical alone: wrong claims 4/10, paraphrases 16/18. A sentence that contradicts its
# passage in the passage's own words passes either way (0/3): that needs inference.
LEXICAL_WEIGHT = 0.4  # combined score = w * lexical + (1 - w) * semantic
SUPPORT_THRESHOLD = 0.643  # combined score at or above which a source supports a sentence
LEXICAL_THRESHOLD = 0.375  # the same without an embedder (lexical score alone)
REPAIR_MARGIN = 0.1  # an uncited sentence gets a citation only if one source leads by this
# (the margin is a choice, not calibrated: "clearly" one source rather than a near tie)
MIN_CLAIM_WORDS = 2  # fewer content words: not a claim to check ("In short:")


class Embedder(Protocol):
    """What the semantic measure needs: texts in, one vector per text out."""

    def embed(self, texts: list[str]) -> Any: ...


@dataclass(frozen=True)
class SentenceSupport:
    """How one sentence of an answer stands against the sources."""

    text: str
    cited: tuple[int, ...]
    supported: bool
    """A cited sentence: a cited source supports it. An uncited one: some source does."""
    source: int | None
    """The best supporting source (among the cited ones when it cites any), else ``None``."""
    score: float
    repair: int | None
    """For an uncited sentence exactly one source clearly supports: the citation to add."""
    unknown: tuple[str, ...] = ()
    """Numbers, names and years of the sentence that no source contains."""
    claim: bool = True
    """``False`` for fragments too short to check (headings, "In short:")."""
    start: int = 0
    end: int = 0

    @property
    def flagged(self) -> bool:
        """Whether the reader should be warned about this sentence."""
        return bool(self.unknown) or (self.claim and not self.supported and self.repair is None)

    def to_json(self) -> dict[str, Any]:
        """The per-sentence entry of an answer's ``support`` list."""
        return {
            "text": self.text,
            "cited": list(self.cited),
            "supported": self.supported,
            "source": self.source,
            "score": round(self.score, 3),
            "repair": self.repair,
            "unknown": list(self.unknown),
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class Thresholds:
    """The calibrated constants (a calibration run builds others to compare)."""

    lexical_weight: float = LEXICAL_WEIGHT
    support: float = SUPPORT_THRESHOLD
    lexical_only: float = LEXICAL_THRESHOLD
    repair_margin: float = REPAIR_MARGIN


# -- scoring ----------------------------------------------------------------------------------
@dataclass
class _Passage:
    n: int
    words: set[str]
    lower: str  # folded text and bibliographic fields, for numbers and names
    numbers: set[str]
    units: list[str]  # sentences and adjacent pairs, for the semantic measure


def _passage(source: Any) -> _Passage:
    text = str(getattr(source, "text", "") or "")
    fields = [text]
    for key in ("title", "venue", "doi"):
        value = getattr(source, key, None)
        if value:
            fields.append(str(value))
    fields += [str(a) for a in getattr(source, "authors", None) or ()]
    if getattr(source, "year", None):
        fields.append(str(source.year))
    whole = "\n".join(fields)
    sents = [text[s:e] for s, e in sentence_spans(text)] or [text]
    units = sents + [a + " " + b for a, b in zip(sents, sents[1:], strict=False)]
    return _Passage(int(source.n), set(content_words(whole)), fold(whole), numbers(whole), units)


def lexical_score(sentence: str, passage: _Passage) -> float:
    """The share of the sentence's content words found in the passage (or its fields)."""
    found = set(content_words(CITATION.sub(" ", sentence)))
    if not found:
        return 0.0
    return len(found & passage.words) / len(found)


def _holds(passage: _Passage, token: str) -> bool:
    """Whether the passage (or its fields) contains a number or a name of the sentence."""
    if token[0].isdigit():
        return token in passage.numbers
    return re.search(rf"(?<!\w){re.escape(fold(token))}(?!\w)", passage.lower) is not None


def missing_from(source: Any, tokens: set[str]) -> set[str]:
    """The ``tokens`` (numbers, names) that ``source`` does not contain."""
    passage = _passage(source)
    return {t for t in tokens if not _holds(passage, t)}


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def score_pairs(
    sentences: Sequence[str], sources: Sequence[Any], embedder: Embedder | None
) -> tuple[np.ndarray, np.ndarray]:
    """(lexical, semantic) scores of every sentence against every source, as two
    ``len(sentences) x len(sources)`` arrays (semantic is zeros without an embedder)."""
    passages = [_passage(s) for s in sources]
    lex = np.array(
        [[lexical_score(s, p) for p in passages] for s in sentences], dtype=np.float64
    ).reshape(len(sentences), len(passages))
    sem = np.zeros_like(lex)
    if embedder is not None and len(sentences) and passages:
        texts = [CITATION.sub("", s).strip() for s in sentences]
        units = [u for p in passages for u in p.units]
        vectors = _unit(np.asarray(embedder.embed(texts + units), dtype=np.float64))
        sims = vectors[: len(texts)] @ vectors[len(texts) :].T
        at = 0
        for j, p in enumerate(passages):
            sem[:, j] = sims[:, at : at + len(p.units)].max(axis=1)
            at += len(p.units)
    return lex, sem


def combine(
    lex: np.ndarray, sem: np.ndarray, semantic: bool, thresholds: Thresholds
) -> tuple[np.ndarray, float]:
    """The combined score and the threshold it is held to."""
    if not semantic:
        return lex, thresholds.lexical_only
    w = thresholds.lexical_weight
    return w * lex + (1 - w) * sem, thresholds.support


def check_support(
    answer: str,
    sources: Sequence[Any],
    embedder: Embedder | None = None,
    thresholds: Thresholds | None = None,
) -> list[SentenceSupport]:
    """Each sentence of ``answer`` checked against ``sources`` (objects with ``n`` and
    ``text``; ``authors``, ``year``, ``title``, ``venue``, ``doi`` are used when present)."""
    limits = thresholds or Thresholds()
    spans = sentence_spans(answer)
    texts = [answer[s:e] for s, e in spans]
    passages = [_passage(s) for s in sources]
    by_n = {p.n: j for j, p in enumerate(passages)}
    lex, sem = score_pairs(texts, sources, embedder)
    scores, threshold = combine(lex, sem, embedder is not None, limits)
    out = []
    for i, (text, (start, end)) in enumerate(zip(texts, spans, strict=True)):
        cited = tuple(n for n in cited_numbers(text) if n in by_n)
        used = specifics(text)
        unknown = tuple(sorted(t for t in used if not any(_holds(p, t) for p in passages)))
        claim = len(content_words(CITATION.sub(" ", text))) >= MIN_CLAIM_WORDS

        pool = [by_n[n] for n in cited] if cited else list(range(len(passages)))
        row = scores[i]
        best = max(pool, key=lambda j: row[j], default=None)
        backing = [
            j for j in pool if row[j] >= threshold and all(_holds(passages[j], t) for t in used)
        ]
        repair = None
        if not cited and claim and len(backing) == 1:
            others = [scores[i, j] for j in range(len(passages)) if j != backing[0]]
            if row[backing[0]] - max(others, default=0.0) >= limits.repair_margin:
                repair = passages[backing[0]].n
        chosen = max(backing, key=lambda j: row[j]) if backing else best
        out.append(
            SentenceSupport(
                text=text,
                cited=cited,
                supported=bool(backing) and not unknown,
                source=passages[chosen].n if chosen is not None else None,
                score=float(scores[i, chosen]) if chosen is not None else 0.0,
                repair=repair if not unknown else None,
                unknown=unknown,
                claim=claim,
                start=start,
                end=end,
            )
        )
    return out


def apply_repairs(answer: str, checks: Sequence[SentenceSupport]) -> str:
    """``answer`` with each repaired sentence's citation added before its final stop."""
    out = answer
    for check in sorted(checks, key=lambda c: -c.start):
        if check.repair is None:
            continue
        sentence = out[check.start : check.end]
        m = re.search(r"[.!?]*$", sentence)
        cut = m.start() if m else len(sentence)
        fixed = sentence[:cut].rstrip() + f" [{check.repair}]" + sentence[cut:]
        out = out[: check.start] + fixed + out[check.end :]
    return out


def support_warning(checks: Sequence[SentenceSupport]) -> str | None:
    """One sentence for the reader about the flagged sentences, or ``None``."""
    flagged = [c for c in checks if c.flagged]
    if not flagged:
        return None
    unknown = sorted({t for c in flagged for t in c.unknown})
    many = len(flagged) != 1
    text = (
        f"{len(flagged)} sentence{'s' if many else ''} of the answer "
        f"{'are' if many else 'is'} not supported by the sources "
        f"{'they cite' if many else 'it cites'} (marked)"
    )
    if unknown:
        text += "; no source mentions " + ", ".join(unknown[:5])
    return text + "."


__all__ = [
    "Embedder",
    "SentenceSupport",
    "Thresholds",
    "apply_repairs",
    "check_support",
    "cited_numbers",
    "lexical_score",
    "missing_from",
    "names",
    "numbers",
    "score_pairs",
    "sentence_spans",
    "specifics",
    "support_warning",
]
