"""The lexical half of hybrid search, and the corpus snapshot it is built from.

Chroma's sparse (BM25) index is cloud-only, so BM25 lives beside Chroma: a bm25s index
over every chunk, saved with the chunk ids, texts and metadata it was built from and
the store *generation* it matches. Readers load it, compare generations, and rebuild
it from Chroma when they differ, so the two halves never disagree about the corpus.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from index.codec import from_store, lexical_text

SNAPSHOT_FILE = "snapshot.json"
HEADER_FILE = "header.json"  # generation and collection alone: cheap to read


def _bm25s() -> Any:
    import bm25s

    # bm25s sets its own logger to DEBUG on import and logs every index build.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, stemmed tokens, one list per text."""
    out = _bm25s().tokenize(
        texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )
    return [list(t) for t in out]


@dataclass
class CorpusSnapshot:
    """Every chunk in the store at one generation, with a BM25 index over them."""

    generation: int
    ids: list[str]
    texts: list[str]
    metas: list[dict[str, Any]]
    build: dict[str, Any] = field(default_factory=dict)
    bm25: Any = None
    position: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.position = {cid: i for i, cid in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build_from(
        cls,
        generation: int,
        ids: list[str],
        texts: list[str],
        metas: list[dict[str, Any]],
        build: dict[str, Any],
    ) -> CorpusSnapshot:
        """Index ``texts`` for BM25."""
        snap = cls(generation, ids, texts, metas, build)
        if ids:
            model = _bm25s().BM25()
            corpus = [lexical_text(t, from_store(m)) for t, m in zip(texts, metas, strict=True)]
            model.index(tokenize(corpus), show_progress=False)
            snap.bm25 = model
        return snap

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (zeros when nothing matches)."""
        tokens = tokenize([query])[0]
        if self.bm25 is None or not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        vocab = self.bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(known), dtype=np.float32)

    def save(self, directory: Path) -> None:
        """Write atomically: a reader sees the old snapshot or the new one, never half."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = directory.with_name(directory.name + f".tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        if self.bm25 is not None:
            self.bm25.save(str(tmp / "bm25"), show_progress=False)
        payload = {
            "generation": self.generation,
            "build": self.build,
            "ids": self.ids,
            "texts": self.texts,
            "metas": self.metas,
        }
        header = {
            "generation": self.generation,
            "collection": self.build.get("collection"),
            "lexical": self.build.get("lexical"),
        }
        for name, data in ((SNAPSHOT_FILE, payload), (HEADER_FILE, header)):
            with open(tmp / name, "w", encoding="utf-8") as fh:
                json.dump(data, fh)  # ASCII: one wide character must not widen the whole file
                fh.flush()
                os.fsync(fh.fileno())
        old = directory.with_name(directory.name + f".old-{os.getpid()}")
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def peek(directory: Path) -> tuple[int, str | None, int | None] | None:
        """(generation, collection id, lexical version) of the saved snapshot, cheaply."""
        try:
            with open(directory / HEADER_FILE, encoding="utf-8") as fh:
                data = json.load(fh)
            return int(data["generation"]), data.get("collection"), data.get("lexical")
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @classmethod
    def load(cls, directory: Path) -> CorpusSnapshot | None:
        """The saved snapshot, or None when there is none or it is unreadable."""
        try:
            with open(directory / SNAPSHOT_FILE, encoding="utf-8") as fh:
                data = json.load(fh)
            snap = cls(
                data["generation"], data["ids"], data["texts"], data["metas"], data.get("build", {})
            )
            if snap.ids:
                snap.bm25 = _bm25s().BM25.load(str(directory / "bm25"), show_progress=False)
            return snap
        except (OSError, ValueError, KeyError, TypeError):
            return None
