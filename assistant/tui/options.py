"""What the user chose for the next questions (model, k, mode, filters). UI-free."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answering.events import AskOptions
    from assistant.answering.retrieval import Filters

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

    @classmethod
    def restore(cls, saved: dict[str, Any], model: str, k: int) -> ChatOptions:
        """Options saved with a conversation; anything missing or invalid keeps its default."""
        options = cls(model=model, k=k)
        if isinstance(saved.get("model"), str) and saved["model"].strip():
            options.model = saved["model"].strip()
        if type(saved.get("k")) is int and 1 <= saved["k"] <= MAX_K:
            options.k = saved["k"]
        if saved.get("mode") in MODES:
            options.mode = saved["mode"]
        for name in ("year", "author"):
            value = saved.get(name)
            if isinstance(value, str) and value.strip():
                setattr(options, name, value.strip())
        if options.year:  # only then: parsing imports retrieval (numpy), slow at start-up
            try:
                options.filters  # noqa: B018 - a filter saved by another version may not parse
            except ValueError:
                options.year = None
        return options

    def saved(self) -> dict[str, Any]:
        """What is kept with a conversation."""
        return asdict(self)

    @property
    def filters(self) -> Filters:
        """The year/author filters as the retriever takes them."""
        from assistant.answering.retrieval import Filters  # numpy & co: not at start-up

        return Filters.parse(self.year, self.author)

    def ask_options(self, answer_id: str | None = None) -> AskOptions:
        """The engine's options for one question."""
        from assistant.answering.events import AskOptions

        return AskOptions(
            k=self.k, filters=self.filters, mode=self.mode, model=self.model, id=answer_id
        )

    def describe(self) -> str:
        """``k=5 · auto · 2018–2021, author ~ Strand`` for the status bar."""
        parts = [f"k={self.k}", self.mode]
        if self.filters:
            parts.append(self.filters.describe())
        return " · ".join(parts)
