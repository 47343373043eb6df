"""What an answer is: text, the numbered sources it rests on, and how it was made.

``Answer.to_json`` is the contract outside scripts rely on (``ask --json``, batch JSONL).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.citations import check_citations

CANCELLED = "Cancelled before the answer was finished."


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
        """Inverse of :meth:`to_json`, from a file that may be damaged: a field of the wrong
        type is dropped; an old conversation's ``meta`` dict fills volume/pages/page."""
        meta = data.get("meta")
        extra: dict[str, Any] = meta if isinstance(meta, dict) else {}

        def text(key: str) -> str | None:
            value = data.get(key, extra.get(key))
            return value if isinstance(value, str) else None

        def number(key: str) -> int | None:
            value = data.get(key, extra.get(key))
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        def strings(key: str) -> list[str]:
            value = data.get(key)
            return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

        score = data.get("score")
        n = number("n")
        if n is None:  # without its number a source cannot be cited: the file is damaged
            raise ValueError(f"a source's number is not a whole number: {data.get('n')!r}")
        return cls(
            n,
            text("record_id") or "",
            text("title"),
            strings("authors"),
            number("year"),
            text("venue"),
            text("doi"),
            text("path"),
            text("text") or "",
            float(score) if isinstance(score, int | float) and abs(score) < 1e300 else 0.0,
            tuple(strings("chunk_ids")),
            text("volume"),
            text("pages"),
            number("page"),
            text("language"),
            tuple(strings("keywords")),
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


def partial_answer(
    question: str,
    sources: Sequence[Source],
    standalone: str,
    shown: str,
    mode: str,
    model: str | None,
    why: str,
) -> Answer:
    """An answer cut short: the streamed text kept as shown (the engine checked it while
    streaming), its citations listed, and ``why`` it is incomplete."""
    checked = check_citations(shown, {s.n for s in sources})
    return Answer(
        question=question,
        answer=checked.text,
        mode=mode,
        model=model,
        sources=list(sources),
        citations=checked.cited,
        warnings=[why],
        standalone_question=standalone,
        complete=False,
    )
