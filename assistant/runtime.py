"""Builds the long-lived parts once: settings -> index -> embedder -> LLM clients -> engine.

The one place that knows how the pieces fit. The engine only answers; it gets a source of
retrievers, an embedder and a source of LLM clients, typed against small protocols, so a
test can hand it an in-memory index instead. An empty embedded index is seeded with the
bundled seed corpus by :meth:`Runtime.open`, the start-up step every front end takes before
its first question (with a visible note); a read never ingests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings

if TYPE_CHECKING:
    from assistant.answering.engine import Engine
    from assistant.answering.retrieval import Retriever
    from assistant.llm import OllamaLLM
    from index import Embedder, Index, IndexReader
    from ingest.chunking import ChunkSettings
    from ingest.pipeline import IngestReport

Progress = Callable[[str, int, int], None]


def open_index(settings: Settings, collection: str | None = None) -> Index:
    """The configured index (embedded under ``home``, or on the Chroma server)."""
    from index import Index

    return Index(settings.home, collection or settings.collection, settings.chroma_url)


def make_embedder(settings: Settings) -> Embedder:
    """The configured embedder."""
    from index import make_embedder as make

    return make(
        settings.embed_model,
        settings.embed_model_dir,
        settings.ollama_host,
        settings.home / "models",  # where the int8 model goes if the model folder is read-only
    )


def chunk_settings(settings: Settings) -> ChunkSettings:
    """Chunking as configured."""
    from ingest.chunking import ChunkSettings

    return ChunkSettings(settings.chunk_tokens, settings.chunk_overlap)


def run_ingest(
    settings: Settings,
    index: Index,
    paths: list[Path],
    embedder: Embedder | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    exclude: Sequence[Path] = (),
) -> IngestReport:
    """Ingest ``paths`` into ``index`` with the configured embedder and chunking."""
    from ingest.pipeline import run_ingest as ingest

    return ingest(
        paths,
        index,
        embedder or make_embedder(settings),
        chunk_settings(settings),
        int(settings.max_file_mb * 1_000_000),
        rebuild=rebuild,
        progress=progress,
        exclude=exclude,
    )


class Runtime:
    """The parts one process needs, built on first use and shared between threads."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._index: Index | None = None
        self._retriever: Retriever | None = None
        self._reader: IndexReader | None = None  # the retriever's, for cheap counts
        self._version: Any = None
        self._llms: dict[str, OllamaLLM] = {}
        self._lock = threading.RLock()

    @property
    def index(self) -> Index:
        """The configured index."""
        with self._lock:
            if self._index is None:
                self._index = open_index(self.settings)
            return self._index

    @property
    def embedder(self) -> Embedder:
        """The query and ingest embedder (one per process: loading it costs ~0.3 s)."""
        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings)
            return self._embedder

    def llm(self, model: str | None = None) -> OllamaLLM:
        """The Ollama client for ``model`` (default: the configured one), one per model."""
        from assistant.llm import OllamaLLM

        name = model or self.settings.model
        with self._lock:
            client = self._llms.get(name)
            if client is None:
                client = self._llms[name] = OllamaLLM(self.settings, name)
            return client

    def open(
        self,
        on_seed: Callable[[], None] | None = None,
        progress: Progress | None = None,
    ) -> Runtime:
        """The start-up step: an empty embedded index is filled with the bundled seeds
        (``on_seed`` is called first, so the front end can say so; ``progress`` follows the
        ingest). A Chroma server's collection is never seeded (see :meth:`retriever`)."""
        with self._lock:
            if self.index.shared:
                return self
            if self.index.reader((self.embedder.name, self.embedder.dim)) is None:
                if on_seed is not None:
                    on_seed()
                self.seed(progress)
        return self

    def retriever(self) -> Retriever:
        """A retriever over the index's current generation; never ingests (an empty index
        is an error here: :meth:`open` seeds it)."""
        from assistant.answering.retrieval import Retriever

        with self._lock:
            version = self.index.version()
            if self._retriever is not None and version == self._version:
                return self._retriever
            reader = self.index.reader((self.embedder.name, self.embedder.dim))
            if reader is None and self.index.shared:
                from vocab.errors import StoreError

                # A shared server is not filled with demo papers because a name was mistyped.
                raise StoreError(
                    f"The collection {self.index.collection!r} on the Chroma server at "
                    f"{self.index.chroma_url} is empty or missing; check ASSISTANT_COLLECTION, "
                    "or fill it with `assistant ingest PATH`."
                )
            if reader is None:
                from vocab.errors import StoreError

                raise StoreError(
                    "The index is empty; add papers with `assistant ingest PATH` (or run "
                    "`assistant ingest` for the bundled demo papers)."
                )
            self._retriever = Retriever(reader, self.embedder)
            self._reader = reader
            self._version = (reader.identity, reader.generation)
            return self._retriever

    def seed(self, progress: Progress | None = None) -> IngestReport:
        """Fill an empty index with the bundled seed corpus."""
        from ingest.seeds import bundled_seeds

        return run_ingest(
            self.settings, self.index, [bundled_seeds()], self.embedder, progress=progress
        )

    def index_size(self) -> tuple[int, int]:
        """(records, chunks) in the current generation."""
        self.retriever()
        reader = self._reader
        assert reader is not None  # retriever() set it or raised
        # Counted in SQL rather than by building the whole bibliography for two numbers.
        return reader.record_count, len(reader)

    def engine(self) -> Engine:
        """An engine answering from this runtime's parts."""
        from assistant.answering.engine import Engine

        return Engine(self.settings, self.retriever, lambda: self.embedder, self.llm)

    def close(self) -> None:
        """Release the index and the LLM clients."""
        with self._lock:
            for client in self._llms.values():
                client.close()
            self._llms.clear()
            if self._index is not None:
                self._index.close()


def build_engine(
    settings: Settings,
    embedder: Embedder | None = None,
    on_seed: Callable[[], None] | None = None,
    progress: Progress | None = None,
) -> Engine:
    """An engine with its own runtime, opened (a first run's seeds ingested): what
    ``batch`` and the chat use."""
    return Runtime(settings, embedder).open(on_seed, progress).engine()
