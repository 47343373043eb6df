"""Builds the long-lived pieces (store, embedder) from settings, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.config import Settings

if TYPE_CHECKING:
    from ingest.chunking import ChunkSettings
    from ingest.embedder import Embedder
    from ingest.store import Store


def open_store(settings: Settings, collection: str | None = None) -> Store:
    """The configured store (embedded under ``home``, or the Chroma server)."""
    from ingest.store import Store

    return Store(settings.home, collection or settings.collection, settings.chroma_url)


def make_embedder(settings: Settings) -> Embedder:
    """The configured embedder."""
    from ingest.embedder import make_embedder as make

    return make(settings.embed_model, settings.embed_model_dir, settings.ollama_host)


def chunk_settings(settings: Settings) -> ChunkSettings:
    """Chunking as configured."""
    from ingest.chunking import ChunkSettings

    return ChunkSettings(settings.chunk_tokens, settings.chunk_overlap)
