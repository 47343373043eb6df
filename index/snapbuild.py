"""Making a generation's snapshot from the store: whole, from every chunk Chroma holds (the
source of truth), or updated with only what a write changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from index.lexical import CorpusSnapshot
from index.manifest import Manifest
from vocab.errors import StoreError

VECTOR_PAGE = 5000  # vectors read from Chroma per call when saving a snapshot


def store_rows(col: Any, vectors: bool = False) -> Iterator[tuple[str, str, dict[str, Any], Any]]:
    """Every chunk Chroma holds (the source of truth), a page at a time."""
    total = col.count()
    page = 5000
    include = ["documents", "metadatas", *(["embeddings"] if vectors else [])]
    for offset in range(0, total, page):
        got = col.get(include=include, limit=page, offset=offset)
        embs = got["embeddings"] if vectors else [None] * len(got["ids"])
        for cid, text, meta, vec in zip(
            got["ids"], got["documents"], got["metadatas"], embs, strict=True
        ):
            yield cid, text or "", dict(meta or {}), vec


def snapshot_from_store(
    col: Any, generation: int, where: Path, stamp: dict[str, Any], keep_vectors: bool
) -> None:
    """Rebuild the lexical side from what Chroma holds, texts included (and, for an
    embedded store, ``keep_vectors``, the vectors)."""
    rows = sorted(
        store_rows(col, keep_vectors),
        key=lambda r: (r[2].get("record_id", ""), r[2].get("chunk", 0), r[0]),
    )
    vectors = np.asarray([r[3] for r in rows], np.float32) if keep_vectors else None
    CorpusSnapshot.create(
        where, generation, stamp, [r[:3] for r in rows], keep_text=True, vectors=vectors
    )


def vectors_of(col: Any, chunk_ids: list[str]) -> np.ndarray:
    """Chroma's vectors of these chunks, in this order (StoreError if one is missing);
    filled page by page into one array."""
    if not chunk_ids:
        return np.zeros((0, 0), dtype=np.float32)
    where = {cid: row for row, cid in enumerate(chunk_ids)}
    out: np.ndarray | None = None
    filled = np.zeros(len(chunk_ids), dtype=bool)
    for start in range(0, len(chunk_ids), VECTOR_PAGE):
        got = col.get(ids=chunk_ids[start : start + VECTOR_PAGE], include=["embeddings"])
        for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
            if out is None:
                out = np.empty((len(chunk_ids), len(vec)), dtype=np.float32)
            out[where[cid]] = vec
            filled[where[cid]] = True
    if out is None or not filled.all():
        missing = len(chunk_ids) - int(filled.sum())
        raise StoreError(f"{missing} chunks have no vector in the store.")
    return out


def update_snapshot(
    directory: Path,
    col: Any,
    manifest: Manifest,
    gen: int,
    stamp: dict[str, Any],
    touched: set[str],
) -> bool:
    """Apply what changed since the snapshot saved in ``directory``; False when it cannot
    be (then it is rebuilt)."""
    old = CorpusSnapshot.load(directory)
    if old is None or old.vectors is None:
        return False  # none, or made before snapshots kept vectors: rebuild
    before = {c for (c,) in old.query("SELECT chunk_id FROM chunks")}
    now = manifest.chunk_ids()
    removed = (before - now) | (touched & before)
    added = manifest.chunks(sorted((now - before) | (touched & now)))
    vectors = vectors_of(col, [r[0] for r in added])
    rows = [(r[0], r[1], r[3]) for r in added]
    # A snapshot a reader rebuilt from the store keeps its texts: updated as it is.
    keep_text = old.has_text
    try:
        CorpusSnapshot.update(directory, gen, stamp, removed, rows, keep_text, vectors)
    except (OSError, ValueError, sqlite3.Error):
        return False
    return True


def stored_ids(col: Any, writer: str | None = None) -> set[str]:
    """Ids of every chunk ``col`` holds (none when it is None), or those ``writer`` wrote."""
    out: set[str] = set()
    if col is None:
        return out
    where = {"writer": writer} if writer else None
    offset = 0
    while True:
        got = col.get(include=[], where=where, limit=10_000, offset=offset)["ids"]
        out.update(got)
        if len(got) < 10_000:
            return out
        offset += 10_000
