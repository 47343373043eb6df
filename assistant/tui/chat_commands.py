"""What each slash command does to the chat screen (``/k 3``, ``/year 2018-2021``…)."""

from __future__ import annotations

import asyncio
import inspect
from typing import TYPE_CHECKING

from assistant.conversations import Conversation, ConversationNotFound, list_conversations, load
from assistant.llm import model_matches
from assistant.tui.answer_commands import AnswerControls
from assistant.tui.appearance import Appearance
from assistant.tui.commands import known
from assistant.tui.options import MAX_K, MODES
from assistant.tui.paper_commands import PaperCommands
from assistant.tui.source_commands import SourceCommands
from assistant.tui.tab_commands import TabCommands

if TYPE_CHECKING:
    from assistant.tui.host import ChatView

_CLEAR = {"", "off", "clear", "none", "-"}


class SlashCommands(AnswerControls, Appearance, PaperCommands, SourceCommands, TabCommands):
    """``cmd_<name>(arg)`` for every command in :data:`assistant.tui.commands.COMMANDS`."""

    def __init__(self, screen: ChatView) -> None:
        self.screen = screen

    async def run(self, name: str, arg: str) -> None:
        """Dispatch ``/name arg``."""
        handler = getattr(self, f"cmd_{name}", None)
        if handler is None or not known(name):
            self.screen.note(f"Unknown command /{name}. Type /help for the list.", error=True)
            return
        result = handler(arg)
        if inspect.isawaitable(result):
            await result

    def _changed(self, text: str, **options: object) -> None:
        """Change the options (the status bar and banner follow them) and say so."""
        self.screen.options = self.screen.options.but(**options)
        self.screen.note(text)

    # -- options --------------------------------------------------------------------------
    async def cmd_help(self, arg: str) -> None:
        """Show the help screen (with the keys as remapped)."""
        await self.screen.app.run_action("help")

    def cmd_model(self, arg: str) -> None:
        """``/model NAME`` switches; ``/model`` lists Ollama's models in a picker."""
        if arg:
            self.set_model(arg)
        else:
            self.pick_model()

    def set_model(self, name: str) -> None:
        """Use ``name`` for the next answers."""
        state = self.screen.research_app.ollama
        if state.online and not any(model_matches(name, m) for m in state.models):
            self._changed(
                f"Model set to {name}, but Ollama does not have it "
                f"(it has: {', '.join(state.models) or 'none'}).",
                model=name,
            )
        else:
            self._changed(f"Model set to {name}.", model=name)

    def pick_model(self) -> None:
        """Fetch Ollama's models (in a worker), then offer them in a picker."""
        self.screen.note("Asking Ollama for its models…")
        self.screen.research_app.list_models()

    def models_listed(self, models: list[str], error: str) -> None:
        """Offer the fetched models (or say why there are none)."""
        from assistant.tui.model_picker import ModelPicker

        if error:
            self.screen.note(f"Cannot list models: {error}", error=True)
        elif not models:
            self.screen.note(
                "Ollama has no models; pull one with `ollama pull llama3.2`.", error=True
            )
        else:
            self.screen.app.push_screen(
                ModelPicker(models, self.screen.options.model), self._model_chosen
            )

    def _model_chosen(self, name: str | None) -> None:
        if name:
            self.set_model(name)

    def cmd_k(self, arg: str) -> None:
        """``/k N``: number of sources per answer."""
        if not arg.isdigit() or not 1 <= int(arg) <= MAX_K:
            self.screen.note(f"Usage: /k N, with N from 1 to {MAX_K}.", error=True)
            return
        self._changed(f"Answers will rest on up to {arg} sources.", k=int(arg))

    def cmd_mode(self, arg: str) -> None:
        """``/mode auto|llm|extractive``."""
        if arg.lower() not in MODES:
            self.screen.note("Usage: /mode auto|llm|extractive.", error=True)
            return
        self._changed(f"Mode: {arg.lower()}.", mode=arg.lower())

    def cmd_year(self, arg: str) -> None:
        """``/year 2018-2021``; ``/year`` alone clears."""
        from assistant.answering.retrieval import Filters

        if arg.lower() in _CLEAR:
            self._changed("Year filter cleared.", year=None)
            return
        try:
            filters = Filters.parse(year=arg)
            lo, hi = filters.year_min, filters.year_max
            if lo is not None and hi is not None and lo > hi:
                raise ValueError("the range runs backwards")
            described = filters.describe()
        except ValueError:
            self.screen.note(
                "Usage: /year 2018, /year 2018-2021 (earlier year first), /year 2018- or "
                "/year -2020; /year alone clears.",
                error=True,
            )
            return
        self._changed(f"Only sources from {described}.", year=arg)

    def cmd_author(self, arg: str) -> None:
        """``/author NAME``; ``/author`` alone clears."""
        if arg.lower() in _CLEAR:
            self._changed("Author filter cleared.", author=None)
        else:
            self._changed(f"Only sources with an author matching {arg}.", author=arg)

    async def cmd_collection(self, arg: str) -> None:
        """``/collection NAME``; ``/collection`` alone clears. A name that is no collection
        of the index's papers is refused, listing the known ones."""
        if arg.lower() in _CLEAR:
            self._changed("Collection filter cleared.", collection=None)
            return
        from assistant.flags import unknown_collection

        def known() -> list[str]:  # the index is read off the UI thread
            papers = self.screen.research_app.get_engine().papers()
            return sorted({c for m in papers for c in m.collections}, key=str.casefold)

        try:
            problem = unknown_collection(arg, await asyncio.to_thread(known))
        except Exception as err:  # noqa: BLE001 - no index yet, a store problem: say so
            problem = f"The collections cannot be read ({err})."
        if problem:
            self.screen.note(problem, error=True)
            return
        self._changed(f"Only papers filed in the collection {arg}.", collection=arg)

    def cmd_filters(self, arg: str) -> None:
        """``/filters`` shows the options; ``/filters clear`` clears the filters."""
        if arg.lower() in _CLEAR - {""}:
            cleared = dict.fromkeys(("year", "author", "paper", "paper_name", "collection"))
            self._changed("Filters cleared.", **cleared)
        else:
            options = self.screen.options
            extra = "".join(
                f"; {what}: {text}"
                for what, text in (("system prompt", options.system), ("style", options.style))
                if text
            )
            self.screen.note(f"Options: model {options.model} · {options.describe()}{extra}")

    def cmd_add(self, arg: str) -> None:
        """``/add PATH``: ingest a file or folder (see :mod:`assistant.tui.library`)."""
        self.screen.research_app.library.add(self.screen, arg)

    # -- the conversation -----------------------------------------------------------------
    def cmd_why(self, arg: str) -> None:
        """Show the standalone question of the last answer."""
        self.why()

    def why(self) -> None:
        """Reveal the ``searched as`` line of the answer in view, and say it in a note."""
        view = self.screen.exchange_in_view()
        if view is None:
            self.screen.note("Nothing has been asked yet.")
            return
        view.show_why()
        searched = view.standalone or view.question
        same = searched == view.question
        read_as = getattr(view, "read_as", None)
        self.screen.note(
            f"Searched as: {searched}"
            + ("  (the question as asked)" if same else "  (rewritten from the follow-up)")
            + (f"; read as: {read_as}" if read_as else "")
        )

    def cmd_copy(self, arg: str) -> None:
        """Copy the answer in view with its references."""
        self.copy()

    def copy(self) -> None:
        """Put the answer in view, with its references, on the clipboard."""
        from assistant.export import exchange_markdown

        view = self.screen.exchange_in_view()
        exchanges = self.screen.conversation.exchanges
        if view is None or not 1 <= view.number <= len(exchanges):
            self.screen.note("Nothing to copy yet: ask a question first.", error=True)
            return
        self.screen.app.copy_to_clipboard(exchange_markdown(exchanges[view.number - 1]))
        self.screen.note(f"Copied answer {view.number} with its references.")

    async def cmd_regenerate(self, arg: str) -> None:
        """Ask the last question again."""
        await self.screen.regenerate()

    def cmd_search(self, arg: str) -> None:
        """``/search TEXT``: pick from the conversations that mention it."""
        self.pick_conversation(arg)

    def cmd_rename(self, arg: str) -> None:
        """``/rename TITLE`` names this conversation (``/rename`` alone: its first question)."""
        self.screen.conversation.name = " ".join(arg.split())[:80]
        if self.screen.conversation.exchanges:
            self.screen.save_conversation()
        self.screen.research_app.refresh_tabs()  # the strip names it
        self.screen.note(f"This conversation is now called: {self.screen.conversation.title}")

    async def cmd_delete(self, arg: str) -> None:
        """``/delete [ID]``: delete a saved conversation (this one without ID)."""
        from assistant.conversations import delete

        current = self.screen.conversation
        target = arg or current.id
        if target == current.id and self.screen.job is not None:
            self.screen.note("An answer is still being written: wait for it first.", error=True)
            return
        try:
            delete(self.screen.settings.chats_dir, target)
        except ConversationNotFound as err:
            if target != current.id or current.exchanges:
                self.screen.note(str(err), error=True)
                return
        if target == current.id:
            await self.switch_to(Conversation())
        self.screen.note(f"Deleted conversation {target}.")

    async def cmd_new(self, arg: str) -> None:
        """Start a new conversation (the current one is already saved)."""
        await self.new()

    async def new(self) -> None:
        """A fresh conversation."""
        if await self.switch_to(Conversation(options=self.screen.options.saved())):
            self.screen.note("New conversation.")

    async def switch_to(self, conversation: Conversation) -> bool:
        """Show ``conversation`` instead of the current one; refused while answering."""
        if self.screen.job is not None:
            # Switching now would drop the answer being written without saving it.
            self.screen.note(
                "An answer is still being written: wait for it, or press Escape to cancel "
                "it, then switch conversations.",
                error=True,
            )
            return False
        self.screen.conversation = conversation
        await self.screen.show_conversation()
        return True

    async def cmd_resume(self, arg: str) -> None:
        """``/resume ID``; ``/resume`` alone offers a picker."""
        if arg:
            await self.resume(arg)
        else:
            self.pick_conversation()

    async def resume(self, conversation_id: str) -> None:
        """Load and show a saved conversation, with the options it was saved with."""
        from assistant.tui.options import ChatOptions

        try:
            conversation = load(self.screen.settings.chats_dir, conversation_id)
        except ConversationNotFound as err:
            self.screen.note(str(err), error=True)
            return
        before = self.screen.options
        if conversation.options:
            self.screen.options = ChatOptions.restore(conversation.options, before.model, before.k)
        if await self.switch_to(conversation):
            self.screen.note(
                f"Resumed conversation {conversation.id} "
                f"(model {self.screen.options.model} · {self.screen.options.describe()})."
            )
        else:
            self.screen.options = before

    def pick_conversation(self, search: str = "") -> None:
        """Offer the saved conversations (those matching ``search``) in a picker."""
        from assistant.tui.resume_picker import ResumePicker

        folder = self.screen.settings.chats_dir
        if not list_conversations(folder):
            self.screen.note("No saved conversations yet.")
            return
        self.screen.app.push_screen(
            ResumePicker(folder, search, self.screen.conversation.id), self._picked
        )

    async def _picked(self, conversation_id: str | None) -> None:
        if conversation_id:
            await self.resume(conversation_id)

    def cmd_export(self, arg: str) -> None:
        """``/export [N] [all]``: Markdown + BibTeX, RIS and CSL-JSON into ``exports/``."""
        words = arg.lower().split()
        number = next((int(w) for w in words if w.isdigit()), None)
        scope = "all" if "all" in words else "cited"
        if any(not w.isdigit() and w not in ("all", "cited") for w in words):
            self.screen.note("Usage: /export [N] [all] (answer N only; every source).", error=True)
            return
        self.export(scope, number)

    def export(self, scope: str = "cited", number: int | None = None) -> None:
        """Export the conversation (or answer ``number``) and say where the files are."""
        from assistant.export import export_files

        conversation = self.screen.conversation
        if not conversation.exchanges:
            self.screen.note("Nothing to export yet: ask a question first.", error=True)
            return
        if number is not None and not 1 <= number <= len(conversation.exchanges):
            self.screen.note(
                f"There is no answer {number}: this conversation has "
                f"{len(conversation.exchanges)}.",
                error=True,
            )
            return
        try:
            files = export_files(conversation, self.screen.settings.home / "exports", scope, number)
        except (OSError, ConversationNotFound) as err:
            self.screen.note(f"Export failed: {err}", error=True)
            return
        which = "every source retrieved" if scope == "all" else "the cited sources"
        others = ", ".join(
            p.suffix if p.suffix != ".json" else ".csl.json" for p in files.paths[2:]
        )
        text = (
            f"Exported to {files.markdown} and {files.bibtex} (also {others}; "
            f"{files.sources} of {which})."
        )
        if self.screen.job is not None:
            text += " The answer still being written is not in it: export again when it is done."
        self.screen.note(text)

    async def cmd_quit(self, arg: str) -> None:
        """Leave the app."""
        await self.screen.app.run_action("quit")
