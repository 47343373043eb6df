"""The engine: a question in, a stream of events out, ending in one :class:`Answer`.

UI-free by design: the CLI, the chat and batch all consume :meth:`Engine.stream`, so what a
question does is decided here once. It never prints and never imports a UI. The stream is
authoritative: :class:`Token` text is already citation-checked (a citation the final answer
will not keep is never streamed), :class:`Done` carries the answer to show as is, and a
failure is a :class:`Done` too (its answer's ``error``; the exception in ``failure``), never
an exception escaping the stream.

The walk is five steps, each returning a value: condense (a follow-up as a standalone
question) → plan (read against the bibliography) → retrieve (sources) → compose (the model,
:mod:`assistant.answering.compose`) or extract (quoted sentences) → finish (the frozen
:class:`Answer`, built once, here). The engine's parts (a source of retrievers over the
current index, an embedder, a source of chat models) come from :mod:`assistant.runtime`,
typed against :mod:`assistant.answering.protocols`, so tests hand it an in-memory index.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import replace
from typing import Any

import prompts
from assistant.answering.answer import CANCELLED, Answer, Mode, Source
from assistant.answering.asked import Stated, related_reading, state_asked
from assistant.answering.citations import check_citations
from assistant.answering.compose import Composed, compose
from assistant.answering.condense import condense
from assistant.answering.events import AskOptions, Done, Event, Retrieved, Status, Token, Turn
from assistant.answering.paperparts import parts_by_id
from assistant.answering.protocols import ChatModel, Searcher, TextEmbedder
from assistant.answering.question.bibliography import Bibliography
from assistant.answering.question.catalogue import bibliographic_answer, catalogue_answer
from assistant.answering.question.planner import (
    Plan,
    bibliography_of,
    labels_for,
    plan,
    sources_for,
)
from assistant.answering.retrieval import Hit, whole_record
from assistant.answering.walk import Asked, Outcome, finish
from assistant.config import Settings
from assistant.errors import AssistantError, LLMError
from index import Filters
from vocab.parts import Parts

log = logging.getLogger(__name__)
NO_SENTENCE = "The papers found have no sentence that answers this directly."


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
        """The retriever over the index's current generation (never ingests)."""
        self.embedder = embedder
        self.llm = llm
        self._ctx_cache: dict[str, int | None] = {}
        self._bib: tuple[Any, Bibliography] | None = None
        self._lock = threading.Lock()

    def index_size(self) -> tuple[int, int]:
        """(records, chunks) in the index's current generation."""
        reader = self.retriever().reader
        return reader.record_count, len(reader)

    def papers(self) -> list[Any]:
        """Every paper in the index (its first chunk's metadata: record id, title, authors,
        year, venue, DOI, path), in index order: the chat's papers view."""
        return [meta for _, _, meta in self.retriever().reader.catalog.rows(None)]

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
        """Events for one question: Status..., Retrieved, Token..., then exactly one Done
        (also when it failed: the Done's answer says why, its ``failure`` is the error)."""
        opts = options or AskOptions(k=self.settings.top_k)
        t0 = time.perf_counter()
        try:
            yield from self._walk(question, history, opts, cancel, t0)
        except AssistantError as err:
            yield Done(Answer.failed(question, str(err), id=opts.id), failure=err)
        except Exception as err:  # noqa: BLE001 - a bug of ours: reported, not raised
            log.error("answering failed", exc_info=err)
            detail = f"Internal error while answering ({type(err).__name__}: {err})."
            yield Done(Answer.failed(question, detail, id=opts.id), failure=err)

    def _walk(
        self,
        question: str,
        history: Sequence[Turn],
        opts: AskOptions,
        cancel: threading.Event | None,
        t0: float,
    ) -> Iterator[Event]:
        model = opts.model or self.settings.model
        use_llm = opts.mode != Mode.EXTRACTIVE
        standalone = question
        if history:
            yield Status("Rewriting the follow-up as a standalone question…")
            chat = self.llm(model) if use_llm else None
            standalone = condense(self.settings, question, history, chat, cancel)
        asked = Asked(question, standalone, opts, model, t0, cancel)
        if asked.cancelled:
            yield Done(finish(asked, None, Outcome("", warnings=[CANCELLED], complete=False)))
            return
        yield Status("Searching the corpus…")
        t_ret = time.perf_counter()
        retriever = self.retriever()
        the_plan = self._plan(retriever, asked)
        asked = replace(asked, facets=the_plan.interpretation.asks.facets)
        retrieve_ms = {"retrieve_ms": (time.perf_counter() - t_ret) * 1000}
        if the_plan.missing is not None or the_plan.reply is not None:
            outcome = yield from self._from_bibliography(the_plan, retriever, asked)
        else:
            sources = self._retrieve(retriever, asked, the_plan)
            retrieve_ms["retrieve_ms"] = (time.perf_counter() - t_ret) * 1000
            yield Retrieved(list(sources), standalone)
            if not sources and not the_plan.unreported:
                scope = f" (filters: {the_plan.filters.describe()})" if the_plan.filters else ""
                text = prompts.render("no_answer", question=standalone) + scope
                outcome = Outcome(text, warnings=["No source was relevant enough to answer from."])
            else:
                # The asked fact from the papers' parts, or "not reported": the answer without
                # a model, and what stands in for a model that fails.
                parts = parts_by_id(retriever.reader, [s.record_id for s in sources])
                said = state_asked(the_plan, standalone, sources, parts)
                if said is not None and (said.unreported or asked.opts.mode == Mode.EXTRACTIVE):
                    yield Token(said.text)
                    outcome = said.outcome()
                else:
                    outcome = yield from self._answer_from(sources, asked, said, parts)
        outcome = replace(outcome, timings={**retrieve_ms, **outcome.timings})
        yield Done(finish(asked, the_plan, outcome))

    # -- plan and retrieve ---------------------------------------------------------------
    def _bibliography(self, retriever: Searcher) -> Bibliography:
        """The bibliography of the retriever's index generation (built once per generation)."""
        reader = retriever.reader
        key = (getattr(reader, "identity", ""), reader.generation)
        with self._lock:
            if self._bib is None or self._bib[0] != key:
                self._bib = (key, bibliography_of(reader))
            return self._bib[1]

    def _queries(self, asked: Asked) -> list[str]:
        """What to search: the standalone question, and a rewritten follow-up's own words
        too (a rewrite can drift)."""
        if asked.standalone == asked.question:
            return [asked.standalone]
        return [asked.standalone, asked.question]

    def _plan(self, retriever: Searcher, asked: Asked) -> Plan:
        queries = self._queries(asked)

        def best_records(filters: Filters, topic: str) -> list[str]:
            # The topic alone as well: a field request's frame dilutes a short topic.
            searched = list(dict.fromkeys([topic, *queries]))
            return [h.record_id for h in self._search(retriever, searched, 3, filters)]

        return plan(
            asked.standalone,
            self._bibliography(retriever),
            asked.opts.filters,
            best_records,
            lambda ids: parts_by_id(retriever.reader, ids),
        )

    def _search(
        self,
        retriever: Searcher,
        queries: list[str],
        k: int,
        filters: Filters,
        named: bool = False,
    ) -> list[Hit]:
        """The relevant hits for the queries, best first, one per record."""
        best: dict[str, Hit] = {}
        # Papers the question names are relevant by being named: no relevance gate for them.
        for query in queries:
            result = retriever.search(query, k, filters)
            hits = result.hits if named else result.relevant(self.settings.min_relevance)
            hits = hits or ([] if named else result.distinctive(query))
            for hit in hits:
                if hit.record_id not in best or hit.score > best[hit.record_id].score:
                    best[hit.record_id] = hit
        return sorted(best.values(), key=lambda h: -h.score)[:k]

    def _retrieve(self, retriever: Searcher, asked: Asked, the_plan: Plan) -> list[Source]:
        """The numbered sources to answer from (empty: nothing relevant)."""
        k = asked.opts.k
        hits = self._search(retriever, self._queries(asked), k, the_plan.filters, the_plan.named)
        sources = [Source.from_hit(i + 1, h) for i, h in enumerate(hits)]
        if the_plan.named and the_plan.interpretation.kind == "paper":
            # A question about a named paper is answered from the whole paper, not a passage.
            language = the_plan.interpretation.language
            sources = [whole_record(s, retriever.reader, language) for s in sources]
        if not sources and the_plan.named and the_plan.filters.record_ids:  # no word in common
            wanted = sorted(the_plan.filters.record_ids)[:k]
            entries = self._bibliography(retriever).by_ids(wanted)
            opening = sources_for(entries, retriever.reader)
            sources = [replace(s, n=i) for i, s in enumerate(opening, 1)]
        return sources

    # -- answer: from the bibliography, by the model, or quoted ---------------------------
    def _from_bibliography(
        self, the_plan: Plan, retriever: Searcher, asked: Asked
    ) -> Generator[Event, None, Outcome]:
        """A catalogue or bibliographic question, or a name the index lacks, answered from
        the bibliography: exact, cited, and the same with or without a model."""
        if the_plan.missing is not None:
            yield Retrieved([], asked.standalone)
            yield Token(the_plan.missing)
            return Outcome(
                the_plan.missing,
                warnings=["The question names something the index does not hold."],
            )
        assert the_plan.reply is not None
        sources = sources_for(the_plan.reply.entries, retriever.reader)
        reply = the_plan.reply
        labels = labels_for(sources)
        if labels and not reply.final:  # untitled records are named by their opening words
            interp = the_plan.interpretation
            reply = (
                catalogue_answer(interp, list(reply.matched or reply.entries), labels)
                if interp.kind == "catalogue"
                else bibliographic_answer(
                    interp.field or "", reply.entries, interp.language, labels
                )
            )
        yield Retrieved(list(sources), asked.standalone)
        yield Token(reply.text)
        listing = Outcome(
            reply.text, sources, check_citations(reply.text, {s.n for s in sources}).cited
        )
        summarise = (
            the_plan.interpretation.kind == "catalogue"
            and asked.opts.mode != Mode.EXTRACTIVE
            and len(sources) > 1
        )
        if not summarise:
            return listing
        # The model may summarise the list; the list itself stays exact.
        composed = yield from self._compose(asked, sources, prefix=reply.text + "\n\n", keep=True)
        if composed.failure is not None:
            note = f"{composed.failure} The list above is complete without it."
            return replace(listing, warnings=[*composed.warnings, note], attempt=composed.attempt)
        return self._from_model(composed, asked)

    def _answer_from(
        self, sources: list[Source], asked: Asked, said: Stated | None, parts: dict[str, Parts]
    ) -> Generator[Event, None, Outcome]:
        """The model's answer from ``sources`` (``parts``: theirs), else (no model, or it
        failed before writing anything) the extractive one: ``said``, the asked fact from
        the parts, if there is one."""
        if asked.opts.mode == Mode.EXTRACTIVE:
            why = ["Extractive answer: no language model was used."]
            return (yield from self._extract(sources, asked, why))
        composed = yield from self._compose(asked, sources, parts=parts)
        if composed.failure is None:
            return self._from_model(composed, asked)
        timings = {"generate_ms": composed.generate_ms} if composed.generate_ms else {}
        if asked.opts.mode == Mode.LLM:  # --require-llm: no fallback, the error is the answer
            return Outcome(
                "",
                sources,
                warnings=composed.warnings,
                error=str(composed.failure),
                timings=timings,
            )
        why = [*composed.warnings, f"{composed.failure} This is an extractive answer instead."]
        if said is not None and not asked.cancelled:
            yield Token(said.text)
            return replace(said.outcome(why), timings=timings, attempt=composed.attempt)
        # quoted from what the model was shown, when it got as far as being shown anything
        outcome = yield from self._extract(composed.sources or sources, asked, why)
        timings = {**timings, **outcome.timings}
        return replace(outcome, timings=timings, attempt=composed.attempt)

    def _compose(
        self,
        asked: Asked,
        sources: list[Source],
        prefix: str = "",
        keep: bool = False,
        parts: dict[str, Parts] | None = None,
    ) -> Generator[Event, None, Composed]:
        llm = self.llm(asked.model)
        num_ctx = self.context_window(llm, asked.model)
        if parts is None:  # not read already by the caller
            parts = parts_by_id(self.retriever().reader, [s.record_id for s in sources])
        return (
            yield from compose(
                self.settings,
                llm,
                asked.model,
                num_ctx,
                asked.standalone,
                sources,
                asked.t0,
                asked.cancel,
                prefix=prefix,
                keep_sources=keep,
                embedder=self.embedder(),
                opts=asked.opts,
                parts=parts,
                facets=asked.facets,
            )
        )

    def _from_model(self, composed: Composed, asked: Asked) -> Outcome:
        return Outcome(
            composed.text,
            composed.sources,
            composed.citations,
            Mode.LLM,
            asked.model,
            composed.warnings,
            composed.error,
            composed.complete,
            {"to_llm_ms": composed.to_llm_ms, "generate_ms": composed.generate_ms},
            support=composed.support,
        )

    def _extract(
        self, sources: list[Source], asked: Asked, warnings: list[str]
    ) -> Generator[Event, None, Outcome]:
        """The most relevant sentences of the sources, quoted with their citations."""
        if asked.cancelled:
            return Outcome("", sources, warnings=[*warnings, CANCELLED], complete=False)
        from assistant.answering.extractive import extractive_answer

        yield Status("Picking the most relevant sentences…")
        text, cited = extractive_answer(asked.standalone, sources, self.embedder())
        if not text:  # nothing to cite: the papers found are related reading, not sources
            text = NO_SENTENCE + related_reading(sources)
            yield Token(text)
            return Outcome(text, warnings=warnings, related=list(sources))
        yield Token(text)
        return Outcome(text, sources, cited, warnings=warnings)

    # -- finish ---------------------------------------------------------------------------
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
