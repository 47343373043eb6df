"""One writer at a time: an advisory lock file that names its holder.

Chroma is not safe for two processes writing one folder. Writers take an exclusive
``flock`` on ``write.lock``; readers never touch it. The kernel drops the lock when the
holder dies, even by ``kill -9``, so a crashed run never leaves the store locked.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from vocab.errors import StoreError


class StoreLocked(StoreError):
    """Another process is writing to the same store."""


def _describe_holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another process"
    parts = [f"pid {info.get('pid', '?')}"]
    if info.get("host") and info["host"] != socket.gethostname():
        parts.append(f"on {info['host']}")
    if info.get("command"):
        parts.append(f"`{info['command']}`")
    if info.get("since"):
        parts.append(f"since {info['since']}")
    return "process " + ", ".join(parts)


@contextmanager
def write_lock(directory: Path, wait: float = 2.0, what: str = "") -> Iterator[None]:
    """Hold the store's writer lock, or raise :class:`StoreLocked` after ``wait`` seconds."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "write.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreLocked(
                        f"The index in {directory.parent} is being written by "
                        f"{_describe_holder(path)}; wait for it to finish, or stop it."
                    ) from None
                time.sleep(0.05)
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": what or " ".join(["assistant", *sys.argv[1:]])[:200],
            "since": datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def client_id(folder: Path) -> str:
    """This client's id (which chunks of a shared store are its own), made once and kept
    in ``folder`` beside its manifest."""
    path = folder / "client-id"
    try:
        value = path.read_text(encoding="ascii").strip()
        if re.fullmatch(r"[0-9a-f]{32}", value):
            return value
    except (OSError, UnicodeDecodeError):
        pass
    value = uuid.uuid4().hex
    path.write_text(value + "\n", encoding="ascii")
    return value


def writer_running(directory: Path) -> bool:
    """Whether a writer holds the lock now, asked without taking it or writing anything."""
    try:
        fd = os.open(directory / "write.lock", os.O_RDONLY)
    except OSError:
        return False  # never locked here (or unreadable): nobody is writing
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def known_client_id(folder: Path) -> str:
    """This client's id if it ever wrote (never made here: ``doctor`` only reads)."""
    try:
        return (folder / "client-id").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return "none"
