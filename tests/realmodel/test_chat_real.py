"""The chat, through Pilot, answering with the real model."""

from __future__ import annotations

from assistant.config import load_settings
from assistant.tui.app import make_app
from assistant.tui.widgets.exchange import ExchangeView
from tests.realmodel.server import MODEL_NAME
from tests.tui.conftest import ready, screen_text, shown, submit, wait_for

ANSWER_WAIT = 240.0  # seconds: a bound for a real model on a busy machine, not a measure

QUESTION = (
    "What do visitors of community meeting-places for people with mental health problems "
    "experience?"
)


async def test_chat_streams_a_real_answer_and_escape_cancels_the_next(realmodel, seeded_home):
    app = make_app(load_settings())
    app.ollama_poll_seconds = 1.0
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: f"model {MODEL_NAME}" in screen_text(app), "status bar")
        chat = app.chat
        await submit(pilot, QUESTION)
        await wait_for(
            pilot,
            lambda: chat.conversation.exchanges and chat.job is None and shown(chat),
            "the answer",
            timeout=ANSWER_WAIT,
        )
        await pilot.pause()
        answer = chat.conversation.exchanges[-1].answer
        # the model's answer, or (a 135M model's answer set aside) the quoted one instead
        assert answer.sources and (answer.mode == "llm" or answer.attempt is not None)
        assert answer.mode == "extractive" or answer.model == MODEL_NAME
        view = app.chat.query(ExchangeView).last()
        assert answer.answer.strip()[:20] in view.markdown.source
        assert len(realmodel.answers) == 1

        # a second question, cancelled with Escape once the model has started writing
        await submit(pilot, "How do managers involve peer workers in Norwegian services?")
        await wait_for(
            pilot,
            lambda: len(realmodel.answers) == 2 and realmodel.answers[-1].output.strip(),
            "the model writing",
            timeout=ANSWER_WAIT,
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: chat.job is None, "the cancel", timeout=30)
        await wait_for(pilot, lambda: realmodel.answers[-1].finished, "the model to stop")
        last = chat.conversation.exchanges[-1]
        assert last.cancelled or not last.answer.complete
        assert realmodel.answers[-1].cancelled
