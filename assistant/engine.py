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
from dataclasses import replace
from typing import Any

import prompts
from assistant.answer import CANCELLED, Answer, Source, partial_answer
from assistant.bibliography import Bibliography
from assistant.catalogue import bibliographic_answer, catalogue_answer
from assistant.citations import StreamFilter, check_citations
from assistant.condense import accept_rewrite, clean_rewrite, is_self_contained, rule_condense
from assistant.config import Settings
from assistant.errors import LLMError, LLMTimeout, StreamCut
from assistant.events import AskOptions, Done, Event, Retrieved, Status, Token, Turn
from assistant.parts import ChatModel, Searcher, TextEmbedder
from assistant.planner import Plan, bibliography_of, labels_for, plan, sources_for
from assistant.prompting import build_messages
from assistant.retrieval import Hit, whole_record
from assistant.unsourced import strip_unsourced
from index import Filters
from vocab.tokens import truncate_tokens


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
        self._bib: tuple[Any, Bibliography] | None = None
        self._lock = threading.Lock()

    def index_size(self) -> tuple[int, int]:
        """(records, chunks) in the index's current generation."""
        reader = self.retriever().reader
        return reader.record_count, len(reader)

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
            standalone = self.condense(question, history, model if use_llm else None, cancel)
        answer.standalone_question = standalone

        if cancel is not None and cancel.is_set():
            yield Done(self._cancelled(answer, t0))
            return
        yield Status("Searching the corpus…")
        t_ret = time.perf_counter()
        retriever = self.retriever()
        queries = [standalone] if standalone == question else [standalone, question]
        plan = self._plan(retriever, standalone, opts, queries)
        answer.interpreted = plan.interpreted()
        if answer.interpreted:
            answer.read_as = plan.interpretation.describe()
        if plan.missing is not None or plan.reply is not None:
            answer.timings["retrieve_ms"] = (time.perf_counter() - t_ret) * 1000
            yield from self._from_bibliography(plan, answer, retriever, opts, model, t0, cancel)
            return
        hits = self._search(retriever, queries, opts.k, plan.filters, plan.named)
        answer.timings["retrieve_ms"] = (time.perf_counter() - t_ret) * 1000
        answer.sources = [Source.from_hit(i + 1, h) for i, h in enumerate(hits)]
        if plan.named and plan.interpretation.kind == "paper":
            # A question about a named paper is answered from the whole paper, not a passage.
            language = plan.interpretation.language
            answer.sources = [whole_record(s, retriever.reader, language) for s in answer.sources]
        if not answer.sources and plan.named and plan.filters.record_ids:  # no word in common
            wanted = sorted(plan.filters.record_ids)[: opts.k]
            answer.sources = [
                replace(s, n=i) for i, s in enumerate(self._opening(retriever, wanted), 1)
            ]
        if not answer.sources:
            scope = f" (filters: {plan.filters.describe()})" if plan.filters else ""
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
            answer.warnings.append("Extractive answer: no language model was used.")
        if cancel is not None and cancel.is_set():
            yield Done(self._cancelled(answer, t0))
            return
        yield Status("Picking the most relevant sentences…")
        self._extract(standalone, answer)
        yield Token(answer.answer)
        yield Done(self._finish(answer, t0))

    # -- reading the question against the bibliography ---------------------------------
    def _opening(self, retriever: Searcher, record_ids: list[str]) -> list[Source]:
        """Sources for records by id: each with its opening passage."""
        bib = self._bibliography(retriever)
        entries = bib.by_ids(record_ids)
        return sources_for(entries, retriever.reader)

    def _bibliography(self, retriever: Searcher) -> Bibliography:
        """The bibliography of the retriever's index generation (built once per generation)."""
        reader = retriever.reader
        key = (getattr(reader, "identity", ""), reader.generation)
        with self._lock:
            if self._bib is None or self._bib[0] != key:
                self._bib = (key, bibliography_of(reader))
            return self._bib[1]

    def _plan(
        self, retriever: Searcher, question: str, opts: AskOptions, queries: list[str]
    ) -> Plan:
        def best_records(filters: Filters, topic: str) -> list[str]:
            # The topic alone as well: a field request's frame dilutes a short topic.
            searched = list(dict.fromkeys([topic, *queries]))
            return [h.record_id for h in self._search(retriever, searched, 3, filters)]

        return plan(question, self._bibliography(retriever), opts.filters, best_records)

    def _search(
        self,
        retriever: Searcher,
        queries: list[str],
        k: int,
        filters: Filters,
        named: bool = False,
    ) -> list[Hit]:
        """The relevant hits for the question (and, for a rewritten follow-up, for its own
        words too: a rewrite can drift), best first, one per record."""
        best: dict[str, Hit] = {}
        # Papers the question names are relevant by being named: no relevance gate for them.
        for query in queries:
            result = retriever.search(query, k, filters)
            hits = result.hits if named else result.relevant(self.settings.min_relevance)
            for hit in hits:
                if hit.record_id not in best or hit.score > best[hit.record_id].score:
                    best[hit.record_id] = hit
        return sorted(best.values(), key=lambda h: -h.score)[:k]

    def _from_bibliography(
        self,
        plan: Plan,
        answer: Answer,
        retriever: Searcher,
        opts: AskOptions,
        model: str,
        t0: float,
        cancel: threading.Event | None,
    ) -> Iterator[Event]:
        """Answer a catalogue or bibliographic question, or a name the index lacks, from the
        bibliography: exact, cited, and the same with or without a model."""
        if plan.missing is not None:
            answer.answer = plan.missing
            answer.warnings.append("The question names something the index does not hold.")
            yield Retrieved([], answer.standalone_question or answer.question)
            yield Token(answer.answer)
            yield Done(self._finish(answer, t0))
            return
        assert plan.reply is not None
        reader = retriever.reader
        answer.sources = sources_for(plan.reply.entries, reader)
        reply = plan.reply
        labels = labels_for(answer.sources)
        if labels:  # untitled records are named by their opening words
            interp = plan.interpretation
            reply = (
                catalogue_answer(interp, list(reply.matched or reply.entries), labels)
                if interp.kind == "catalogue"
                else bibliographic_answer(
                    interp.field or "", reply.entries, interp.language, labels
                )
            )
        yield Retrieved(list(answer.sources), answer.standalone_question or answer.question)
        answer.answer = reply.text
        answer.citations = check_citations(reply.text, {s.n for s in answer.sources}).cited
        yield Token(reply.text)
        summarise = (
            plan.interpretation.kind == "catalogue"
            and opts.mode != "extractive"
            and len(answer.sources) > 1
        )
        if summarise:  # the model may summarise the list; the list itself stays exact
            listing = answer.answer
            failure = yield from self._generate(
                answer.standalone_question or answer.question,
                answer,
                model,
                t0,
                cancel,
                prefix=listing + "\n\n",
                keep_sources=True,
            )
            if failure is not None:
                answer.answer, answer.mode, answer.model = listing, "extractive", None
                answer.warnings.append(f"{failure} The list above is complete without it.")
        yield Done(self._finish(answer, t0))

    def _generate(
        self,
        question: str,
        answer: Answer,
        model: str,
        t0: float,
        cancel: threading.Event | None,
        prefix: str = "",
        keep_sources: bool = False,
    ) -> Generator[Event, None, LLMError | None]:
        """Stream an LLM answer into ``answer``; returns the error that stopped it, if any.

        ``prefix`` is text already shown that the answer continues; with ``keep_sources``
        sources left out of the prompt stay listed (a catalogue cites them all).
        """
        llm = self.llm(model)
        num_ctx = self.context_window(llm, model)
        messages, kept = build_messages(
            self.settings, question, answer.sources, answer.warnings, num_ctx
        )
        if answer.sources and not kept:  # a model with no source could only answer ungrounded
            return LLMError(
                f"No source fits the model's context window (num_ctx={num_ctx}); raise "
                "ASSISTANT_NUM_CTX or lower ASSISTANT_ANSWER_TOKENS."
            )
        if not keep_sources:
            answer.sources = kept
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
            answer.answer, answer.complete = prefix + partial, False
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
        answer.answer = prefix + "".join(parts)
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
        return partial_answer(question, sources, standalone, shown, mode, model, CANCELLED)

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

    def condense(
        self,
        question: str,
        history: Sequence[Turn],
        model: str | None,
        cancel: threading.Event | None = None,
    ) -> str:
        """A follow-up as a standalone question: as it is when it stands alone, else the
        model's rewrite when that keeps the follow-up's words, else a rule."""
        recent = list(history)[-4:]
        previous = [turn.question for turn in recent]
        if is_self_contained(question):
            return question
        if model is not None:
            lines = []
            for turn in recent:
                lines.append(f"Researcher: {turn.question}")
                lines.append(f"Assistant: {truncate_tokens(turn.answer, 300)}")
            prompt = prompts.render("condense", history="\n".join(lines), question=question)
            try:
                text = self.llm(model).chat(
                    [{"role": "user", "content": prompt}],
                    num_ctx=self.settings.num_ctx,
                    cancel=cancel,
                )
                rewrite = clean_rewrite(text)
                if accept_rewrite(question, rewrite):
                    return rewrite
            except LLMError:
                pass
        return rule_condense(question, previous)
