"""The conversation: questions and streamed answers, the sources panel, input, status bar."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static

from assistant.config import Settings
from assistant.conversations import Conversation, Exchange, save
from assistant.tui.answering import AnswerJob, failed_answer, run_job
from assistant.tui.chat_commands import SlashCommands
from assistant.tui.messages import AnswerDone, AnswerRetrieved, AnswerStatus, AnswerToken
from assistant.tui.options import ChatOptions
from assistant.tui.widgets.history_input import HistoryInput
from assistant.tui.widgets.safe import safe, safe_line
from assistant.tui.widgets.sources_panel import SourcesPanel
from assistant.tui.widgets.status_bar import StatusBar, banner_text

if TYPE_CHECKING:
    from assistant.events import Turn
    from assistant.tui.app import ResearchApp
    from assistant.tui.widgets.exchange import ExchangeView

WELCOME = (
    "Ask a question about the corpus, e.g. “What do service users value in peer support?”\n"
    "Answers cite their sources as [n]; the sources are listed on the right (Enter opens one).\n"
    "Type /help or press F1 for every key and command."
)


class ChatScreen(Screen[None]):
    """The main screen; one instance lives for the whole session."""

    CSS_PATH = "chat_screen.tcss"
    BINDINGS = [
        Binding("escape", "cancel_answer", "Cancel"),
        Binding("f2", "why", "Why"),
        Binding("f3", "toggle_focus", "Sources"),
        Binding("f4", "pick_model", "Model"),
        Binding("f5", "resume", "Resume"),
        Binding("f6", "export", "Export"),
        Binding("ctrl+n", "new", "New"),
        Binding("pageup", "scroll_conversation(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_conversation(1)", "Scroll down", show=False),
    ]

    def __init__(self, settings: Settings, conversation: Conversation | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.options = ChatOptions(model=settings.model, k=settings.top_k)
        self.conversation = conversation or Conversation()
        self.commands = SlashCommands(self)
        self.job: AnswerJob | None = None
        self.job_view: ExchangeView | None = None
        self._job_ids = itertools.count(1)

    @property
    def research_app(self) -> ResearchApp:
        """The app, typed."""
        return cast("ResearchApp", self.app)

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="banner")
        with Horizontal(id="main"):
            yield VerticalScroll(id="conversation")
            yield SourcesPanel(id="sources")
        yield HistoryInput(
            [e.question for e in self.conversation.exchanges],
            id="prompt",
            placeholder="Ask a question, or type /help",
        )
        yield StatusBar(id="status")
        yield Footer()

    async def on_mount(self) -> None:
        self.refresh_status()
        self.refresh_banner()
        await self.show_conversation()
        self.query_one(HistoryInput).focus()

    @property
    def log_view(self) -> VerticalScroll:
        """The scrolling conversation."""
        return self.query_one("#conversation", VerticalScroll)

    @property
    def sources_panel(self) -> SourcesPanel:
        """The current answer's sources."""
        return self.query_one(SourcesPanel)

    async def show_conversation(self) -> None:
        """Render ``self.conversation`` from scratch (start, resume, new)."""
        await self.log_view.remove_children()
        if not self.conversation.exchanges:
            await self.log_view.mount(Static(WELCOME, id="welcome", markup=False))
            self.sources_panel.show([])
            return
        for exchange in self.conversation.exchanges:
            from assistant.tui.widgets.exchange import ExchangeView

            view = ExchangeView(exchange.question)
            await self.log_view.mount(view)
            await view.finish(exchange.answer, exchange.cancelled, self.research_app.show_timings)
        self.sources_panel.show(self.conversation.exchanges[-1].answer.sources)
        self.follow(force=True)
        self.refresh_status()

    def follow(self, force: bool = False) -> None:
        """Keep the newest text in view, unless the user has scrolled up to read."""
        log = self.log_view
        if force or log.scroll_y >= log.max_scroll_y - 1:
            self.call_after_refresh(log.scroll_end, animate=False, immediate=True)

    def note(self, text: str, error: bool = False) -> None:
        """A line from the assistant itself (command feedback) in the conversation."""
        line = Static(safe(text), classes="note error" if error else "note")
        self.log_view.mount(line)
        self.follow(force=True)

    # -- status ---------------------------------------------------------------------------
    def refresh_status(self) -> None:
        """Re-render the status bar from the app's state and the options."""
        if not self.query(StatusBar):
            return  # not composed yet: on_mount renders it
        app = self.research_app
        last = ""
        if self.conversation.exchanges:
            ex = self.conversation.exchanges[-1]
            from assistant.tui.widgets.exchange import answer_summary

            last = answer_summary(ex.answer, ex.cancelled, app.show_timings)
        self.query_one(StatusBar).set(
            model=self.options.model,
            ollama=app.ollama,
            index=app.index_text or "index: loading…",
            options=self.options.describe(),
            last=last,
        )

    def refresh_banner(self) -> None:
        """Explain, at the top, why answers are extractive (Ollama down, model missing)."""
        if not self.query("#banner"):
            return
        app, banner = self.research_app, self.query_one("#banner", Static)
        text = banner_text(
            app.ollama, self.options.model, self.settings.ollama_host, app.index_error
        )
        banner.update(safe(text))
        banner.set_class(bool(text), "shown")

    # -- asking ---------------------------------------------------------------------------
    def history(self) -> list[Turn]:
        """Earlier exchanges as the engine takes them for follow-ups."""
        from assistant.events import Turn

        return [
            Turn(e.question, e.answer.answer)
            for e in self.conversation.exchanges
            if e.answer.answer.strip() and not e.answer.error
        ]

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        """A question or a slash command."""
        event.stop()
        text = event.value.strip()
        event.input.value = ""
        if not text:
            return
        self.query_one(HistoryInput).remember(text)
        from assistant.tui.commands import parse

        parsed = parse(text)
        if parsed is not None:
            await self.commands.run(*parsed)
        else:
            await self.ask(text[1:] if text.startswith("//") else text)

    async def ask(self, question: str) -> None:
        """Start answering ``question`` in a worker."""
        if self.job is not None:
            self.note(
                "An answer is still being written: press Escape to cancel it first "
                "(Up brings your question back).",
                error=True,
            )
            return
        job = AnswerJob(next(self._job_ids), question, self.history(), self.options.ask_options())
        from assistant.tui.widgets.exchange import ExchangeView

        view = ExchangeView(question, job.id)
        for welcome in self.query("#welcome"):
            await welcome.remove()
        await self.log_view.mount(view)
        view.set_status("Starting…" if self.research_app.index_text else "Loading the index…")
        self.follow(force=True)
        self.job, self.job_view = job, view
        self.run_answer(job)

    @work(thread=True, exclusive=True, group="answer", exit_on_error=False)
    def run_answer(self, job: AnswerJob) -> None:
        """Worker: stream the answer (see :mod:`assistant.tui.answering`)."""
        try:
            run_job(self.research_app.get_engine(), job, self.post_message)
        except Exception as err:  # noqa: BLE001 - never leave the question hanging
            self.post_message(AnswerDone(job.id, failed_answer(job, err), False))

    def drop_job(self) -> None:
        """Cancel the answer in progress and ignore whatever it still sends."""
        if self.job is not None:
            self.job.cancel.set()
        self.job = self.job_view = None

    def _view_for(self, job: int) -> ExchangeView | None:
        return self.job_view if self.job is not None and self.job.id == job else None

    def on_answer_status(self, message: AnswerStatus) -> None:
        """Show what the engine is doing."""
        if (view := self._view_for(message.job)) is not None:
            view.set_status(message.text)

    def on_answer_retrieved(self, message: AnswerRetrieved) -> None:
        """List the sources as soon as they are known."""
        if (view := self._view_for(message.job)) is not None:
            view.set_standalone(message.standalone)
            self.sources_panel.show(message.sources)

    async def on_answer_token(self, message: AnswerToken) -> None:
        """Append streamed text."""
        if (view := self._view_for(message.job)) is not None:
            self.follow()
            await view.append(message.text)

    async def on_answer_done(self, message: AnswerDone) -> None:
        """Show the final answer, list its sources, save the conversation."""
        job, view = self.job, self._view_for(message.job)
        if view is None:
            return
        conversation = self.conversation  # /new or a resume may swap it while we await
        conversation.exchanges.append(Exchange(view.question, message.answer, message.cancelled))
        self.job_view = None  # Escape has nothing left to cancel
        await view.finish(message.answer, message.cancelled, self.research_app.show_timings)
        if self.job is job:
            self.sources_panel.show(message.answer.sources)
            self.job = None  # last: "no job" means the exchange is complete on screen
        self.save_conversation(conversation)
        self.refresh_status()
        self.follow()

    def save_conversation(self, conversation: Conversation | None = None) -> None:
        """Write the conversation to ``chats/`` (atomically)."""
        try:
            save(conversation or self.conversation, self.settings.chats_dir)
        except OSError as err:
            self.notify(
                f"Could not save the conversation: {safe_line(str(err))}",
                severity="error",
                markup=False,
            )

    # -- sources --------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the selected source."""
        if event.option_list is self.sources_panel:
            event.stop()
            source = self.sources_panel.source_at(event.option_index)
            if source is not None:
                from assistant.tui.source_modal import SourceModal

                self.app.push_screen(SourceModal(source))

    # -- key actions ----------------------------------------------------------------------
    def action_cancel_answer(self) -> None:
        """Escape: stop the answer being written; what was shown stays, marked cancelled."""
        if self.job is not None and self.job_view is not None:
            self.job.cancel.set()
            self.job_view.set_status("Cancelling…")

    def action_why(self) -> None:
        """Show the question as it was searched, for the last answer."""
        self.commands.why()

    def action_toggle_focus(self) -> None:
        """Jump between the input and the sources list."""
        target = self.sources_panel if self.query_one(HistoryInput).has_focus else None
        (target or self.query_one(HistoryInput)).focus()

    def action_pick_model(self) -> None:
        """Choose a model from Ollama's list."""
        self.commands.pick_model()

    def action_resume(self) -> None:
        """Choose a saved conversation."""
        self.commands.pick_conversation()

    def action_export(self) -> None:
        """Export Markdown + BibTeX."""
        self.commands.export()

    async def action_new(self) -> None:
        """Start a new conversation."""
        await self.commands.new()

    def action_scroll_conversation(self, direction: int) -> None:
        """Page the conversation up or down."""
        if direction < 0:
            self.log_view.scroll_page_up()
        else:
            self.log_view.scroll_page_down()
