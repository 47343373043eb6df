"""Issue 24 defects 7 and 8: an answer cut off by quitting says so on resume; /search finds
conversations by their answers and cited papers."""

from __future__ import annotations

from assistant.answering.answer import INTERRUPTED, Answer, Source
from assistant.conversations import Conversation, Exchange, list_conversations, save
from assistant.tui.widgets.exchange import ExchangeView
from tests.tui.conftest import flat, ready, screen_text, wait_for
from tests.tui.scripted_engine import PacedEngine, scripted_app

KROGH = Source(
    n=1,
    record_id="r1",
    title="Recovery colleges in Denmark",
    authors=("Krogh, Anne",),
    year=2021,
    venue="Psychiatric Services",
    doi="10.1/krogh",
    path="x.txt",
    text="text",
    score=0.5,
)


def saved(settings) -> Conversation:
    cut = Answer(
        "What helps?",
        "Hope helps [1] and",
        "llm",
        "m",
        [KROGH],
        citations=[1],
        warnings=[INTERRUPTED],
        complete=False,
    )
    conv = Conversation(exchanges=[Exchange("What helps?", cut, cancelled=True)])
    save(conv, settings.chats_dir)
    return conv


async def test_an_answer_cut_off_by_quitting_says_so_on_resume(ollama, settings):
    conv = saved(settings)
    app = scripted_app(PacedEngine())
    app.conversation, _ = app._resumed(conv.id)
    app.chat.conversation = app.conversation
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.chat.query(ExchangeView), "the exchange")
        await pilot.pause()
        text = flat(screen_text(app))
        assert flat(INTERRUPTED) in text and "interrupted" in text
        assert "cancelled" not in text


def test_search_finds_answers_and_cited_papers(settings):
    conv = saved(settings)
    for needle in ("hope helps", "krogh", "recovery colleges", "psychiatric services"):
        assert [c.id for c in list_conversations(settings.chats_dir, needle)] == [conv.id]
    assert list_conversations(settings.chats_dir, "nowhere") == []
