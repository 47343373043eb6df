"""The evidence table of an answer's papers (F10, ``/table [N] [all]``).

The same rows and columns as ``assistant papers`` (:mod:`assistant.answering.evidence`):
one row per paper the answer cites (``all``: every paper it retrieved), a cell per part,
read from the index in a thread. The row under the cursor is shown in full below the
table, each cell with the sentence it came from; C copies the table as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from assistant.answering.evidence import COLUMNS, markdown, table
from assistant.tui.widgets.safe import safe_line

HINT = "↑↓ choose a paper · C: copy the table as Markdown · Escape: close"
CELL = 38
"""Characters of a cell shown in the table (the row in full is shown below it)."""


def short(text: str, width: int = CELL) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


def detail(row: dict[str, Any], name: str) -> Content:
    """A row in full: each cell's value and the sentence it came from."""
    lines = [Content.assemble((safe_line(name), "bold"))]
    for column in COLUMNS:
        got = row.get(column)
        if not got:
            lines.append(Content.assemble((f"{column}: ", "bold"), ("not reported", "italic")))
            continue
        value, sentence = safe_line(got["value"]), safe_line(got["sentence"])
        line = Content.assemble((f"{column}: ", "bold"), value)
        if sentence and sentence != value:
            line = line + Content.assemble(("  — “", "$text-muted"), (sentence, "$text-muted"))
            line = line + Content.assemble(("”", "$text-muted"))
        lines.append(line)
    return Content("\n").join(lines)


class EvidenceScreen(ModalScreen[None]):
    """The evidence table of some papers; ``load`` reads their rows (in a thread)."""

    CSS_PATH = "evidence_screen.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("c", "copy", "Copy Markdown"),
    ]

    def __init__(self, load: Callable[[], list[dict[str, Any]]], title: str) -> None:
        super().__init__()
        self.load = load
        self.heading = title
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe_line(self.heading), id="evidence-title", markup=False)
            grid: DataTable[Text] = DataTable(id="evidence", cursor_type="row", zebra_stripes=True)
            grid.add_columns("Paper", "Title", *(c.capitalize() for c in COLUMNS))
            yield grid
            with VerticalScroll(id="evidence-detail"):
                yield Static("Reading the papers' parts…", id="evidence-row", markup=False)
            yield Static(HINT, id="evidence-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#evidence", DataTable).focus()
        self.fetch()

    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False)
    def fetch(self) -> None:
        """Read the rows (the engine may open the index first)."""
        try:
            rows = list(self.load())
        except Exception as err:  # noqa: BLE001 - one sentence in the dialog
            self.app.call_from_thread(self._failed, f"{err}")
        else:
            self.app.call_from_thread(self._loaded, rows)

    def _failed(self, error: str) -> None:
        self.query_one("#evidence-row", Static).update(
            safe_line(f"Cannot read the evidence table: {error}")
        )

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        grid = self.query_one("#evidence", DataTable)
        _, lines = table(rows)
        for line in lines:
            grid.add_row(*(Text(short(safe_line(v)) or "—") for v in line))
        if not rows:
            gone = "None of these papers is in the index now."
            self.query_one("#evidence-row", Static).update(gone)
        else:
            self._show(0)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)

    def _show(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            _, lines = table([self.rows[index]])
            name = f"{lines[0][0]} {lines[0][1]}"
            self.query_one("#evidence-row", Static).update(detail(self.rows[index], name))

    def as_markdown(self) -> str:
        """The table as Markdown (one line per paper)."""
        return markdown(*table(self.rows))

    def action_copy(self) -> None:
        """Copy the table as Markdown (for a review's notes)."""
        if not self.rows:
            self.notify("Nothing to copy yet.", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(self.as_markdown())
        self.notify(f"Copied the table of {len(self.rows)} papers as Markdown.", markup=False)

    def action_close(self) -> None:
        """Back to the conversation."""
        self.dismiss(None)
