"""The answer without a language model: the sentences of the sources that best answer.

Used when Ollama is absent or ``--no-llm`` is given. Sentences are ranked by meaning
(the same MiniLM embedder as retrieval) plus word overlap, at most two per source, and
each keeps its source's citation number.
"""

from __future__ import annotations

import re

import numpy as np

from assistant.answer import Source
from ingest.embedder import Embedder
from ingest.lexical import tokenize

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
# Section labels of structured abstracts carry no content of their own.
LABEL = re.compile(r"^(?:[A-Z][A-Za-z/ ]{2,40}:|(?:BACKGROUND|OBJECTIVES?|METHODS?|RESULTS|"
                   r"CONCLUSIONS?|PURPOSE|AIMS?|FINDINGS|DESIGN)\b)\s*")


def sentences(text: str) -> list[str]:
    """Sentences of a passage, section labels removed, fragments dropped."""
    out = []
    for raw in SENTENCE_END.split(" ".join(text.split())):
        s = LABEL.sub("", raw.strip()).strip()
        if 6 <= len(s.split()) <= 90:
            out.append(s)
    return out


def extractive_answer(question: str, sources: list[Source], embedder: Embedder,
                      max_sentences: int = 4) -> tuple[str, list[int]]:
    """Bullet points quoting the best sentences, each with its ``[n]``; and the numbers used."""
    pool = [(s.n, sent) for s in sources for sent in sentences(s.text)]
    if not pool:
        return "", []
    vecs = embedder.embed([question] + [sent for _, sent in pool])
    meaning = vecs[1:] @ vecs[0]
    qwords = set(tokenize([question])[0])
    overlap = np.array([len(qwords & set(tokenize([sent])[0])) / (len(qwords) or 1)
                        for _, sent in pool])
    score = meaning + 0.15 * overlap
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
