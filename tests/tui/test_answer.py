"""Asking: a streamed, cited answer, its sources, the passage modal, follow-ups, Escape."""

from __future__ import annotations

import json

from assistant.tui.chat_screen import ChatScreen
from assistant.tui.source_modal import SourceModal
from assistant.tui.widgets.exchange import ExchangeView
from assistant.tui.widgets.markdown_view import link_citations
from assistant.tui.widgets.sources_panel import SourcesPanel
from tests.conftest import unmarked
from tests.tui.conftest import ask, flat, ready, screen_text, submit, wait_for, widget_text

QUESTION = "What do service users value in peer support?"
ANSWER = (
    "Service users value **hope** and being understood by peers [1]. "
    "Peer workers bridge services and users [2][99]."
)


async def test_question_streams_a_cited_answer_and_lists_its_sources(make, ollama):
    ollama.enqueue(ANSWER)
    ollama.delay_between_tokens = 0.05
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await submit(pilot, QUESTION)
        chat = app.chat
        view = chat.query_one(ExchangeView)
        # part of the answer is on screen while the model is still writing
        await wait_for(
            pilot, lambda: "hope" in view.markdown.source and chat.job is not None, "streamed text"
        )
        assert "bridge" not in view.markdown.source
        await wait_for(pilot, lambda: chat.job is None, "the end of the answer")
        await pilot.pause()

        exchange = chat.conversation.exchanges[-1]
        assert exchange.answer.mode == "llm" and exchange.answer.model == "llama3.2"
        assert exchange.answer.citations == [1, 2]
        assert unmarked(view.markdown.source) == link_citations(
            "Service users value **hope** and being understood by "
            "peers [1]. Peer workers bridge services and users [2]."
        )
        # a sentence its source does not support carries a visible mark in the chat
        flagged = [s for s in exchange.answer.support or [] if not s["supported"]]
        assert view.markdown.source.count("[unsupported]") == len(flagged)
        text = widget_text(app, chat.log_view)
        assert flat("Peer workers bridge services and users [2].") in flat(unmarked(text))
        assert flat("Removed citations to sources that do not exist: [99].") in flat(text)
        assert "llm · llama3.2 ·" in text
        # the question went to the model with the retrieved sources in the prompt
        prompt = ollama.last_chat["messages"][-1]["content"]
        assert QUESTION in prompt and '<source n="1">' in prompt

        panel = chat.query_one(SourcesPanel)
        labels = [s.label() for s in panel.sources]
        assert labels == [s.label() for s in exchange.answer.sources]
        assert panel.option_count == len(labels) >= 2
        assert all(label.startswith(f"[{i}] ") for i, label in enumerate(labels, 1))
        assert flat(labels[0]) in flat(widget_text(app, panel))


async def test_selecting_a_source_opens_its_passage_with_full_metadata(make, ollama):
    ollama.enqueue(ANSWER)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        panel = app.chat.query_one(SourcesPanel)
        panel.focus()
        panel.highlighted = 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SourceModal), "source modal")
        await pilot.pause()
        source = app.screen.source
        assert source is panel.sources[1]
        text = flat(screen_text(app))
        for needle in ("DOI", "Venue", "Path", "Authors", "Year", source.path, source.text[:60]):
            assert flat(needle) in text, needle
        if source.doi:
            assert flat(f"https://doi.org/{source.doi}") in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "modal closed")
        # a click on a source opens it too
        await pilot.click(SourcesPanel, offset=(4, 1))
        await wait_for(pilot, lambda: isinstance(app.screen, SourceModal), "modal by click")
        assert app.screen.source is panel.sources[0]


async def test_follow_up_sends_history_to_be_condensed_and_why_shows_the_rewrite(make, ollama):
    rewrite = "What do peer workers offer service users in Norwegian mental health services?"
    ollama.enqueue(ANSWER, rewrite, "They offer hope [1].")
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        second = await ask(pilot, "And what about in Norway?")
        chats = ollama.chat_requests
        assert len(chats) == 3
        condense = chats[1]["messages"][-1]["content"]
        assert "Follow-up: And what about in Norway?" in condense
        assert f"Researcher: {QUESTION}" in condense
        assert "Assistant: Service users value **hope**" in condense
        assert second.answer.standalone_question == rewrite
        assert rewrite in chats[2]["messages"][-1]["content"]

        # hidden until asked for
        log = app.chat.log_view
        assert flat(f"searched as: {rewrite}") not in flat(widget_text(app, log))
        await pilot.press("f2")
        await pilot.pause()
        text = flat(widget_text(app, log))
        assert flat(f"searched as: {rewrite}") in text
        assert flat(f"Searched as: {rewrite} (rewritten from the follow-up)") in text
        await submit(pilot, "/why")
        await pilot.pause()
        assert flat(widget_text(app, log)).count(flat(f"Searched as: {rewrite}")) >= 2


async def test_escape_cancels_mid_stream_and_keeps_the_partial_answer(make, ollama, settings):
    words = " ".join(f"word{i}" for i in range(200))
    ollama.enqueue(f"Peer support helps [1]. {words}")
    ollama.delay_between_tokens = 0.05
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await submit(pilot, QUESTION)
        chat = app.chat
        view = chat.query_one(ExchangeView)
        await wait_for(pilot, lambda: "word3" in view.markdown.source, "streaming")
        await pilot.press("escape")
        await wait_for(pilot, lambda: chat.job is None, "the cancelled answer to finish")
        workers = [w for w in chat.workers if w.group == "answer"]
        await wait_for(pilot, lambda: all(w.is_finished for w in workers), "the worker to end")

        exchange = chat.conversation.exchanges[-1]
        assert exchange.cancelled and not exchange.answer.complete
        assert exchange.answer.answer.startswith("Peer support helps [1]. word0 word1 word2")
        assert "word199" not in exchange.answer.answer
        assert "Cancelled before the answer was finished." in exchange.answer.warnings
        assert view.has_class("cancelled")
        assert view.markdown.source == link_citations(exchange.answer.answer)
        assert "cancelled · llm · llama3.2" in widget_text(app, chat.log_view)
        saved = json.loads((settings.chats_dir / f"{chat.conversation.id}.json").read_text())
        assert saved["exchanges"][0]["cancelled"] is True

        # the app is free for the next question
        ollama.delay_between_tokens = 0.0
        # self-contained: searched as it is, no rewrite
        ollama.enqueue("Peer support helps members share hope and experience [1].")
        await ask(pilot, "Another question about peer support?")
        last = chat.conversation.exchanges[-1].answer
        assert unmarked(last.answer) == "Peer support helps members share hope and experience [1]."


async def test_a_second_question_while_answering_is_refused_not_lost(make, ollama):
    ollama.slow_first_token = 0.5
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await submit(pilot, QUESTION)
        await submit(pilot, "second question")
        await pilot.pause()
        log = flat(widget_text(app, app.chat.log_view))
        assert flat("An answer is still being written") in log
        await wait_for(pilot, lambda: app.chat.job is None, "first answer")
        assert len(app.chat.conversation.exchanges) == 1
        # the refused question stays in the box, ready to send
        assert app.focused.value == "second question"


async def test_escape_while_waiting_for_the_first_token(make, ollama):
    ollama.slow_first_token = 30.0  # a cold model: nothing arrives until Escape
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await submit(pilot, QUESTION)
        view = app.chat.query_one(ExchangeView)
        await wait_for(pilot, lambda: ollama.chat_requests, "the request to the model")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.chat.job is None, "the cancelled answer", timeout=10)
        exchange = app.chat.conversation.exchanges[-1]
        assert exchange.cancelled and exchange.answer.answer == ""
        assert view.markdown.source == "*(cancelled before any answer text arrived)*"


async def test_escape_during_a_follow_ups_rewrite_does_not_wait_for_the_engine(make, ollama):
    ollama.enqueue(ANSWER)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        # the engine's rewrite call cannot be interrupted; the worker must not wait for it
        ollama.slow_first_token = 30.0
        await submit(pilot, "And in Norway?")
        await wait_for(pilot, lambda: len(ollama.chat_requests) == 2, "the rewrite request")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.chat.job is None, "the cancelled answer", timeout=10)
        exchange = app.chat.conversation.exchanges[-1]
        assert exchange.cancelled and exchange.question == "And in Norway?"
        assert "Cancelled before the answer was finished." in exchange.answer.warnings


async def test_f2_shows_what_a_question_about_papers_was_read_as(make, ollama):
    ollama.enqueue("They cover peer support [1].")
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        exchange = await ask(pilot, "Which papers were published in 2018?")
        assert exchange.answer.interpreted == {"kind": "catalogue", "year": [2018, 2018]}
        assert len(exchange.answer.sources) == 4  # every 2018 paper, listed
        await pilot.press("f2")
        await pilot.pause()
        view = app.chat.query(ExchangeView).last()
        assert flat("read as: list of papers · 2018") in flat(widget_text(app, view))
