"""The project's index as a llama-index retriever: hybrid search, one node per paper."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.callbacks import CallbackManager
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores.types import MetadataFilters

from assistant.config import Settings, load_settings
from assistant.integrations.li_filters import to_filters
from assistant.integrations.li_nodes import hit_node

if TYPE_CHECKING:
    from assistant.runtime import Runtime

MODES = ("hybrid", "dense", "lexical")


class ResearchRetriever(BaseRetriever):
    """Retrieves from an already ingested index; never ingests (except the bundled seeds
    into an empty index, as the CLI does on first use).

    Args:
        runtime: the runtime whose index to search; default: one built from ``settings``.
        settings: used when no runtime is given; default: :func:`load_settings` (the
            environment and ``config.toml``, as the CLI reads them).
        similarity_top_k: how many papers to return (each node is a different record);
            default: the ``top_k`` setting.
        filters: llama-index metadata filters on ``year``, ``author`` and ``record_id``
            (see :mod:`assistant.integrations.li_filters`); others raise ``UnsupportedFilter``.
        mode: ``hybrid`` (dense + BM25, the default), ``dense`` or ``lexical``.
        relevant_only: drop passages below the ``min_relevance`` setting, as the engine
            does before answering (so a question the corpus does not cover gets no nodes).
    """

    def __init__(
        self,
        runtime: Runtime | None = None,
        *,
        settings: Settings | None = None,
        similarity_top_k: int | None = None,
        filters: MetadataFilters | None = None,
        mode: str = "hybrid",
        relevant_only: bool = True,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if runtime is None:
            from assistant.runtime import Runtime

            runtime = Runtime(settings or load_settings())
        self.runtime = runtime
        self.similarity_top_k = similarity_top_k or runtime.settings.top_k
        if self.similarity_top_k < 1:
            raise ValueError("similarity_top_k must be at least 1")
        self.filters = to_filters(filters)  # refused now, not at the first query
        self.mode = mode
        self.relevant_only = relevant_only
        super().__init__(callback_manager=callback_manager)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = self.runtime.retriever().search(
            query_bundle.query_str, self.similarity_top_k, self.filters, self.mode
        )
        hits = (
            result.relevant(self.runtime.settings.min_relevance)
            if self.relevant_only and self.mode != "lexical"
            else result.hits
        )
        return [hit_node(h) for h in hits]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        # The index reader is synchronous; a thread keeps the event loop free meanwhile.
        return await asyncio.to_thread(self._retrieve, query_bundle)
