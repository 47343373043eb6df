"""A source's passage and full metadata, over the chat screen (Escape closes)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.answering.answer import Source
from assistant.textsafe import plain
from assistant.tui.widgets.safe import safe, safe_line

# Index bookkeeping, not bibliography: nothing a reader needs in this view.


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
    ]

    def __init__(self, source: Source) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe(self.source.label()), id="source-title")
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
            yield Static("↑ ↓ PgUp PgDn: scroll · Escape: close", id="source-hint")

    def on_mount(self) -> None:
        self.query_one("#passage").border_title = "Passage shown to the model"
        self.query_one("#source-body").focus()

    def action_close(self) -> None:
        """Back to the conversation."""
        self.dismiss(None)
