"""What chat-TUI users expect: copy, regenerate, conversations managed, options kept, palette,
remappable keys."""

from __future__ import annotations

import pytest

from assistant.config import Settings, load_settings
from assistant.conversations import list_conversations, load
from assistant.errors import UsageError
from assistant.tui.chat_screen import ChatScreen
from assistant.tui.resume_picker import ResumePicker
from tests.tui.conftest import ready, screen_text, submit, wait_for
from tests.tui.scripted_engine import ANSWER, PacedEngine, scripted_app


async def answered(pilot, question: str) -> None:
    chat = pilot.app.chat
    before = len(chat.conversation.exchanges)
    await submit(pilot, question)
    await wait_for(
        pilot, lambda: len(chat.conversation.exchanges) > before and chat.job is None, "answer"
    )
    await pilot.pause()


async def test_copy_puts_the_answer_in_view_with_its_references_on_the_clipboard(ollama):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await answered(pilot, "What do service users value?")
        await pilot.press("ctrl+y")
        await pilot.pause()
        sent = app.clipboard
        assert sent.startswith("## What do service users value?")
        assert "Service users value **hope**" in sent
        assert "**References** (cited in the answer)" in sent
        assert "10.1186/s13033-023-00588-5" in sent and "Strand et al. (2018)" in sent
        app.copy_to_clipboard("")
        await submit(pilot, "/copy")
        await pilot.pause()
        assert app.clipboard == sent


async def test_regenerate_replaces_the_last_answer(ollama, settings):
    engine = PacedEngine("First take [1].")
    app = scripted_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await answered(pilot, "What helps?")
        engine.text = "Second take [2]."
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: len(engine.questions) == 2, "asked again")
        await wait_for(pilot, lambda: app.chat.job is None, "the new answer")
        await pilot.pause()
        exchanges = app.chat.conversation.exchanges
        assert len(exchanges) == 1 and exchanges[0].answer.answer == "Second take [2]."
        assert engine.questions == ["What helps?", "What helps?"]
        assert load(settings.chats_dir, app.chat.conversation.id).exchanges[0].answer.answer == (
            "Second take [2]."
        )


async def test_options_are_saved_with_a_conversation_and_restored_on_resume(ollama, settings):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for command in ("/k 3", "/mode extractive", "/year 2018-2021", "/author Strand"):
            await submit(pilot, command)
        await answered(pilot, "What helps?")
        conversation_id = app.chat.conversation.id
    from assistant.tui.app import make_app

    resumed = make_app(load_settings(), engine=PacedEngine(), resume=conversation_id)
    options = resumed.chat.options
    assert (options.k, options.mode, options.year, options.author) == (
        3,
        "extractive",
        "2018-2021",
        "Strand",
    )


async def test_conversations_are_renamed_searched_and_deleted(ollama, settings):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await answered(pilot, "Zebra question?")
        first = app.chat.conversation.id
        await submit(pilot, "/rename My zebra notes")
        await submit(pilot, "/new")
        await answered(pilot, "Another question?")
        second = app.chat.conversation.id
        titles = {c.id: c.title for c in list_conversations(settings.chats_dir)}
        assert titles[first] == "My zebra notes"

        await submit(pilot, "/search zebra")
        await wait_for(pilot, lambda: isinstance(app.screen, ResumePicker), "the picker")
        await pilot.pause()
        assert [c.id for c in app.screen.conversations] == [first]
        assert first in screen_text(app)  # ids are shown: --resume ID needs them
        await pilot.press("f2", "ctrl+u", *"Renamed", "enter")
        await pilot.pause()
        assert load(settings.chats_dir, first).title == "Renamed"
        await pilot.press("ctrl+d")
        assert load(settings.chats_dir, first)  # one press only asks
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert [c.id for c in list_conversations(settings.chats_dir)] == [second]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "closed")
        await submit(pilot, "/delete")
        await pilot.pause()
        assert list_conversations(settings.chats_dir) == []
        assert not app.chat.conversation.exchanges


async def test_the_command_palette_offers_keys_and_commands(ollama):
    from assistant.tui.palette import entries

    app = scripted_app(PacedEngine())
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        names = [name for name, _, _ in entries(app.chat)]
        assert (
            "/copy" in names
            and "/regenerate" in names
            and "Export markdown + bibtex, ris, csl-json" in names
        )
        from textual.command import CommandPalette

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"/k 3")
        # the palette searches in a worker: its matches appear when the search is done
        await wait_for(pilot, lambda: "/k N" in screen_text(app), "the palette's match")


def test_keymap_setting_is_validated(monkeypatch, tmp_path):
    assert Settings(home=tmp_path, keymap="copy=ctrl+k;help=f1,f10").keymap == {
        "copy": "ctrl+k",
        "help": "f1,f10",
    }
    for bad in ("copy", {"copy": 3}, {"Copy!": "f2"}, {"copy": "ctrl k"}):
        with pytest.raises(UsageError, match="Invalid setting keymap"):
            Settings(home=tmp_path, keymap=bad)
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\nexport = "f9"\n')
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    assert load_settings().keymap == {"export": "f9"}


async def test_remapped_keys_work_and_help_lists_them(ollama, monkeypatch, tmp_path, settings):
    monkeypatch.setenv("ASSISTANT_KEYMAP", "export=f9;copy=ctrl+k;bogus=f12")
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(120, 50)) as pilot:
        await ready(pilot)
        notes = [n.message for n in app._notifications]
        assert any("Unknown key name(s) in keymap: bogus" in n for n in notes)
        await answered(pilot, "What helps?")
        await pilot.press("f9")
        await pilot.pause()
        assert (settings.home / "exports" / f"{app.chat.conversation.id}.md").exists()
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert ANSWER.split(" [1]")[0] in app.clipboard
        await pilot.press("f1")
        await pilot.pause()
        help_text = "\n".join(str(w.render()) for w in app.screen.query("#help-body Static"))
        assert "F9" in help_text and "Ctrl+K" in help_text
