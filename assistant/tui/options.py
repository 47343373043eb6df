"""What the user chose for the next questions (model, k, mode, filters). UI-free."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.events import AskOptions
    from assistant.retrieval import Filters

MODES = ("auto", "llm", "extractive")
MAX_K = 50


@dataclass
class ChatOptions:
    """Per-conversation choices, changed by slash commands."""

    model: str
    k: int = 5
    mode: str = "auto"
    year: str | None = None
    author: str | None = None

    @property
    def filters(self) -> Filters:
        """The year/author filters as the retriever takes them."""
        from assistant.retrieval import Filters  # numpy & co: not at start-up

        return Filters.parse(self.year, self.author)

    def ask_options(self, answer_id: str | None = None) -> AskOptions:
        """The engine's options for one question."""
        from assistant.events import AskOptions

        return AskOptions(
            k=self.k, filters=self.filters, mode=self.mode, model=self.model, id=answer_id
        )

    def describe(self) -> str:
        """``k=5 · auto · 2018–2021, author ~ Strand`` for the status bar."""
        parts = [f"k={self.k}", self.mode]
        if self.filters:
            parts.append(self.filters.describe())
        return " · ".join(parts)
