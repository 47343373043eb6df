"""SQLite ``IN (...)`` over many values, in batches below SQLite's variable limit: the one
way the index's SQLite files (manifest, snapshot, catalogue) are asked about a set."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

BATCH = 500  # values per ``IN (...)``

Run = Callable[[str, Sequence[Any]], Iterable[tuple]]


def marks(n: int) -> str:
    """``(?,?,…)`` for ``n`` values."""
    return "(" + ",".join("?" * n) + ")"


def select_in(run: Run, sql: str, values: Iterable[Any]) -> list[tuple]:
    """Rows of ``sql`` for every value, ``{IN}`` in it standing for the value list; ``run``
    executes one statement (a connection's ``execute`` or a snapshot's ``query``).
    Duplicate values are asked once."""
    unique = list(dict.fromkeys(values))
    out: list[tuple] = []
    for start in range(0, len(unique), BATCH):
        part = unique[start : start + BATCH]
        out.extend(run(sql.replace("{IN}", marks(len(part))), part))
    return out


def run_on(db: Any) -> Run:
    """``run`` for a sqlite3 connection."""
    return lambda sql, args: db.execute(sql, tuple(args)).fetchall()
