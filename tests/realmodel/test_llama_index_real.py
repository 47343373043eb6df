"""The llama-index query engine with llama-index's own Ollama LLM talking to the real model."""

from __future__ import annotations

import pytest
from llama_index.llms.ollama import Ollama

from assistant.config import load_settings
from assistant.integrations.llama_index import ResearchQueryEngine, ResearchRetriever
from assistant.runtime import Runtime
from tests.realmodel.server import MODEL_NAME

QUESTION = "How do managers involve peer workers in Norwegian services?"


@pytest.fixture
def runtime(realmodel, seeded_home):
    rt = Runtime(load_settings())
    yield rt
    rt.close()


def real_llm(url: str, window: int = 2048) -> Ollama:
    return Ollama(
        model=MODEL_NAME,
        base_url=url,
        request_timeout=120.0,
        context_window=window,
        temperature=0.0,
        additional_kwargs={"num_predict": 48, "seed": 1},
    )


def test_query_engine_answers_through_llama_index_ollama(runtime, realmodel):
    engine = ResearchQueryEngine(runtime, llm=real_llm(realmodel.url), similarity_top_k=3)
    response = engine.query(QUESTION)
    meta = response.metadata
    assert meta["error"] is None
    # the model's answer, or (a 135M model's text that was not one) the quoted answer
    assert (meta["mode"] == "llm" and meta["model"] == MODEL_NAME) or meta["answer"]["attempt"]
    assert str(response).strip()
    numbers = [n.node.metadata["n"] for n in response.source_nodes]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers
    assert set(meta["citations"]) <= set(numbers)
    [chat] = realmodel.requests_to("/api/chat")
    assert chat["options"]["num_ctx"] == 2048 and chat["options"]["num_predict"] == 48
    [log] = realmodel.answers
    assert all(f'<source n="{n}">' in log.prompt for n in numbers)
    assert not log.truncated


def test_streaming_query_engine_yields_the_checked_text(runtime, realmodel):
    engine = ResearchQueryEngine(runtime, llm=real_llm(realmodel.url), streaming=True)
    response = engine.query(QUESTION)
    pieces = list(response.response_gen)
    assert len(pieces) > 3 and "".join(pieces).strip()
    assert realmodel.answers[-1].output.strip()


def test_llama_index_own_synthesis_over_our_retriever(runtime, realmodel):
    from llama_index.core.query_engine import RetrieverQueryEngine

    retriever = ResearchRetriever(runtime, similarity_top_k=2)
    plain = RetrieverQueryEngine.from_args(retriever, llm=real_llm(realmodel.url))
    response = plain.query(QUESTION)
    assert str(response).strip() and len(response.source_nodes) == 2
    assert realmodel.requests_to("/api/chat")
