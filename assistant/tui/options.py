"""What the user chose for the next questions (model, k, mode, filters, answer controls).

UI-free. The same options are kept with each exchange, so a regenerate asks again with the
options its answer had."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answering.events import AskOptions
    from assistant.answering.retrieval import Filters

MODES = ("auto", "llm", "extractive")
LENGTHS = ("short", "normal", "long")
MAX_K = 50
MAX_TEMPERATURE = 2.0
MAX_TEXT = 2000
"""Longest system prompt or style kept (a pasted essay would crowd out the sources)."""


@dataclass(frozen=True)
class ChatOptions:
    """Per-conversation choices; a slash command replaces them (:meth:`but`), and the chat
    screen's status bar and banner follow (they are its reactive state)."""

    model: str
    k: int = 5
    mode: str = "auto"
    year: str | None = None
    author: str | None = None
    collection: str | None = None
    """Only papers filed in this collection of a Zotero library (``/collection``)."""
    system: str | None = None
    """Extra instructions for the model (``/system``)."""
    temperature: float | None = None
    """``None``: the configured temperature."""
    length: str | None = None
    """One of :data:`LENGTHS`, or ``None`` (the prompt's own)."""
    style: str | None = None
    """Free-form answer style, e.g. ``3 bullet points`` (``/style``)."""
    paper: str | None = None
    """Ask about this record only (chosen in the papers view); ``None``: the whole index."""
    paper_name: str | None = None
    """How the status bar names that paper (``Strand et al. 2018``)."""

    @classmethod
    def restore(cls, saved: dict[str, Any], model: str, k: int) -> ChatOptions:
        """Options saved with a conversation; anything missing or invalid keeps its default."""
        given: dict[str, Any] = {"model": model, "k": k}
        if isinstance(saved.get("model"), str) and saved["model"].strip():
            given["model"] = saved["model"].strip()
        if type(saved.get("k")) is int and 1 <= saved["k"] <= MAX_K:
            given["k"] = saved["k"]
        if saved.get("mode") in MODES:
            given["mode"] = saved["mode"]
        if saved.get("length") in LENGTHS:
            given["length"] = saved["length"]
        given["temperature"] = valid_temperature(saved.get("temperature"))
        for name in ("year", "author", "collection", "system", "style", "paper", "paper_name"):
            value = saved.get(name)
            if isinstance(value, str) and value.strip():
                given[name] = value.strip()[:MAX_TEXT]
        options = cls(**given)
        if options.year:  # only then: parsing imports retrieval (numpy), slow at start-up
            try:
                options.filters  # noqa: B018 - a filter saved by another version may not parse
            except ValueError:
                options = options.but(year=None)
        return options

    def but(self, **changes: Any) -> ChatOptions:
        """These options with ``changes`` (``options.but(k=3)``)."""
        return replace(self, **changes)

    def saved(self) -> dict[str, Any]:
        """What is kept with a conversation (and with each exchange)."""
        return asdict(self)

    @property
    def filters(self) -> Filters:
        """The year/author/collection filters as the retriever takes them."""
        from assistant.answering.retrieval import Filters  # numpy & co: not at start-up

        filters = Filters.parse(self.year, self.author, self.collection)
        return replace(filters, record_ids=frozenset({self.paper})) if self.paper else filters

    def ask_options(self, answer_id: str | None = None) -> AskOptions:
        """The engine's options for one question."""
        from assistant.answering.events import AskOptions

        return AskOptions(
            k=self.k,
            filters=self.filters,
            mode=self.mode,
            model=self.model,
            id=answer_id,
            system=self.system,
            temperature=self.temperature,
            length=self.length,
            style=self.style,
        )

    def describe(self) -> str:
        """``k=5 · auto · 2018–2021, author ~ Strand · t=0.7 · short`` for the status bar."""
        parts = [f"k={self.k}", self.mode]
        if self.year or self.author or self.collection:
            from assistant.answering.retrieval import Filters

            parts.append(Filters.parse(self.year, self.author, self.collection).describe())
        if self.paper:
            parts.append(f"paper: {self.paper_name or self.paper}")
        if self.temperature is not None:
            parts.append(f"t={self.temperature:g}")
        if self.length:
            parts.append(self.length)
        if self.style:
            parts.append("style")
        if self.system:
            parts.append("system")
        return " · ".join(parts)


def valid_temperature(value: object) -> float | None:
    """``value`` as a temperature from 0 to :data:`MAX_TEMPERATURE`, or ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) and 0 <= number <= MAX_TEMPERATURE else None
