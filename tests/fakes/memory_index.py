"""An in-memory index and a word-hashing embedder: the engine without Chroma or MiniLM.

``MemoryReader`` has the methods :class:`index.reader.IndexReader` has (the ``Reader``
protocol of :mod:`assistant.answering.retrieval`), over chunks held in lists. ``HashEmbedder`` maps
texts to unit vectors of hashed word counts, so texts sharing words are near each other:
crude, deterministic and instant, enough to test the engine's logic in the fast tier.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answering.engine import Engine
from assistant.answering.retrieval import Retriever
from index.catalog import Catalog, lower_words_of
from index.codec import ChunkMeta
from index.filters import Filters
from index.reader import Brief, RecordEntry, StoredChunk

DIM = 4096  # wide enough that unrelated words rarely collide
_WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder:
    """Unit vectors of hashed word counts."""

    name = "test:hash"
    dim = DIM
    max_tokens = 10_000

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                if len(word) > 2:
                    out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % DIM] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


@dataclass
class Paper:
    """A record to put in the memory index: one chunk per paragraph of ``text``."""

    title: str | None
    authors: list[str]
    year: int | None
    text: str
    venue: str | None = None
    doi: str | None = None
    path: str = "papers/x.txt"
    record_id: str = ""
    keywords: list[str] = field(default_factory=list)


class MemoryReader:
    """The reader protocol over chunks held in memory."""

    def __init__(self, papers: list[Paper], embedder: HashEmbedder, generation: int = 1):
        self.generation = generation
        self.identity = "memory"
        self._chunks: list[StoredChunk] = []
        for i, paper in enumerate(papers):
            rid = paper.record_id or f"rec{i:03d}"
            parts = [p for p in paper.text.split("\n\n") if p.strip()] or [paper.title or ""]
            for j, part in enumerate(parts):
                meta = ChunkMeta(
                    record_id=rid,
                    chunk=j,
                    n_chunks=len(parts),
                    title=paper.title,
                    authors=tuple(paper.authors),
                    year=paper.year,
                    venue=paper.venue,
                    doi=paper.doi,
                    path=paper.path,
                    keywords=tuple(paper.keywords),
                    has_abstract=bool(paper.text.strip()),
                )
                self._chunks.append(StoredChunk(f"{rid}-{j:03d}", part, meta))
        self._by_id = {c.chunk_id: c for c in self._chunks}
        texts = [" ".join(filter(None, [c.meta.title, c.text])) for c in self._chunks]
        self._vectors = embedder.embed(texts) if texts else np.zeros((0, DIM), np.float32)
        self._words = [set(_WORD.findall(t.lower())) for t in texts]
        self._catalog: Catalog | None = None

    def __len__(self) -> int:
        return len(self._chunks)

    def meta(self, chunk_id: str) -> ChunkMeta | None:
        chunk = self._by_id.get(chunk_id)
        return chunk.meta if chunk else None

    def chunk(self, chunk_id: str) -> StoredChunk | None:
        return self._by_id.get(chunk_id)

    def chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        return [self._by_id[c] for c in chunk_ids if c in self._by_id]

    def chunks_of(self, record_id: str) -> list[StoredChunk]:
        return [c for c in self._chunks if c.meta.record_id == record_id]

    def all_chunks(self) -> list[StoredChunk]:
        return list(self._chunks)

    def iter_chunks(self) -> Iterator[StoredChunk]:
        return iter(self._chunks)

    @property
    def record_count(self) -> int:
        return len({c.meta.record_id for c in self._chunks})

    def embeddings(self, chunk_ids: list[str]) -> np.ndarray:
        rows = [i for i, c in enumerate(self._chunks) if c.chunk_id in set(chunk_ids)]
        return self._vectors[rows]

    def dense(self, query_vec: np.ndarray, n: int, filters: Filters) -> dict[str, float]:
        scores = self._vectors @ query_vec
        order = np.argsort(-scores)
        out = {}
        for i in order:
            if filters.accepts(self._chunks[i].meta):
                out[self._chunks[i].chunk_id] = float(scores[i])
            if len(out) == n:
                break
        return out

    def brief(self, chunk_ids: Sequence[str]) -> dict[str, Brief]:
        return {
            c: Brief(self._by_id[c].meta.record_id or c, self._by_id[c].meta.has_abstract)
            for c in dict.fromkeys(chunk_ids)
            if c in self._by_id
        }

    def similarity(self, query_vec: np.ndarray, chunk_ids: Sequence[str]) -> dict[str, float]:
        index = {c.chunk_id: i for i, c in enumerate(self._chunks)}
        held = [c for c in dict.fromkeys(chunk_ids) if c in index]
        return {c: float(self._vectors[index[c]] @ query_vec) for c in held}

    def lexical(self, query: str, n: int, filters: Filters) -> dict[str, float]:
        wanted = {w for w in _WORD.findall(query.lower()) if len(w) > 3}
        scored = {
            c.chunk_id: float(len(wanted & words))
            for c, words in zip(self._chunks, self._words, strict=True)
            if wanted & words and filters.accepts(c.meta)
        }
        return dict(sorted(scored.items(), key=lambda kv: -kv[1])[:n])

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            firsts = {c.meta.record_id: c.meta for c in reversed(self._chunks)}
            found = lower_words_of(c.text for c in self._chunks)
            self._catalog = Catalog.in_memory(reversed(list(firsts.values())), found)
        return self._catalog

    def records(self) -> list[RecordEntry]:
        seen: dict[str, RecordEntry] = {}
        for c in self._chunks:
            m = c.meta
            if m.record_id not in seen:
                seen[m.record_id] = RecordEntry.of(m.record_id, m.n_chunks, m)
        return list(seen.values())


def memory_engine(
    settings: object, papers: list[Paper], llm: Callable[[str], object] | None = None
) -> Engine:
    """An engine over ``papers`` in memory; ``llm(model)`` gives the chat client."""
    embedder = HashEmbedder()
    retriever = Retriever(MemoryReader(papers, embedder), embedder)

    def no_llm(model: str) -> object:
        raise AssertionError("this test must not reach a language model")

    return Engine(settings, lambda: retriever, lambda: embedder, llm or no_llm)  # type: ignore[arg-type]
