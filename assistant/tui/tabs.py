"""Several conversations open at once, as tabs: Ctrl+T opens one, F9 goes to the next,
``/tab N``, ``/tab new`` and ``/tab close``.

Each tab is its own chat screen (installed, so a tab in the background keeps its answer
streaming and its place); the app's ``chat`` is the tab in front. A strip at the top names
the tabs once there are two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.conversations import Conversation
from assistant.tui.widgets.safe import safe_line

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.tui.chat_screen import ChatScreen

MAX_TABS = 9


class ChatTabs:
    """The app's tabs (mixed into the app)."""

    settings: Settings
    chat: ChatScreen
    chats: list[ChatScreen]
    tab_names: str

    def open_tab(self, conversation: Conversation | None = None) -> ChatScreen | None:
        """A new tab (a new conversation with the current options), shown at once."""
        from assistant.tui.chat_screen import ChatScreen

        if len(self.chats) >= MAX_TABS:
            self.chat.note(f"{MAX_TABS} tabs are open already: close one first.", error=True)
            return None
        fresh = conversation or Conversation(options=self.chat.options.saved())
        screen = ChatScreen(self.settings, fresh)
        self.install_screen(screen, f"chat-{id(screen)}")  # type: ignore[attr-defined]
        self.chats.append(screen)
        self.show_tab(screen)
        return screen

    def show_tab(self, screen: ChatScreen) -> None:
        """Bring ``screen`` to the front."""
        if screen is not self.chat:
            self.chat = screen
            self.switch_screen(screen)  # type: ignore[attr-defined]
        self.refresh_tabs()

    def next_tab(self, step: int = 1) -> None:
        """The next (or previous) tab, round the end."""
        if len(self.chats) > 1:
            here = self.chats.index(self.chat)
            self.show_tab(self.chats[(here + step) % len(self.chats)])

    def go_to_tab(self, number: int) -> bool:
        """Tab ``number`` (1-based); whether there is one."""
        if not 1 <= number <= len(self.chats):
            return False
        self.show_tab(self.chats[number - 1])
        return True

    def close_tab(self) -> None:
        """Close the tab in front (its conversation is saved); refused for the last one or
        while it is answering."""
        screen = self.chat
        if len(self.chats) == 1:
            screen.note("This is the only tab: Ctrl+Q quits.", error=True)
            return
        if screen.job is not None:
            screen.note("An answer is still being written here: wait, or Escape first.", True)
            return
        here = self.chats.index(screen)
        self.chats.remove(screen)
        self.show_tab(self.chats[min(here, len(self.chats) - 1)])
        self.uninstall_screen(screen)  # type: ignore[attr-defined]
        screen.remove()

    def tab_strip(self) -> str:
        """``1 Peer support… │ ▸2 New conversation``: the tabs, the one in front marked."""
        if len(self.chats) < 2:
            return ""
        names = []
        for n, screen in enumerate(self.chats, 1):
            title = safe_line(screen.conversation.title)
            title = title if len(title) <= 24 else title[:23] + "…"
            names.append(f"{'▸' if screen is self.chat else ' '}{n} {title}")
        return " │ ".join(names)

    def refresh_tabs(self) -> None:
        """Name the tabs anew (after a tab opened, closed, came to the front, or its
        conversation got its title); every tab's strip follows ``tab_names``."""
        self.tab_names = self.tab_strip()
