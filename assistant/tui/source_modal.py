"""A source's passage and full metadata, over the chat screen (Escape closes).

The passage's sentences that the answer used are highlighted (:mod:`.passage_marks`).
From here a ready citation is one key away (A: APA, V: Vancouver, copied to the clipboard),
O opens the file the source was read from at the passage's page (without a file here: its
DOI) and D its DOI (see :mod:`assistant.tui.opener`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.answering.answer import Source
from assistant.references import CITATION_STYLES, TitleBook, label
from assistant.textsafe import plain
from assistant.tui.widgets.safe import safe, safe_line

if TYPE_CHECKING:
    from assistant.answering.answer import Answer

HINT = "A/V: copy APA/Vancouver · O: open file · D: open DOI · Escape: close"
USED = "bold $text on $warning 35%"
"""How the sentences the answer used are shown in the passage."""


def metadata_rows(source: Source) -> list[tuple[str, str]]:
    """(label, value) pairs: the bibliographic fields, then any other metadata."""
    rows = [
        ("Title", source.title or "(untitled abstract)"),
        ("Authors", "; ".join(source.authors) or "(unknown)"),
        ("Year", str(source.year) if source.year else "(unknown)"),
        ("Venue", source.venue or "(unknown)"),
        ("DOI", f"{source.doi}  (https://doi.org/{source.doi})" if source.doi else "(none)"),
        ("Path", source.path or "(unknown)"),
        ("Record", source.record_id),
        ("Score", f"{source.score:.3f}"),
    ]
    extra: list[tuple[str, Any]] = [
        ("Volume", source.volume),
        ("Pages", source.pages),
        ("Page", source.page),
        ("Language", source.language),
        ("Keywords", "; ".join(source.keywords)),
    ]
    rows += [(label, str(value)) for label, value in extra if value not in (None, "")]
    return [(label, safe_line(value)) for label, value in rows]


def marked_passage(source: Source, answer: Answer | None) -> tuple[Content, int]:
    """The passage as shown, the sentences ``answer`` used highlighted; and how many."""
    from assistant.tui.passage_marks import used_in_passage

    text = plain(source.text)
    spans = used_in_passage(text, answer, source.n)
    content = Content(text)
    for start, end in spans:
        content = content.stylize(USED, start, end)
    return content, len(spans)


class SourceModal(ModalScreen[None]):
    """Shows one source; every string from the corpus is shown literally."""

    CSS_PATH = "source_modal.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("a", "cite('apa')", "Copy APA"),
        Binding("v", "cite('vancouver')", "Copy Vancouver"),
        Binding("o", "open('file')", "Open file"),
        Binding("d", "open('doi')", "Open DOI"),
    ]

    def __init__(
        self,
        source: Source,
        titles: TitleBook | None = None,
        answer: Answer | None = None,
        number: int = 0,
    ) -> None:
        super().__init__()
        self.source = source
        self.titles = titles
        self.answer = answer
        """The answer the source belongs to: the sentences it used are highlighted."""
        self.number = number
        """That answer's number in the conversation (0: unknown)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe(label(self.source, self.titles)), id="source-title")
            width = max(len(label) for label, _ in metadata_rows(self.source))
            rows = [
                Content.assemble((label.ljust(width + 2), "bold"), value)
                for label, value in metadata_rows(self.source)
            ]
            passage, self.marked = marked_passage(self.source, self.answer)
            # One scroll area for metadata and passage: on a small terminal the metadata
            # alone can fill the dialog, and the passage must still be reachable.
            with VerticalScroll(id="source-body"):
                yield Static(Content("\n").join(rows), id="source-meta")
                yield Static(passage, id="passage")
            yield Static(HINT, id="source-hint")

    def on_mount(self) -> None:
        passage = self.query_one("#passage")
        passage.border_title = "Passage shown to the model"
        if self.marked:
            which = f"answer {self.number}" if self.number else "the answer"
            passage.border_subtitle = f"highlighted: what {which} used"
        self.query_one("#source-body").focus()

    def citation(self, style: str) -> str:
        """The source as a ready reference in ``style`` (``apa`` or ``vancouver``)."""
        return CITATION_STYLES[style](self.source, self.titles)

    def action_cite(self, style: str) -> None:
        """Copy a ready citation to the clipboard."""
        self.app.copy_to_clipboard(self.citation(style))
        name = "APA" if style == "apa" else style.capitalize()
        self.notify(f"Copied the {name} citation.", markup=False)

    def action_open(self, want: str) -> None:
        """O: the file at the passage's page (else the DOI); D: the DOI."""
        from assistant.tui.opener import open_source

        open_source(self.app, self.source, want)

    def action_close(self) -> None:
        """Back to the conversation."""
        self.dismiss(None)
