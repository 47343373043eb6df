"""Token-aware chunking on sentence boundaries.

Chunks are sized in tiktoken tokens (llama-index's SentenceSplitter, ported in
:mod:`ingest.splitter`, keeps sentences whole where it can), then checked against the
embedder's own tokenizer: all-MiniLM-L6-v2 reads at most 256 word pieces and silently
drops the rest, so a chunk whose title-led text would not fit is split again, smaller,
until it does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from index import make_chunk_id
from vocab.record import Chunk, Record
from vocab.tokens import encoding

if TYPE_CHECKING:
    from ingest.splitter import SentenceSplitter

CHUNKER_VERSION = "sentence-v1"


@dataclass(frozen=True)
class ChunkSettings:
    """How records are cut into chunks; recorded with the collection that holds them."""

    max_tokens: int = 200
    overlap: int = 32

    def describe(self) -> str:
        """A short stable label, stored with the index to detect a change of settings."""
        return f"{CHUNKER_VERSION}:{self.max_tokens}/{self.overlap}"


@lru_cache(maxsize=8)
def _splitter(max_tokens: int, overlap: int) -> SentenceSplitter:
    # llama-index's splitter, ported (ingest/splitter.py): the same chunks without
    # importing llama-index-core; imported here, so a run that chunks nothing (a no-op
    # ingest) does not pay for its expressions (~50 ms).
    from ingest.splitter import SentenceSplitter

    return SentenceSplitter(
        max_tokens,
        min(overlap, max_tokens // 4),
        lambda s: encoding().encode(s, disallowed_special=()),
    )


def embed_text_for(title: str | None, text: str) -> str:
    """The text that gets embedded: led by the title when there is one."""
    if title and text != title:
        return f"{title}\n{text}"
    return text


def _split(text: str, title: str | None, max_tokens: int, overlap: int) -> list[str]:
    splitter = _splitter(max_tokens, overlap)
    if title:
        # The title travels with every chunk, so it takes from each chunk's budget.
        title_tokens = len(encoding().encode(title, disallowed_special=()))
        if title_tokens < max_tokens // 2:
            return [p for p in splitter.split_text_metadata_aware(text, title) if p.strip()]
    return [p for p in splitter.split_text(text) if p.strip()]


def _pieces(
    body: str,
    title: str | None,
    settings: ChunkSettings,
    count_embed_tokens: Callable[[str], int],
    embed_limit: int,
) -> list[str]:
    """``body`` cut into pieces whose title-led text fits the embedder."""
    pieces: list[str] = []
    pending = _split(body, title, settings.max_tokens, settings.overlap)
    while pending:
        piece = pending.pop(0)
        budget = settings.max_tokens
        while count_embed_tokens(embed_text_for(title, piece)) > embed_limit:
            budget = max(16, budget * 2 // 3)
            parts = _split(piece, title, budget, 0)
            if len(parts) > 1:
                pending[:0] = parts[1:]
                piece = parts[0]
            elif budget == 16:
                break  # one unsplittable run of text: the embedder truncates its tail
        pieces.append(piece)
    return pieces


def chunk_record(
    record: Record,
    settings: ChunkSettings,
    count_embed_tokens: Callable[[str], int],
    embed_limit: int,
) -> list[Chunk]:
    """Cut ``record`` into chunks whose embedded text fits ``embed_limit`` embedder tokens.

    Every language version is indexed: the abstract first, then each translation (the same
    paper's abstract in another language), each chunk marked with its text's language.
    """
    rid = record.record_id
    body = record.abstract.strip() or (record.title or "").strip()
    if not body:
        return []
    versions: list[tuple[str | None, str]] = [(None, body)]
    versions += [(lang, text.strip()) for lang, text in sorted(record.translations.items())]
    chunks: list[Chunk] = []
    for lang, text in versions:
        if not text or (lang is not None and lang == record.language):
            continue
        pieces = _pieces(text, record.title, settings, count_embed_tokens, embed_limit)
        # Pages belong to the record's own text (a PDF's); translations have none.
        pages = (
            _piece_pages(record, pieces)
            if record.page_starts and lang is None and text == record.abstract.strip()
            else [None] * len(pieces)
        )
        for piece, page in zip(pieces, pages, strict=True):
            i = len(chunks)
            etext = embed_text_for(record.title, piece)
            chunk_id = make_chunk_id(rid, i, etext, settings.describe())
            chunks.append(Chunk(chunk_id, rid, i, piece, etext, page=page, language=lang))
    return chunks


def _piece_pages(record: Record, pieces: list[str]) -> list[int | None]:
    """The page each piece starts on, from where it sits in the record's text."""
    text = record.abstract
    starts = sorted((int(off), int(page)) for off, page in record.page_starts)
    out: list[int | None] = []
    cursor = 0
    for piece in pieces:
        # Pieces come in order and overlap a little, so each is searched from the last
        # one's start; the splitter may re-space text, hence the whitespace-blind fallback.
        words = piece.split()[:12]
        at = text.find(piece[:80].strip(), cursor)
        if at < 0 and words:
            found = re.compile(r"\s+".join(map(re.escape, words))).search(text, cursor)
            at = found.start() if found else -1
        if at < 0:
            out.append(out[-1] if out else starts[0][1] if starts else None)
            continue
        cursor = at
        page = next((p for off, p in reversed(starts) if off <= at), starts[0][1])
        out.append(page)
    return out
