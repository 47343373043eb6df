"""A model's answer is checked before it is shown as one (issue 22): a degenerate answer
falls back to the extractive one with the model's text set aside, and every sentence is
checked against what it cites: unsupported ones marked, an uncited one that one source
clearly supports gets its citation, a number no source has is flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.events import AskOptions, Discarded, Done, Token
from assistant.config import Settings
from assistant.llm import OllamaLLM
from tests.assistant.test_engine_logic import PAPERS, QUESTION
from tests.fakes.memory_index import memory_engine


@pytest.fixture
def engine(tmp_path: Path, ollama):
    settings = Settings(home=tmp_path, ollama_host=ollama.url, min_relevance=0.05)
    with OllamaLLM(settings) as client:
        yield memory_engine(settings, PAPERS, lambda model: client)


def events_of(engine, mode: str = "auto") -> list:
    return list(engine.stream(QUESTION, options=AskOptions(k=3, mode=mode)))


def test_a_loop_is_stopped_early_and_answered_extractively(engine, ollama):
    ollama.enqueue("YOU- " * 700)  # one piece per word, as a model streams
    events = events_of(engine)
    answer = events[-1].answer
    discarded = [e for e in events if isinstance(e, Discarded)]
    assert discarded and "repeat" in discarded[0].reason
    assert answer.mode == "extractive" and answer.citations  # the quoted sentences
    assert any("not usable" in w and "extractive answer instead" in w for w in answer.warnings)
    assert answer.attempt and answer.attempt.startswith("YOU-")
    assert answer.attempt.count("YOU") < 700 / 4  # stopped, not read to the end
    assert answer.to_json()["attempt"] == answer.attempt


@pytest.mark.parametrize(
    "reply",
    [
        "1. [1] 2. [2] 3. [3]",  # markers, no content
        "The weather in Paris was sunny that spring.",  # cites nothing, no source says it
    ],
)
def test_an_answer_that_says_nothing_cited_is_not_shown_as_one(engine, ollama, reply):
    ollama.enqueue(reply)
    answer = events_of(engine)[-1].answer
    assert answer.mode == "extractive" and answer.attempt is not None
    assert any("not usable" in w for w in answer.warnings)


def test_with_require_llm_a_degenerate_answer_is_an_error(engine, ollama):
    ollama.enqueue("1. [1] 2. [2] 3. [3]")
    done = events_of(engine, "llm")[-1]
    assert isinstance(done, Done) and done.answer.error and "not usable" in done.answer.error
    assert done.answer.answer == ""


def test_each_sentence_is_checked_against_what_it_cites(engine, ollama):
    ollama.enqueue(
        "Members valued mutual help and a sense of belonging in the groups [1]. "
        "Housing first programmes reduced homelessness [1]. "
        "Peer support groups help members share hope and experience."
    )
    events = events_of(engine)
    answer = events[-1].answer
    streamed = "".join(e.text for e in events if isinstance(e, Token))
    by_text = {s["text"].split(" [")[0].rstrip("."): s for s in answer.support}
    assert by_text["Members valued mutual help and a sense of belonging in the groups"]["supported"]
    wrong = by_text["Housing first programmes reduced homelessness"]
    assert not wrong["supported"] and wrong["cited"] == [1]
    assert "homelessness [1] [unsupported]." in answer.answer  # marked where it is read
    assert "[unsupported]" not in streamed
    assert any("not supported by the sources" in w for w in answer.warnings)
    # uncited, and exactly one source says it: the citation is added
    strand = next(s.n for s in answer.sources if s.authors == ("Strand, Monica", "Gammon, Deede"))
    assert f"share hope and experience [{strand}]." in answer.answer
    assert strand in answer.citations
    assert answer.to_json()["support"] == answer.support


def test_a_number_no_source_has_is_flagged(engine, ollama):
    ollama.enqueue("Members valued mutual help in 87% of the groups [1].")
    answer = events_of(engine)[-1].answer
    (check,) = answer.support
    assert "87" in check["unknown"] and not check["supported"]
    assert "[unsupported]" in answer.answer
    assert any("87" in w for w in answer.warnings)


def test_a_conversations_own_answer_controls_reach_the_model(engine, ollama):
    """``/system``, ``/temperature``, ``/length`` and ``/style`` in the chat: the rules stay
    first, the researcher's instructions follow them, the temperature is this answer's."""
    ollama.enqueue("Members valued mutual help and a sense of belonging in the groups [1].")
    opts = AskOptions(
        k=3, system="Write for a lay audience.", temperature=0.7, length="short", style="bullets"
    )
    answer = engine.ask(QUESTION, options=opts)
    assert answer.mode == "llm"
    body = ollama.last_chat
    system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
    assert system.index("Rules:") < system.index("Write for a lay audience.")
    assert "about three sentences" in user and "Format the answer as: bullets" in user
    assert body["options"]["temperature"] == 0.7
    ollama.enqueue("Members valued mutual help and a sense of belonging in the groups [1].")
    engine.ask(QUESTION, options=AskOptions(k=3))
    plain = ollama.last_chat
    assert plain["options"]["temperature"] != 0.7
    assert "Write for a lay audience." not in plain["messages"][0]["content"]
