"""The papers view (F8, ``/papers [TEXT]``): the index's papers by author, year, venue and
title; type to narrow, Enter to ask about one, O to open its DOI or file.

The list comes from the engine (``Engine.papers()``, one entry per record, read in a
thread); each entry needs ``record_id``, ``title``, ``authors``, ``year``, ``venue``,
``doi`` and ``path`` (the index's ``ChunkMeta`` has them all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from assistant.references import short_authors
from assistant.tui.widgets.safe import safe_line
from vocab.textfold import fold

SORTS = ("author", "year", "venue", "title")
HINT = "type to narrow · ↑↓ choose · Enter ask about it · Ctrl+O open DOI/file · Ctrl+S sort · Esc"


class PaperLike(Protocol):
    """What the papers view reads of an entry."""

    record_id: str
    title: str | None
    authors: Sequence[str]
    year: int | None
    venue: str | None
    doi: str | None
    path: str | None


@dataclass(frozen=True)
class Chosen:
    """The paper to ask about: its record id and a short name for the status bar."""

    record_id: str
    name: str


def short_name(paper: PaperLike) -> str:
    """``Strand et al. 2018``: the short reference's names, as sources name them."""
    return safe_line(f"{short_authors(paper.authors)} {paper.year or 'n.d.'}")


def row(paper: PaperLike) -> tuple[str, str, str, str]:
    """(authors, year, venue, title) as shown, made safe."""
    authors = "; ".join(paper.authors[:3]) + ("; …" if len(paper.authors) > 3 else "")
    return (
        safe_line(authors or "—")[:40],
        str(paper.year or "—"),
        safe_line(paper.venue or "—")[:40],
        safe_line(paper.title or "(untitled)")[:120],
    )


def sort_key(how: str) -> Callable[[PaperLike], Any]:
    """How to order papers for ``how`` (one of :data:`SORTS`): accents folded (Åkerblom
    with the A's), an unknown value last."""
    if how == "year":
        return lambda p: (p.year is None, -(p.year or 0), fold(row(p)[0]))
    column = {"author": 0, "venue": 2, "title": 3}[how]
    return lambda p: (row(p)[column] in ("—", "(untitled)"), fold(row(p)[column]), -(p.year or 0))


class PapersScreen(ModalScreen[Chosen | None]):
    """Every paper in the index; returns the one to ask about, or ``None``."""

    CSS_PATH = "papers_screen.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+o", "open", "Open"),
        Binding("ctrl+s", "sort", "Sort"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, load: Callable[[], list[PaperLike]], search: str = "") -> None:
        super().__init__()
        self.load = load
        self.search = search
        self.papers: list[PaperLike] = []
        self.shown: list[PaperLike] = []
        self.sort = "author"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Papers in the index", id="papers-title")
            yield Input(self.search, placeholder="author, year, venue or title words", id="filter")
            table: DataTable[str] = DataTable(id="papers", cursor_type="row", zebra_stripes=True)
            table.add_columns("Authors", "Year", "Venue", "Title")
            yield table
            yield Static("Loading the papers…", id="papers-count", markup=False)
            yield Static(HINT, id="papers-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#filter", Input).focus()
        self.fetch()

    @work(thread=True, exclusive=True, group="papers", exit_on_error=False)
    def fetch(self) -> None:
        """Read the papers (the engine may open the index first)."""
        try:
            papers = list(self.load())
        except Exception as err:  # noqa: BLE001 - one sentence in the dialog
            self.app.call_from_thread(self._failed, f"{err}")
        else:
            self.app.call_from_thread(self._loaded, papers)

    def _failed(self, error: str) -> None:
        self.query_one("#papers-count", Static).update(safe_line(f"Cannot list papers: {error}"))

    def _loaded(self, papers: list[PaperLike]) -> None:
        self.papers = papers
        self.refill()

    @on(Input.Changed, "#filter")
    def _narrow(self) -> None:
        self.refill()

    def refill(self) -> None:
        """Show the papers matching every word typed, in the chosen order."""
        needles = self.query_one("#filter", Input).value.casefold().split()
        found = [p for p in self.papers if all(n in " ".join(row(p)).casefold() for n in needles)]
        self.shown = sorted(found, key=sort_key(self.sort))
        table = self.query_one("#papers", DataTable)
        table.clear()
        for paper in self.shown:
            table.add_row(*row(paper))
        self.query_one("#papers-count", Static).update(
            f"{len(self.shown)} of {len(self.papers)} papers · sorted by {self.sort}"
        )

    def current(self) -> PaperLike | None:
        """The paper under the cursor."""
        table = self.query_one("#papers", DataTable)
        index = table.cursor_row
        return self.shown[index] if 0 <= index < len(self.shown) else None

    def action_move(self, step: int) -> None:
        """Up and Down move in the list while the filter keeps the keyboard."""
        table = self.query_one("#papers", DataTable)
        if self.shown:
            table.move_cursor(row=max(0, min(len(self.shown) - 1, table.cursor_row + step)))

    def action_sort(self) -> None:
        """Next order: author, year (newest first), venue, title."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refill()

    @on(DataTable.HeaderSelected)
    def _sort_by(self, event: DataTable.HeaderSelected) -> None:
        self.sort = SORTS[event.column_index % len(SORTS)]
        self.refill()

    @on(Input.Submitted, "#filter")
    @on(DataTable.RowSelected)
    def _chosen(self) -> None:
        paper = self.current()
        if paper is not None:
            self.dismiss(Chosen(paper.record_id, short_name(paper)))

    def action_open(self) -> None:
        """Open the paper's DOI, else its file when it is on this machine (as a source's
        dialog does: :func:`assistant.tui.opener.open_source`)."""
        from assistant.tui.opener import open_source

        paper = self.current()
        if paper is not None:
            open_source(self.app, paper, "doi" if paper.doi else "file")

    def action_close(self) -> None:
        """Back to the conversation."""
        self.dismiss(None)
