"""The list of the current answer's sources, as ``[n] Author et al. (Year) Title``."""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from assistant.answering.answer import Source
from assistant.references import TitleBook, label
from assistant.tui.widgets.safe import safe


class SourcesPanel(OptionList):
    """Selecting an entry (Enter or click) posts ``OptionSelected``; the screen opens it."""

    DEFAULT_CSS = """
    SourcesPanel {
        height: 1fr;
        border: round $primary 50%;
        border-title-color: $text;
    }
    SourcesPanel:focus { border: round $primary; }
    SourcesPanel > .option-list--option { padding: 0 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.sources: list[Source] = []
        self.number = 0
        """Which answer of the conversation the sources belong to (0: none)."""
        self.border_title = "Sources"
        self.titles = TitleBook()
        """One pseudo-title per untitled paper, for the whole session."""

    def show(self, sources: list[Source], number: int = 0) -> None:
        """List ``sources`` of answer ``number`` (literal text, escapes stripped)."""
        if number == self.number and [self.label(s) for s in sources] == [
            self.label(s) for s in self.sources
        ]:
            return  # scrolling within one answer: keep the highlight where the user put it
        self.sources, self.number = list(sources), number
        self.clear_options()
        self.add_options([Option(safe(self.label(s)), id=f"source-{s.n}") for s in self.sources])
        self.border_title = f"Sources of answer {number}" if number and sources else "Sources"
        self.border_subtitle = f"{len(self.sources)}" if self.sources else ""
        if self.sources:
            self.highlighted = 0

    def label(self, source: Source) -> str:
        """``[n] Strand et al. (2018) Title`` (an untitled paper named the same every time)."""
        return label(source, self.titles)

    def source_at(self, index: int) -> Source | None:
        """The source shown at ``index``."""
        return self.sources[index] if 0 <= index < len(self.sources) else None
