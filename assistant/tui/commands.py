"""Slash commands and key bindings, described once for the dispatcher, the footer, the
command palette and the help screen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """One slash command."""

    name: str
    args: str
    help: str


COMMANDS: tuple[Command, ...] = (
    Command("help", "", "show keys and commands"),
    Command("model", "[NAME]", "use this Ollama model; without NAME pick from Ollama's models"),
    Command("k", "N", "number of sources per answer (1–50)"),
    Command("mode", "auto|llm|extractive", "auto: Ollama, extractive when it is down"),
    Command("year", "[2018-2021]", "only sources from these years; no argument clears"),
    Command("author", "[NAME]", "only sources with this author; no argument clears"),
    Command(
        "collection",
        "[NAME]",
        "only papers filed in this Zotero collection (name or path); no argument clears",
    ),
    Command("filters", "[clear]", "show the current options, or clear the filters"),
    Command("papers", "[TEXT]", "browse the index's papers; Enter asks about one"),
    Command("paper", "", "ask the whole index again (after choosing a paper)"),
    Command("add", "PATH", "add a file or folder of papers to the index (Tab completes the path)"),
    Command("system", "[TEXT]", "extra instructions for the model; no argument clears"),
    Command("temperature", "[X]", "model temperature 0–2; no argument: the configured one"),
    Command("length", "[short|normal|long]", "answer length; no argument: the default"),
    Command("style", "[TEXT]", "answer form, e.g. “3 bullet points”; no argument clears"),
    Command("theme", "[light|dark|NAME]", "colours; kept for the next start (no argument: list)"),
    Command("why", "", "show the question as searched (follow-ups are rewritten)"),
    Command("source", "N", "show source N of the answer in view (what it used highlighted)"),
    Command("open", "N [doi]", "open source N's file at its page (no file here: its DOI)"),
    Command(
        "table",
        "[N] [all]",
        "evidence table (aim, design, participants, setting, findings) of the papers the "
        "answer in view (answer N) cites; all: every paper it retrieved",
    ),
    Command("copy", "", "copy the answer in view, with its references, to the clipboard"),
    Command(
        "regenerate",
        "",
        "ask the last question again with the options it was asked with (replaces its answer)",
    ),
    Command("new", "", "start a new conversation"),
    Command("tab", "[N|new|close]", "several conversations at once: go to tab N, open, close"),
    Command("resume", "[ID]", "resume a saved conversation; without ID pick one"),
    Command("search", "TEXT", "pick from the saved conversations that mention TEXT"),
    Command("rename", "TITLE", "give this conversation a title"),
    Command("delete", "[ID]", "delete a saved conversation (this one without ID)"),
    Command(
        "export",
        "[N] [all]",
        "write the conversation (answer N only) as Markdown, and its cited sources (all: "
        "every source retrieved) as BibTeX, RIS and CSL-JSON",
    ),
    Command("quit", "", "leave (an answer being written is saved, marked incomplete)"),
)


@dataclass(frozen=True)
class Key:
    """One remappable key: ``id`` is its name in the config file's ``keymap``."""

    id: str
    key: str
    action: str
    label: str
    help: str
    show: bool = True


KEYS: tuple[Key, ...] = (
    Key("help", "f1", "app.help", "Help", "this help"),
    Key("cancel", "escape", "cancel_answer", "Cancel", "cancel the answer being written"),
    Key(
        "why",
        "f2",
        "why",
        "Why",
        "show the question as searched for the answer in view",
        show=False,
    ),
    Key("sources", "f3", "toggle_focus", "Sources", "focus the sources list / the input"),
    Key("model", "f4", "pick_model", "Model", "pick a model", show=False),
    Key("resume", "f5", "resume", "Resume", "resume, rename, delete or search conversations"),
    Key("export", "f6", "export", "Export", "export Markdown + BibTeX, RIS, CSL-JSON"),
    Key(
        "theme",
        "f7",
        "toggle_theme",
        "Theme",
        "switch between the light and the dark theme",
        show=False,
    ),
    Key("papers", "f8", "papers", "Papers", "browse the papers in the index", show=False),
    Key(
        "table",
        "f10",
        "evidence_table",
        "Table",
        "evidence table of the papers the answer in view cites",
        show=False,
    ),
    Key("copy", "ctrl+y", "copy", "Copy", "copy the answer in view with references"),
    Key(
        "regenerate",
        "ctrl+r",
        "regenerate",
        "Again",
        "regenerate the last answer (with the options it was asked with)",
        show=False,
    ),
    Key("new", "ctrl+n", "new", "New", "new conversation"),
    Key("new_tab", "ctrl+t", "new_tab", "Tab", "new conversation in a new tab", show=False),
    Key("next_tab", "f9", "next_tab", "Next tab", "next tab", show=False),
    Key("scroll_up", "pageup", "scroll_conversation(-1)", "Up", "scroll up", show=False),
    Key(
        "scroll_down",
        "pagedown",
        "scroll_conversation(1)",
        "Down",
        "scroll down (down to the bottom: follow the answer again)",
        show=False,
    ),
    Key(
        "newest",
        "end",
        "newest",
        "Newest",
        "jump to the newest text and follow it (in a box holding text: end of line)",
        show=False,
    ),
)
"""The chat screen's keys (Ctrl+Q quit and Ctrl+P palette belong to the app).

The footer shows those with ``show``: the ones that fit in 80 columns with Quit; F1 lists
them all."""

APP_KEYS: tuple[Key, ...] = (
    Key("quit", "ctrl+q", "quit", "Quit", "quit (an answer being written is saved)"),
    Key("palette", "ctrl+p", "command_palette", "Palette", "command palette", show=False),
)

FIXED_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "send the question or command"),
    ("Shift+Enter, Ctrl+J, Alt+Enter", "new line in the question (pasted text keeps its lines)"),
    ("Up / Down", "previous / next entry of the input history (on the first / last line)"),
    ("Tab / Shift+Tab", "move between the input and the sources list"),
    ("Enter on a source", "its passage (what the answer used highlighted) and metadata"),
    ("A / V (in a source)", "copy its APA / Vancouver citation"),
    ("O / D (in a source)", "open its file at the passage's page (no file: its DOI) / its DOI"),
    ("C (in the table, F10)", "copy the evidence table as Markdown"),
    ("click on [n]", "open that answer's source n"),
    ("Escape (in a dialog)", "close it"),
)
"""Keys that are not remappable."""

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


def key_ids() -> set[str]:
    """Every name a keymap may use."""
    return {k.id for k in KEYS + APP_KEYS}


def display_key(keys: str) -> str:
    """``ctrl+n,f7`` -> ``Ctrl+N / F7``."""
    out = []
    for key in keys.split(","):
        parts = [p.capitalize() if len(p) > 1 else p.upper() for p in key.strip().split("+")]
        out.append(
            "+".join(
                p.upper() if p.lower().startswith("f") and p[1:].isdigit() else p for p in parts
            )
        )
    return " / ".join(out)
