"""Issue 24 defects 2 and 3: typed input is never lost or glued together, whatever has the
focus and however fast the keys come."""

from __future__ import annotations

from textual import events

from tests.tui.conftest import ready, screen_text, submit, wait_for
from tests.tui.scripted_engine import PacedEngine, scripted_app


def burst(app, *keys: str) -> None:
    """Keys as a terminal delivers fast typing: all queued at once, none handled yet."""
    for key in keys:
        char = key if len(key) == 1 else ("\r" if key == "enter" else None)
        name = {" ": "space", "/": "slash", "-": "minus", "?": "question_mark"}.get(key, key)
        app.post_message(events.Key(name, char))


def typed(text: str) -> list[str]:
    return [("enter" if ch == "\n" else ch) for ch in text]


async def test_keys_typed_before_the_chat_screen_is_up_are_kept(ollama):
    app = scripted_app(PacedEngine())
    burst(app, *"early words")  # typed while the app starts (before its first screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert app.chat.prompt.value == "early words"
        assert app.chat.prompt.has_focus


async def test_fast_commands_typed_in_the_sources_list_are_each_run(ollama):
    engine = PacedEngine()
    app = scripted_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        chat = app.chat
        await submit(pilot, "What do peers give?")
        await wait_for(pilot, lambda: chat.job is None and chat.conversation.exchanges, "answer")
        await pilot.press("f3")
        assert chat.sources_panel.has_focus
        burst(app, *typed("/year 2018\n/author Strand\n"))
        await wait_for(pilot, lambda: chat.options.author is not None, "the author filter")
        await pilot.pause()
        assert (chat.options.year, chat.options.author) == ("2018", "Strand")
        assert chat.prompt.value == "" and chat.prompt.has_focus


async def test_a_fast_question_after_a_command_is_not_glued_to_it(ollama):
    engine = PacedEngine()
    app = scripted_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        chat = app.chat
        await submit(pilot, "What do peers give?")
        await wait_for(pilot, lambda: chat.job is None and chat.conversation.exchanges, "answer")
        await pilot.click("#conversation")  # focus leaves the box
        burst(app, *typed("/new\nWhat do peer workers value?\n"))
        await wait_for(pilot, lambda: len(engine.questions) == 2, "the second question")
        assert engine.questions[-1] == "What do peer workers value?"
        assert "Unknown command" not in screen_text(app)


async def test_typing_on_while_enter_is_handled_keeps_the_next_line(ollama):
    engine = PacedEngine()
    app = scripted_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        chat = app.chat
        chat.prompt.focus()
        await pilot.pause()
        burst(app, *typed("/k 3\n/mode extractive\nnext"))
        await wait_for(pilot, lambda: chat.options.mode == "extractive", "the second command")
        assert chat.options.k == 3
        assert chat.prompt.value == "next"
