"""A snapshot's vector file: unit float32 rows written a block at a time, and the fsync
that makes a finished snapshot safe to swap in."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np


def save_vectors(path: Path, old: Any, keep: np.ndarray, added: np.ndarray) -> None:
    """The kept rows of the old matrix (``old``: the previous snapshot, or None), then the
    added ones as unit vectors, streamed to ``path`` a block at a time (never a second copy
    of the whole matrix in memory)."""
    dim = old.vectors.shape[1] if old is not None and old.vectors is not None else 0
    added = np.asarray(added, dtype=np.float32)
    if added.size == 0:
        added = np.zeros((0, dim), dtype=np.float32)
    elif added.ndim != 2 or (dim and added.shape[1] != dim):
        raise ValueError("vectors of another dimension")
    dim = added.shape[1]
    norms = np.linalg.norm(added, axis=1, keepdims=True)
    added = added / np.where(norms == 0, 1.0, norms)
    n_old = len(keep) if old is not None and old.vectors is not None else 0
    rows = int(np.count_nonzero(keep[:n_old])) + len(added)
    block = 16384  # rows read and written at a time: plain file I/O, nothing mapped
    with open(path, "wb") as out:
        np.lib.format.write_array_header_1_0(
            out, {"descr": "<f4", "fortran_order": False, "shape": (rows, dim)}
        )
        if n_old:
            with open(old.vectors_path, "rb") as src:  # type: ignore[union-attr]
                src.seek(old.vectors_offset)  # type: ignore[union-attr]
                for start in range(0, n_old, block):
                    count = min(block, n_old - start)
                    part = np.fromfile(src, dtype="<f4", count=count * dim).reshape(count, dim)
                    out.write(part[keep[start : start + count]].tobytes())
        out.write(added.astype("<f4").tobytes())


def fsync_tree(directory: Path) -> None:
    """Flush every file so a crash right after the swap never leaves an empty one."""
    for path in directory.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
