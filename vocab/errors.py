"""Errors a user can meet, each one clear sentence.

They live in the shared vocabulary so that every layer that raises them (the index, the
ingest, the assistant) shares one hierarchy; :mod:`assistant.errors` re-exports them beside
the LLM errors. Which exit code each one means is the command line's business
(:mod:`assistant.exits`).
"""

from __future__ import annotations

import errno


class AssistantError(Exception):
    """Base class: ``str(err)`` is the one sentence shown to the user."""


class UsageError(AssistantError):
    """The command line or an input file is wrong."""


class StoreError(AssistantError):
    """The index cannot be opened or written as asked."""


_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS}
_NO_PERMISSION = {errno.EACCES, errno.EPERM}
# What SQLite (the manifest, Chroma) says when the file system refuses it.
_MESSAGES = (
    ("readonly database", "the file system is read-only or not writable"),
    ("read-only file system", "the file system is read-only"),
    ("database or disk is full", "the disk is full"),
    ("no space left on device", "the disk is full"),
    ("disk quota exceeded", "the disk quota is used up"),
)


class FilesystemError(AssistantError):
    """The file system refused a write: the disk is full, it is read-only, or not ours."""


def filesystem_error(err: BaseException, where: str = "a file") -> FilesystemError | None:
    """``err`` as one sentence when the file system refused the work, else None."""
    if isinstance(err, OSError) and err.errno is not None:
        name = str(err.filename) if err.filename is not None else where
        if err.errno in _DISK_FULL:
            return FilesystemError(f"Cannot write {name}: the disk is full; free some space.")
        if err.errno in _READ_ONLY:
            return FilesystemError(f"Cannot write {name}: the file system is read-only.")
        if err.errno in _NO_PERMISSION:
            return FilesystemError(f"Cannot use {name}: permission denied.")
        return None
    text = str(err).lower()
    for marker, reason in _MESSAGES:
        if marker in text:
            return FilesystemError(
                f"Cannot write the assistant's data: {reason} (ASSISTANT_HOME must be a "
                "writable folder with free space)."
            )
    return None
