"""The answering half of the chat screen: ask, stream, finish, save, keep on quit.

:class:`~assistant.tui.chat_screen.ChatScreen` builds on it and supplies the views
(declared below) that the answer flow draws into.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from typing import TYPE_CHECKING

from textual import work
from textual.containers import VerticalScroll

from assistant.answering.answer import Answer
from assistant.config import Settings
from assistant.conversations import Conversation, Exchange, save
from assistant.tui.answering import AnswerJob, run_job
from assistant.tui.chat_state import ChatState
from assistant.tui.messages import AnswerDone, AnswerRetrieved, AnswerStatus, AnswerToken
from assistant.tui.options import ChatOptions
from assistant.tui.widgets.safe import safe_line
from assistant.tui.widgets.sources_panel import SourcesPanel

if TYPE_CHECKING:
    from assistant.answering.engine import Turn
    from assistant.tui.host import ChatHost
    from assistant.tui.widgets.exchange import ExchangeView

log = logging.getLogger(__name__)
BUILDING = "Still loading the index (a first run embeds the corpus first; this takes a while)…"


class AnsweringScreen(ChatState):
    """Runs one answer at a time in a worker and keeps the conversation saved."""

    settings: Settings
    conversation: Conversation

    def __init__(self) -> None:
        super().__init__()
        self.job: AnswerJob | None = None
        self.job_view: ExchangeView | None = None
        self._job_ids = itertools.count(1)
        self.draw_lock = asyncio.Lock()
        """Held while the conversation is drawn (a redraw waits for the one under way)."""
        self.undrawn = False
        """The conversation shown is not drawn yet (a resume draws it after the first paint)."""

    # -- supplied by the chat screen --------------------------------------------------------
    @property
    def research_app(self) -> ChatHost:
        """The app, typed."""
        raise NotImplementedError

    @property
    def log_view(self) -> VerticalScroll:
        """The scrolling conversation."""
        raise NotImplementedError

    @property
    def sources_panel(self) -> SourcesPanel:
        """The sources of the answer in view."""
        raise NotImplementedError

    def follow(self) -> None:
        """Scroll to the newest text."""
        raise NotImplementedError

    def note(self, text: str, error: bool = False) -> None:
        """Feedback for the user."""
        raise NotImplementedError

    async def show_conversation(self) -> None:
        """Render the conversation from scratch."""
        raise NotImplementedError

    def show_sources_of(self, view: ExchangeView) -> None:
        """List ``view``'s sources in the panel."""
        raise NotImplementedError

    def exchange_in_view(self) -> ExchangeView | None:
        """The answer the user is reading."""
        raise NotImplementedError

    # -- the answer flow --------------------------------------------------------------------
    def history(self, upto: int | None = None) -> list[Turn]:
        """Earlier exchanges (the first ``upto``) as the engine takes them for follow-ups."""
        from assistant.answering.engine import Turn

        return [
            Turn(e.question, e.answer.answer)
            for e in self.conversation.exchanges[:upto]
            if e.answer.answer.strip() and not e.answer.error
        ]

    async def ask(self, question: str, options: ChatOptions | None = None) -> None:
        """Start answering ``question`` in a worker (with ``options``: the current ones)."""
        if self.job is not None:
            self.note("An answer is still being written: press Escape to cancel it first.")
            return
        if self.undrawn:  # asked before a resumed conversation was drawn: draw it first
            await self.show_conversation()
        options = options or self.options
        job = AnswerJob(
            next(self._job_ids),
            question,
            self.history(),
            options.ask_options(),
            asked_with=options.saved(),
        )
        from assistant.tui.widgets.exchange import ExchangeView

        view = ExchangeView(question, job.id, number=len(self.conversation.exchanges) + 1)
        for welcome in self.query("#welcome"):
            await welcome.remove()
        await self.log_view.mount(view)
        view.set_status(self._starting_text())
        self.follow()
        self.job, self.job_view = job, view
        self.run_answer(job)

    async def regenerate(self) -> None:
        """Ask the last question again; its new answer replaces the old one."""
        if self.job is not None:
            self.note("An answer is still being written: wait for it first.", error=True)
            return
        if not self.conversation.exchanges:
            self.note("Nothing to regenerate yet: ask a question first.", error=True)
            return
        last = self.conversation.exchanges[-1]
        number = len(self.conversation.exchanges)
        if last.options:
            current = self.options
            options = ChatOptions.restore(last.options, current.model, current.k)
            said = f"Regenerating answer {number} with the options it was asked with"
        else:  # saved before exchanges kept their options
            options = self.options
            said = (
                f"Answer {number} was saved without its options: "
                "regenerating it with the current ones"
            )
        self.conversation.exchanges.pop()
        await self.show_conversation()
        self.note(f"{said} (model {options.model} · {options.describe()}).")
        await self.ask(last.question, options)

    def _starting_text(self) -> str:
        app = self.research_app
        if app.index_loading and not app.index_text:
            return BUILDING
        return "Starting…" if app.index_text else "Loading the index…"

    @work(thread=True, exclusive=True, group="answer", exit_on_error=False)
    def run_answer(self, job: AnswerJob) -> None:
        """Worker: stream the answer (see :mod:`assistant.tui.answering`)."""
        try:
            run_job(self.research_app.get_engine(), job, self.post_message)
        except Exception as err:  # noqa: BLE001 - never leave the question hanging
            # The engine reports its own failures; this is the engine failing to start.
            log.error("answer worker failed", exc_info=err)
            detail = f"Internal error while answering ({type(err).__name__}: {err})."
            self.post_message(AnswerDone(job.id, Answer.failed(job.question, detail), False))

    def drop_job(self) -> None:
        """Cancel the answer in progress and ignore whatever it still sends."""
        if self.job is not None:
            self.job.cancel.set()
        self.job = self.job_view = None

    def keep_partial(self) -> bool:
        """Save the answer being written as it stands (marked incomplete); on quit."""
        job, view = self.job, self.job_view
        if job is None or view is None:
            return False
        model = job.options.model if job.options.mode != "extractive" else None
        answer = Answer.interrupted(
            job.question, view.sources, view.standalone, view.partial, model
        )
        exchange = Exchange(job.question, answer, cancelled=True, options=job.asked_with)
        self.conversation.exchanges.append(exchange)
        self.drop_job()
        self.save_conversation()
        return True

    def _view_for(self, job: int) -> ExchangeView | None:
        return self.job_view if self.job is not None and self.job.id == job else None

    def on_answer_status(self, message: AnswerStatus) -> None:
        """Show what the engine is doing (and that a first run is still building the index)."""
        if (view := self._view_for(message.job)) is not None:
            app = self.research_app
            building = app.index_loading and not app.index_text
            view.set_status(f"{message.text} {BUILDING}" if building else message.text)

    def on_answer_retrieved(self, message: AnswerRetrieved) -> None:
        """List the sources as soon as they are known."""
        if (view := self._view_for(message.job)) is not None:
            view.set_standalone(message.standalone)
            view.sources = list(message.sources)
            self.sources_panel.show(message.sources, view.number)

    async def on_answer_token(self, message: AnswerToken) -> None:
        """Append streamed text (the anchored log follows it unless the user scrolled up)."""
        if (view := self._view_for(message.job)) is not None:
            await view.append(message.text)

    async def on_answer_done(self, message: AnswerDone) -> None:
        """Show the final answer, list its sources, save the conversation."""
        view = self._view_for(message.job)
        if view is None:
            return
        conversation = self.conversation  # /new or a resume may swap it while we await
        asked_with = self.job.asked_with if self.job is not None else {}
        exchange = Exchange(view.question, message.answer, message.cancelled, options=asked_with)
        conversation.exchanges.append(exchange)
        # Free for the next question at once: drawing a long answer takes a moment.
        self.job = self.job_view = None
        self.save_conversation(conversation)
        self.research_app.refresh_tabs()  # a first question names the tab
        await view.finish(message.answer, message.cancelled, self.research_app.show_timings)
        if self.exchange_in_view() is view or self.job is None:
            self.show_sources_of(view)
        if conversation is self.conversation:
            self.summarise(conversation, self.research_app.show_timings)

    def save_conversation(self, conversation: Conversation | None = None) -> None:
        """Write the conversation (with the options in use) to ``chats/``, atomically."""
        conversation = conversation or self.conversation
        if conversation is self.conversation:
            conversation.options = self.options.saved()
        try:
            save(conversation, self.settings.chats_dir)
        except OSError as err:
            self.notify(
                f"Could not save the conversation: {safe_line(str(err))}",
                severity="error",
                markup=False,
            )
