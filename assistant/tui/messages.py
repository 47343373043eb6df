"""Messages that worker threads post to the UI (``post_message`` is thread-safe).

Answer messages carry the ``job`` number of the question they belong to, so a late message
from an answer that was already finished or cancelled is recognised and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.widget import Widget

    from assistant.answering.answer import Answer, Source


class EngineReady(Message):
    """The index is loaded (the seeds ingested first if it was empty)."""

    def __init__(self, records: int, chunks: int) -> None:
        super().__init__()
        self.records = records
        """Papers (records) in the index."""
        self.chunks = chunks
        """Chunks in the index."""


class EngineFailed(Message):
    """The index could not be loaded; ``error`` is one sentence for the user."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
        """What went wrong, already plain text."""


@dataclass
class OllamaState:
    """What the last look at Ollama found."""

    online: bool | None = None
    """``True`` reachable, ``False`` not, ``None`` not checked yet."""
    version: str = ""
    """Ollama's version when online."""
    models: list[str] = field(default_factory=list)
    """Pulled models when online."""
    error: str = ""
    """Why it is offline."""


@dataclass(frozen=True)
class IndexState:
    """What the app knows of the index: its size line, or why it could not be loaded."""

    text: str = ""
    """``index: 23 papers · 34 chunks``, ``index: unavailable``; empty while it loads."""
    error: str = ""
    """Why it could not be loaded (one sentence), else empty."""


class OllamaChecked(Message):
    """The poller looked at Ollama."""

    def __init__(self, state: OllamaState) -> None:
        super().__init__()
        self.state = state
        """What it found."""


class ModelsListed(Message):
    """Models fetched for ``/model`` (empty with ``error`` set when Ollama is down)."""

    def __init__(self, models: list[str], error: str = "") -> None:
        super().__init__()
        self.models = models
        """Pulled model names."""
        self.error = error
        """Why the list is empty, if it failed."""


class AnswerStatus(Message):
    """The engine says what it is doing (searching, asking the model…)."""

    def __init__(self, job: int, text: str) -> None:
        super().__init__()
        self.job = job
        """The question this belongs to."""
        self.text = text
        """The status line."""


class AnswerRetrieved(Message):
    """The sources are known; generation starts next."""

    def __init__(self, job: int, sources: list[Source], standalone: str) -> None:
        super().__init__()
        self.job = job
        """The question this belongs to."""
        self.sources = sources
        """Numbered sources."""
        self.standalone = standalone
        """The question as it was searched (rewritten for follow-ups)."""


class AnswerToken(Message):
    """A piece of answer text, safe to show (citations checked, escapes stripped)."""

    def __init__(self, job: int, text: str) -> None:
        super().__init__()
        self.job = job
        """The question this belongs to."""
        self.text = text
        """The piece to append."""


class AnswerDone(Message):
    """The answer is finished, failed, or was cancelled."""

    def __init__(self, job: int, answer: Answer, cancelled: bool) -> None:
        super().__init__()
        self.job = job
        """The question this belongs to."""
        self.answer = answer
        """The final answer (partial when cancelled)."""
        self.cancelled = cancelled
        """Whether the user cancelled it."""


class CitationClicked(Message):
    """A citation ``[n]`` in an answer was clicked."""

    def __init__(self, origin: Widget, n: int) -> None:
        super().__init__()
        self.origin = origin
        """The widget showing the answer that holds the citation."""
        self.n = n
        """The source number cited."""
