"""Follow-up questions made standalone, safely.

A follow-up that names its own topic and points back at nothing is searched as it is. A
model's rewrite is used only if it is one question that keeps the follow-up's content
words; a refusal ("I could not find this…"), an answer or several lines of chatter are
rejected, and the rule (previous questions + follow-up) is used instead.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import prompts
from assistant.answering.events import Turn
from assistant.answering.protocols import ChatModel
from assistant.answering.question.words import STOP
from assistant.config import Settings
from assistant.errors import LLMError
from vocab.textfold import fold, words
from vocab.tokens import truncate_tokens

# Words that point back into the conversation.
_BACK = frozenset(
    """
it its they them their theirs he him his she her hers those these such same former latter
above previous aforementioned earlier il elle ils elles leur leurs lui celui celle ceux
celles ci la-dessus dernier derniere memes
""".split()
)
# "this study", "that paper", "cette étude": a demonstrative before a study word.
_DEMONSTRATIVE = re.compile(
    r"\b(?:this|that|these|those|the same|ce|cet|cette|ces)\s+(?:\w+\s+)?(?:paper|study|"
    r"article|work|one|ones|author|authors|review|abstract|finding|findings|result|results|"
    r"approach|intervention|programme|program|model|sample|article|etude|auteur|travail|"
    r"recherche|resultat)s?\b"
)
# Elliptical openings: "And in 2020?", "What about Folker?", "Et pour les pairs ?"
_ELLIPSIS = re.compile(
    r"^(?:and|or|but|also|what about|how about|and what about|same|why|how so|et|mais|ou|"
    r"et pour|qu'en est-il|et si|aussi|pourquoi)\b"
)
_TAIL = re.compile(r"\b(?:that|this|there|them|it|so|ca|cela|ceci)\s*[?.!]*$")
_REFUSAL = re.compile(
    r"\b(?:i (?:could not|couldn't|can ?not|can't|don't|do not|am unable|was unable|am not able)|"
    r"sorry|unfortunately|as an ai|language model|no information|not (?:enough|sufficient) "
    r"(?:information|context)|je ne (?:peux|sais|trouve)|desole|malheureusement)\b"
)
_QUESTION_START = re.compile(
    r"^(?:what|which|who|whom|whose|how|why|when|where|does|do|did|is|are|was|were|can|could|"
    r"should|would|will|has|have|had|list|name|summari[sz]e|describe|explain|compare|give|"
    r"show|find|tell|qu|que|quel|quels|quelle|quelles|qui|comment|pourquoi|quand|ou|combien|"
    r"est-ce|existe|y a-t-il|liste|resume|decri|explique|compare|donne|montre)\b"
)
# Words that ask about a study without saying what it is about: a follow-up made only of
# these ("What lessons were learned?", "What were the results?") leans on the conversation.
_GENERIC = frozenset(
    """
lesson lessons learn learned learnt finding findings find found result results outcome
outcomes conclusion conclusions conclude concluded effect effects impact impacts method
methods limitation limitations implication implications recommendation recommendations
evidence data sample participants study studies paper papers article articles author
authors research researchers main key overall else more other others next detail details
example examples difference differences explain happen happened work worked mean means
resultats conclusions etude etudes article articles auteurs lecons methode methodes
""".split()
)
_LABEL = re.compile(
    r"^\s*(?:standalone (?:search )?question|rewritten question|rewrite|question|search query|"
    r"query|question reformulee|reformulation)\s*:\s*",
    re.I,
)


def content_words(text: str) -> list[str]:
    """The words that say what ``text`` is about (not function, frame or pointing words)."""
    return [w for w in words(text) if (len(w) > 2 or w.isdigit()) and w not in STOP | _BACK]


def is_self_contained(followup: str) -> bool:
    """Whether the follow-up names its own topic and points back at nothing."""
    text = fold(" ".join(followup.split()))
    if not text:
        return False
    if any(w in _BACK for w in words(text)):
        return False
    if _DEMONSTRATIVE.search(text) or _ELLIPSIS.match(text) or _TAIL.search(text):
        return False
    found = content_words(text)
    return len(found) >= 2 and any(w not in _GENERIC for w in found)


def clean_rewrite(rewrite: str) -> str:
    """A model's rewrite without quotes, a 'Standalone question:' label or outer spaces."""
    text = rewrite.strip().strip("\"'“”«» ").strip()
    return _LABEL.sub("", text).strip().strip("\"'“”«» ").strip()


def accept_rewrite(followup: str, rewrite: str) -> bool:
    """Whether a model's rewrite is one question keeping the follow-up's content words."""
    text = clean_rewrite(rewrite)
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != 1 or not 3 <= len(text.split()) <= 80:
        return False
    folded = fold(text)
    if _REFUSAL.search(folded):
        return False
    if not (folded.rstrip().endswith("?") or _QUESTION_START.match(folded)):
        return False  # an answer or a statement, not a question
    # Most of the follow-up's own words must survive; a rewrite may still say "Covid-19"
    # for "the pandemic", but a reply about something else keeps none of them.
    # Loosely: a shared start counts ("Norway" ~ "Norwegian", "workers" ~ "work").
    kept = {w[:4] for w in words(folded)}
    wanted = content_words(followup)
    return 2 * sum(w[:4] in kept for w in wanted) >= len(wanted)


def rule_condense(followup: str, previous_questions: Sequence[str]) -> str:
    """The follow-up, preceded by the earlier questions it depends on (none if self-contained).

    Walks back to the most recent self-contained question, so a chain of short follow-ups
    ("And in 2020?", "What about Folker?") keeps the topic the chain started from.
    """
    followup = " ".join(followup.split())
    if is_self_contained(followup) or not previous_questions:
        return followup
    chain: list[str] = []
    for question in reversed(previous_questions):
        chain.insert(0, " ".join(question.split()))
        if is_self_contained(question):
            break
    return " ".join([*chain[-3:], followup])


def condense(
    settings: Settings,
    question: str,
    history: Sequence[Turn],
    llm: ChatModel | None,
    cancel: threading.Event | None = None,
) -> str:
    """A follow-up as a standalone question: as it is when it stands alone, else the
    model's rewrite when that keeps the follow-up's words, else a rule."""
    recent = list(history)[-4:]
    previous = [turn.question for turn in recent]
    if is_self_contained(question):
        return question
    if llm is not None:
        lines = []
        for turn in recent:
            lines.append(f"Researcher: {turn.question}")
            lines.append(f"Assistant: {truncate_tokens(turn.answer, 300)}")
        prompt = prompts.render("condense", history="\n".join(lines), question=question)
        try:
            text = llm.chat(
                [{"role": "user", "content": prompt}], num_ctx=settings.num_ctx, cancel=cancel
            )
            rewrite = clean_rewrite(text)
            if accept_rewrite(question, rewrite):
                return rewrite
        except LLMError:
            pass
    return rule_condense(question, previous)
