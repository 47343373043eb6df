"""One progress display for long commands (ingest, batch, eval): a bar on a terminal's
stderr, nothing elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Bars:
    """Named progress bars; ``update`` is the ``(stage, done, total)`` callback ingest takes."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._tasks: dict[str, Any] = {}

    def update(self, stage: str, done: int, total: int) -> None:
        """Show ``done`` of ``total`` for ``stage`` (a bar per stage, made on first use)."""
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total)
        self._bar.update(self._tasks[stage], completed=done, total=total)

    def advance(self, stage: str, total: int) -> None:
        """One more of ``total`` done for ``stage``."""
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total)
        self._bar.advance(self._tasks[stage])

    def print(self, message: str) -> None:
        """A line above the bars (literal text, never markup)."""
        self._bar.console.print(message, markup=False, highlight=False)


@contextmanager
def progress_bars(enabled: bool, eta: bool = False) -> Iterator[Bars | None]:
    """:class:`Bars` on stderr when ``enabled`` (a terminal), else None."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    columns: list[ProgressColumn] = [
        TextColumn("{task.description:>10}"),
        BarColumn(),
        MofNCompleteColumn(),
    ]
    if eta:
        columns.append(TimeRemainingColumn())
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    with bar:
        yield Bars(bar)
