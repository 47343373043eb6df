"""The conversation: questions and streamed answers, the sources panel, input, status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, OptionList, Static

from assistant.config import Settings
from assistant.conversations import Conversation
from assistant.tui.add_parts import complete as complete_path
from assistant.tui.answer_flow import AnsweringScreen
from assistant.tui.chat_commands import SlashCommands
from assistant.tui.chat_state import ChatState
from assistant.tui.commands import KEYS
from assistant.tui.messages import CitationClicked
from assistant.tui.options import ChatOptions
from assistant.tui.widgets.conversation_log import ConversationLog
from assistant.tui.widgets.history_input import NEWLINE_KEYS, HistoryInput
from assistant.tui.widgets.safe import safe, safe_line
from assistant.tui.widgets.sources_panel import SourcesPanel
from assistant.tui.widgets.status_bar import Banner, StatusBar

if TYPE_CHECKING:
    from assistant.answering.answer import Source
    from assistant.tui.host import ChatHost
    from assistant.tui.widgets.exchange import ExchangeView

WELCOME = (
    "Ask a question about the corpus, e.g. “What do service users value in peer support?”\n"
    "Answers cite their sources as [n]; the sources are listed on the right (Enter opens one).\n"
    "Type /help or press F1 for every key and command."
)


class ChatScreen(AnsweringScreen):
    """The main screen; one instance lives for the whole session."""

    CSS_PATH = "chat_screen.tcss"
    # Below 70 columns the sources panel would leave the answer too little room: it is
    # hidden, and F3 shows it in the conversation's place.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-normal")]
    # Priority: the question box (a TextArea) has its own uses for F6, Ctrl+Y, PageUp…
    BINDINGS = [
        Binding(k.key, k.action, k.label, show=k.show, id=k.id, priority=True) for k in KEYS
    ]

    def __init__(self, settings: Settings, conversation: Conversation | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.conversation = conversation or Conversation()
        options = ChatOptions.restore(self.conversation.options, settings.model, settings.top_k)
        self.set_reactive(ChatState.options, options)
        self.commands = SlashCommands(self)

    @property
    def research_app(self) -> ChatHost:
        """The app, typed."""
        return cast("ChatHost", self.app)

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="tabs", markup=False)
        yield Banner(self.settings.ollama_host, id="banner").data_bind(
            ChatState.options, ChatState.ollama, ChatState.index
        )
        with Horizontal(id="main"):
            with Vertical(id="reading"):
                yield ConversationLog(id="conversation")
                yield Static("↓ new text below · End: jump to it", id="below", markup=False)
            yield SourcesPanel(id="sources")
        yield HistoryInput(
            [e.question for e in self.conversation.exchanges],
            id="prompt",
            placeholder="Ask a question, or type /help (Shift+Enter: new line)",
        )
        yield StatusBar(id="status").data_bind(
            ChatState.options, ChatState.ollama, ChatState.index, ChatState.last
        )
        yield Footer(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        # Focus first: keys typed while a resumed conversation renders land in the box, and
        # so do those typed before this screen was up (the app kept them).
        self.set_focus(self.prompt)
        self.prompt.completer = complete_path
        for key in self.research_app.take_early_keys():
            self.type_into_box(key)
        self.log_view.anchor()  # follow the newest text until the user scrolls up
        self.watch(self.log_view, "scroll_y", self._scrolled, init=False)
        self.watch(self.log_view, "virtual_size", self._grew, init=False)
        self.summarise(self.conversation, self.research_app.show_timings)
        if self.conversation.exchanges:
            # The box first, the answers after the first paint: a long conversation's
            # Markdown would otherwise keep the screen blank (typing meanwhile is kept).
            self.undrawn = True
            count = len(self.conversation.exchanges)
            title = safe_line(self.conversation.title)
            resuming = f"Resuming “{title}” ({count} exchanges)…"
            await self.log_view.mount(Static(resuming, id="resuming", markup=False))
            self.call_after_refresh(self._draw_resumed)
        else:
            await self.show_conversation()

    async def _draw_resumed(self) -> None:
        if self.undrawn:
            await self.show_conversation()

    @property
    def prompt(self) -> HistoryInput:
        """The question box."""
        return self.query_one(HistoryInput)

    @property
    def log_view(self) -> ConversationLog:
        """The scrolling conversation."""
        return self.query_one(ConversationLog)

    @property
    def sources_panel(self) -> SourcesPanel:
        """The sources of the answer in view."""
        return self.query_one(SourcesPanel)

    async def show_conversation(self) -> None:
        """Render ``self.conversation`` from scratch (start, resume, new): the newest
        exchanges now, earlier ones when the reader scrolls up to them."""
        async with self.draw_lock:
            self.undrawn = False
            await self._draw_conversation()

    async def _draw_conversation(self) -> None:
        self.summarise(self.conversation, self.research_app.show_timings)
        if not self.conversation.exchanges:
            await self.log_view.remove_children()
            await self.log_view.mount(Static(WELCOME, id="welcome", markup=False))
            self.sources_panel.show([])
            return
        exchanges, timings = self.conversation.exchanges, self.research_app.show_timings
        self.show_sources_of(await self.log_view.show(exchanges, timings))
        self.follow()
        self.log_view.settle()

    def follow(self) -> None:
        """Scroll to the newest text and follow it again (after a new question or a note)."""
        self.log_view.scroll_end(animate=False)
        self.query_one("#below").set_class(False, "shown")

    def note(self, text: str, error: bool = False) -> None:
        """Command feedback: a toast (seen wherever the view is) and a line in the log."""
        self.log_view.mount(Static(safe(text), classes="note error" if error else "note"))
        self.follow()
        self.app.notify(safe_line(text), severity="error" if error else "information", markup=False)

    # -- the answer in view ---------------------------------------------------------------
    def exchange_in_view(self) -> ExchangeView | None:
        """The answer the user is reading: the newest at the bottom, else the last one whose
        top is above mid-screen."""
        from assistant.tui.widgets.exchange import ExchangeView

        views = list(self.log_view.query_children(ExchangeView))
        log = self.log_view
        top = max(0.0, min(log.scroll_y, log.max_scroll_y))  # anchoring can leave it < 0
        if views and top >= log.max_scroll_y - 1:
            return views[-1]
        middle = top + log.scrollable_content_region.height // 2
        shown = [v for v in views if v.virtual_region.y <= middle]
        return shown[-1] if shown else (views[0] if views else None)

    def at_bottom(self) -> bool:
        """Whether the conversation is scrolled to its end (and so follows new text)."""
        log = self.log_view
        return log.scroll_y >= log.max_scroll_y - 1

    def _grew(self) -> None:
        """New text while the user reads further up: say so at the bottom edge."""
        if not self.at_bottom() and self.job is not None:
            self.query_one("#below").set_class(True, "shown")

    def _scrolled(self) -> None:
        if self.log_view.at_top():
            self.log_view.reached_top(by_user=False)
        if self.at_bottom():
            self.query_one("#below").set_class(False, "shown")
        view = self.exchange_in_view()
        if view is not None and view.answer is not None and view is not self.job_view:
            self.show_sources_of(view)

    def show_sources_of(self, view: ExchangeView) -> None:
        """List ``view``'s sources in the panel (it follows the answer in view)."""
        sources = view.answer.sources if view.answer is not None else view.sources
        self.sources_panel.show(sources, view.number)

    def open_source(self, source: Source) -> None:
        """Show a source's passage (what the answer used highlighted) and metadata."""
        self.commands.show_source(source)

    def on_citation_clicked(self, message: CitationClicked) -> None:
        """A click on ``[n]`` in an answer opens that answer's source n."""
        from assistant.tui.widgets.exchange import ExchangeView

        views = [w for w in message.origin.ancestors if isinstance(w, ExchangeView)]
        if not views:
            return
        view = views[0]
        sources = view.answer.sources if view.answer is not None else view.sources
        match = [s for s in sources if s.n == message.n]
        if match:
            self.show_sources_of(view)
            self.commands.show_source(match[0], view.number)

    # -- asking ---------------------------------------------------------------------------
    async def on_history_input_submitted(self, event: HistoryInput.Submitted) -> None:
        """A question or a slash command."""
        event.stop()
        text = event.value.strip()
        if not text:
            return
        from assistant.tui.commands import parse

        parsed = parse(text)
        if parsed is None and self.job is not None:
            event.box.put_back(event.value)
            self.note(
                "An answer is still being written: press Escape to cancel it first "
                "(your question stays in the box).",
                error=True,
            )
            return
        event.box.remember(text)
        if parsed is not None:
            await self.commands.run(*parsed)
        else:
            await self.ask(text[1:] if text.startswith("//") else text)

    # -- input ----------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the selected source."""
        if event.option_list is self.sources_panel:
            event.stop()
            source = self.sources_panel.source_at(event.option_index)
            if source is not None:
                self.open_source(source)

    def on_key(self, event: events.Key) -> None:
        """Typing while the sources list (or the conversation) has focus goes to the box.

        The box's own keys never get here (it handles them), so a key that does either came
        from another widget, or was already on its way there when an earlier key of the same
        burst moved the focus to the box: that one belongs to the box too, Enter included.
        """
        # ``focused``, not ``has_focus``: the latter changes only once Focus is handled.
        if event.is_printable and event.character:
            if self.focused is not self.prompt:
                self.set_focus(self.prompt)  # now, not later: the next key must find it so
                self.remove_class("-show-sources")
            self.type_into_box(event)
        elif self.focused is self.prompt:
            self.type_into_box(event)

    def type_into_box(self, event: events.Key) -> None:
        """Apply a key meant for the question box that reached the screen instead."""
        box = self.prompt
        if event.is_printable and event.character:
            box.insert(event.character)
        elif event.key == "enter":
            box.submit()
        elif event.key in NEWLINE_KEYS:
            box.insert("\n")
        elif event.key == "backspace":
            box.action_delete_left()
        else:
            return  # anything else keeps its usual meaning (bindings)
        event.stop()
        event.prevent_default()

    # -- key actions ----------------------------------------------------------------------
    def action_cancel_answer(self) -> None:
        """Escape: stop the answer being written; what was shown stays, marked cancelled."""
        if self.job is not None and self.job_view is not None:
            self.job.cancel.set()
            self.job_view.set_status("Cancelling…")

    def action_why(self) -> None:
        """Show the question as it was searched, for the answer in view."""
        self.commands.why()

    def action_toggle_focus(self) -> None:
        """Jump between the input and the sources list (the draft is left as it is); on a
        narrow terminal the list takes the conversation's place meanwhile."""
        to_sources = self.focused is self.prompt
        self.set_class(to_sources, "-show-sources")
        self.set_focus(self.sources_panel if to_sources else self.prompt)

    def action_pick_model(self) -> None:
        """Choose a model from Ollama's list."""
        self.commands.pick_model()

    def action_resume(self) -> None:
        """Choose a saved conversation."""
        self.commands.pick_conversation()

    def action_new_tab(self) -> None:
        """A new conversation in a new tab."""
        self.research_app.open_tab()

    def action_next_tab(self) -> None:
        """The next tab."""
        self.research_app.next_tab()

    def action_papers(self) -> None:
        """Browse the papers in the index."""
        self.commands.pick_paper()

    def action_evidence_table(self) -> None:
        """The evidence table of the papers the answer in view cites."""
        self.commands.evidence_table()

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme (kept for the next start)."""
        self.commands.toggle_theme()

    def action_export(self) -> None:
        """Export Markdown + BibTeX, RIS and CSL-JSON (the cited sources)."""
        self.commands.export()

    def action_copy(self) -> None:
        """Copy the answer in view with its references."""
        self.commands.copy()

    async def action_regenerate(self) -> None:
        """Ask the last question again."""
        await self.regenerate()

    async def action_new(self) -> None:
        """Start a new conversation."""
        await self.commands.new()

    def action_scroll_conversation(self, direction: int) -> None:
        """Page the conversation up or down; a page down that reaches the bottom follows the
        answer again (as the mouse wheel does)."""
        log = self.log_view
        if direction < 0:
            if log.at_top():
                log.reached_top()
            log.scroll_page_up()
        elif log.scroll_target_y + log.scrollable_content_region.height >= log.max_scroll_y - 1:
            # Scrolling to a fixed target would land short of an answer still growing.
            self.follow()
        else:
            log.scroll_page_down()

    def action_newest(self) -> None:
        """End: jump to the newest text and follow it (in a box holding text, its own End)."""
        if self.focused is self.prompt and self.prompt.text:
            self.prompt.action_cursor_line_end()
        else:
            self.follow()
