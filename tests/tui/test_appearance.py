"""Themes (light and dark, ``/theme`` and F7, kept for the next start) and NO_COLOR."""

from __future__ import annotations

from rich.color import ColorType

from assistant.config import load_settings
from assistant.tui.appearance import PREFERENCES, saved_theme
from tests.tui.conftest import ready, submit
from tests.tui.scripted_engine import scripted_app


def notes(app) -> str:
    return "\n".join(str(n.render()) for n in app.chat.query(".note"))


async def test_theme_command_and_key_are_kept_for_the_next_start(ollama):
    app = scripted_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.theme == "textual-dark"
        await submit(pilot, "/theme light")
        await pilot.pause()
        assert app.theme == "textual-light"
        assert saved_theme(load_settings().home) == "textual-light"
        await submit(pilot, "/theme nosuch")
        await pilot.pause()
        assert "No theme nosuch" in notes(app) and "nord" in notes(app)
    app = scripted_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.theme == "textual-light"  # as chosen last time
        await pilot.press("f7")
        await pilot.pause()
        assert app.theme == "textual-dark"
    assert saved_theme(load_settings().home) == "textual-dark"


async def test_a_damaged_preferences_file_is_ignored(ollama):
    home = load_settings().home
    home.mkdir(parents=True, exist_ok=True)
    (home / PREFERENCES).write_text("[[[", encoding="utf-8")
    app = scripted_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.theme == "textual-dark"
        await submit(pilot, "/theme dark")
        await pilot.pause()
    assert saved_theme(home) == "textual-dark"


def grey(color) -> bool:
    if color is None or color.type in (ColorType.DEFAULT,):
        return True
    r, g, b = color.get_truecolor()
    return r == g == b


async def test_no_color_draws_in_grey_only(ollama, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = scripted_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await submit(pilot, "What do service users value in peer support?")
        await pilot.pause(0.5)
        assert app.no_color
        segments = [s for strip in app.screen._compositor.render_strips() for s in strip]
        styles = [s.style for s in segments if s.style is not None]
        assert styles and all(grey(s.color) and grey(s.bgcolor) for s in styles)
