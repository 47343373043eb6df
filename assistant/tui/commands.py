"""Slash commands and key bindings, described once for the dispatcher and the help screen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """One slash command."""

    name: str
    args: str
    help: str


COMMANDS: tuple[Command, ...] = (
    Command("help", "", "show keys and commands (also F1)"),
    Command("model", "[NAME]", "use this Ollama model; without NAME pick from Ollama's models"),
    Command("k", "N", "number of sources per answer (1–50)"),
    Command("mode", "auto|llm|extractive", "auto: Ollama, extractive when it is down"),
    Command("year", "[2018-2021]", "only sources from these years; no argument clears"),
    Command("author", "[NAME]", "only sources with this author; no argument clears"),
    Command("filters", "[clear]", "show the current options, or clear both filters"),
    Command("why", "", "show the question as searched (follow-ups are rewritten; also F2)"),
    Command("source", "N", "open source N of the last answer"),
    Command("new", "", "start a new conversation (also Ctrl+N)"),
    Command("resume", "[ID]", "resume a saved conversation; without ID pick one (also F5)"),
    Command("export", "", "write the conversation to Markdown and BibTeX (also F6)"),
    Command("quit", "", "leave (also Ctrl+Q)"),
)

KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "send the question or command"),
    ("Up / Down", "previous / next line from the input history"),
    ("Escape", "cancel the answer being written (the partial answer stays)"),
    ("F1", "this help"),
    ("F2", "show the question as searched for the last answer"),
    ("F3", "focus the sources list / the input"),
    ("F4", "pick a model"),
    ("F5", "resume a saved conversation"),
    ("F6", "export Markdown + BibTeX"),
    ("Ctrl+N", "new conversation"),
    ("Tab / Shift+Tab", "move between the input and the sources list"),
    ("Enter on a source", "open its passage and metadata"),
    ("PageUp / PageDown", "scroll the conversation"),
    ("Escape (in a dialog)", "close it"),
    ("Ctrl+Q", "quit"),
)

_BY_NAME = {c.name: c for c in COMMANDS}


def parse(text: str) -> tuple[str, str] | None:
    """``"/year 2018-2021"`` -> ``("year", "2018-2021")``; ``None`` if not a command."""
    text = text.strip()
    if not text.startswith("/") or text.startswith("//"):
        return None
    name, _, arg = text[1:].partition(" ")
    return name.lower(), arg.strip()


def known(name: str) -> bool:
    """Whether ``name`` is a slash command."""
    return name in _BY_NAME
