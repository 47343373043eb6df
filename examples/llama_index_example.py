"""Use the research index and engine from llama-index (run from a checkout).

    pip install -e ".[llama-index]"
    python examples/llama_index_example.py "What do service users value in peer support?"
    python examples/llama_index_example.py --no-llm --year-from 2018

The index is the one ``assistant ingest`` built (the bundled seeds are ingested on first use
if it is empty); nothing is re-ingested. Without a running Ollama the answer is extractive,
with the same numbered citations, and a warning says why.
"""

from __future__ import annotations

import argparse
import sys

from llama_index.core.vector_stores.types import FilterOperator, MetadataFilter, MetadataFilters

from assistant.config import load_settings
from assistant.errors import AssistantError
from assistant.exits import exit_code
from assistant.integrations.llama_index import (
    ResearchQueryEngine,
    ResearchRetriever,
    node_source,
)
from assistant.references import full_ref
from assistant.runtime import Runtime

DEFAULT_QUESTION = "What do service users value in peer support?"


def make_llm(settings, no_llm: bool):
    """llama-index's Ollama LLM when installed; ``None`` lets the engine use its own client."""
    if no_llm:
        return None
    try:
        from llama_index.llms.ollama import Ollama
    except ImportError:
        return None
    # context_window bounds what Ollama allocates; the engine budgets the prompt to fit it.
    return Ollama(
        model=settings.model,
        base_url=settings.ollama_host,
        context_window=settings.num_ctx,
        request_timeout=settings.first_token_timeout,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question", nargs="?", default=DEFAULT_QUESTION)
    parser.add_argument("--no-llm", action="store_true", help="extractive answer only")
    parser.add_argument("--year-from", type=int, help="only papers from this year on")
    args = parser.parse_args()

    settings = load_settings()
    filters = None
    if args.year_from:
        filters = MetadataFilters(
            filters=[MetadataFilter(key="year", value=args.year_from, operator=FilterOperator.GTE)]
        )
    runtime = Runtime(settings)
    try:
        print("Retriever (one node per paper):")
        retriever = ResearchRetriever(runtime, filters=filters, similarity_top_k=3)
        for i, hit in enumerate(retriever.retrieve(args.question), start=1):
            print(f"  {hit.score:.3f}  {full_ref(node_source(hit, i))}")

        engine = ResearchQueryEngine(
            runtime,
            llm=make_llm(settings, args.no_llm),
            filters=filters,
            mode="extractive" if args.no_llm else "auto",
        )
        response = engine.query(args.question)
        print(f"\nAnswer ({response.metadata['mode']}):\n{response}\n\nSources:")
        for node in response.source_nodes:
            print(f"  {full_ref(node_source(node))}")  # metadata["n"] is its number
        for warning in response.metadata["warnings"]:
            print(f"warning: {warning}", file=sys.stderr)
    except AssistantError as err:  # one sentence, never a traceback
        print(f"error: {err}", file=sys.stderr)
        return exit_code(err)
    finally:
        runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
