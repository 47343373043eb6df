"""A source and the papers of an answer: ``/source N``, ``/open N [doi]``, ``/table [N] [all]``.

``/source N`` (Enter on a listed source, a click on ``[n]``) shows source N's passage with
the sentences the answer used highlighted; ``/open N`` opens its file at the passage's page
(without a file here: its DOI), ``/open N doi`` its DOI; ``/table`` (F10) shows the
evidence table of the papers the answer in view cites (``all``: every paper it retrieved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answering.answer import Answer, Source
    from assistant.tui.host import ChatView


class SourceCommands:
    """``cmd_source``, ``cmd_open`` and ``cmd_table``, mixed into the slash commands."""

    screen: ChatView

    def answer_numbered(self, number: int) -> Answer | None:
        """Answer ``number`` of the conversation (1-based), if it is finished."""
        exchanges = self.screen.conversation.exchanges
        return exchanges[number - 1].answer if 1 <= number <= len(exchanges) else None

    def show_source(self, source: Source, number: int | None = None) -> None:
        """The source dialog for ``source`` of answer ``number`` (default: the panel's)."""
        from assistant.tui.source_modal import SourceModal

        number = self.screen.sources_panel.number if number is None else number
        answer = self.answer_numbered(number)
        if answer is not None and all(s.n != source.n for s in answer.sources):
            answer = None  # the panel lists an answer still being written
        titles = self.screen.sources_panel.titles
        self.screen.app.push_screen(SourceModal(source, titles, answer, number))

    def _listed(self, arg: str, usage: str) -> Source | None:
        match = [s for s in self.screen.sources_panel.sources if arg.isdigit() and s.n == int(arg)]
        if not match:
            self.screen.note(usage, error=True)
            return None
        return match[0]

    def cmd_source(self, arg: str) -> None:
        """``/source N`` opens source N of the answer in view (the panel lists them)."""
        source = self._listed(arg, "Usage: /source N, with N one of the listed sources.")
        if source is not None:
            self.show_source(source)

    def cmd_open(self, arg: str) -> None:
        """``/open N``: source N's file at its page (else its DOI); ``/open N doi``."""
        words = arg.lower().split()
        usage = "Usage: /open N [doi], with N one of the listed sources."
        if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("doi", "file")):
            self.screen.note(usage, error=True)
            return
        source = self._listed(words[0], usage)
        if source is not None:
            from assistant.tui.opener import open_source

            open_source(self.screen.app, source, words[1] if len(words) == 2 else "file")

    def cmd_table(self, arg: str) -> None:
        """``/table [N] [all]``: the evidence table of answer N's cited (all) papers."""
        words = arg.lower().split()
        if any(not w.isdigit() and w not in ("all", "cited") for w in words):
            self.screen.note("Usage: /table [N] [all] (answer N; every paper retrieved).", True)
            return
        number = next((int(w) for w in words if w.isdigit()), None)
        self.evidence_table(number, "all" in words)

    def evidence_table(self, number: int | None = None, every: bool = False) -> None:
        """Show the evidence table of answer ``number``'s papers (default: the one in view)."""
        from assistant.tui.evidence_screen import EvidenceScreen

        if number is None:
            view = self.screen.exchange_in_view()
            number = view.number if view is not None else 0
        answer = self.answer_numbered(number)
        if answer is None:
            count = len(self.screen.conversation.exchanges)
            self.screen.note(
                f"There is no answer {number}: this conversation has {count}."
                if number and count
                else "No answer to tabulate yet: ask a question first.",
                error=True,
            )
            return
        cited = set(answer.citations)
        sources = [s for s in answer.sources if every or s.n in cited]
        if not sources:
            self.screen.note(
                f"Answer {number} cites no paper (/table {number} all: every paper it retrieved).",
                error=True,
            )
            return
        ids = list(dict.fromkeys(s.record_id for s in sources))
        which = "retrieved for" if every else "cited by"
        title = f"Evidence table: the {len(ids)} papers {which} answer {number}"
        self.screen.app.push_screen(EvidenceScreen(self._rows_loader(ids), title))

    def _rows_loader(self, ids: list[str]) -> Any:
        app = self.screen.research_app

        def load() -> list[dict[str, Any]]:
            from assistant.answering.evidence import rows_for

            engine = app.get_engine()
            if not hasattr(engine, "retriever"):
                raise RuntimeError("this engine has no index to read the papers' parts from")
            return rows_for(engine, ids)

        return load
