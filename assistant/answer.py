"""What an answer is: text, the numbered sources it rests on, and how it was made.

``Answer.to_json`` is the contract outside scripts rely on (``ask --json``, batch JSONL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """A numbered source shown with an answer; immutable once made (use ``replace``)."""

    n: int
    record_id: str
    title: str | None
    authors: list[str]
    year: int | None
    venue: str | None
    doi: str | None
    path: str | None
    text: str
    score: float
    chunk_ids: tuple[str, ...] = ()
    volume: str | None = None
    pages: str | None = None
    page: int | None = None  # the page the passage starts on (PDFs)
    language: str | None = None
    keywords: tuple[str, ...] = ()
    has_abstract: bool = True  # False for a title-only record: nothing to quote

    @classmethod
    def from_hit(cls, n: int, hit: Any) -> Source:
        """Number a retrieval hit (:class:`assistant.retrieval.Hit`)."""
        return cls.from_meta(n, hit.record_id, hit.meta, hit.text, hit.score, hit.chunk_ids)

    @classmethod
    def from_meta(
        cls, n: int, record_id: str, m: Any, text: str, score: float, chunk_ids: Any = ()
    ) -> Source:
        """A numbered source from a chunk's :class:`index.codec.ChunkMeta` and its text."""
        return cls(
            n,
            record_id,
            m.title,
            list(m.authors),
            m.year,
            m.venue,
            m.doi,
            m.path,
            text,
            round(float(score), 4),
            tuple(chunk_ids),
            m.volume,
            m.pages,
            m.page,
            m.language,
            tuple(m.keywords),
            m.has_abstract,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Source:
        """Inverse of :meth:`to_json` (also reads conversations saved with a ``meta`` dict)."""
        extra = data.get("meta") or {}

        def get(key: str) -> Any:
            value = data.get(key)
            return extra.get(key) if value is None and isinstance(extra, dict) else value

        page = get("page")
        return cls(
            int(data["n"]),
            str(data.get("record_id") or ""),
            data.get("title"),
            [str(a) for a in data.get("authors") or []],
            data.get("year"),
            data.get("venue"),
            data.get("doi"),
            data.get("path"),
            str(data.get("text") or ""),
            float(data.get("score") or 0.0),
            tuple(str(c) for c in data.get("chunk_ids") or ()),
            get("volume"),
            get("pages"),
            int(page) if isinstance(page, int) else None,
            get("language"),
            tuple(str(k) for k in data.get("keywords") or ()),
        )

    def short_ref(self) -> str:
        """``Strand et al. (2018)``: how the answer text can name this source."""
        from assistant.references import short_ref

        return short_ref(self)

    def display_title(self) -> str:
        """The title, or for an untitled abstract its opening words in quotes."""
        from assistant.references import display_title

        return display_title(self)

    def label(self) -> str:
        """``[n] Strand et al. (2018) Title`` for source lists."""
        return f"[{self.n}] {self.short_ref()} {self.display_title()}"

    def to_json(self) -> dict[str, Any]:
        """The contract's source object; ``volume``, ``pages`` and ``page`` when known."""
        data: dict[str, Any] = {
            "n": self.n,
            "record_id": self.record_id,
            "title": self.title,
            "authors": self.authors,
            "year": self.year,
            "venue": self.venue,
            "doi": self.doi,
            "path": self.path,
            "text": self.text,
            "score": self.score,
        }
        for key in ("volume", "pages", "page"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass
class Answer:
    """One answered question."""

    question: str
    answer: str
    mode: str  # "llm" or "extractive"
    model: str | None
    sources: list[Source]
    citations: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    id: str | None = None
    standalone_question: str | None = None
    complete: bool = True
    interpreted: dict[str, Any] | None = None  # what the question was read as
    read_as: str | None = None  # the same, in words ("paper question · author Folker")

    def to_json(self) -> dict[str, Any]:
        """The contract's answer object (see DESIGN.md / README)."""
        data: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "mode": self.mode,
            "model": self.model,
            "citations": self.citations,
            "sources": [s.to_json() for s in self.sources],
            "warnings": self.warnings,
            "error": self.error,
            "timings": {k: round(v, 1) for k, v in self.timings.items()},
        }
        if self.standalone_question and self.standalone_question != self.question:
            data["standalone_question"] = self.standalone_question
        if self.interpreted:
            data["interpreted"] = self.interpreted
        return data
