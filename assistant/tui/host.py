"""What the chat screen needs from the app, and what slash commands need from the screen.

Typed as protocols so ``app`` -> ``chat_screen`` -> ``chat_commands`` is a one-way chain
(no module imports the one that imports it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual import events
    from textual.app import App

    from assistant.answering.engine import Engine
    from assistant.config import Settings
    from assistant.conversations import Conversation
    from assistant.tui.answering import AnswerJob
    from assistant.tui.messages import OllamaState
    from assistant.tui.options import ChatOptions
    from assistant.tui.widgets.exchange import ExchangeView
    from assistant.tui.widgets.sources_panel import SourcesPanel


class Adder(Protocol):
    """What ``/add`` needs of the app's library (:class:`assistant.tui.library.Library`)."""

    def add(self, screen: ChatView, arg: str) -> None:
        """Add the file or folder ``arg`` names (reporting to ``screen``)."""
        ...


class ChatHost(Protocol):
    """The app as the chat screen sees it."""

    settings: Settings
    ollama: OllamaState
    index_loading: bool
    show_timings: bool
    library: Adder

    @property
    def index_text(self) -> str:
        """The index's size line once loaded, else ''."""
        ...

    @property
    def index_error(self) -> str:
        """Why the index could not be loaded, else ''."""
        ...

    def get_engine(self) -> Engine:
        """The engine (created on first use)."""
        ...

    def list_models(self) -> object:
        """Start fetching Ollama's models (answered by a ``ModelsListed`` message)."""
        ...

    def key_for(self, action: str) -> str:
        """The key bound to ``action`` now (after the user's keymap)."""
        ...

    def take_early_keys(self) -> list[events.Key]:
        """Keys typed before the chat screen was up (handed over once)."""
        ...

    def tab_strip(self) -> str:
        """The tabs' names (empty with one tab)."""
        ...

    def open_tab(self) -> object:
        """Open a new tab in front."""
        ...

    def next_tab(self, step: int = 1) -> None:
        """The next (``step=-1``: previous) tab."""
        ...

    def go_to_tab(self, number: int) -> bool:
        """Tab ``number`` (1-based), if there is one."""
        ...

    def close_tab(self) -> None:
        """Close the tab in front."""
        ...

    def refresh_tabs(self) -> None:
        """Redraw the tabs' names."""
        ...


class ChatView(Protocol):
    """The chat screen as slash commands see it."""

    settings: Settings
    options: ChatOptions
    conversation: Conversation
    job: AnswerJob | None

    @property
    def app(self) -> App[object]:
        """The running app."""
        ...

    @property
    def research_app(self) -> ChatHost:
        """The app, typed."""
        ...

    @property
    def sources_panel(self) -> SourcesPanel:
        """The sources of the answer in view."""
        ...

    def note(self, text: str, error: bool = False) -> None:
        """Feedback for the user."""
        ...

    def exchange_in_view(self) -> ExchangeView | None:
        """The answer the user is looking at."""
        ...

    async def show_conversation(self) -> None:
        """Render the conversation from scratch."""
        ...

    async def ask(self, question: str) -> None:
        """Start answering a question."""
        ...

    async def regenerate(self) -> None:
        """Ask the last question again."""
        ...

    def save_conversation(self, conversation: Conversation | None = None) -> None:
        """Save the conversation now."""
        ...
