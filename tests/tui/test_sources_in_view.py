"""Issue 12 items 4-5: the source dialog at 80x24; sources follow the answer in view."""

from __future__ import annotations

from textual.widgets import Markdown

from assistant.answering.answer import Answer, Source
from assistant.conversations import Conversation, Exchange, save
from assistant.tui.chat_screen import ChatScreen
from assistant.tui.source_modal import SourceModal
from assistant.tui.widgets.exchange import ExchangeView
from tests.tui.conftest import flat, ready, screen_text, submit, wait_for
from tests.tui.scripted_engine import SOURCES, PacedEngine, scripted_app


def source(n: int, tag: str) -> Source:
    return Source(
        n=n,
        record_id=f"rec-{tag}-{n}",
        title=f"Title {tag} {n}",
        authors=(f"Author{tag}",),
        year=2020,
        venue=None,
        doi=None,
        path=f"seeds/{tag}.txt",
        text=f"Passage {tag} {n}. " * 5,
        score=0.5,
    )


def two_answers() -> Conversation:
    long_text = "\n\n".join(f"Line {i} of the first answer [2]." for i in range(40))
    first = Answer("First?", long_text, "llm", "m", [source(1, "A"), source(2, "A")], [2])
    second = Answer(
        "Second?", "Second answer [2].", "llm", "m", [source(1, "B"), source(2, "B")], [2]
    )
    return Conversation(exchanges=[Exchange("First?", first), Exchange("Second?", second)])


async def test_source_dialog_passage_and_hint_reachable_at_80x24(ollama):
    long_source = SOURCES[1]
    app = scripted_app(PacedEngine(sources=[SOURCES[0], long_source]))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await submit(pilot, "What do service users value?")
        await wait_for(pilot, lambda: app.chat.conversation.exchanges and not app.chat.job, "ans")
        await submit(pilot, "/source 2")
        await wait_for(pilot, lambda: isinstance(app.screen, SourceModal), "the dialog")
        await pilot.pause()
        assert "Escape: close" in screen_text(app)
        for _ in range(10):
            await pilot.press("pagedown")
        await pilot.pause()
        assert flat(long_source.text[:40]) in flat(screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "closed")


async def test_source_n_and_the_panel_follow_the_answer_in_view(ollama, settings):
    conversation = two_answers()
    save(conversation, settings.chats_dir)
    app = scripted_app()
    app.conversation = conversation
    app.chat = ChatScreen(settings, conversation)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        chat = app.chat
        await pilot.pause()
        assert chat.sources_panel.sources[1].record_id == "rec-B-2"
        await submit(pilot, "/source 2")
        await wait_for(pilot, lambda: isinstance(app.screen, SourceModal), "dialog")
        assert app.screen.source.record_id == "rec-B-2"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "closed")

        chat.log_view.scroll_home(animate=False, immediate=True)
        await wait_for(pilot, lambda: chat.sources_panel.number == 1, "the panel to follow")
        assert chat.sources_panel.sources[1].record_id == "rec-A-2"
        assert "answer 1" in str(chat.sources_panel.border_title)
        await submit(pilot, "/source 2")
        await wait_for(pilot, lambda: isinstance(app.screen, SourceModal), "dialog")
        assert app.screen.source.record_id == "rec-A-2"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "closed")


async def test_a_citation_opens_the_source_of_its_own_answer(ollama, settings):
    conversation = two_answers()
    app = scripted_app()
    app.conversation = conversation
    app.chat = ChatScreen(settings, conversation)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        first = app.chat.query(ExchangeView).first()
        assert "[\\[2\\]](cite:2)" in first.markdown.source  # drawn as a link reading [2]
        first.markdown.post_message(Markdown.LinkClicked(first.markdown, "cite:2"))
        await wait_for(pilot, lambda: isinstance(app.screen, SourceModal), "dialog")
        assert app.screen.source.record_id == "rec-A-2"
