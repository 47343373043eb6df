"""The index and the engine as llama-index components, driven through llama-index's classes.

The LLM side is llama-index's own ``Ollama`` class talking to the loopback fake server, so
these tests exercise the real wire format, not a stand-in for it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)
from llama_index.llms.ollama import Ollama

from assistant.config import load_settings
from assistant.errors import LLMTimeout
from assistant.integrations.llama_index import (
    LlamaIndexChatModel,
    ResearchQueryEngine,
    ResearchRetriever,
    UnsupportedFilter,
    node_source,
    to_filters,
)
from assistant.runtime import Runtime
from index import Filters
from tests.conftest import REPO, unmarked
from tests.fakes.ollama_server import unused_loopback_url
from vocab.textfold import fold

QUESTION = "What do service users value in peer support?"
BIBLIOGRAPHIC = ("record_id", "title", "authors", "year", "venue", "doi", "path", "page")


def where(*filters: MetadataFilter | MetadataFilters, condition: str = "and") -> MetadataFilters:
    return MetadataFilters(filters=list(filters), condition=FilterCondition(condition))


def year(op: FilterOperator, value: int | str) -> MetadataFilter:
    return MetadataFilter(key="year", value=value, operator=op)


# -- filters (no index needed) --------------------------------------------------------------
@pytest.mark.parametrize(
    ("op", "lo", "hi"),
    [
        (FilterOperator.EQ, 2018, 2018),
        (FilterOperator.GT, 2019, None),
        (FilterOperator.GTE, 2018, None),
        (FilterOperator.LT, None, 2017),
        (FilterOperator.LTE, None, 2018),
    ],
)
def test_year_operators_become_a_year_range(op, lo, hi):
    got = to_filters(where(year(op, 2018)))
    assert (got.year_min, got.year_max, got.author) == (lo, hi, None)


def test_filters_combine_with_and_even_when_nested():
    got = to_filters(
        where(
            year(FilterOperator.GTE, "2015"),
            where(year(FilterOperator.LT, 2021), year(FilterOperator.GT, 2016)),
            MetadataFilter(key="authors", value=" Åkerblom ", operator=FilterOperator.CONTAINS),
        )
    )
    assert (got.year_min, got.year_max, got.author) == (2017, 2020, "Åkerblom")


@pytest.mark.parametrize(
    "op", [FilterOperator.EQ, FilterOperator.CONTAINS, FilterOperator.TEXT_MATCH]
)
def test_author_operators_match_a_name(op):
    assert to_filters(where(MetadataFilter(key="author", value="Strand", operator=op))).author == (
        "Strand"
    )


def test_collection_filter_reads_as_the_cli_collection():
    got = to_filters(
        where(
            MetadataFilter(key="collection", value=" Thesis/Methods "),
            MetadataFilter(
                key="collections", value="thesis/methods", operator=FilterOperator.CONTAINS
            ),
        )
    )
    assert got.collection == "Thesis/Methods" and got == Filters.parse(collection="Thesis/Methods")


def test_record_ids_filter():
    got = to_filters(
        where(MetadataFilter(key="record_id", value=["a", "b"], operator=FilterOperator.IN))
    )
    assert got.record_ids == frozenset({"a", "b"})


@pytest.mark.parametrize(
    ("filters", "says"),
    [
        (where(MetadataFilter(key="venue", value="BMJ")), "'venue'"),
        (where(year(FilterOperator.NE, 2018)), "NE"),
        (where(MetadataFilter(key="author", value="X", operator=FilterOperator.IN)), "IN"),
        (where(year(FilterOperator.GT, 2018), year(FilterOperator.LT, 2010), condition="or"), "OR"),
        (where(year(FilterOperator.EQ, 2018), condition="not"), "NOT"),
        (where(year(FilterOperator.EQ, "recent")), "whole year"),
        (where(year(FilterOperator.GT, 2020), year(FilterOperator.LT, 2019)), "every year"),
        (
            where(MetadataFilter(key="author", value="A"), MetadataFilter(key="author", value="B")),
            "one author",
        ),
        (
            where(
                MetadataFilter(key="collection", value="A"),
                MetadataFilter(key="collection", value="B"),
            ),
            "one collection",
        ),
        (where(MetadataFilter(key="collection", value="", operator=FilterOperator.EQ)), "as text"),
        (where(MetadataFilter(key="collection", value="A", operator=FilterOperator.IN)), "IN"),
    ],
)
def test_filters_the_index_cannot_apply_are_refused(filters, says):
    with pytest.raises(UnsupportedFilter, match=says) as err:
        to_filters(filters)
    assert isinstance(err.value, ValueError)  # what llama-index code expects of bad input
    assert "\n" not in str(err.value)


# -- the retriever ----------------------------------------------------------------------------
@pytest.fixture
def runtime(seeded_home, settings):
    rt = Runtime(settings)
    yield rt
    rt.close()


def records_by_id(runtime: Runtime) -> dict:
    return {r.record_id: r for r in runtime.retriever().reader.records()}


def test_retriever_nodes_carry_the_passage_and_the_bibliography(runtime):
    nodes = ResearchRetriever(runtime, similarity_top_k=4).retrieve(QUESTION)
    assert len(nodes) == 4
    assert len({n.node.metadata["record_id"] for n in nodes}) == 4  # one node per paper
    assert [n.score for n in nodes] == sorted((n.score for n in nodes), reverse=True)
    records = records_by_id(runtime)
    reader = runtime.retriever().reader
    for n in nodes:
        meta = n.node.metadata
        assert set(BIBLIOGRAPHIC) <= set(meta)
        record = records[meta["record_id"]]
        assert meta["title"] == record.title and meta["authors"] == list(record.authors)
        assert (meta["year"], meta["venue"], meta["doi"], meta["path"]) == (
            record.year,
            record.venue,
            record.doi,
            record.path,
        )
        # The node text is the stored passage (the first of its chunks opens it).
        first = reader.chunk(meta["chunk_ids"][0])
        assert first is not None and n.node.get_content().startswith(first.text[:80])
        back = node_source(n, 1)  # and it converts back for the project's references
        assert (back.record_id, back.title, back.doi, back.text) == (
            meta["record_id"],
            record.title,
            record.doi,
            n.node.get_content(),
        )


def test_retriever_filters_by_year_and_author(runtime):
    records = [r for r in records_by_id(runtime).values() if r.year and r.authors]
    target = records[0]
    surname = target.authors[0].split(",")[0].split()[-1]
    by_year = ResearchRetriever(
        runtime, filters=where(year(FilterOperator.GTE, target.year)), relevant_only=False
    ).retrieve(QUESTION)
    assert by_year and all(n.node.metadata["year"] >= target.year for n in by_year)
    by_author = ResearchRetriever(
        runtime,
        filters=where(MetadataFilter(key="author", value=surname.upper())),
        relevant_only=False,
    ).retrieve("peer support")
    assert by_author
    assert all(fold(surname) in fold(" ".join(n.node.metadata["authors"])) for n in by_author)


def test_unsupported_filter_is_refused_before_any_search(runtime):
    with pytest.raises(UnsupportedFilter, match="'language'"):
        ResearchRetriever(runtime, filters=where(MetadataFilter(key="language", value="en")))


def test_retriever_query_engine_with_llama_index_ollama(runtime, ollama):
    """llama-index's own pipeline over our retriever: our passages reach its prompt."""
    ollama.enqueue("Service users value hope [1].")
    llm = Ollama(model="llama3.2", base_url=ollama.url, request_timeout=30.0)
    engine = RetrieverQueryEngine.from_args(ResearchRetriever(runtime, similarity_top_k=3), llm=llm)
    response = engine.query(QUESTION)
    assert str(response) == "Service users value hope [1]."
    assert len(response.source_nodes) == 3
    prompt = json.dumps(ollama.last_chat["messages"], ensure_ascii=False)
    for n in response.source_nodes:
        meta = n.node.metadata
        assert meta["title"] is None or meta["title"] in prompt  # bibliography shown to the LLM
        assert meta["record_id"] not in prompt  # ids and paths are not
        assert n.node.get_content()[:60] in prompt


async def test_retriever_async(runtime):
    nodes = await ResearchRetriever(runtime, similarity_top_k=2).aretrieve(QUESTION)
    assert len(nodes) == 2


# -- the query engine ---------------------------------------------------------------------------
def li_ollama(url: str, **kw) -> Ollama:
    return Ollama(model="llama3.2", base_url=url, request_timeout=30.0, **kw)


def test_query_engine_checks_citations_and_orders_sources(runtime, ollama):
    ollama.enqueue("Hope matters [2]. Power is shared [1]. Made up [99].")
    engine = ResearchQueryEngine(runtime, llm=li_ollama(ollama.url))
    response = engine.query(QUESTION)
    assert unmarked(str(response)) == "Hope matters [2]. Power is shared [1]. Made up."
    meta = response.metadata
    assert meta["mode"] == "llm" and meta["model"] == "llama3.2" and meta["citations"] == [2, 1]
    assert any("[99]" in w for w in meta["warnings"])
    assert [n.node.metadata["n"] for n in response.source_nodes] == list(
        range(1, len(response.source_nodes) + 1)
    )
    assert [n.node.metadata["cited"] for n in response.source_nodes[:3]] == [True, True, False]
    records = records_by_id(runtime)
    contract = meta["answer"]["sources"]
    for node, source in zip(response.source_nodes, contract, strict=True):
        m = node.node.metadata
        assert m["title"] == records[m["record_id"]].title == source["title"]
        assert m["authors"] == source["authors"] and m["doi"] == source["doi"]
        # the engine fenced each numbered source into the prompt the LLM received
        assert f'<source n="{m["n"]}">' in ollama.last_chat["messages"][-1]["content"]


def test_query_engine_budgets_for_the_llm_context_window(runtime, ollama):
    """The window comes from llama-index's metadata (here /api/show); sources that do not
    fit are cut or dropped, with a warning, before the LLM sees them."""
    ollama.context_length = 1400
    engine = ResearchQueryEngine(runtime, llm=li_ollama(ollama.url), similarity_top_k=5)
    response = engine.query(QUESTION)
    meta = response.metadata
    assert meta["mode"] == "llm"
    assert any("num_ctx=1400" in w for w in meta["warnings"])
    assert ollama.last_chat["options"]["num_ctx"] == 1400
    shown = ollama.last_chat["messages"][-1]["content"]
    kept = [n.node.metadata["n"] for n in response.source_nodes]
    assert 1 <= len(kept) < 5  # only what was shown to the model is listed as a source
    assert all(f'<source n="{n}">' in shown for n in kept)
    assert f'<source n="{len(kept) + 1}">' not in shown


def test_unreachable_llm_falls_back_to_an_extractive_cited_answer(runtime):
    engine = ResearchQueryEngine(runtime, llm=li_ollama(unused_loopback_url(), context_window=8192))
    response = engine.query(QUESTION)
    meta = response.metadata
    assert meta["mode"] == "extractive" and meta["model"] is None
    numbers = [n.node.metadata["n"] for n in response.source_nodes]
    assert meta["citations"] and set(meta["citations"]) <= set(numbers)
    assert "not reachable" in meta["warnings"][-1] and "extractive answer" in meta["warnings"][-1]


def test_missing_model_falls_back_and_says_so(runtime, ollama):
    ollama.models = ["qwen2.5:7b"]
    response = ResearchQueryEngine(runtime, llm=li_ollama(ollama.url)).query(QUESTION)
    assert response.metadata["mode"] == "extractive"
    assert "ollama pull llama3.2" in response.metadata["warnings"][-1]


def test_stream_cut_keeps_the_partial_answer_marked_incomplete(runtime, ollama):
    ollama.enqueue("Peer workers bring hope and lived experience to services [1] and more")
    ollama.cut_after_chunks = 6
    response = ResearchQueryEngine(runtime, llm=li_ollama(ollama.url, context_window=8192)).query(
        QUESTION
    )
    meta = response.metadata
    assert meta["mode"] == "llm" and meta["complete"] is False
    assert str(response).startswith("Peer workers bring")
    assert any("incomplete" in w for w in meta["warnings"])


def test_require_llm_mode_reports_the_failure_as_the_error(runtime):
    engine = ResearchQueryEngine(
        runtime, llm=li_ollama(unused_loopback_url(), context_window=8192), mode="llm"
    )
    meta = engine.query(QUESTION).metadata
    assert meta["error"] and "not reachable" in meta["error"]


def test_without_an_llm_the_engine_uses_its_own_ollama_client(seeded_home, ollama):
    ollama.enqueue("Peer support offers hope [1].")
    rt = Runtime(load_settings())
    try:
        response = ResearchQueryEngine(rt, filters=where(year(FilterOperator.GTE, 2000))).query(
            QUESTION
        )
    finally:
        rt.close()
    assert response.metadata["citations"] == [1] and response.metadata["mode"] == "llm"
    assert all((n.node.metadata["year"] or 0) >= 2000 for n in response.source_nodes)


def test_streaming_response_yields_the_checked_text(runtime, ollama):
    ollama.enqueue("Hope matters [1]. Invented [42]. Shared power [2].")
    engine = ResearchQueryEngine(runtime, llm=li_ollama(ollama.url), streaming=True)
    response = engine.query(QUESTION)
    assert response.source_nodes  # known before the first token
    pieces = list(response.response_gen)
    assert len(pieces) > 3
    assert "".join(pieces) == unmarked(response.metadata["answer"]["answer"])
    assert "[42]" not in "".join(pieces) and response.metadata["citations"] == [1, 2]


async def test_query_engine_async(runtime, ollama):
    ollama.enqueue("Peer support offers hope and shared experience [1].")
    response = await ResearchQueryEngine(runtime, llm=li_ollama(ollama.url)).aquery(QUESTION)
    assert response.metadata["citations"] == [1]


# -- the LLM adapter ---------------------------------------------------------------------------
MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi?"}]


def test_adapter_streams_and_reports_the_window_and_stats(ollama):
    ollama.enqueue("One two three.")
    model = LlamaIndexChatModel(li_ollama(ollama.url))
    assert model.context_length() == ollama.context_length
    stream = model.stream_chat(MESSAGES)
    assert list(stream) == ["One ", "two ", "three."]
    assert stream.reply is not None and stream.reply.done_reason == "stop"
    assert ollama.last_chat["messages"] == MESSAGES


def test_adapter_cancel_stops_a_silent_model(ollama):
    ollama.slow_first_token = 60.0  # the model "loads"; only cancel can end this early
    model = LlamaIndexChatModel(li_ollama(ollama.url, context_window=4096), load_settings())
    cancel = threading.Event()
    got: list[str] = []
    worker = threading.Thread(target=lambda: got.extend(model.stream_chat(MESSAGES, cancel=cancel)))
    worker.start()
    cancel.set()
    worker.join(timeout=20)  # a bound for a hung test, not a measurement
    assert not worker.is_alive() and got == []


def test_adapter_enforces_the_first_token_limit(ollama):
    ollama.slow_first_token = 60.0
    settings = load_settings(first_token_timeout=0.2)
    model = LlamaIndexChatModel(li_ollama(ollama.url, context_window=4096), settings)
    with pytest.raises(LLMTimeout, match="first token"):
        list(model.stream_chat(MESSAGES))


# -- start-up stays free of llama-index ----------------------------------------------------------
def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


LOADED = "print(sorted({m.split('.')[0] for m in sys.modules} & {'llama_index'}))"


def run_example(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # the checkout's packages, not an install's
    return subprocess.run(
        [sys.executable, str(REPO / "examples" / "llama_index_example.py"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_example_answers_with_the_llama_index_ollama_llm(seeded_home, ollama):
    ollama.enqueue("Peer support offers hope [1].")
    done = run_example("What do service users value in peer support?")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Answer (llm):\nPeer support offers hope [1]" in done.stdout
    assert "\n  [1] " in done.stdout.split("Sources:")[1]
    assert ollama.chat_requests  # the answer came through llama-index's Ollama class


def test_example_without_ollama_gives_an_extractive_cited_answer(seeded_home):
    done = run_example("peer workers", "--year-from", "2018")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Answer (extractive):" in done.stdout and "[1]" in done.stdout
    assert "not reachable" in done.stderr and "Traceback" not in done.stderr


def test_cli_help_does_not_import_llama_index():
    code = (
        "import sys, contextlib, io\n"
        "from assistant.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['ask', '--help'])\n" + LOADED
    )
    assert run_python(code) == "[]"


def test_chat_first_screen_does_not_import_llama_index(seeded_home):
    code = (
        "import asyncio, sys\n"
        "from assistant.config import load_settings\n"
        "from assistant.tui.app import make_app\n"
        "async def main():\n"
        "    app = make_app(load_settings())\n"
        "    async with app.run_test() as pilot:\n"
        "        for _ in range(500):\n"  # until the index is loaded and Ollama looked at
        "            if app.index_text and app.ollama.online is not None:\n"
        "                break\n"
        "            await pilot.pause(0.02)\n"
        "        assert app.index_text, 'the index never loaded'\n"
        "asyncio.run(main())\n" + LOADED
    )
    assert run_python(code) == "[]"
