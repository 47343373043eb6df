"""A source's passage and full metadata, over the chat screen (Escape closes).

From here a ready citation is one key away (A: APA, V: Vancouver, copied to the clipboard),
and O opens the paper's DOI in the browser (or, without a DOI, the file it was read from).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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

# Index bookkeeping, not bibliography: nothing a reader needs in this view.


HINT = "A: copy APA · V: copy Vancouver · O: open DOI/file · ↑ ↓ PgUp PgDn · Escape: close"


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


class SourceModal(ModalScreen[None]):
    """Shows one source; every string from the corpus is shown literally."""

    CSS_PATH = "source_modal.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("a", "cite('apa')", "Copy APA"),
        Binding("v", "cite('vancouver')", "Copy Vancouver"),
        Binding("o", "open", "Open"),
    ]

    def __init__(self, source: Source, titles: TitleBook | None = None) -> None:
        super().__init__()
        self.source = source
        self.titles = titles

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe(label(self.source, self.titles)), id="source-title")
            width = max(len(label) for label, _ in metadata_rows(self.source))
            rows = [
                Content.assemble((label.ljust(width + 2), "bold"), value)
                for label, value in metadata_rows(self.source)
            ]
            # One scroll area for metadata and passage: on a small terminal the metadata
            # alone can fill the dialog, and the passage must still be reachable.
            with VerticalScroll(id="source-body"):
                yield Static(Content("\n").join(rows), id="source-meta")
                yield Static(Content(plain(self.source.text)), id="passage")
            yield Static(HINT, id="source-hint")

    def on_mount(self) -> None:
        self.query_one("#passage").border_title = "Passage shown to the model"
        self.query_one("#source-body").focus()

    def citation(self, style: str) -> str:
        """The source as a ready reference in ``style`` (``apa`` or ``vancouver``)."""
        return CITATION_STYLES[style](self.source, self.titles)

    def action_cite(self, style: str) -> None:
        """Copy a ready citation to the clipboard."""
        self.app.copy_to_clipboard(self.citation(style))
        name = "APA" if style == "apa" else style.capitalize()
        self.notify(f"Copied the {name} citation.", markup=False)

    def target(self) -> str | None:
        """What O opens: the DOI's address, else the source file if it is on this machine."""
        if self.source.doi:
            return f"https://doi.org/{self.source.doi}"
        path = Path(self.source.path or "")
        if self.source.path and path.is_absolute() and path.is_file():
            return path.as_uri() + (f"#page={self.source.page}" if self.source.page else "")
        return None

    def action_open(self) -> None:
        """Open the DOI (or the file) with the system's browser or viewer."""
        target = self.target()
        if target is None:
            self.notify("This source has no DOI and no file here to open.", markup=False)
            return
        self.app.open_url(target)
        self.notify(f"Opening {safe_line(target)}", markup=False)

    def action_close(self) -> None:
        """Back to the conversation."""
        self.dismiss(None)
