"""What the index writer is handed and what it gives back: the owner it writes for (as a
protocol, so the writer never imports it), the result of a finished write, and paged
deletes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from index.manifest import Manifest

DELETE_PAGE = 5000


class WriterHost(Protocol):
    """What the writer needs of the index that made it (:class:`index.core.Index`),
    handed in rather than imported, so the writer does not depend on its owner."""

    @property
    def shared(self) -> bool: ...

    def roots(self) -> list[str]: ...

    def set_roots(self, roots: list[str]) -> None: ...

    def publish(
        self, col: Any, manifest: Manifest, changed: bool, touched: set[str] | None = None
    ) -> int: ...


@dataclass
class Published:
    """What a finished write left in the index."""

    generation: int
    records: int
    chunks: int


def delete_ids(col: Any, ids: list[str]) -> None:
    """Delete ``ids`` from ``col`` a page at a time."""
    for start in range(0, len(ids), DELETE_PAGE):
        col.delete(ids=ids[start : start + DELETE_PAGE])
