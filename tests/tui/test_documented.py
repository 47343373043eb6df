"""The README's chat section and F1 list every key and slash command."""

from __future__ import annotations

from pathlib import Path

from assistant.tui.commands import APP_KEYS, COMMANDS, KEYS, display_key
from assistant.tui.help_screen import command_rows, key_rows

README = Path(__file__).resolve().parents[2] / "README.md"


def chat_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## The chat")
    return text[start : text.index("\n## ", start + 1)]


def test_the_readme_lists_every_key_and_command():
    section = chat_section()
    for command in COMMANDS:
        assert f"`/{command.name}" in section, f"/{command.name} is not in the README"
    for key in KEYS + APP_KEYS:
        assert f"`{key.id}`" in section, f"the key name {key.id} is not in the README"
        shown = display_key(key.key).replace("Pageup", "PageUp").replace("Pagedown", "PageDown")
        shown = shown.replace("Escape", "Esc")
        assert shown in section, f"{shown} ({key.id}) is not in the README's key table"
    assert "--web" in section and "127.0.0.1" in section and "NO_COLOR" in section


def test_f1_lists_every_key_and_command():
    keys = "\n".join(what for _, what in key_rows())
    usages = [usage for usage, _ in command_rows()]
    for key in KEYS + APP_KEYS:
        assert f"[{key.id}]" in keys
    for command in COMMANDS:
        assert any(u.split()[0] == f"/{command.name}" for u in usages)
