"""The engine's rules on an in-memory index (fast tier: no Chroma, no MiniLM).

The LLM path still goes through the real Ollama client to the fake server on loopback.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answering.answer import Answer
from assistant.answering.engine import Engine
from assistant.answering.events import AskOptions, Done, Retrieved, Token
from assistant.config import Settings
from assistant.llm import OllamaLLM
from tests.fakes.memory_index import Paper, memory_engine

PAPERS = [
    Paper(
        "Peer support groups in mental health",
        ["Strand, Monica", "Gammon, Deede"],
        2018,
        "Peer support groups help members share hope and experience.\n\n"
        "Members valued mutual help and a sense of belonging in the groups.",
        venue="Journal of Peer Work",
        doi="10.1000/peer.1",
    ),
    Paper(
        "Recovery-oriented professionals",
        ["Borg, Marit"],
        2009,
        "Service users valued professionals who conveyed hope and shared power.",
    ),
    Paper(
        "Housing first outcomes",
        ["Tsemberis, Sam"],
        2010,
        "Housing first programmes reduced homelessness among people with mental illness.",
    ),
]
QUESTION = "What do members of peer support groups value?"


@pytest.fixture
def settings(tmp_path: Path, ollama) -> Settings:
    return Settings(home=tmp_path, ollama_host=ollama.url, min_relevance=0.05)


@pytest.fixture
def engine(settings: Settings) -> Engine:
    clients: dict[str, OllamaLLM] = {}

    def llm(model: str) -> OllamaLLM:
        return clients.setdefault(model, OllamaLLM(settings, model))

    made = memory_engine(settings, PAPERS, llm)
    yield made
    for client in clients.values():
        client.close()


def test_streamed_text_is_citation_checked_and_equals_the_final_answer(engine, ollama):
    ollama.enqueue("Members value hope [1] and belonging [99], and mutual help [1].")
    events = list(engine.stream(QUESTION))
    streamed = "".join(e.text for e in events if isinstance(e, Token))
    answer = events[-1].answer
    assert isinstance(events[-1], Done)
    assert "[99]" not in streamed  # never shown, not even for a moment
    assert streamed.strip() == answer.answer
    assert answer.citations == [1]
    assert any("[99]" in w for w in answer.warnings)


def test_sources_sent_to_the_ui_are_never_changed_afterwards(settings, ollama):
    long_text = " ".join(["Peer support members value hope and belonging."] * 200)
    papers = [Paper("Peer support", ["Strand, Monica"], 2018, long_text)]
    small = replace(settings, num_ctx=900, answer_tokens=200)
    with OllamaLLM(small) as client:
        engine = memory_engine(small, papers, lambda model: client)
        ollama.enqueue("Members of peer support value hope and belonging [1].")
        events = list(engine.stream(QUESTION))
    shown = next(e for e in events if isinstance(e, Retrieved)).sources[0]
    final = events[-1].answer.sources[0]
    assert shown.text == long_text  # what the UI was given stays as it was
    assert final.text.endswith(" …") and len(final.text) < len(long_text)  # trimmed copy
    assert any("shortened to fit" in w for w in events[-1].answer.warnings)


def test_a_huge_question_still_leaves_room_for_a_source(settings, ollama):
    small = replace(settings, num_ctx=1024, answer_tokens=256)
    question = "What do members of peer support groups value? " * 3_000  # ~100 KB
    with OllamaLLM(small) as client:
        engine = memory_engine(small, PAPERS, lambda model: client)
        ollama.enqueue("Hope [1].")
        answer = engine.ask(question)
    prompt = ollama.last_chat["messages"][-1]["content"]
    assert '<source n="1">' in prompt  # at least one source fits
    assert any("question was shortened" in w for w in answer.warnings)
    assert answer.citations == [1]


def test_a_runaway_answer_is_cut_at_the_answer_budget_and_says_so(settings, ollama):
    capped = replace(settings, answer_tokens=64)
    with OllamaLLM(capped) as client:
        engine = memory_engine(capped, PAPERS, lambda model: client)
        # a long answer, not a loop (a loop is stopped sooner: see test_answer_checks)
        ollama.enqueue("Hope [1]. " + " ".join(f"point{i}" for i in range(500)))
        answer = engine.ask(QUESTION)
    assert ollama.last_chat["options"]["num_predict"] == 64
    assert not answer.complete
    assert any("length limit of 64 tokens" in w for w in answer.warnings)


def test_cancel_mid_answer_gives_the_engines_partial_answer(engine, ollama):
    ollama.delay_between_tokens = 0.05
    ollama.enqueue("Members value hope [1] " + "and belonging " * 100)
    cancel = threading.Event()
    seen: list[str] = []
    done = None
    for event in engine.stream(QUESTION, cancel=cancel):
        if isinstance(event, Token):
            seen.append(event.text)
            if len(seen) == 6:
                cancel.set()
        if isinstance(event, Done):
            done = event.answer
    assert done is not None and not done.complete
    assert done.answer.startswith("Members value hope [1]")
    assert done.citations == [1]
    assert "Cancelled before the answer was finished." in done.warnings


def test_partial_answer_for_a_ui_that_stopped_waiting(engine):
    sources = [s for e in engine.stream(QUESTION, options=None) for s in getattr(e, "sources", [])]
    partial = Answer.cancelled(QUESTION, sources, QUESTION, "Hope [1] and [2", "m")
    assert partial.citations == [1] and not partial.complete
    assert partial.mode == "llm" and partial.model == "m"


def test_off_topic_question_gets_no_sources_and_no_model_call(engine, ollama):
    answer = engine.ask("zebra quantum velocity of glaciers")
    assert answer.sources == [] and answer.citations == []
    assert ollama.chat_requests == []


def test_a_made_up_reference_list_and_links_never_reach_the_answer(engine, ollama):
    ollama.enqueue(
        "Members value hope [1](http://example.invalid/x).\n\n"
        "Sources:\n[1] Fake Author (1999). A made-up paper. doi 10.9999/fake"
    )
    events = list(engine.stream(QUESTION))
    streamed = "".join(e.text for e in events if isinstance(e, Token))
    answer = events[-1].answer
    for text in (streamed, answer.answer):
        assert "Fake Author" not in text and "10.9999" not in text and "http" not in text
    assert answer.citations == [1]


def test_et_al_names_the_first_author(settings):
    from assistant.answering.events import AskOptions

    papers = [
        Paper("Canopy cooling in cities", ["Lindqvist, Anna", "Okonkwo, Bola"], 2019,
              "Tree canopy lowered surface temperatures in dense districts."),
        Paper("Bark beetles after drought", ["Kowalewski, Celina", "Lindqvist, Anna"], 2019,
              "Bark beetle outbreaks spread after dry summers in spruce stands."),
    ]  # fmt: skip
    engine = memory_engine(settings, papers)
    extractive = AskOptions(mode="extractive")
    answer = engine.ask("What did Lindqvist et al. find?", options=extractive)
    assert [s.title for s in answer.sources] == ["Canopy cooling in cities"]
    listing = engine.ask("Which papers did Lindqvist write?", options=extractive)
    assert len(listing.sources) == 2  # without "et al." any authorship counts


def test_a_catalogue_lists_every_match_not_the_top_k(settings):
    from assistant.answering.events import AskOptions

    surnames = ["Strand", "Berry", "Okafor", "Lindqvist", "Moreau", "Tanaka"]
    papers = [
        Paper(f"Study {i} of peer support in setting {i % 17}", [f"{surnames[i % 6]}, Ana"],
              2000 + i % 12, f"Peer support study number {i} reports outcome {i % 7}.",
              record_id=f"r{i:03d}")
        for i in range(240)
    ]  # fmt: skip
    engine = memory_engine(settings, papers)
    answer = engine.ask(
        "Which papers were published in 2005?", options=AskOptions(k=5, mode="extractive")
    )
    expected = sum(p.year == 2005 for p in papers)
    assert expected == 20 and len(answer.sources) == expected  # every one, far past k
    assert answer.answer.startswith(f"{expected} papers in the index match")
    assert all(f"[{n}]" in answer.answer for n in range(1, expected + 1))
    by_author = engine.ask("papers by Okafor", options=AskOptions(k=5, mode="extractive"))
    assert len(by_author.sources) == 40


def test_no_source_fitting_the_window_means_no_ungrounded_model_answer(settings, ollama):
    tiny = replace(settings, num_ctx=512, answer_tokens=400)
    with OllamaLLM(tiny) as client:
        engine = memory_engine(tiny, PAPERS, lambda model: client)
        answer = engine.ask(QUESTION)
    assert ollama.chat_requests == []  # the model was never asked without sources
    assert answer.mode == "extractive" and answer.citations
    assert any("No source fits the model's context window" in w for w in answer.warnings)


def test_a_catalogue_with_no_constraint_lists_the_whole_bibliography(settings):
    from assistant.answering.events import AskOptions

    engine = memory_engine(settings, PAPERS)
    answer = engine.ask(
        "How many papers does the index hold?", options=AskOptions(mode="extractive")
    )
    assert answer.interpreted == {"kind": "catalogue"}
    assert len(answer.sources) == len(PAPERS)
    assert answer.answer.startswith(f"{len(PAPERS)} papers in the index match")


def test_two_answers_on_one_client_each_report_their_own_ending(settings, ollama):
    """How a model call ended belongs to that call: an answer cut at its length limit
    stays marked incomplete while another answer on the same client finishes meanwhile."""
    short = "Members value hope [1]."
    # 64 tokens (the least answer_tokens allowed) end inside an open citation, which the
    # engine holds back until the stream has ended and then shows: a pause after the end.
    cut = "Hope [1]. " + " ".join(f"w{i}" for i in range(61)) + " [1, 2] and belonging."

    def reply(body):
        asked = body["messages"][-1]["content"]  # (the sources' parts may say "belonging")
        return short if "Question: Do members value belonging?" in asked else cut

    ollama.reply_with(reply)
    capped = replace(settings, answer_tokens=64)
    client = OllamaLLM(capped, "llama3.2")
    engine = memory_engine(capped, PAPERS, lambda model: client)
    first = engine.stream(QUESTION, options=AskOptions(k=2, mode="llm"))
    while not ((event := next(first)) and isinstance(event, Token) and "[" in event.text):
        pass  # up to the held-back end of the cut answer, not past it
    second = engine.ask("Do members value belonging?", options=AskOptions(k=2, mode="llm"))
    done = [e for e in first if isinstance(e, Done)][0].answer
    assert second.complete and not any("length limit" in w for w in second.warnings)
    assert not done.complete
    assert any("length limit of 64 tokens" in w for w in done.warnings)


def test_the_engine_lists_its_papers_for_the_papers_view(engine):
    papers = engine.papers()
    assert len(papers) == engine.index_size()[0] == len(PAPERS)
    assert {p.title for p in papers} == {p.title for p in PAPERS}
    assert all(p.record_id and hasattr(p, "doi") and hasattr(p, "path") for p in papers)
