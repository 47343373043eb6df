"""The answer without a language model: the sentences of the sources that best answer.

Used when Ollama is absent or ``--no-llm`` is given. Sentences are ranked by meaning
(the same MiniLM embedder as retrieval) plus word overlap, favouring findings and
conclusions over aims and methods; the top sources are visited in rank order first, at
most two sentences per source, and each keeps its source's citation number. Section
labels of structured abstracts are never quoted. When a source has its abstract in the
question's language too, that version is quoted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

import numpy as np

from assistant.answering.answer import Source
from assistant.answering.question.read import question_language
from index import tokenize


class SentenceEmbedder(Protocol):
    """What ranking sentences needs: unit vectors for texts."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9À-Þ])|(?<=[a-z]{3}[.!?])(?=[A-Z][a-z]{2})"
)
# Section labels of structured abstracts ("Results:", "BACKGROUND", Emerald's "Findings",
# "Design/methodology/approach", Érudit's "Résumé") carry no content of their own.
_LABEL_WORDS = (
    r"abstract|background|introduction|objectives?|aims?|purpose|methods?|"
    r"methodology|design(?:/methodology/approach)?|setting|participants|results?|"
    r"findings|conclusions?|discussion|implications|"
    r"(?:research|practical|social) (?:limitations/)?implications|"
    r"originality/value|(?:challenges and )?lessons(?: learned)?|key messages|issue|"
    r"description of the problem|résumé|contexte|objectifs?|méthodes?|"
    r"méthodologie|résultats|resultats|conclusions?|discussion|mots-clés"
)
LABEL = re.compile(rf"^(?:[A-Z][A-Za-z/ ]{{2,40}}:\s*|(?i:{_LABEL_WORDS})\b:?\s+(?=[A-ZÀ-Þ]))")
# An upper-case label inside a run of text starts a new section ("… local CONCLUSIONS Peer").
_CAPS_LABEL = re.compile(
    r"\s+(?=(?:ABSTRACT|BACKGROUND|INTRODUCTION|OBJECTIVES?|AIMS?|PURPOSE|METHODS?|"
    r"DESIGN|SETTING|PARTICIPANTS|RESULTS?|FINDINGS|CONCLUSIONS?|DISCUSSION|IMPLICATIONS)"
    r"\b:?\s+[A-Z])"
)
_FINDING_SECTION = re.compile(
    r"(?i)^(?:results?|findings|conclusions?|résultats|resultats|"
    r"discussion|implications|key messages)"
)
_METHOD_SECTION = re.compile(
    r"(?i)^(?:methods?|methodology|design|setting|participants|"
    r"background|introduction|objectives?|aims?|purpose|méthode|contexte|"
    r"objectif)"
)
_ASIDE_SECTION = re.compile(r"(?i)^(?:research limitations|originality|limitations)")
# Abstracts state results in a few recognisable ways; aims and methods rarely answer.
FINDING = re.compile(
    r"\b(valued|found|find|show(?:ed|s)?|suggest(?:s|ed)?|identified|"
    r"reveal(?:s|ed)?|report(?:s|ed)?|highlight(?:s|ed)?|conclude[sd]?|"
    r"indicate[sd]?|appreciated|experienced|benefit(?:s|ed)?|demonstrat\w+|"
    r"emerged|associated with|led to|improv\w+|révèle\w*|montre\w*|suggère\w*|"
    r"indique\w*|conclu\w*|ressort\w*)\b",
    re.I,
)
METHOD = re.compile(
    r"\b(the aim|the purpose|aims? (?:of|to)|this (?:paper|study|article) (?:aims|explores|"
    r"presents)|were (?:interviewed|recruited|collected)|data (?:were|was)|"
    r"semi-structured|focus groups? (?:were|was)|was used|were used|we (?:interviewed|"
    r"recruited|conducted|used|analy[sz]ed)|were (?:included|surveyed|selected|analy[sz]ed)|"
    r"participated in|(?:template|thematic|content|framework) analysis|sample of|"
    r"l['’]objectif|cette étude (?:vise|explore))\b",
    re.I,
)
# A sentence that states the paper's own conclusion.
CONCLUSION = re.compile(
    r"\b(we conclude|in conclusion|conclude[sd]? that|(?:our|these|the) (?:findings|results) "
    r"(?:show|suggest|indicate|highlight|demonstrate)|nous concluons|en conclusion)\b",
    re.I,
)
# Questions about what a paper found (or a summary of it) lean harder on the cues.
_WANTS_FINDINGS = re.compile(
    r"\b(find|found|findings?|conclu\w*|results?|show\w*|summari[sz]\w*|summary|report\w*|"
    r"learn\w*|trouv\w*|montr\w*|résum\w*|resum\w*|constat\w*)\b",
    re.I,
)
_RANK_STEP = 0.02  # a lower-ranked source must quote a clearly better sentence to come first
_PASS_MARGIN = 0.12  # in the first pass, a source's best is quoted if this close to the best
# Filling up to the limit takes only sentences at least this close in meaning to the
# question (the no-answer gate's cosine): a sentence from an unrelated source would read
# as if it answered the question.
_FILL_MIN_COSINE = 0.3


def labelled_sentences(text: str) -> list[tuple[str, str]]:
    """Sentences of a passage with the section they sit in ('' before any label)."""
    out: list[tuple[str, str]] = []
    for part in text.split("\n…\n"):  # two chunks of one record joined by the retriever
        section = ""
        flat = _CAPS_LABEL.sub("\n", " ".join(part.split()))
        for piece in flat.split("\n"):
            for raw in SENTENCE_END.split(piece):
                s = raw.strip()
                for _ in range(2):  # "Results Certain …", "Abstract Background …"
                    label = LABEL.match(s)
                    if label:
                        section = label.group(0).strip(" :")
                        s = s[label.end() :].strip()
                if 6 <= len(s.split()) <= 90:
                    out.append((s, section))
    return out


def sentences(text: str) -> list[str]:
    """Sentences of a passage, section labels removed, fragments dropped."""
    return [s for s, _ in labelled_sentences(text)]


def _text_for(source: Source, language: str, translations: Mapping[str, Mapping[str, str]]) -> str:
    """The source's text, or its version in the question's language when there is one."""
    own = source.language
    other = translations.get(source.record_id, {}).get(language)
    return other if other and own != language else source.text


def _cue(sentence: str, section: str) -> float:
    """Bonus for findings and conclusions, malus for aims and methods.

    A structured abstract's own section label is the surest signal, so it outweighs the
    wording cues where there is one.
    """
    words = 0.06 * bool(FINDING.search(sentence)) - 0.08 * bool(METHOD.search(sentence))
    words += 0.06 * bool(CONCLUSION.search(sentence))
    if _FINDING_SECTION.match(section):
        return 0.1 + words / 2
    if _METHOD_SECTION.match(section):
        return -0.1 + words / 2
    if _ASIDE_SECTION.match(section):
        return -0.03 + words / 2
    return words


def extractive_answer(
    question: str,
    sources: list[Source],
    embedder: SentenceEmbedder,
    max_sentences: int = 4,
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[str, list[int]]:
    """Bullet points quoting the best sentences, each with its ``[n]``; and the numbers used.

    ``translations`` maps a record id to its abstract in other languages ({"fr": "..."}).
    """
    language = question_language(question)
    rank = {s.n: i for i, s in enumerate(sources)}
    # A title-only record has no sentence of evidence to quote.
    pool = [
        (s.n, sent, section)
        for s in sources
        if s.has_abstract
        for sent, section in labelled_sentences(_text_for(s, language, translations or {}))
    ]
    if not pool:
        return "", []
    vecs = embedder.embed([question] + [sent for _, sent, _ in pool])
    meaning = vecs[1:] @ vecs[0]
    qwords = set(tokenize([question])[0])
    overlap = np.array(
        [len(qwords & set(tokenize([sent])[0])) / (len(qwords) or 1) for _, sent, _ in pool]
    )
    weight = 2.0 if _WANTS_FINDINGS.search(question) else 1.0
    cue = weight * np.array([_cue(sent, section) for _, sent, section in pool])
    prior = np.array([-_RANK_STEP * rank[n] for n, _, _ in pool])
    score = meaning + 0.15 * overlap + cue + prior
    chosen = _choose(pool, vecs, score, max_sentences, meaning)
    chosen.sort(key=lambda i: (rank[pool[i][0]], -score[i]))
    lines = [f"- {pool[i][1]} [{pool[i][0]}]" for i in chosen]
    cited = list(dict.fromkeys(pool[i][0] for i in chosen))
    return "\n".join(lines), cited


def _choose(
    pool: list[tuple[int, str, str]],
    vecs: np.ndarray,
    score: np.ndarray,
    limit: int,
    meaning: np.ndarray,
) -> list[int]:
    """First the best sentence of each top source in rank order, then the best of the rest."""
    chosen: list[int] = []
    per_source: dict[int, int] = {}
    order = [int(i) for i in np.argsort(-score)]
    best = float(score[order[0]])

    def take(i: int) -> bool:
        n = pool[i][0]
        if i in chosen or per_source.get(n, 0) >= 2 or len(chosen) >= limit:
            return False
        if any(float(vecs[1 + i] @ vecs[1 + j]) > 0.9 for j in chosen):
            return False  # the same point made twice (e.g. a translated abstract)
        chosen.append(i)
        per_source[n] = per_source.get(n, 0) + 1
        return True

    for n in dict.fromkeys(n for n, _, _ in pool):  # sources in rank order
        top = next(i for i in order if pool[i][0] == n)
        if float(score[top]) >= best - _PASS_MARGIN:
            take(top)
    for i in order:
        if float(meaning[i]) >= _FILL_MIN_COSINE:
            take(i)
    return chosen
