"""llama-index components over this project's index and engine (``pip install -e ".[llama-index]"``
for llama-index's Ollama LLM; llama-index-core alone is enough for the rest).

    from assistant.integrations.llama_index import ResearchQueryEngine, ResearchRetriever

Importing this module imports llama-index-core (~2 s); the CLI and the TUI never do.
"""

from __future__ import annotations

from assistant.integrations.li_filters import UnsupportedFilter, to_filters
from assistant.integrations.li_llm import LlamaIndexChatModel, ModelTimeout, ModelUnreachable
from assistant.integrations.li_nodes import hit_node, node_source, source_node
from assistant.integrations.li_query_engine import ResearchQueryEngine, to_response
from assistant.integrations.li_retriever import ResearchRetriever

__all__ = [
    "LlamaIndexChatModel",
    "ModelTimeout",
    "ModelUnreachable",
    "ResearchQueryEngine",
    "ResearchRetriever",
    "UnsupportedFilter",
    "hit_node",
    "node_source",
    "source_node",
    "to_filters",
    "to_response",
]
