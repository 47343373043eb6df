"""The answer without a language model: the sentences of the sources that best answer.

Used when Ollama is absent or ``--no-llm`` is given. Sentences are ranked by meaning
(the same MiniLM embedder as retrieval) plus word overlap, at most two per source, and
each keeps its source's citation number.
"""

from __future__ import annotations

import re
from typing import Protocol

import numpy as np

from assistant.answer import Source
from index.lexical import tokenize


class SentenceEmbedder(Protocol):
    """What ranking sentences needs: unit vectors for texts."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
# Section labels of structured abstracts ("Results:", "BACKGROUND", Emerald's "Findings",
# "Design/methodology/approach") carry no content of their own.
_LABEL_WORDS = (
    r"abstract|background|introduction|objectives?|aims?|purpose|methods?|"
    r"methodology|design(?:/methodology/approach)?|setting|participants|results?|"
    r"findings|conclusions?|discussion|implications|"
    r"(?:research|practical|social) (?:limitations/)?implications|"
    r"originality/value|(?:challenges and )?lessons(?: learned)?|key messages|issue|"
    r"description of the problem"
)
LABEL = re.compile(rf"^(?:[A-Z][A-Za-z/ ]{{2,40}}:\s*|(?i:{_LABEL_WORDS})\b:?\s+(?=[A-Z]))")
# Abstracts state results in a few recognisable ways; aims and methods rarely answer.
FINDING = re.compile(
    r"\b(valued|found|find|show(?:ed|s)?|suggest(?:s|ed)?|identified|"
    r"reveal(?:s|ed)?|report(?:s|ed)?|highlight(?:s|ed)?|conclude[sd]?|"
    r"indicate[sd]?|appreciated|experienced|benefit(?:s|ed)?)\b",
    re.I,
)
METHOD = re.compile(
    r"\b(the aim|the purpose|this (?:paper|study|article) (?:aims|explores|"
    r"presents)|were (?:interviewed|recruited|collected)|data (?:were|was)|"
    r"semi-structured|focus groups? (?:were|was))\b",
    re.I,
)


def sentences(text: str) -> list[str]:
    """Sentences of a passage, section labels removed, fragments dropped."""
    out = []
    for part in text.split("\n…\n"):  # two chunks of one record joined by the retriever
        for raw in SENTENCE_END.split(" ".join(part.split())):
            s = raw.strip()
            for _ in range(2):  # "Results Certain …", "Abstract Background …"
                s = LABEL.sub("", s).strip()
            if 6 <= len(s.split()) <= 90:
                out.append(s)
    return out


def extractive_answer(
    question: str, sources: list[Source], embedder: SentenceEmbedder, max_sentences: int = 4
) -> tuple[str, list[int]]:
    """Bullet points quoting the best sentences, each with its ``[n]``; and the numbers used."""
    # A title-only record has no sentence of evidence to quote.
    pool = [(s.n, sent) for s in sources if s.has_abstract for sent in sentences(s.text)]
    if not pool:
        return "", []
    vecs = embedder.embed([question] + [sent for _, sent in pool])
    meaning = vecs[1:] @ vecs[0]
    qwords = set(tokenize([question])[0])
    overlap = np.array(
        [len(qwords & set(tokenize([sent])[0])) / (len(qwords) or 1) for _, sent in pool]
    )
    cue = np.array(
        [0.06 * bool(FINDING.search(sent)) - 0.08 * bool(METHOD.search(sent)) for _, sent in pool]
    )
    score = meaning + 0.15 * overlap + cue
    chosen: list[int] = []
    per_source: dict[int, int] = {}
    for i in np.argsort(-score):
        n = pool[i][0]
        if per_source.get(n, 0) >= 2:
            continue
        if any(float(vecs[1 + i] @ vecs[1 + j]) > 0.9 for j in chosen):
            continue  # the same point made twice (e.g. a translated abstract)
        chosen.append(int(i))
        per_source[n] = per_source.get(n, 0) + 1
        if len(chosen) == max_sentences:
            break
    lines = [f"- {pool[i][1]} [{pool[i][0]}]" for i in chosen]
    cited = list(dict.fromkeys(pool[i][0] for i in chosen))
    return "\n".join(lines), cited
