"""The project's engine as a llama-index query engine: cited answers, sources as nodes.

Unlike ``RetrieverQueryEngine`` over :class:`ResearchRetriever`, this runs the whole engine:
hybrid retrieval, the context budget, citation checking (a citation to a source that does
not exist is removed and warned about) and the extractive answer when no model can answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.response.schema import RESPONSE_TYPE, Response, StreamingResponse
from llama_index.core.callbacks import CallbackManager
from llama_index.core.llms import LLM
from llama_index.core.prompts.mixin import PromptMixinType
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores.types import MetadataFilters

from assistant.answering.answer import Answer
from assistant.answering.engine import Engine
from assistant.answering.events import AskOptions, Done, Event, Retrieved, Token
from assistant.config import Settings, load_settings
from assistant.integrations.li_filters import to_filters
from assistant.integrations.li_llm import LlamaIndexChatModel
from assistant.integrations.li_nodes import source_node

if TYPE_CHECKING:
    from assistant.runtime import Runtime

ANSWER_MODES = ("auto", "llm", "extractive")


class ResearchQueryEngine(BaseQueryEngine):
    """Answers with numbered citations; ``source_nodes[i]`` is the source cited as ``[i+1]``.

    ``response.metadata`` holds ``mode`` (``llm`` or ``extractive``), ``model``,
    ``citations``, ``warnings``, ``error``, ``complete``, ``standalone_question`` and
    ``answer`` (the project's JSON answer object, as ``assistant ask --json`` prints it).

    Args:
        runtime: the runtime whose index to answer from; default: one built from
            ``settings``.
        settings: used when no runtime is given; default: :func:`load_settings`.
        llm: a llama-index LLM to write the answers; default: the configured Ollama model
            through the project's own client.
        similarity_top_k: sources per answer; default: the ``top_k`` setting.
        filters: llama-index metadata filters on ``year``, ``author``, ``record_id``.
        mode: ``auto`` (the LLM, falling back to an extractive answer), ``llm`` (no
            fallback: a model failure is the answer's ``error``) or ``extractive``.
        streaming: return a ``StreamingResponse`` whose text arrives as the model writes.
    """

    def __init__(
        self,
        runtime: Runtime | None = None,
        *,
        settings: Settings | None = None,
        llm: LLM | None = None,
        similarity_top_k: int | None = None,
        filters: MetadataFilters | None = None,
        mode: str = "auto",
        streaming: bool = False,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        if mode not in ANSWER_MODES:
            raise ValueError(f"mode must be one of {', '.join(ANSWER_MODES)}, not {mode!r}")
        if runtime is None:
            from assistant.runtime import Runtime

            runtime = Runtime(settings or load_settings())
        self.runtime = runtime
        self.options = AskOptions(
            k=similarity_top_k or runtime.settings.top_k, filters=to_filters(filters), mode=mode
        )
        if llm is None:
            self.engine = runtime.engine()
        else:
            model = LlamaIndexChatModel(llm, runtime.settings)
            self.options.model = model.model_name  # what the answer says wrote it
            self.engine = Engine(
                runtime.settings, runtime.retriever, lambda: runtime.embedder, lambda _: model
            )
        self.streaming = streaming
        super().__init__(callback_manager)

    def _get_prompt_modules(self) -> PromptMixinType:
        return {}  # the prompts are the project's templates in prompts/, not llama-index's

    def _query(self, query_bundle: QueryBundle) -> RESPONSE_TYPE:
        if self.streaming:
            return self._stream(query_bundle.query_str)
        return to_response(self.engine.ask(query_bundle.query_str, options=self.options))

    async def _aquery(self, query_bundle: QueryBundle) -> RESPONSE_TYPE:
        # The engine is synchronous; a thread keeps the event loop free while it answers.
        return await asyncio.to_thread(self._query, query_bundle)

    def _stream(self, question: str) -> StreamingResponse:
        events = self.engine.stream(question, options=self.options)
        sources: list[NodeWithScore] = []
        for event in events:  # the sources are known before the first token
            if isinstance(event, Retrieved):
                sources = [source_node(s) for s in event.sources]
                break
            if isinstance(event, Done):  # nothing more will come
                final = to_response(event.answer)
                return StreamingResponse(
                    _once(final.response or ""), final.source_nodes, final.metadata
                )
        streaming = StreamingResponse(_once(""), sources, {})
        streaming.response_gen = _tokens(events, streaming)
        return streaming


def _once(text: str) -> Generator[str, None, None]:
    yield text


def _tokens(events: Iterator[Event], streaming: StreamingResponse) -> Generator[str, None, None]:
    """The answer's checked text as it comes; at the end the sources and metadata are final
    (the context budget may have left a source out, and only then are citations known)."""
    for event in events:
        if isinstance(event, Token):
            yield event.text
        elif isinstance(event, Done):
            final = to_response(event.answer)
            streaming.source_nodes[:] = final.source_nodes
            streaming.metadata = final.metadata


def to_response(answer: Answer) -> Response:
    """A llama-index ``Response`` for one of our answers (sources in citation-number order)."""
    cited = set(answer.citations)
    nodes: list[NodeWithScore] = [
        source_node(s, cited=s.n in cited) for s in sorted(answer.sources, key=lambda s: s.n)
    ]
    metadata: dict[str, Any] = {
        "mode": answer.mode,
        "model": answer.model,
        "citations": list(answer.citations),
        "warnings": list(answer.warnings),
        "error": answer.error,
        "complete": answer.complete,
        "standalone_question": answer.standalone_question,
        "answer": answer.to_json(),
    }
    return Response(response=answer.answer, source_nodes=nodes, metadata=metadata)
