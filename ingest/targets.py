"""Which files an ingest pass looks at: those a watcher saw change (without walking the
folders, when that gives what a walk would), and which vanished or unreadable files keep
their papers."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from pathlib import Path

from index import FileRow
from ingest.readers import Found, _classify, _display, _excluded, _exclusions, path_key


def kept(row: FileRow, old: FileRow | None) -> bool:
    """Whether a file read before is only momentarily unreadable or empty now: its
    paper is kept rather than removed (a sync client rewriting it, a permission flip)."""
    reason = row.reason or ""
    return (
        old is not None
        and old.status == "ok"
        and row.status == "skipped"
        and (reason.startswith("unreadable") or reason == "empty file")
    )


def changed_files(
    roots: list[Path], only: Collection[str], exclude: Sequence[Path]
) -> tuple[list[Found], list[str]] | None:
    """The files among ``only`` as a walk of ``roots`` would find them, and the keys of
    those that are gone; None when a walk is needed (a folder appeared, a path crosses a
    symlink, a root is not a plain folder), so the result always equals the walk's."""
    excluded = _exclusions(exclude)
    folders = []
    for given in roots:
        root = Path(os.path.abspath(given))
        if root.resolve() != root or not root.is_dir() or _excluded(root, excluded):
            return None
        folders.append(root)
    found: list[Found] = []
    missing: list[str] = []
    for raw in sorted(set(only)):
        path = os.path.abspath(raw)
        home = next((r for r in folders if path.startswith(str(r).rstrip(os.sep) + os.sep)), None)
        if home is None:
            return None
        rel = path[len(str(home).rstrip(os.sep)) + 1 :]
        if any(part.startswith(".") for part in rel.split(os.sep)) or _excluded(path, excluded):
            continue  # hidden or the assistant's own: the walk does not read them either
        if not os.path.lexists(path):
            missing.append(path_key(path))
            continue
        if os.path.realpath(path) != path or os.path.isdir(path):
            return None
        found.append(_classify(Path(path), home, _display(path, home)))
    return found, missing


def under(key: str, roots: set[str]) -> bool:
    """Whether the file ``key`` lies in (or is) one of ``roots``."""
    return any(key == r or key.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
