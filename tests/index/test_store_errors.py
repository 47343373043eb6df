"""A store the file system refuses is not a damaged index: no advice to rebuild it."""

from __future__ import annotations

import errno
from pathlib import Path

from assistant.exits import EXIT_FILESYSTEM, EXIT_STORE
from assistant.exits import exit_code as exit_code_of
from index.store import ChromaStore


def test_a_refusing_file_system_is_exit_6_not_rebuild_advice(tmp_path: Path):
    store = ChromaStore(tmp_path / "chroma", "corpus")
    full = store._open_error(OSError(errno.ENOSPC, "No space left on device"))
    assert exit_code_of(full) == EXIT_FILESYSTEM and "disk is full" in str(full)
    locked = store._open_error(PermissionError(errno.EACCES, "Permission denied"))
    assert exit_code_of(locked) == EXIT_FILESYSTEM and "--rebuild" not in str(locked)
    damaged = store._open_error(ValueError("malformed database schema"))
    assert exit_code_of(damaged) == EXIT_STORE and "--rebuild" in str(damaged)
