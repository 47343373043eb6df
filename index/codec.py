"""The one codec between records/chunks and what the store keeps with each chunk.

Chroma metadata is flat (no lists, no ``None``), so a record's fields are written here
once and read back here once: :func:`chunk_meta` builds a :class:`ChunkMeta` from a record
and a chunk, :func:`to_store` flattens it, :func:`from_store` restores it. Nobody else
reads chunk metadata by string key. The chunk-id format lives here too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from typing import Any

from vocab.paper import LIST_FIELDS, LIST_SEP, PAPER_FIELDS, PaperMeta, paper_values
from vocab.record import Chunk, Record


class ChunkMeta(PaperMeta, frozen=True):
    """Everything the index keeps beside one chunk's text and vector: the paper's fields
    (:class:`vocab.paper.PaperMeta`) and the chunk's own."""

    record_id: str
    chunk: int = 0
    n_chunks: int = 1
    path: str | None = None
    kind: str = "page"
    has_abstract: bool = True
    page: int | None = None  # the page the chunk starts on (PDFs)
    text_language: str | None = None  # language of this chunk's text, when a translation
    writer: str | None = None  # which client wrote the chunk (shared servers)
    origins: tuple[str, ...] = ()  # every file the record was read from
    parts: str | None = None  # the paper's parts (vocab.parts.Parts JSON), first chunk only
    # The reference-manager collections holding the paper, as "Parent/Child" paths.
    collections: tuple[str, ...] = ()


# Lists are stored joined; file names and collection names may hold "; ", so origins and
# collections are joined by newlines (neither ever contains one).
_LISTS = {**dict.fromkeys(LIST_FIELDS, LIST_SEP), "origins": "\n", "collections": "\n"}
# The stored key order: the chunk's place, the paper's fields, then the rest.
_HEAD = ("record_id", "chunk", "n_chunks")
_NAMES = (
    *_HEAD,
    *PAPER_FIELDS,
    *(f.name for f in fields(ChunkMeta) if f.name not in _HEAD and f.name not in PAPER_FIELDS),
)


def chunk_meta(
    record: Record,
    chunk: Chunk,
    n_chunks: int,
    writer: str | None = None,
    text_language: str | None = None,
) -> ChunkMeta:
    """The metadata a chunk of ``record`` is stored with."""
    return ChunkMeta(
        record_id=chunk.record_id,
        chunk=chunk.index,
        n_chunks=n_chunks,
        **paper_values(record),
        path=record.path,
        kind=record.kind,
        has_abstract=bool(record.abstract.strip()),
        page=chunk.page,
        text_language=text_language,
        writer=writer,
        origins=tuple(sorted(set(record.origins))) if len(set(record.origins)) > 1 else (),
        # Once per record is enough: the catalogue keeps the first chunk's metadata.
        parts=_dumps(record.parts) if record.parts and chunk.index == 0 else None,
        collections=tuple(record.collections),
    )


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def to_store(meta: ChunkMeta) -> dict[str, Any]:
    """Flat form for Chroma and the manifest: lists joined, ``None`` left out."""
    out: dict[str, Any] = {}
    for name in _NAMES:
        value = getattr(meta, name)
        if name in _LISTS:
            value = _LISTS[name].join(value) if value else None
        if value is not None:
            out[name] = value
    return out


def from_store(data: dict[str, Any] | None) -> ChunkMeta:
    """Inverse of :func:`to_store`; unknown keys (a newer writer's) are ignored."""
    data = data or {}
    values: dict[str, Any] = {}
    for name in _NAMES:
        if name not in data or data[name] is None:
            continue
        value = data[name]
        if name in _LISTS:
            value = tuple(v for v in str(value).split(_LISTS[name]) if v)
        values[name] = value
    values.setdefault("record_id", "")
    return ChunkMeta(**values)


def make_chunk_id(record_id: str, index: int, embed_text: str, chunker: str) -> str:
    """``<record>-<nnn>-<hash>``: a content hash, so writing a chunk twice is harmless."""
    digest = hashlib.sha256(f"{chunker}\x00{embed_text}".encode()).hexdigest()[:12]
    return f"{record_id}-{index:03d}-{digest}"


def record_of(chunk_id: str) -> str:
    """The record id inside a chunk id."""
    return chunk_id.rsplit("-", 2)[0]


def lexical_text(text: str, meta: ChunkMeta) -> str:
    """What BM25 sees of a chunk: a header of its record's bibliography (title, authors,
    year, venue, DOI, keywords) and the text, so names, journals and title words match.

    Changing it changes the lexical index: bump ``index.lexical.FORMAT`` with it."""
    header = (
        meta.title,
        LIST_SEP.join(meta.authors) if meta.authors else None,
        str(meta.year) if meta.year else None,
        meta.venue,
        meta.doi,
        LIST_SEP.join(meta.keywords) if meta.keywords else None,
    )
    return " ".join(str(p) for p in (*header, text) if p)
