"""Issue 12 item 8: labels of failed/cancelled answers, footer at 80 columns, first build."""

from __future__ import annotations

from assistant.answering.answer import CANCELLED, Answer
from assistant.tui.widgets.exchange import answer_notes, answer_summary
from tests.tui.conftest import screen_text, submit, wait_for
from tests.tui.scripted_engine import PacedEngine, scripted_app


def test_failed_or_cancelled_answers_are_not_called_extractive():
    cancelled = Answer("q", "", "extractive", None, [], warnings=[CANCELLED], complete=False)
    assert answer_summary(cancelled, True) == "cancelled"
    assert answer_notes(cancelled, True) == []
    failed = Answer(
        "q",
        "",
        "extractive",
        None,
        [],
        warnings=["Extractive answer: the model failed."],
        error="Ollama stopped.",
        complete=False,
    )
    assert answer_summary(failed, False) == "failed"
    assert answer_notes(failed, False) == ["✗ Ollama stopped."]
    partial = Answer("q", "Some text [1].", "llm", "m", [], warnings=[CANCELLED], complete=False)
    assert answer_summary(partial, True) == "cancelled · llm · m"


async def test_footer_keeps_help_at_80_columns(ollama):
    app = scripted_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # the footer is drawn after the first refresh, later on a loaded machine: wait for it
        await wait_for(pilot, lambda: "Help" in screen_text(app).splitlines()[-1], "the footer")
        footer = screen_text(app).splitlines()[-1]
        assert "f1" in footer.lower() and "Help" in footer


async def test_a_question_during_the_first_index_build_says_so(ollama):
    engine = PacedEngine()
    engine.loaded.clear()  # the index is still being built
    app = scripted_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await submit(pilot, "What do peers give?")
        await wait_for(pilot, lambda: "Still loading the index" in screen_text(app), "a word")
        engine.loaded.set()
        await wait_for(pilot, lambda: app.chat.conversation.exchanges, "the answer")
