"""The command palette (Ctrl+P): every key action and slash command, searchable by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from assistant.tui.commands import COMMANDS, KEYS, display_key

if TYPE_CHECKING:
    from assistant.tui.chat_screen import ChatScreen


def entries(screen: ChatScreen) -> list[tuple[str, str, Callable[[], object]]]:
    """(name, help, run) for each palette entry."""
    key_for = screen.research_app.key_for
    out: list[tuple[str, str, Callable[[], object]]] = []
    for key in KEYS:
        action = key.action.removeprefix("app.")
        target = screen.app if key.action.startswith("app.") else screen
        out.append(
            (
                key.help.capitalize(),
                display_key(key_for(key.id)),
                partial(target.run_action, action),
            )
        )
    # Commands that need an argument are put in the box to be completed; others run.
    for command in COMMANDS:
        run: Callable[[], object]
        if command.args and not command.args.startswith("["):
            run = partial(_prefill, screen, f"/{command.name} ")
        else:
            run = partial(screen.commands.run, command.name, "")
        out.append((f"/{command.name} {command.args}".rstrip(), command.help, run))
    return out


def _prefill(screen: ChatScreen, text: str) -> None:
    screen.prompt.value = text
    screen.prompt.focus()


class ChatCommandsProvider(Provider):
    """Offers :func:`entries` of the chat screen."""

    def _entries(self) -> list[tuple[str, str, Callable[[], object]]]:
        from assistant.tui.chat_screen import ChatScreen

        chat = getattr(self.app, "chat", None)
        return entries(chat) if isinstance(chat, ChatScreen) else []

    async def discover(self) -> Hits:
        """Everything, before anything is typed."""
        for name, help_text, run in self._entries():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        """Entries whose name or help matches ``query``."""
        matcher = self.matcher(query)
        for name, help_text, run in self._entries():
            score = max(matcher.match(name), matcher.match(help_text) * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
