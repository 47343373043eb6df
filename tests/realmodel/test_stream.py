"""The engine's stream with a real model: tokens as they come, a cancel that stops the model,
a follow-up rewritten through the condense prompt. Driven through the runtime (the
composition root the CLI and the chat use)."""

from __future__ import annotations

import re
import threading
import time

import pytest

from assistant.answering.events import Discarded, Done, Retrieved, Token, Turn
from assistant.config import load_settings
from assistant.runtime import Runtime
from tests.conftest import unmarked
from tests.realmodel.server import MODEL_NAME

QUESTION = "What are the benefits of combining online and offline peer support groups?"


@pytest.fixture
def runtime(realmodel, seeded_home):
    rt = Runtime(load_settings())
    yield rt
    rt.close()


def bare(text: str) -> str:
    """Text without its citation markers, spaces normalised."""
    return " ".join(re.sub(r"\s*\[\d+\]", "", text).split())


def wait_until(condition, seconds: float = 30.0) -> bool:
    """Poll ``condition`` until true (a bound, not a measure)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_tokens_stream_while_the_model_writes(runtime, realmodel):
    events = runtime.engine().stream(QUESTION)
    tokens: list[str] = []
    written_at_first_token = None
    done = None
    shown_after: list[str] = []  # tokens after the model's text was set aside, if it was
    for event in events:
        if isinstance(event, Token):
            if not tokens:
                written_at_first_token = len(realmodel.answers[-1].output)
            tokens.append(event.text)
            shown_after.append(event.text)
        elif isinstance(event, Discarded):
            shown_after = []
        elif isinstance(event, Done):
            done = event.answer
    assert done is not None
    log = realmodel.answers[-1]
    assert len(tokens) > 3  # streamed in pieces, not delivered whole
    assert written_at_first_token is not None and written_at_first_token < len(log.output)
    if done.mode == "llm":  # what was shown is what the answer says, but for its marks
        assert done.model == MODEL_NAME  # (and the citations the sentence check added)
        assert bare("".join(shown_after)) == bare(unmarked(done.answer))
    else:  # a 135M model's text was not an answer: set aside, the quoted answer shown
        assert done.attempt and "".join(shown_after).strip() == done.answer.strip()


def test_cancel_mid_answer_stops_the_model_and_keeps_the_partial_answer(runtime, realmodel):
    cancel = threading.Event()
    shown: list[str] = []
    done = None
    for event in runtime.engine().stream(QUESTION, cancel=cancel):
        if isinstance(event, Token):
            shown.append(event.text)
            if len(shown) == 3:
                cancel.set()
        elif isinstance(event, Done):
            done = event.answer
    assert done is not None and not done.complete
    assert any("Cancelled" in w for w in done.warnings)
    assert done.answer.strip() and done.answer.strip() in "".join(shown) + done.answer
    log = realmodel.answers[-1]
    # the server saw the client go and stopped generating well before the cap
    assert wait_until(lambda: log.finished), "the model kept generating after the cancel"
    assert log.cancelled and log.eval_count < 64


PREVIOUS = (
    "Combining online and offline peer support groups gave members both anonymity and "
    "face-to-face contact [1]."
)


def test_a_follow_up_is_rewritten_by_the_model_and_searched(runtime, realmodel):
    engine = runtime.engine()
    history = [Turn(QUESTION, PREVIOUS)]
    retrieved = None
    done = None
    for event in engine.stream("What challenges did they report?", history):
        if isinstance(event, Retrieved):
            retrieved = event
        elif isinstance(event, Done):
            done = event.answer
    assert done is not None and retrieved is not None
    condense, answer = realmodel.answers  # the rewrite, then the answer
    assert "Follow-up: What challenges did they report?" in condense.prompt
    assert QUESTION in condense.prompt
    standalone = done.standalone_question or ""
    # whether the model's rewrite was accepted or the rule took over, the question searched
    # stands alone: it names what "they" were, from the conversation
    assert standalone != "What challenges did they report?"
    assert "peer support" in standalone.lower() or "online" in standalone.lower()
    assert retrieved.standalone_question == standalone
    assert standalone in answer.prompt or "What challenges did they report?" in answer.prompt
