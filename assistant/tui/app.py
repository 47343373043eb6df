"""The chat app: ``make_app(settings, engine=None, resume=None)``, shared by CLI and tests.

The first screen appears at once; the engine, the index and Ollama are looked at in thread
workers that report back with messages (:mod:`assistant.tui.messages`).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.worker import get_current_worker

from assistant.config import Settings, config_file_path
from assistant.conversations import Conversation, ConversationNotFound, latest, load
from assistant.errors import AssistantError, LLMError
from assistant.tui.chat_screen import ChatScreen
from assistant.tui.commands import APP_KEYS, KEYS, key_ids
from assistant.tui.library import Library, LibraryEvent
from assistant.tui.messages import (
    EngineFailed,
    EngineReady,
    IndexState,
    ModelsListed,
    OllamaChecked,
    OllamaState,
)
from assistant.tui.opener import Opener, SystemOpener
from assistant.tui.palette import ChatCommandsProvider
from assistant.tui.tabs import ChatTabs
from assistant.tui.widgets.safe import safe_line

if TYPE_CHECKING:
    from assistant.answering.engine import Engine
    from assistant.runtime import Runtime

log = logging.getLogger(__name__)


class ResearchApp(ChatTabs, App[int]):
    """Cited answers over the corpus, in the terminal."""

    TITLE = "Research assistant"
    CSS_PATH = "app.tcss"
    COMMANDS = {ChatCommandsProvider}
    BINDINGS = [
        Binding(k.key, k.action, k.label, show=k.show, id=k.id, priority=True) for k in APP_KEYS
    ]

    index: reactive[IndexState] = reactive(IndexState, init=False)
    """What the index looked like when loaded (every tab follows it)."""
    ollama: reactive[OllamaState] = reactive(OllamaState, init=False)
    """What the last look at Ollama found (every tab follows it)."""
    tab_names: reactive[str] = reactive("", init=False)
    """The tab strip (empty with one tab; every tab shows it)."""

    ollama_poll_seconds: float = 3.0
    """How often Ollama is looked at (tests make it short)."""
    show_timings: bool = True
    """Show how long answers took (snapshot tests turn it off: time is not deterministic)."""

    def __init__(
        self, settings: Settings, engine: Engine | None = None, resume: str | None = None
    ) -> None:
        super().__init__()
        self.settings = settings
        self._engine = engine
        self._engine_lock = threading.Lock()
        self.runtime: Runtime | None = None
        """The index, embedder and models behind the engine (None when one was handed in)."""
        self.library = Library(self)
        """Follows what other writers publish; runs ``/add`` (:mod:`assistant.tui.library`)."""
        self.index_loading = False
        """True while the index is being opened (a first run ingests the seeds)."""
        self._quit_when_loaded = False
        self._early_keys: list[events.Key] | None = []
        """Keys typed before the chat screen is up (``None`` once it has taken them)."""
        self.conversation, self.resume_problem = self._resumed(resume)
        self.keymap_problem = self._apply_keymap(settings.keymap)
        self.chat = ChatScreen(settings, self.conversation)
        """The tab in front (see :mod:`assistant.tui.tabs`)."""
        self.chats = [self.chat]
        self.opener: Opener = SystemOpener(self)
        """Opens a source's file or DOI (tests put a recorder here)."""

    def _apply_keymap(self, keymap: dict[str, str]) -> str:
        """Use the config file's keys; a sentence naming any unknown action."""
        unknown = sorted(set(keymap) - key_ids())
        wanted = {name: keys for name, keys in keymap.items() if name not in unknown}
        self.set_keymap(wanted)
        if not unknown:
            return ""
        return (
            f"Unknown key name(s) in keymap: {', '.join(unknown)}; "
            f"known: {', '.join(sorted(key_ids()))}."
        )

    def key_for(self, action: str) -> str:
        """The key bound to ``action`` (a :data:`~assistant.tui.commands.KEYS` id) now."""
        default = next((k.key for k in KEYS + APP_KEYS if k.id == action), "")
        return self.settings.keymap.get(action, default)

    def _resumed(self, resume: str | None) -> tuple[Conversation | None, str]:
        """The conversation to resume, and a sentence if it could not be."""
        if not resume:
            return None, ""
        if resume == "latest":
            found = latest(self.settings.chats_dir)
            return found, "" if found else "No saved conversation to resume; this is a new one."
        try:
            return load(self.settings.chats_dir, resume), ""
        except ConversationNotFound as err:
            return None, f"{err} This is a new conversation."

    @property
    def index_text(self) -> str:
        """``index: 23 papers · 34 chunks`` once loaded (``index: unavailable``), else ''."""
        return self.index.text

    @property
    def index_error(self) -> str:
        """Why the index could not be loaded, else ''."""
        return self.index.error

    def get_engine(self) -> Engine:
        """The engine, created on first use (from any thread)."""
        with self._engine_lock:
            if self._engine is None:
                from assistant.runtime import Runtime

                self.runtime = Runtime(self.settings).open()
                self._engine = self.runtime.engine()
            return self._engine

    def on_mount(self) -> None:
        from assistant.tui.appearance import saved_theme

        theme = saved_theme(self.settings.home)
        if theme in self.available_themes:
            self.theme = theme
        # Pushed rather than made the default screen: Textual loads a screen's CSS_PATH on push.
        self.install_screen(self.chat, f"chat-{id(self.chat)}")
        self.push_screen(self.chat)
        for problem in (self.resume_problem, self.keymap_problem):
            if problem:
                self.notify(safe_line(problem), severity="warning", markup=False)
        self.index_loading = True
        # After the first paint: the workers import chromadb and ollama (~1.5 s together),
        # which would otherwise compete with drawing the first screen.
        self.call_after_refresh(self._start_workers)

    @property
    def exiting(self) -> bool:
        """Whether ``exit()`` was called (Textual's own flag; workers must not start then)."""
        return bool(getattr(self, "_exit", False))

    def _start_workers(self) -> None:
        if self.exiting:  # quit before the first paint: a late worker would keep us alive
            return
        self.load_index()
        self.poll_ollama()

    def on_key(self, event: events.Key) -> None:
        """Keep what is typed in the first moments, before the chat screen can take it."""
        if self._early_keys is not None and self.screen is not self.chat:
            self._early_keys.append(event)

    def take_early_keys(self) -> list[events.Key]:
        """The keys typed before the chat screen was up; from now on it takes them itself."""
        keys, self._early_keys = self._early_keys or [], None
        return keys

    # -- workers --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_index(self) -> None:
        """Open the index (ingesting the seeds if it is empty) and count it."""
        try:
            records, chunks = self.get_engine().index_size()
            self.library.baseline()
        except AssistantError as err:
            self.post_message(EngineFailed(str(err)))
        except Exception as err:  # noqa: BLE001 - shown as one sentence, logged in full
            log.exception("loading the index failed")
            self.post_message(EngineFailed(f"internal error ({type(err).__name__}: {err})"))
        else:
            self.post_message(EngineReady(records, chunks))
        finally:
            self.index_loading = False

    @work(thread=True, exclusive=True, group="ollama", exit_on_error=False)
    def poll_ollama(self) -> None:
        """Every few seconds: is Ollama there, which version, which models."""
        from assistant.llm import OllamaLLM

        worker = get_current_worker()
        quick = replace(self.settings, connect_timeout=min(self.settings.connect_timeout, 2.0))
        llm = OllamaLLM(quick, request_timeout=5.0)
        try:
            while not worker.is_cancelled and not self.exiting:
                self.post_message(OllamaChecked(check_ollama(llm)))
                wake = time.monotonic() + self.ollama_poll_seconds
                while not (worker.is_cancelled or self.exiting) and time.monotonic() < wake:
                    time.sleep(0.05)
        finally:
            llm.close()

    @work(thread=True, exclusive=True, group="models", exit_on_error=False)
    def list_models(self) -> None:
        """Fetch Ollama's models now (for ``/model``)."""
        from assistant.llm import OllamaLLM

        with OllamaLLM(self.settings) as llm:
            try:
                self.post_message(ModelsListed(llm.chat_models()))
            except LLMError as err:
                self.post_message(ModelsListed([], str(err)))

    # -- what the workers found -----------------------------------------------------------
    def on_engine_ready(self, message: EngineReady) -> None:
        self.index = IndexState(f"index: {message.records} papers · {message.chunks} chunks")
        self.library.start()
        if self._quit_when_loaded:
            self.exit(0)

    def on_library_event(self, message: LibraryEvent) -> None:
        message.run()

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.index = IndexState("index: unavailable", message.error)
        if self._quit_when_loaded:
            self.exit(0)

    def on_ollama_checked(self, message: OllamaChecked) -> None:
        before, self.ollama = self.ollama, message.state
        if before == self.ollama:
            return
        if before.online is False and self.ollama.online:
            self.notify("Ollama is back: answers come from the model again.", markup=False)

    def on_models_listed(self, message: ModelsListed) -> None:
        self.chat.commands.models_listed(message.models, message.error)

    # -- actions --------------------------------------------------------------------------
    def action_help(self) -> None:
        """F1: keys and commands."""
        from assistant.tui.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_for, str(config_file_path())))

    async def action_quit(self) -> None:
        """Keep the answer in progress (marked incomplete), then leave.

        If the first run's index build is still going, say so: its thread cannot be stopped
        midway and Python waits for it at exit.
        """
        self.library.stop()  # an /add under way ends at its next file or batch
        if sum(chat.keep_partial() for chat in self.chats):
            self.notify("The unfinished answer was saved, marked incomplete.", markup=False)
        if self.index_loading and not self._quit_when_loaded:
            # The build runs in a thread Python waits for at exit: say so instead of freezing.
            self._quit_when_loaded = True
            self.notify(
                "Finishing the index build, then quitting (Ctrl+Q again: quit now, "
                "which still waits for it).",
                timeout=60,
                markup=False,
            )
            return
        self.exit(0)


def check_ollama(llm: Any) -> OllamaState:
    """One look at Ollama: version and models, or why it cannot be reached."""
    try:
        version = llm.version()
        models = llm.list_models()
    except LLMError as err:
        return OllamaState(online=False, error=safe_line(str(err)))
    return OllamaState(
        online=True, version=safe_line(version), models=[safe_line(m) for m in models]
    )


def make_app(
    settings: Settings, engine: Engine | None = None, resume: str | None = None
) -> ResearchApp:
    """The chat app; ``resume`` is ``"latest"``, a conversation id, or ``None``."""
    return ResearchApp(settings, engine, resume)
