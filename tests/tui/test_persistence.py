"""Conversations are saved after every answer and can be resumed (latest, by id, picker)."""

from __future__ import annotations

import json

import pytest

from assistant.answering.answer import Answer, Source
from assistant.conversations import (
    Conversation,
    ConversationNotFound,
    Exchange,
    latest,
    list_conversations,
    load,
    save,
)
from assistant.tui.chat_screen import ChatScreen
from assistant.tui.resume_picker import ResumePicker
from assistant.tui.widgets.exchange import ExchangeView
from assistant.tui.widgets.sources_panel import SourcesPanel
from tests.tui.conftest import ask, flat, ready, submit, wait_for, widget_text


def make_conversation(question: str, text: str) -> Conversation:
    source = Source(
        n=1,
        record_id="rec-1",
        title="A title",
        authors=("Strand, Monica",),
        year=2018,
        venue="A Journal",
        doi="10.1/x",
        path="seeds/a.txt",
        text="The passage.",
        score=0.8,
        volume="12",
        pages="45-67",
        page=4,
    )
    answer = Answer(
        question,
        text,
        "llm",
        "llama3.2",
        [source],
        citations=[1],
        timings={"total_ms": 12.5},
        standalone_question=question + "?",
    )
    return Conversation(exchanges=[Exchange(question, answer)])


def test_round_trip_and_listing(tmp_path):
    older, newer = make_conversation("old", "Old [1]."), make_conversation("new", "New [1].")
    save(older, tmp_path)
    save(newer, tmp_path)
    assert [c.id for c in list_conversations(tmp_path)] == [newer.id, older.id]
    back = load(tmp_path, newer.id)
    assert back.exchanges[0].answer.to_json() == newer.exchanges[0].answer.to_json()
    assert back.exchanges[0].answer.sources[0] == newer.exchanges[0].answer.sources[0]
    assert back.exchanges[0].answer.standalone_question == "new?"
    assert latest(tmp_path).id == newer.id
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporaries
    (tmp_path / "broken.json").write_text("{not json")
    assert len(list_conversations(tmp_path)) == 2
    with pytest.raises(ConversationNotFound):
        load(tmp_path, "../etc/passwd")
    with pytest.raises(ConversationNotFound):
        load(tmp_path, "nope")


async def test_each_answer_is_saved_and_resume_latest_shows_it_again(make, ollama, settings):
    ollama.enqueue("Managers involve peer workers in mental health services [1].")
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "What do service users value in peer support?")
        conv_id = app.chat.conversation.id
        path = settings.chats_dir / f"{conv_id}.json"
        saved = json.loads(path.read_text())
        assert saved["id"] == conv_id
        assert saved["title"] == "What do service users value in peer support?"
        said = saved["exchanges"][0]["answer"]["answer"]
        assert said.startswith("Managers involve peer workers in mental health services [1]")
        assert saved["exchanges"][0]["answer"]["sources"][0]["text"]
        sources = [s.label() for s in app.chat.conversation.exchanges[0].answer.sources]

    resumed = make(resume="latest")
    async with resumed.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        chat = resumed.chat
        assert chat.conversation.id == conv_id
        assert len(chat.query(ExchangeView)) == 1
        assert [s.label() for s in chat.query_one(SourcesPanel).sources] == sources
        assert flat(said) in flat(widget_text(resumed, chat.log_view))
        # a follow-up continues the same conversation and the same file
        ollama.enqueue("A rewritten question about hope?", "Peer workers give hope to others [1].")
        await ready(pilot)
        await ask(pilot, "Tell me more")
        assert ollama.chat_requests[-2]["messages"][-1]["content"].count("Researcher:") == 1
    assert len(json.loads(path.read_text())["exchanges"]) == 2


async def test_resume_by_id_by_picker_and_unknown_id(make, settings):
    first, second = make_conversation("first", "One [1]."), make_conversation("second", "Two.")
    save(first, settings.chats_dir)
    save(second, settings.chats_dir)

    app = make(resume=first.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.chat.conversation.id == first.id
        await submit(pilot, "/resume")
        await wait_for(pilot, lambda: isinstance(app.screen, ResumePicker), "picker")
        await pilot.pause()
        listed = widget_text(app, app.screen.query_one("#conversations"))
        assert listed.index("second") < listed.index("first")  # newest first
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.id == second.id, "resumed")
        assert isinstance(app.screen, ChatScreen)
        await submit(pilot, f"/resume {first.id}")
        await wait_for(pilot, lambda: app.chat.conversation.id == first.id, "resumed by id")
        await submit(pilot, "/resume nope")
        await pilot.pause()
        assert "No saved conversation 'nope'" in str(app.chat.query(".note")[-1].render())

    missing = make(resume="nope")
    async with missing.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not missing.chat.conversation.exchanges
        assert any("nope" in n.message for n in missing._notifications)
