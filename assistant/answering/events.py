"""What the engine streams (Status, Retrieved, Token, then one Done) and what it is asked
with (Turn, AskOptions): the vocabulary shared by the engine, the CLI, batch and the chat."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answering.answer import Answer, Source
from index import Filters


@dataclass
class Status:
    """What the engine is doing now (for a status line)."""

    text: str


@dataclass
class Retrieved:
    """The sources an answer will rest on, known before generation starts."""

    sources: list[Source]
    standalone_question: str


@dataclass
class Token:
    """A piece of the answer, citation-checked: what the UI shows, exactly."""

    text: str


@dataclass
class Discarded:
    """The text streamed so far is not an answer (``reason``: a loop, markers only, …):
    a UI drops it; what follows replaces it."""

    reason: str


@dataclass
class Done:
    """The finished (possibly incomplete or failed) answer; ``failure`` is the error that
    stopped a failed one (its sentence is the answer's ``error``)."""

    answer: Answer
    failure: BaseException | None = None


Event = Status | Retrieved | Token | Discarded | Done


@dataclass
class Turn:
    """One exchange of a conversation, as the engine needs it for follow-ups."""

    question: str
    answer: str


@dataclass
class AskOptions:
    """Per-question choices."""

    k: int = 5
    filters: Filters = field(default_factory=Filters)
    mode: str = "auto"  # "auto": LLM, falling back to extractive; "llm"; "extractive"
    model: str | None = None
    id: str | None = None
    system: str | None = None
    """The user's own instructions for this conversation (``/system``), added to the answer
    prompt's system message after the citation rules, which they cannot replace."""
    temperature: float | None = None
    """Sampling temperature for this answer (``/temperature``); ``None``: the setting's."""
    length: str | None = None
    """``"short"``, ``"normal"`` or ``"long"`` (``/length``); ``None``: as the prompt says."""
    style: str | None = None
    """A free-form answer style such as ``"3 bullet points"`` (``/style``)."""
