"""``/papers [TEXT]`` (F8) opens the papers view; ``/paper`` alone asks the whole index again.

A paper chosen there narrows the next questions to it (a filter kept with the conversation,
shown in the status bar) until ``/paper`` or ``/filters clear``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.tui.host import ChatView
    from assistant.tui.papers_screen import Chosen, PaperLike


class PaperCommands:
    """``cmd_papers`` and ``cmd_paper``, mixed into the slash commands."""

    screen: ChatView

    def _changed(self, text: str, **options: object) -> None:
        raise NotImplementedError

    def cmd_papers(self, arg: str) -> None:
        """``/papers [TEXT]``: browse the index (narrowed to TEXT)."""
        self.pick_paper(arg)

    def pick_paper(self, search: str = "") -> None:
        """Open the papers view."""
        from assistant.tui.papers_screen import PapersScreen

        self.screen.app.push_screen(PapersScreen(self._papers, search), self._paper_chosen)

    def _papers(self) -> list[PaperLike]:
        """The engine's papers (in the view's thread)."""
        engine = self.screen.research_app.get_engine()
        papers = getattr(engine, "papers", None)
        if papers is None:
            raise RuntimeError("this version of the engine cannot list its papers yet")
        return list(papers())

    def _paper_chosen(self, chosen: Chosen | None) -> None:
        if chosen is None:
            return
        self._changed(
            f"The next questions are asked about {chosen.name} only "
            "(/paper alone: the whole index again).",
            paper=chosen.record_id,
            paper_name=chosen.name,
        )

    def cmd_paper(self, arg: str) -> None:
        """``/paper`` alone: stop narrowing questions to one paper."""
        if arg:
            self.screen.note("Usage: /paper alone clears; choose a paper with /papers.", error=True)
            return
        self._changed("Questions are asked of the whole index again.", paper=None, paper_name=None)
