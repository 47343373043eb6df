"""The engine: a question in, a stream of events out, ending in one :class:`Answer`.

UI-free by design: the CLI, the TUI and batch all consume :meth:`Engine.stream`, so what a
question does is decided here once. It never prints and never imports a UI. The stream is
authoritative: :class:`Token` text is already citation-checked (a citation the final answer
will not keep is never streamed) and :class:`Done` carries the answer to show as is.

The engine answers; it does not build. Its parts (a source of retrievers over the current
index, an embedder, a source of LLM clients) come from :mod:`assistant.runtime`, typed
against the small protocols below, so tests can hand it an in-memory index.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

import prompts
from assistant.answer import Answer, Source
from assistant.citations import StreamFilter, check_citations
from assistant.config import Settings
from assistant.errors import LLMError, LLMTimeout, StreamCut
from assistant.retrieval import Reader, SearchResult
from assistant.unsourced import strip_unsourced
from index.filters import Filters
from index.tokens import count_tokens, truncate_tokens

CANCELLED = "Cancelled before the answer was finished."
BUDGET_MARGIN = 64
QUESTION_MIN_TOKENS = 32  # tokens kept free: tiktoken only approximates the model's tokenizer


# -- events -------------------------------------------------------------------------------
# -- the parts the engine is given -------------------------------------------------------
class Searcher(Protocol):
    """Retrieval over one generation of the index (:class:`assistant.retrieval.Retriever`)."""

    @property
    def reader(self) -> Reader: ...

    def search(
        self, query: str, k: int = 5, filters: Filters | None = None, mode: str = "hybrid"
    ) -> SearchResult: ...


class TextEmbedder(Protocol):
    """Unit vectors for texts (the index's embedder)."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


class ChatModel(Protocol):
    """An Ollama-like chat client (:class:`assistant.llm.OllamaLLM`)."""

    last_stats: dict[str, Any] | None

    def stream_chat(
        self,
        messages: list[dict[str, Any]],
        *,
        num_ctx: int | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[str]: ...

    def chat(self, messages: list[dict[str, Any]], **kw: Any) -> str: ...

    def context_length(self, name: str | None = None) -> int | None: ...


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
class Done:
    """The finished (possibly incomplete or failed) answer."""

    answer: Answer


Event = Status | Retrieved | Token | Done


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


class Engine:
    """Answers questions from one index; safe to share between threads."""

    def __init__(
        self,
        settings: Settings,
        retriever: Callable[[], Searcher],
        embedder: Callable[[], TextEmbedder],
        llm: Callable[[str], ChatModel],
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        """The retriever over the index's current generation (may seed an empty index)."""
        self.embedder = embedder
        self.llm = llm
        self._ctx_cache: dict[str, int | None] = {}

    def index_size(self) -> tuple[int, int]:
        """(records, chunks) in the index's current generation."""
        reader = self.retriever().reader
        return len(reader.records()), len(reader)

    # -- answering -----------------------------------------------------------------------
    def ask(
        self, question: str, history: Sequence[Turn] = (), options: AskOptions | None = None
    ) -> Answer:
        """The finished answer (consumes :meth:`stream`)."""
        answer = None
        for event in self.stream(question, history, options):
            if isinstance(event, Done):
                answer = event.answer
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        options: AskOptions | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[Event]:
        """Events for one question: Status..., Retrieved, Token..., then exactly one Done."""
        opts = options or AskOptions(k=self.settings.top_k)
        t0 = time.perf_counter()
        model = opts.model or self.settings.model
        answer = Answer(
            question=question, answer="", mode="extractive", model=None, sources=[], id=opts.id
        )
        use_llm = opts.mode != "extractive"

        standalone = question
        if history:
            yield Status("Rewriting the follow-up as a standalone question…")
            standalone = self.condense(
                question, history, model if use_llm else None, answer.warnings, cancel
            )
        answer.standalone_question = standalone

        if cancel is not None and cancel.is_set():
            yield Done(self._cancelled(answer, t0))
            return
        yield Status("Searching the corpus…")
        t_ret = time.perf_counter()
        result = self.retriever().search(standalone, opts.k, opts.filters)
        answer.timings["retrieve_ms"] = (time.perf_counter() - t_ret) * 1000
        hits = result.relevant(self.settings.min_relevance)
        answer.sources = [Source.from_hit(i + 1, h) for i, h in enumerate(hits)]
        if not answer.sources:
            scope = f" (filters: {opts.filters.describe()})" if opts.filters else ""
            answer.answer = prompts.render("no_answer", question=standalone) + scope
            answer.warnings.append("No source was relevant enough to answer from.")
            yield Retrieved([], standalone)
            yield Done(self._finish(answer, t0))
            return
        yield Retrieved(list(answer.sources), standalone)

        if use_llm:
            failure = yield from self._generate(standalone, answer, model, t0, cancel)
            if failure is None:
                yield Done(self._finish(answer, t0))
                return
            if opts.mode == "llm":  # --require-llm: no fallback, the error is the answer
                answer.error = str(failure)
                yield Done(self._finish(answer, t0))
                return
            answer.warnings.append(f"{failure} This is an extractive answer instead.")
        else:
            answer.warnings.append("Extractive answer: no language model was used (--no-llm).")
        if cancel is not None and cancel.is_set():
            yield Done(self._cancelled(answer, t0))
            return
        yield Status("Picking the most relevant sentences…")
        self._extract(standalone, answer)
        yield Token(answer.answer)
        yield Done(self._finish(answer, t0))

    def _generate(
        self, question: str, answer: Answer, model: str, t0: float, cancel: threading.Event | None
    ) -> Generator[Event, None, LLMError | None]:
        """Stream an LLM answer into ``answer``; returns the error that stopped it, if any."""
        llm = self.llm(model)
        num_ctx = self.context_window(llm, model)
        messages = self.build_messages(question, answer, num_ctx)
        answer.mode, answer.model = "llm", model
        yield Status(f"Asking {model}…")
        t_gen = time.perf_counter()
        answer.timings["to_llm_ms"] = (t_gen - t0) * 1000
        parts: list[str] = []
        shown = StreamFilter({s.n for s in answer.sources})
        try:
            for piece in llm.stream_chat(messages, num_ctx=num_ctx, cancel=cancel):
                parts.append(piece)
                text = shown.feed(piece)
                if text:
                    yield Token(text)
        except (StreamCut, LLMTimeout) as err:
            partial = getattr(err, "partial", "") or "".join(parts)
            if not partial.strip():
                answer.mode, answer.model = "extractive", None
                return err
            answer.answer, answer.complete = partial, False
            answer.error = str(err)
            answer.warnings.append("The answer is incomplete: the model stopped mid-answer.")
            self._validate(answer)
            return None
        except LLMError as err:
            answer.mode, answer.model = "extractive", None
            return err
        finally:
            answer.timings["generate_ms"] = (time.perf_counter() - t_gen) * 1000
        rest = shown.flush()
        if rest:
            yield Token(rest)
        answer.answer = "".join(parts)
        if cancel is not None and cancel.is_set():
            answer.complete = False
            answer.warnings.append(CANCELLED)
        elif (llm.last_stats or {}).get("done_reason") == "length":
            answer.complete = False
            answer.warnings.append(
                f"The answer reached its length limit of {self.settings.answer_tokens} tokens "
                "and was cut; raise ASSISTANT_ANSWER_TOKENS for longer answers."
            )
        self._validate(answer)
        return None

    def _validate(self, answer: Answer) -> None:
        # A reference list or links the model made up are not ours to show: only [n] cites.
        checked = check_citations(strip_unsourced(answer.answer), {s.n for s in answer.sources})
        answer.answer, answer.citations = checked.text, checked.cited
        if checked.invalid:
            bad = ", ".join(f"[{n}]" for n in checked.invalid)
            answer.warnings.append(f"Removed citations to sources that do not exist: {bad}.")
        if not checked.cited and checked.text:  # nothing written (e.g. cancelled): no claim
            answer.warnings.append("The answer cites no source; treat it with caution.")

    def _extract(self, question: str, answer: Answer) -> None:
        from assistant.extractive import extractive_answer

        text, cited = extractive_answer(question, answer.sources, self.embedder())
        answer.mode, answer.model = "extractive", None
        answer.answer = text or "The sources found have no sentence that answers this directly."
        answer.citations = cited

    def _cancelled(self, answer: Answer, t0: float) -> Answer:
        answer.complete = False
        answer.warnings.append(CANCELLED)
        return self._finish(answer, t0)

    def partial_answer(
        self,
        question: str,
        sources: Sequence[Source],
        standalone: str,
        shown: str,
        mode: str,
        model: str | None,
    ) -> Answer:
        """The answer to keep when a UI stops waiting for :class:`Done` after a cancel:
        the text already streamed (which the engine checked), marked cancelled."""
        answer = Answer(
            question=question,
            answer=shown,
            mode=mode,
            model=model,
            sources=list(sources),
            standalone_question=standalone,
            complete=False,
        )
        answer.citations = check_citations(shown, {s.n for s in sources}).cited
        answer.warnings.append(CANCELLED)
        return answer

    def _finish(self, answer: Answer, t0: float) -> Answer:
        answer.timings["total_ms"] = (time.perf_counter() - t0) * 1000
        return answer

    # -- prompts and budgets -------------------------------------------------------------
    def context_window(self, llm: Any, model: str) -> int:
        """``num_ctx`` to send: the setting, capped by what the model supports."""
        if model not in self._ctx_cache:
            try:
                self._ctx_cache[model] = llm.context_length(model)
            except LLMError:
                return self.settings.num_ctx  # not cached: the server may come back
        limit = self._ctx_cache[model]
        return min(self.settings.num_ctx, limit) if limit else self.settings.num_ctx

    def build_messages(self, question: str, answer: Answer, num_ctx: int) -> list[dict[str, str]]:
        """System + answer prompt with as many sources as fit ``num_ctx``; warns on trimming."""
        system = prompts.render("system")
        room = (
            num_ctx
            - self.settings.answer_tokens
            - count_tokens(system)
            - count_tokens(prompts.render("answer", sources="", question=""))
            - BUDGET_MARGIN
        )
        # A huge question must not push every source out: it gets at most a third of the room.
        limit = max(QUESTION_MIN_TOKENS, room // 3)
        if count_tokens(question) > limit:
            question = truncate_tokens(question, limit) + " …"
            answer.warnings.append(
                f"The question was shortened to {limit} tokens to leave room for the sources "
                f"in the model's context window (num_ctx={num_ctx})."
            )
        budget = room - count_tokens(question)
        blocks: list[str] = []
        kept: list[Source] = []
        for source in answer.sources:
            block = format_source(source)
            cost = count_tokens(block) + 2
            if cost > budget:
                room = budget - (cost - count_tokens(source.text)) - 2
                if room < 48:  # too little left to be worth quoting
                    break
                source = replace(source, text=truncate_tokens(source.text, room) + " …")
                answer.warnings.append(
                    f"Source [{source.n}] was shortened to fit the model's context window "
                    f"(num_ctx={num_ctx})."
                )
                block = format_source(source)
                cost = count_tokens(block) + 2
            blocks.append(block)
            kept.append(source)
            budget -= cost
        if len(kept) < len(answer.sources):
            dropped = ", ".join(f"[{s.n}]" for s in answer.sources[len(kept) :])
            answer.warnings.append(
                f"Sources {dropped} were left out to fit the model's context window "
                f"(num_ctx={num_ctx})."
            )
        answer.sources = kept
        user = prompts.render("answer", sources="\n\n".join(blocks), question=question)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def condense(
        self,
        question: str,
        history: Sequence[Turn],
        model: str | None,
        warnings: list[str],
        cancel: threading.Event | None = None,
    ) -> str:
        """A follow-up rewritten as a standalone question (by the LLM, else by a rule)."""
        recent = list(history)[-4:]
        if model is not None:
            lines = []
            for turn in recent:
                lines.append(f"Researcher: {turn.question}")
                lines.append(f"Assistant: {truncate_tokens(turn.answer, 300)}")
            prompt = prompts.render("condense", history="\n".join(lines), question=question)
            try:
                text = (
                    self.llm(model)
                    .chat(
                        [{"role": "user", "content": prompt}],
                        num_ctx=self.settings.num_ctx,
                        cancel=cancel,
                    )
                    .strip()
                )
                text = text.strip().strip('"').splitlines()[0].strip() if text else ""
                if 3 <= len(text) <= 500:
                    return text
            except LLMError:
                pass
        # Without a model: the previous question carries the topic the follow-up refers to.
        return f"{recent[-1].question} {question}"


def format_source(source: Source) -> str:
    """A source fenced as data for the prompt; fence-like text inside it is defused."""

    def clean(text: str) -> str:
        return text.replace("<source", "‹source").replace("</source", "‹/source")

    head = [f'<source n="{source.n}">']
    if source.authors:
        head.append(f"Authors: {clean('; '.join(source.authors))}")
    if source.year:
        head.append(f"Year: {source.year}")
    if source.title:
        head.append(f"Title: {clean(source.title)}")
    return "\n".join(head + [f"Text: {clean(source.text)}", "</source>"])
