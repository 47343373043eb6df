"""What an answer is: text, the numbered sources it rests on, and how it was made.

``Answer.to_json`` is the contract outside scripts rely on (``ask --json``, batch JSONL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Source:
    """A numbered source shown with an answer."""

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
    chunk_ids: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_hit(cls, n: int, hit: Any) -> Source:
        """Number a retrieval hit."""
        m = hit.meta
        authors = m.get("authors")
        return cls(
            n,
            hit.record_id,
            m.get("title"),
            authors.split("; ") if authors else [],
            m.get("year"),
            m.get("venue"),
            m.get("doi"),
            m.get("path"),
            hit.text,
            round(float(hit.score), 4),
            list(hit.chunk_ids),
            dict(m),
        )

    def short_ref(self) -> str:
        """``Strand et al. (2018)``: how the answer text can name this source."""
        if not self.authors:
            who = "Anonymous"
        else:
            first = _surname(self.authors[0])
            who = (
                first
                if len(self.authors) == 1
                else f"{first} & {_surname(self.authors[1])}"
                if len(self.authors) == 2
                else f"{first} et al."
            )
        return f"{who} ({self.year or 'n.d.'})"

    def display_title(self) -> str:
        """The title, or for an untitled abstract its opening words in quotes."""
        return self.title or _first_words(self.text)

    def label(self) -> str:
        """``[n] Strand et al. (2018) Title`` for source lists."""
        title = self.display_title()
        return f"[{self.n}] {self.short_ref()} {title}"

    def to_json(self) -> dict[str, Any]:
        """The contract's source object."""
        return {
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


def _surname(name: str) -> str:
    name = name.strip()
    if "," in name:  # "Last, First"
        return name.split(",", 1)[0].strip()
    parts = name.split()
    return parts[-1] if parts else name


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return "“" + " ".join(words[:n]) + ("…”" if len(words) > n else "”")


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
        return data
