"""What an answer is: text, the numbered sources it rests on, and how it was made.

``Answer.to_json`` is the contract outside scripts rely on (``ask --json``, batch JSONL).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from assistant.answering.citations import check_citations
from vocab.paper import PAPER_FIELDS, CitedPaper, paper_values, read_paper

CANCELLED = "Cancelled before the answer was finished."
INTERRUPTED = "The app was closed before the answer was finished."


# The source object's contract (``ask --json``, batch JSONL, conversations on disk): these
# paper fields always, null when unknown, after ``n`` and ``record_id``; language and
# keywords never (the contract predates them, and they stay in the index); any other paper
# field (volume, pages, and any added later) only when known, before the passage's page.
_ALWAYS = ("title", "authors", "year", "venue", "doi")
_NOT_WRITTEN = ("language", "keywords")
_WHEN_KNOWN = tuple(f for f in PAPER_FIELDS if f not in _ALWAYS and f not in _NOT_WRITTEN)


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


class Source(CitedPaper, frozen=True):
    """A numbered source shown with an answer: the paper's fields and the passage's
    (:class:`vocab.paper.CitedPaper`), how it ranked and which chunks it is; immutable
    (use ``replace``)."""

    score: float
    chunk_ids: tuple[str, ...] = ()
    has_abstract: bool = True  # False for a title-only record: nothing to quote

    @classmethod
    def from_hit(cls, n: int, hit: Any) -> Source:
        """Number a retrieval hit (:class:`assistant.answering.retrieval.Hit`)."""
        return cls.from_meta(n, hit.record_id, hit.meta, hit.text, hit.score, hit.chunk_ids)

    @classmethod
    def from_meta(
        cls, n: int, record_id: str, m: Any, text: str, score: float, chunk_ids: Any = ()
    ) -> Source:
        """A numbered source from a chunk's :class:`index.codec.ChunkMeta` and its text."""
        return cls(
            n=n,
            record_id=record_id,
            **paper_values(m),
            path=m.path,
            text=text,
            score=round(float(score), 4),
            chunk_ids=tuple(chunk_ids),
            page=m.page,
            has_abstract=m.has_abstract,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Source:
        """Inverse of :meth:`to_json`, from a file that may be damaged: a field of the wrong
        type is dropped; an old conversation's ``meta`` dict fills volume/pages/page."""
        meta = data.get("meta")
        merged = {**meta, **data} if isinstance(meta, dict) else data

        def text(key: str) -> str | None:
            value = merged.get(key)
            return value if isinstance(value, str) else None

        def number(key: str) -> int | None:
            value = merged.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        chunk_ids = data.get("chunk_ids")
        score = data.get("score")
        n = number("n")
        if n is None:  # without its number a source cannot be cited: the file is damaged
            raise ValueError(f"a source's number is not a whole number: {data.get('n')!r}")
        return cls(
            n=n,
            record_id=text("record_id") or "",
            **read_paper(merged),
            path=text("path"),
            text=text("text") or "",
            score=float(score) if isinstance(score, int | float) and abs(score) < 1e300 else 0.0,
            chunk_ids=tuple(
                c for c in (chunk_ids if isinstance(chunk_ids, list) else []) if isinstance(c, str)
            ),
            page=number("page"),
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
        data: dict[str, Any] = {"n": self.n, "record_id": self.record_id}
        data.update((key, _json_value(getattr(self, key))) for key in _ALWAYS)
        data.update(path=self.path, text=self.text, score=self.score)
        for key in (*_WHEN_KNOWN, "page"):
            if getattr(self, key) not in (None, ()):
                data[key] = _json_value(getattr(self, key))
        return data


class Mode(str, Enum):
    """How an answer was made: written by a language model, or quoted from the sources."""

    LLM = "llm"
    EXTRACTIVE = "extractive"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @classmethod
    def of(cls, value: Any) -> Mode:
        """A saved or given mode; anything unknown is extractive (nothing was generated)."""
        try:
            return cls(value)
        except ValueError:
            return cls.EXTRACTIVE


@dataclass(frozen=True)
class Answer:
    """One answered question; made only in :mod:`assistant.answering` and never changed.

    Besides the fields, the only ways to make one are :meth:`partial`, :meth:`cancelled`,
    :meth:`interrupted`, :meth:`failed` and :meth:`from_json`.
    """

    question: str
    answer: str
    mode: Mode
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
    support: list[dict[str, Any]] | None = None  # each sentence checked against its sources
    attempt: str | None = None  # the model's text, when it was not an answer and was set aside
    related: list[Source] = field(default_factory=list)  # closest papers; not sources

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", Mode.of(self.mode))

    def to_json(self) -> dict[str, Any]:
        """The contract's answer object (see DESIGN.md / README)."""
        data: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "mode": self.mode.value,
            "model": self.model,
            "citations": list(self.citations),
            "sources": [s.to_json() for s in self.sources],
            "warnings": list(self.warnings),
            "error": self.error,
            "timings": {k: round(v, 1) for k, v in self.timings.items()},
        }
        if self.standalone_question and self.standalone_question != self.question:
            data["standalone_question"] = self.standalone_question
        if self.interpreted:
            data["interpreted"] = self.interpreted
        if self.support is not None:
            data["support"] = self.support
        if self.attempt is not None:
            data["attempt"] = self.attempt
        if self.related:  # related reading of a "not reported" answer: never cited
            data["related"] = [
                {k: v for k, v in s.to_json().items() if k not in ("n", "text", "score")}
                for s in self.related
            ]
        return data

    # -- the other constructors ----------------------------------------------------------
    @classmethod
    def partial(
        cls,
        question: str,
        sources: Sequence[Source],
        standalone: str | None,
        shown: str,
        model: str | None,
        why: str,
    ) -> Answer:
        """An answer cut short: the streamed text kept as shown (the engine checked it
        while streaming), its citations listed, and ``why`` it is incomplete. Text shown
        with a model named is the model's; nothing shown is an extractive non-answer."""
        checked = check_citations(shown, {s.n for s in sources})
        made_by_model = model is not None and bool(shown.strip())
        return cls(
            question=question,
            answer=checked.text,
            mode=Mode.LLM if made_by_model else Mode.EXTRACTIVE,
            model=model if made_by_model else None,
            sources=list(sources),
            citations=checked.cited,
            warnings=[why],
            standalone_question=standalone or question,
            complete=False,
        )

    @classmethod
    def cancelled(
        cls,
        question: str,
        sources: Sequence[Source] = (),
        standalone: str | None = None,
        shown: str = "",
        model: str | None = None,
    ) -> Answer:
        """What to keep of an answer the user cancelled: the text shown so far."""
        return cls.partial(question, sources, standalone, shown, model, CANCELLED)

    @classmethod
    def interrupted(cls, *args: Any, **kw: Any) -> Answer:
        """What to keep of an answer the app was closed in the middle of (the arguments
        of :meth:`cancelled`)."""
        return replace(cls.cancelled(*args, **kw), warnings=[INTERRUPTED])

    @classmethod
    def failed(
        cls,
        question: str,
        error: str,
        *,
        id: str | None = None,
        sources: Sequence[Source] = (),
        standalone: str | None = None,
    ) -> Answer:
        """No answer: ``error`` says why in one sentence."""
        return cls(
            question=question,
            answer="",
            mode=Mode.EXTRACTIVE,
            model=None,
            sources=list(sources),
            error=error,
            id=id,
            standalone_question=standalone,
            complete=False,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answer:
        """An answer back from its saved JSON (fields of the wrong type are dropped)."""
        timings = data.get("timings")
        timings = timings if isinstance(timings, dict) else {}

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        def listed(key: str) -> list[Any]:
            value = data.get(key)
            return value if isinstance(value, list) else []

        return cls(
            question=text("question") or "",
            answer=text("answer") or "",
            mode=Mode.of(data.get("mode")),
            model=text("model"),
            sources=[Source.from_json(s) for s in listed("sources") if isinstance(s, dict)],
            citations=[int(n) for n in listed("citations") if isinstance(n, int | float)],
            warnings=[str(w) for w in listed("warnings")],
            error=text("error"),
            timings={str(k): float(v) for k, v in timings.items() if isinstance(v, int | float)},
            id=text("id"),
            standalone_question=text("standalone_question"),
            complete=bool(data.get("complete", True)),
            interpreted=data["interpreted"] if isinstance(data.get("interpreted"), dict) else None,
            support=[x for x in listed("support") if isinstance(x, dict)] or None,
            attempt=text("attempt"),
        )
