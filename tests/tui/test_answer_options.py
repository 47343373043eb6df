"""Issue 24 defect 11 and the answer controls: each exchange keeps the options it was asked
with, a regenerate reuses them (or says it cannot), and /system, /temperature, /length and
/style reach the engine and are saved with the conversation."""

from __future__ import annotations

import json

from assistant.config import load_settings
from assistant.conversations import Conversation, load
from assistant.tui.app import make_app
from assistant.tui.options import ChatOptions
from tests.tui.conftest import ready, submit, wait_for
from tests.tui.scripted_engine import PacedEngine


class RecordingEngine(PacedEngine):
    """Remembers the options each question was asked with."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[object] = []

    def stream(self, question, history=(), options=None, cancel=None):
        self.options.append(options)
        yield from super().stream(question, history, options, cancel)


def app_over(engine, resume=None):
    app = make_app(load_settings(), engine=engine, resume=resume)  # type: ignore[arg-type]
    app.show_timings = False
    app.ollama_poll_seconds = 60.0
    return app


async def asked(pilot, text: str) -> None:
    chat = pilot.app.chat
    before = len(pilot.app.chat.conversation.exchanges)
    await submit(pilot, text)
    await wait_for(
        pilot,
        lambda: len(chat.conversation.exchanges) > before and chat.job is None,
        f"the answer to {text!r}",
    )


async def command(pilot, text: str) -> None:
    await submit(pilot, text)
    await pilot.pause()


def notes(app) -> str:
    return "\n".join(str(n.render()) for n in app.chat.query(".note"))


async def test_regenerate_reuses_the_answers_own_options(ollama):
    engine = RecordingEngine()
    app = app_over(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await command(pilot, "/k 3")
        await command(pilot, "/year 2018")
        await command(pilot, "/length short")
        await asked(pilot, "What helps?")
        await command(pilot, "/k 7")
        await command(pilot, "/year")
        await command(pilot, "/length long")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: len(engine.options) == 2 and app.chat.job is None, "again")
        again = engine.options[-1]
        assert again.k == 3 and again.filters.year_min == 2018 and again.length == "short"
        assert "with the options it was asked with" in notes(app)
        # The current options, for the next questions, are untouched.
        assert app.chat.options.k == 7 and app.chat.options.length == "long"
        saved = load(app.settings.chats_dir, app.chat.conversation.id)
        assert saved.exchanges[-1].options["k"] == 3


async def test_an_exchange_saved_without_options_regenerates_with_the_current_ones(ollama):
    settings = load_settings()
    conv = Conversation()
    path = settings.chats_dir / f"{conv.id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    old = conv.to_json()
    old["exchanges"] = [  # as files written before exchanges kept their options
        {
            "question": "What helps?",
            "asked_at": "",
            "cancelled": False,
            "answer": {"question": "What helps?", "answer": "Hope [1].", "mode": "llm"},
        }
    ]
    path.write_text(json.dumps(old), encoding="utf-8")
    assert load(settings.chats_dir, conv.id).exchanges[0].options == {}
    engine = RecordingEngine()
    app = app_over(engine, resume=conv.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: not app.chat.undrawn, "the resumed conversation")
        await command(pilot, "/k 4")
        await command(pilot, "/regenerate")
        await wait_for(pilot, lambda: engine.options and app.chat.job is None, "the answer")
        assert engine.options[-1].k == 4
        assert "saved without its options: regenerating it with the current ones" in notes(app)


async def test_answer_controls_reach_the_engine_and_are_saved(ollama):
    engine = RecordingEngine()
    app = app_over(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await command(pilot, "/system Answer as a methods reviewer.")
        await command(pilot, "/temperature 0.7")
        await command(pilot, "/length long")
        await command(pilot, "/style 3 bullet points")
        await command(pilot, "/temperature 5")
        await command(pilot, "/length huge")
        text = notes(app)
        assert "Usage: /temperature X" in text and "Usage: /length" in text
        await asked(pilot, "What helps?")
        sent = engine.options[-1]
        assert sent.system == "Answer as a methods reviewer."
        assert sent.temperature == 0.7 and sent.length == "long"
        assert sent.style == "3 bullet points"
        await command(pilot, "/filters")
        assert "system prompt: Answer as a methods reviewer." in notes(app)
        conv_id = app.chat.conversation.id
    saved = load(load_settings().chats_dir, conv_id)
    back = ChatOptions.restore(saved.options, "m", 5)
    assert (back.system, back.temperature, back.length, back.style) == (
        "Answer as a methods reviewer.",
        0.7,
        "long",
        "3 bullet points",
    )
    # Resumed: the controls come back for the next questions.
    app = app_over(RecordingEngine(), resume=conv_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.chat.options.temperature == 0.7
        assert "t=0.7" in app.chat.options.describe()


def test_damaged_saved_controls_fall_back_to_defaults():
    back = ChatOptions.restore(
        {"temperature": 1e400, "length": "huge", "system": 5, "style": "  "}, "m", 5
    )
    assert (back.temperature, back.length, back.system, back.style) == (None, None, None, None)
    assert ChatOptions.restore({"temperature": True}, "m", 5).temperature is None
