"""Answer quality on a question set: every question answered with the model and quoted
(extractively), measured per kind of question.

What ``assistant eval QUESTIONS --model NAME`` prints and ``bench/answers.py`` records in
docs/QUALITY.md. Each question goes through the engine as ``ask`` would send it (mode
``auto`` for the model path, so a set-aside answer falls back as it would for a user), and
each answer is judged by the engine's own checks (:mod:`assistant.answering.support` with
the index's embedder):

- **answered with citations**: the answer cites a source (for ``not-answerable``
  questions: it cites nothing and rests on no source);
- **citation precision**: of the (sentence, cited source) pairs, the share where that
  source supports the sentence;
- **support rate**: of the sentences that make a claim, the share a cited source supports;
  **unsupported**: the claims no cited source supports (uncited: no source at all), or
  that use a number or name no source holds, and how many of them the reader sees marked
  ``[unsupported]``;
- **set aside**: model answers the engine did not show as answers (a loop, only markers,
  only a list of sources, nothing cited); **fallbacks**: questions put to the model that
  came back quoted instead (set aside, an error, a timeout);
- **first token** (ms from the question to the first streamed token, when the model was
  asked) and **tokens/s** (the model's, from its first piece to its last).
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import UsageError

KINDS = ("content", "facet", "bibliographic", "not-answerable")
PATHS = ("model", "extractive")
MARK = " [unsupported]"

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Question:
    """One question of a set, and what kind it is (``not-answerable``: the corpus does not
    hold the answer; every other kind should be answered with citations)."""

    id: str
    kind: str
    question: str


def load_questions(path: Path) -> list[Question]:
    """``.jsonl`` lines ``{"question": ..., "kind": ..., "id": ...}`` (kind and id optional:
    ``content`` and the line number), or a ``.txt`` file of one question per line."""
    from assistant.evaluate import _jsonl

    if not path.is_file():
        raise UsageError(f"No such file: {path}.")
    out: list[Question] = []
    if path.suffix.lower() == ".txt":
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise UsageError(f"Cannot read {path} ({type(err).__name__}).") from None
        for n, line in enumerate(lines, 1):
            if line.strip():
                out.append(Question(f"q{n}", "content", line.strip()))
    else:
        for n, obj in _jsonl(path):
            text, kind, qid = obj.get("question"), obj.get("kind", "content"), obj.get("id", n)
            if not isinstance(text, str) or not text.strip() or not isinstance(kind, str):
                raise UsageError(f'Line {n} of {path} needs a "question" (and a text "kind").')
            out.append(Question(str(qid), kind.strip() or "content", text.strip()))
    if not out:
        raise UsageError(f"{path} holds no questions.")
    return out


# -- watching the model's calls -------------------------------------------------------------
@dataclass
class Call:
    """One model call: when it started, gave its first piece and ended, and its counts."""

    start: float
    first: float | None = None
    end: float | None = None
    answer_tokens: int | None = None
    done_reason: str | None = None
    text: str = ""

    @property
    def tokens_per_s(self) -> float | None:
        if self.first is None or self.end is None or not self.answer_tokens:
            return None
        span = self.end - self.first
        return self.answer_tokens / span if span > 0 else None


class _WatchedStream(Iterator[str]):
    """A model's stream, passed through, its timing written to a :class:`Call`."""

    def __init__(self, stream: Any, call: Call) -> None:
        self._stream, self._call = stream, call

    def __next__(self) -> str:
        try:
            piece: str = next(self._stream)
        except BaseException:
            self._ended()
            raise
        if self._call.first is None:
            self._call.first = time.perf_counter()
        return piece

    def _ended(self) -> None:
        reply = getattr(self._stream, "reply", None)
        self._call.end = time.perf_counter()
        self._call.text = getattr(self._stream, "text", "")
        if reply is not None:
            self._call.answer_tokens, self._call.done_reason = (
                reply.answer_tokens,
                reply.done_reason,
            )

    def close(self) -> None:
        self._ended()
        self._stream.close()

    def __getattr__(self, name: str) -> Any:  # text, reply: the stream's own
        return getattr(self._stream, name)


class WatchedModel:
    """A chat model whose calls are logged (:attr:`calls`); all else is the model's."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.calls: list[Call] = []
        self._lock = threading.Lock()

    def stream_chat(self, messages: list[dict[str, Any]], **kw: Any) -> Any:
        call = Call(time.perf_counter())
        with self._lock:
            self.calls.append(call)
        return _WatchedStream(self.model.stream_chat(messages, **kw), call)

    def chat(self, messages: list[dict[str, Any]], **kw: Any) -> str:
        return "".join(self.stream_chat(messages, **kw))

    def context_length(self, name: str | None = None) -> int | None:
        result: int | None = self.model.context_length(name)
        return result


# -- judging one answer ---------------------------------------------------------------------
def judge(answer: Any, kind: str, embedder: Any) -> dict[str, Any]:
    """The measures of one answer (see the module doc)."""
    from assistant.answering.compose import calibrated
    from assistant.answering.support import check_support

    embedder = calibrated(embedder)  # as the engine judges: MiniLM, else words alone
    cited_any = bool(answer.citations)
    out: dict[str, Any] = {"mode": answer.mode, "cited": cited_any}
    if kind == "not-answerable":
        out["right"] = not answer.sources and not cited_any
        return out
    out["right"] = cited_any
    text = answer.answer.replace(MARK, "")
    checks = check_support(text, answer.sources, embedder) if answer.sources else []
    by_n = {s.n: s for s in answer.sources}
    pairs = supported_pairs = 0
    for check in checks:
        for n in check.cited:
            if n in by_n:
                pairs += 1
                one = check_support(check.text, [by_n[n]], embedder)
                supported_pairs += bool(one and one[0].supported)
    claims = [c for c in checks if c.claim]
    out.update(
        pairs=pairs,
        supported_pairs=supported_pairs,
        claims=len(claims),
        supported_claims=sum(c.supported and bool(c.cited) for c in claims),
        unsupported=sum(c.flagged for c in claims),
        marked=answer.answer.count(MARK),
    )
    return out


def _ask(engine: Any, question: str, mode: str, k: int) -> tuple[Any, float | None]:
    """The answer, and the milliseconds from the question to its first streamed token."""
    from assistant.answering.events import AskOptions, Done, Token

    t0 = time.perf_counter()
    first = None
    answer = None
    for event in engine.stream(question, (), AskOptions(k=k, mode=mode)):
        if isinstance(event, Token) and first is None:
            first = (time.perf_counter() - t0) * 1000
        elif isinstance(event, Done):
            answer = event.answer
    assert answer is not None
    return answer, first


@dataclass
class Measured:
    """Every answer's row, per path (``model``, ``extractive``)."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {p: [] for p in PATHS})
    answers: list[dict[str, Any]] = field(default_factory=list)


def measure(
    engine: Any,
    watched: WatchedModel,
    embedder: Any,
    questions: Sequence[Question],
    k: int,
    paths: Sequence[str] = PATHS,
    progress: Progress | None = None,
    on_row: Callable[[str, Question, dict[str, Any], Any], None] | None = None,
) -> Measured:
    """Answer every question on each path and judge it; ``on_row(path, question, row,
    answer)`` is called as each is done (a long run keeps what it measured)."""
    out = Measured()
    total = len(questions) * len(paths)
    for i, q in enumerate(questions):
        for j, path in enumerate(paths):
            if progress:
                progress("answering", i * len(paths) + j, total)
            before = len(watched.calls)
            answer, first_ms = _ask(engine, q.question, "auto" if path == "model" else path, k)
            calls = watched.calls[before:]
            row: dict[str, Any] = {"id": q.id, "kind": q.kind}
            row.update(judge(answer, q.kind, embedder))
            if path == "model":
                row["asked"] = bool(calls)
                row["first_ms"] = first_ms if calls else None
                row["set_aside"] = answer.attempt is not None  # kept apart: not an answer
                row["fallback"] = bool(calls) and answer.mode != "llm"
                rates = [c.tokens_per_s for c in calls if c.tokens_per_s]
                row["tok_s"] = rates[-1] if rates else None
                row["raw"] = calls[-1].text if calls else None
            out.rows[path].append(row)
            out.answers.append({"path": path, **row, "answer": answer.to_json()})
            if on_row:
                on_row(path, q, row, answer)
    if progress:
        progress("answering", total, total)
    return out


# -- per kind -------------------------------------------------------------------------------
def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The measures per kind of question (known kinds first, in :data:`KINDS` order)."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    order = [k for k in KINDS if k in by_kind] + sorted(set(by_kind) - set(KINDS))
    out: dict[str, dict[str, Any]] = {}
    for kind in order:
        group = by_kind[kind]

        def total(key: str, group: list[dict[str, Any]] = group) -> int:
            return int(sum(r.get(key, 0) or 0 for r in group))

        firsts = [r["first_ms"] for r in group if r.get("first_ms") is not None]
        rates = [r["tok_s"] for r in group if r.get("tok_s")]
        out[kind] = {
            "questions": len(group),
            "answered_with_citations": total("right"),
            "supported_pairs": total("supported_pairs"),
            "pairs": total("pairs"),
            "citation_precision": _share(total("supported_pairs"), total("pairs")),
            "supported_claims": total("supported_claims"),
            "claims": total("claims"),
            "support_rate": _share(total("supported_claims"), total("claims")),
            "unsupported": total("unsupported"),
            "marked": total("marked"),
            "asked_model": total("asked"),
            "set_aside": total("set_aside"),
            "fallbacks": total("fallback"),
            "first_token_ms": round(statistics.median(firsts)) if firsts else None,
            "tokens_per_s": round(statistics.median(rates), 1) if rates else None,
        }
    return out


def _share(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _ratio(s: dict[str, Any], a: str, b: str) -> str:
    return f"{s[a] / s[b]:.2f} ({s[a]}/{s[b]})" if s[b] else "–"


COLUMNS = tuple(
    "path|kind|questions|answered with citations|citation precision|support rate|"
    "unsupported (marked)|set aside|fallbacks|first token ms|tokens/s".split("|")
)


def table_rows(result: dict[str, Any]) -> list[list[str]]:
    """The cells of the per-kind table, one row per path and kind."""
    rows = []
    for path, kinds in result["paths"].items():
        label = (result.get("model") or "model") if path == "model" else path
        modelled = path == "model"
        for kind, s in kinds.items():
            rows.append(
                [
                    label,
                    kind,
                    str(s["questions"]),
                    f"{s['answered_with_citations']}/{s['questions']}",
                    _ratio(s, "supported_pairs", "pairs"),
                    _ratio(s, "supported_claims", "claims"),
                    f"{s['unsupported']} ({s['marked']})",
                    f"{s['set_aside']}/{s['asked_model']}" if modelled else "–",
                    str(s["fallbacks"]) if modelled else "–",
                    str(s["first_token_ms"]) if s["first_token_ms"] is not None else "–",
                    str(s["tokens_per_s"]) if s["tokens_per_s"] is not None else "–",
                ]
            )
    return rows


def markdown(result: dict[str, Any]) -> str:
    """The per-kind table in Markdown (docs/QUALITY.md's form)."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(result)]
    return "\n".join(lines)


def text_table(result: dict[str, Any]) -> list[str]:
    """The per-kind table as aligned text lines (the terminal's form)."""
    rows = [list(COLUMNS), *table_rows(result)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def result_of(measured: Measured, settings: Settings, questions: str, k: int) -> dict[str, Any]:
    """The whole measurement as one JSON-ready object."""
    return {
        "questions": questions,
        "model": settings.model,
        "host": settings.ollama_host,
        "collection": settings.collection,
        "k": k,
        "num_ctx": settings.num_ctx,
        "answer_tokens": settings.answer_tokens,
        "paths": {p: summarise(rows) for p, rows in measured.rows.items() if rows},
        "answers": measured.answers,
    }


def evaluate_answers(
    path: Path, settings: Settings, k: int | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """``assistant eval QUESTIONS --model NAME``: the user's questions answered from the
    current index by their model and extractively, measured per kind."""
    from assistant.answering.engine import Engine
    from assistant.llm import OllamaLLM
    from assistant.runtime import Runtime

    questions = load_questions(path)
    probe = OllamaLLM(settings)
    try:
        probe.version()  # unreachable: one sentence, exit 4
        if not probe.has_model(settings.model):
            from assistant.errors import ModelNotFound

            raise ModelNotFound(settings.model, probe.list_models())
    finally:
        probe.close()
    runtime = Runtime(settings)
    try:
        runtime.retriever()  # an empty index is said now, before any question
        watched: dict[str, WatchedModel] = {}

        def llm(model: str) -> Any:
            if model not in watched:
                watched[model] = WatchedModel(runtime.llm(model))
            return watched[model]

        engine = Engine(settings, runtime.retriever, lambda: runtime.embedder, llm)
        k = k or settings.top_k
        measured = measure(
            engine, llm(settings.model), runtime.embedder, questions, k, progress=progress
        )
        return result_of(measured, settings, str(path), k)
    finally:
        runtime.close()
