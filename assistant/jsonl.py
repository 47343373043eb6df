"""Reading JSON Lines where a bad line must be reported by its number, not crash."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from vocab.errors import UsageError


def json_lines(
    lines: Iterable[str | bytes], name: object = "the file"
) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed value or None if not JSON)`` for every non-blank line.

    A line nested deeper than Python's stack can parse is a :class:`UsageError` naming
    ``name`` and the line: it is not a bad line to skip but a file that cannot be read.
    """
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except RecursionError:
            raise UsageError(
                f"Line {n} of {name} is nested too deeply to read (JSON deeper than "
                "Python's recursion limit)."
            ) from None
        except ValueError:
            yield n, None
