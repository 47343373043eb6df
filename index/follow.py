"""Following the index from a long-lived reader (the chat): has a writer published?

Any writer (``ingest``, ``ingest --watch``, the chat's own ``/add``) ends by publishing a
new generation, whose snapshot header names it. :class:`GenerationWatch` compares that
header with the one it last saw: one small file read, no index opened, nothing held, so
a UI can ask every second. A reader built on the generation before keeps answering from
it; the next reader opened (``Runtime.retriever()`` does so per question when the
version moved) sees the new papers.
"""

from __future__ import annotations

import threading
from typing import Protocol


class _Versioned(Protocol):
    def version(self) -> tuple[str, int] | None: ...


class GenerationWatch:
    """Tells whether the index has a newer generation than when last asked."""

    def __init__(self, index: _Versioned) -> None:
        self._index = index
        self.seen = index.version()

    def changed(self) -> bool:
        """True once for each newly published generation (cheap: reads one header)."""
        now = self._index.version()
        if now == self.seen:
            return False
        self.seen = now
        return True

    def wait(self, stop: threading.Event, interval: float = 1.0) -> bool:
        """Block until a new generation is published (True) or ``stop`` is set (False),
        looking every ``interval`` seconds; for a UI's background thread."""
        while not stop.is_set():
            if self.changed():
                return True
            stop.wait(interval)
        return False
