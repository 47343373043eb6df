"""The chat screen's state as Textual reactives: the index, Ollama, the options, the last
answer's summary and the tabs' names.

The app owns what it finds out (its ``index`` and ``ollama`` reactives, set from the
workers' messages); every chat screen (tab) follows them with ``watch``. Slash commands
assign new :class:`~assistant.tui.options.ChatOptions` (they are frozen). The status bar and
the banner are bound to these with ``data_bind`` and redraw themselves, and the tab strip
follows ``tabs``: no code calls a refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from assistant.tui.messages import IndexState, OllamaState
from assistant.tui.options import ChatOptions

if TYPE_CHECKING:
    from assistant.conversations import Conversation


class ChatState(Screen[None]):
    """Reactive state of one chat screen (see the module doc)."""

    index: reactive[IndexState] = reactive(IndexState, init=False)
    ollama: reactive[OllamaState] = reactive(OllamaState, init=False)
    options: reactive[ChatOptions] = reactive(lambda: ChatOptions(model=""), init=False)
    last: reactive[str] = reactive("", init=False)
    """The last answer's summary for the status bar (``llm · llama3.2 · 2.3 s``)."""
    tabs: reactive[str] = reactive("", init=False)
    """The tabs' names (empty with one tab)."""

    async def on_mount(self) -> None:
        """Follow what the app finds out about the index and Ollama, and the tabs."""
        app = self.app
        self.watch(app, "index", self._take_index, init=True)
        self.watch(app, "ollama", self._take_ollama, init=True)
        self.watch(app, "tab_names", self._take_tabs, init=True)

    def _take_index(self, state: IndexState) -> None:
        self.index = state

    def _take_ollama(self, state: OllamaState) -> None:
        self.ollama = state

    def _take_tabs(self, strip: str) -> None:
        self.tabs = strip

    def watch_tabs(self, strip: str) -> None:
        for tabs in self.query("#tabs"):
            if isinstance(tabs, Static):
                tabs.update(strip)
                tabs.set_class(bool(strip), "shown")

    def summarise(self, conversation: Conversation, show_timings: bool) -> None:
        """Set ``last`` from the conversation's last exchange."""
        last = ""
        if conversation.exchanges:
            from assistant.tui.widgets.exchange import answer_summary

            ex = conversation.exchanges[-1]
            last = answer_summary(ex.answer, ex.cancelled, show_timings)
        self.last = last
