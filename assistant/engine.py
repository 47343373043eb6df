"""The engine: a question in, a stream of events out, ending in one :class:`Answer`.

UI-free by design: the CLI, the TUI and batch all consume :meth:`Engine.stream`, so what a
question does is decided here once. It never prints and never imports a UI.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import prompts
from assistant.answer import Answer, Source
from assistant.citations import check_citations
from assistant.config import Settings
from assistant.errors import LLMError, LLMTimeout, StreamCut
from assistant.retrieval import Filters, Retriever
from ingest.tokens import count_tokens, truncate_tokens

BUDGET_MARGIN = 64  # tokens kept free: tiktoken only approximates the model's tokenizer


# -- events -------------------------------------------------------------------------------
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
    """A piece of the answer as the model writes it."""

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
    """Answers questions from one store; safe to share between threads."""

    def __init__(self, settings: Settings, llm: Any = None, embedder: Any = None) -> None:
        self.settings = settings
        self._llms: dict[str, Any] = {llm.config.model: llm} if llm is not None else {}
        self._lock = threading.Lock()
        self._store: Any = None
        self._embedder: Any = embedder
        self._retriever: Retriever | None = None
        self._ctx_cache: dict[str, int | None] = {}

    # -- lazily built parts --------------------------------------------------------------
    @property
    def embedder(self) -> Any:
        """The query embedder (same as the index's)."""
        if self._embedder is None:
            from assistant.runtime import make_embedder

            self._embedder = make_embedder(self.settings)
        return self._embedder

    def llm(self, model: str | None = None) -> Any:
        """The Ollama client for ``model`` (default: the configured one), one per model."""
        from assistant.llm import LLMConfig, OllamaLLM

        name = model or self.settings.model
        with self._lock:
            client = self._llms.get(name)
            if client is None:
                config = LLMConfig.from_settings(self.settings)
                config.model = name
                client = self._llms[name] = OllamaLLM(config)
            return client

    def retriever(self) -> Retriever:
        """A retriever over the index's current generation; ingests the seeds if empty."""
        with self._lock:
            from assistant.runtime import open_store

            if self._store is None:
                self._store = open_store(self.settings)
            col = self._store.get_collection()
            if col is None or col.count() == 0:
                self._ingest_seeds()
                col = self._store.get_collection()
            gen = self._store.generation(col)
            if self._retriever is None or self._retriever.snapshot.generation != gen:
                from ingest.store import BuildInfo

                snap = self._store.snapshot(col)
                self._store.check_build(
                    col, BuildInfo(self.embedder.name, self.embedder.dim, ""), for_write=False
                )
                self._retriever = Retriever(self._store, self.embedder, snap, col)
            return self._retriever

    def _ingest_seeds(self) -> None:
        from assistant.runtime import chunk_settings
        from ingest.pipeline import run_ingest
        from ingest.seeds import bundled_seeds

        run_ingest(
            [bundled_seeds()],
            self._store,
            self.embedder,
            chunk_settings(self.settings),
            int(self.settings.max_file_mb * 1_000_000),
        )

    def index_size(self) -> tuple[int, int]:
        """(records, chunks) in the current snapshot."""
        snap = self.retriever().snapshot
        return len({m.get("record_id") for m in snap.metas}), len(snap)

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
        try:
            for piece in llm.stream_chat(messages, num_ctx=num_ctx, cancel=cancel):
                parts.append(piece)
                yield Token(piece)
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
        answer.answer = "".join(parts)
        if cancel is not None and cancel.is_set():
            answer.complete = False
            answer.warnings.append("Cancelled before the answer was finished.")
        self._validate(answer)
        return None

    def _validate(self, answer: Answer) -> None:
        checked = check_citations(answer.answer, {s.n for s in answer.sources})
        answer.answer, answer.citations = checked.text, checked.cited
        if checked.invalid:
            bad = ", ".join(f"[{n}]" for n in checked.invalid)
            answer.warnings.append(f"Removed citations to sources that do not exist: {bad}.")
        if not checked.cited and checked.text:  # nothing written (e.g. cancelled): no claim
            answer.warnings.append("The answer cites no source; treat it with caution.")

    def _extract(self, question: str, answer: Answer) -> None:
        from assistant.extractive import extractive_answer

        text, cited = extractive_answer(question, answer.sources, self.embedder)
        answer.mode, answer.model = "extractive", None
        answer.answer = text or "The sources found have no sentence that answers this directly."
        answer.citations = cited

    def _cancelled(self, answer: Answer, t0: float) -> Answer:
        answer.complete = False
        answer.warnings.append("Cancelled before the answer was finished.")
        return self._finish(answer, t0)

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
        frame = prompts.render("answer", sources="", question=question)
        budget = (
            num_ctx
            - self.settings.answer_tokens
            - count_tokens(system)
            - count_tokens(frame)
            - BUDGET_MARGIN
        )
        blocks: list[str] = []
        kept: list[Source] = []
        for source in answer.sources:
            block = format_source(source)
            cost = count_tokens(block) + 2
            if cost > budget:
                room = budget - (cost - count_tokens(source.text)) - 2
                if room < 48:  # too little left to be worth quoting
                    break
                source.text = truncate_tokens(source.text, room) + " …"
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
