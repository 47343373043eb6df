"""What ingest passes over, and why."""

from __future__ import annotations


class SkipFile(Exception):
    """A file that ingest passes over; ``reason`` is the short phrase the report shows."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
