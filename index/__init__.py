"""The index's one owner: Chroma, the manifest, the lexical snapshot, the writer lock.

This is the package's face: code outside ``index`` imports these names from ``index``
itself, never from its modules. Names load lazily (PEP 562), so ``from index import
Filters`` costs the filters module, not Chroma, NumPy or the embedder.

- :class:`Index` opens a store (embedded or a Chroma server) and hands out readers and the
  one writer; :class:`IndexReader` searches a published generation; :class:`IndexWriter`
  takes records in crash-safely under the writer lock.
- :class:`GenerationWatch` tells a long-lived reader (the chat) that a writer published.
- :class:`Filters` restricts a search (years, author, collection, records; a collection
  name is matched by :func:`in_collection`); :class:`ChunkMeta` is a
  chunk's stored metadata; :class:`Catalog` the bibliography's tables in the snapshot.
- Embedders: :class:`Embedder` (the protocol), :class:`MiniLMEmbedder`,
  :func:`make_embedder`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.catalog import Catalog, lower_words_of
    from index.codec import ChunkMeta, lexical_text, make_chunk_id
    from index.core import Index
    from index.embedder import Embedder, EmbedderUnavailable, MiniLMEmbedder, make_embedder
    from index.filters import Filters, in_collection
    from index.follow import GenerationWatch
    from index.lexical import tokenize
    from index.lock import StoreLocked
    from index.manifest import FileRow
    from index.reader import Brief, IndexReader, RecordEntry, StoredChunk
    from index.store import BuildInfo, StoreIncompatible
    from index.writer import IndexWriter

_EXPORTS = {
    "Brief": "index.reader",
    "BuildInfo": "index.store",
    "Catalog": "index.catalog",
    "ChunkMeta": "index.codec",
    "Embedder": "index.embedder",
    "EmbedderUnavailable": "index.embedder",
    "FileRow": "index.manifest",
    "Filters": "index.filters",
    "GenerationWatch": "index.follow",
    "Index": "index.core",
    "IndexReader": "index.reader",
    "IndexWriter": "index.writer",
    "MiniLMEmbedder": "index.embedder",
    "RecordEntry": "index.reader",
    "StoreIncompatible": "index.store",
    "StoreLocked": "index.lock",
    "StoredChunk": "index.reader",
    "in_collection": "index.filters",
    "lexical_text": "index.codec",
    "lower_words_of": "index.catalog",
    "make_chunk_id": "index.codec",
    "make_embedder": "index.embedder",
    "tokenize": "index.lexical",
}

__all__ = [
    "Brief",
    "BuildInfo",
    "Catalog",
    "ChunkMeta",
    "Embedder",
    "EmbedderUnavailable",
    "FileRow",
    "Filters",
    "GenerationWatch",
    "Index",
    "IndexReader",
    "IndexWriter",
    "MiniLMEmbedder",
    "RecordEntry",
    "StoreIncompatible",
    "StoreLocked",
    "StoredChunk",
    "in_collection",
    "lexical_text",
    "lower_words_of",
    "make_chunk_id",
    "make_embedder",
    "tokenize",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
