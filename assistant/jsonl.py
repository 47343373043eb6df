"""Reading JSON Lines where a bad line must be reported by its number, not crash."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


def json_lines(lines: Iterable[str | bytes]) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed value or None if not JSON)`` for every non-blank line."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except ValueError:
            yield n, None
