"""Slash commands: options (/k /mode /year /author /filters), /model, /source, /new, /help."""

from __future__ import annotations

from assistant.tui.chat_screen import ChatScreen
from assistant.tui.help_screen import HelpScreen
from assistant.tui.model_picker import ModelPicker
from assistant.tui.source_modal import SourceModal
from assistant.tui.widgets.sources_panel import SourcesPanel
from assistant.tui.widgets.status_bar import StatusBar
from tests.tui.conftest import ask, flat, ready, submit, wait_for, widget_text


def last_note(app) -> str:
    notes = list(app.chat.query(".note"))
    return str(notes[-1].render()) if notes else ""


async def test_option_commands_change_the_next_answer_and_the_status_bar(make, ollama):
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        chat, bar = app.chat, app.chat.query_one(StatusBar)
        for bad in ("/k 0", "/k many", "/mode fast", "/year soon"):
            await submit(pilot, bad)
            await pilot.pause()
            assert "Usage: /" in last_note(app), bad
            assert chat.query(".note")[-1].has_class("error")
        await submit(pilot, "/k 2")
        await submit(pilot, "/mode extractive")
        await submit(pilot, "/year 2018-2021")
        await submit(pilot, "/author Strand")
        await pilot.pause()
        assert "k=2 · extractive · 2018–2021, author ~ Strand" in str(bar.render_bar())
        assert last_note(app) == "Only sources with an author matching Strand."

        exchange = await ask(pilot, "What do service users value in peer support?")
        answer = exchange.answer
        assert answer.mode == "extractive" and not ollama.chat_requests
        assert 1 <= len(answer.sources) <= 2
        for source in answer.sources:
            assert 2018 <= source.year <= 2021
            assert any("strand" in a.lower() for a in source.authors)

        await submit(pilot, "/filters")
        await pilot.pause()
        assert last_note(app) == (
            "Options: model llama3.2 · k=2 · extractive · 2018–2021, author ~ Strand"
        )
        await submit(pilot, "/year")
        await pilot.pause()
        assert last_note(app) == "Year filter cleared."
        assert "k=2 · extractive · author ~ Strand" in str(bar.render_bar())
        await submit(pilot, "/author")
        await submit(pilot, "/year 2019")
        await submit(pilot, "/filters clear")
        await submit(pilot, "/mode auto")
        await submit(pilot, "/k 5")
        await pilot.pause()
        assert chat.options.year is None and chat.options.author is None
        assert "k=5 · auto" in str(bar.render_bar())
        assert "2019" not in str(bar.render_bar())


async def test_model_lists_ollamas_models_in_a_picker_and_switches(make, ollama):
    ollama.models = ["llama3.2:latest", "nomic-embed-text:latest", "mistral:7b"]
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await submit(pilot, "/model")
        await wait_for(pilot, lambda: isinstance(app.screen, ModelPicker), "model picker")
        await pilot.pause()
        picker_text = widget_text(app, app.screen.query_one("#models"))
        assert "● llama3.2:latest" in picker_text and "mistral:7b" in picker_text
        assert "nomic-embed-text" not in picker_text  # an embedding model cannot chat
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "picker closed")
        assert app.chat.options.model == "mistral:7b"
        assert "model mistral:7b" in str(app.chat.query_one(StatusBar).render_bar())
        ollama.enqueue("Mistral says peer workers offer hope and shared experience [1].")
        exchange = await ask(pilot, "What do service users value in peer support?")
        assert ollama.last_chat["model"] == "mistral:7b"
        assert exchange.answer.model == "mistral:7b"

        await submit(pilot, "/model")
        await wait_for(pilot, lambda: isinstance(app.screen, ModelPicker), "picker again")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "picker closed")
        assert app.chat.options.model == "mistral:7b"
        await submit(pilot, "/model llama3.2")
        await pilot.pause()
        assert app.chat.options.model == "llama3.2"
        assert last_note(app) == "Model set to llama3.2."
        await submit(pilot, "/model phi3")
        await pilot.pause()
        assert "Ollama does not have it" in last_note(app)


async def test_model_without_ollama_says_why_there_is_no_list(make):
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "/model")
        await wait_for(pilot, lambda: "Cannot list models" in last_note(app), "error note")
        assert "not reachable" in last_note(app)
        assert isinstance(app.screen, ChatScreen)


async def test_source_help_unknown_and_new(make, ollama, settings):
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "What do service users value in peer support?")
        chat = app.chat
        first_id = chat.conversation.id

        await submit(pilot, "/source 2")
        await wait_for(pilot, lambda: isinstance(app.screen, SourceModal), "source modal")
        assert app.screen.source.n == 2
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "closed")
        await submit(pilot, "/source 42")
        await pilot.pause()
        assert "Usage: /source N" in last_note(app)

        await submit(pilot, "/help")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "closed")

        await submit(pilot, "/frobnicate now")
        await pilot.pause()
        assert last_note(app) == "Unknown command /frobnicate. Type /help for the list."

        await submit(pilot, "/new")
        await pilot.pause()
        assert chat.conversation.id != first_id and not chat.conversation.exchanges
        assert chat.query_one(SourcesPanel).option_count == 0
        assert flat("Ask a question about the corpus") in flat(widget_text(app, chat.log_view))
        assert last_note(app) == "New conversation."
        assert (settings.chats_dir / f"{first_id}.json").is_file()


async def test_new_and_resume_wait_for_the_answer_in_progress(make, ollama, settings):
    ollama.enqueue("word " * 300 + "[1]")
    ollama.delay_between_tokens = 0.05
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        chat = app.chat
        first_id = chat.conversation.id
        await submit(pilot, "What do service users value in peer support?")
        await wait_for(
            pilot,
            lambda: chat.job is not None and chat.job_view is not None,
            "an answer in progress",
        )
        await submit(pilot, "/new")
        await pilot.pause()
        assert chat.conversation.id == first_id  # not switched: the answer would be lost
        assert "still being written" in last_note(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: chat.job is None, "the cancelled answer to settle")
        await submit(pilot, "/new")
        await pilot.pause()
        assert chat.conversation.id != first_id
