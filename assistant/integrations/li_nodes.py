"""Sources and hits as llama-index nodes: the passage as text, the bibliography as metadata.

Metadata keys are always present (``None`` when unknown) so pipelines can rely on them:
``record_id``, ``title``, ``authors`` (a list), ``year``, ``venue``, ``doi``, ``path``,
``page``, plus ``volume``, ``pages``, ``chunk_ids``, and for an answer's sources ``n`` (the
number the answer cites it by) and ``cited``. What a llama-index LLM sees of a node is the
passage with its title, authors, year, venue and DOI; ids and paths are kept out of prompts
and out of embeddings.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.schema import NodeWithScore, TextNode

from assistant.answering.answer import Source
from assistant.answering.retrieval import Hit

BIBLIOGRAPHIC = ("title", "authors", "year", "venue", "doi")
HIDDEN_FROM_LLM = ("record_id", "path", "page", "volume", "pages", "chunk_ids", "n", "cited")


def source_node(source: Source, cited: bool | None = None) -> NodeWithScore:
    """A numbered source of an answer as a scored node (``metadata["n"]`` is its number)."""
    meta = _metadata(
        source.record_id,
        source.chunk_ids,
        source.title,
        source.authors,
        source.year,
        source.venue,
        source.doi,
        source.path,
        source.page,
        source.volume,
        source.pages,
    )
    meta["n"] = source.n
    if cited is not None:
        meta["cited"] = cited
    return NodeWithScore(
        node=_node(source.record_id, source.chunk_ids, source.text, meta), score=source.score
    )


def hit_node(hit: Hit) -> NodeWithScore:
    """A retrieval hit (one record, its best passage) as a scored node."""
    m = hit.meta
    meta = _metadata(
        hit.record_id,
        tuple(hit.chunk_ids),
        m.title,
        list(m.authors),
        m.year,
        m.venue,
        m.doi,
        m.path,
        m.page,
        m.volume,
        m.pages,
    )
    return NodeWithScore(
        node=_node(hit.record_id, tuple(hit.chunk_ids), hit.text, meta),
        score=round(float(hit.score), 4),
    )


def node_source(node: NodeWithScore, n: int | None = None) -> Source:
    """Inverse of :func:`source_node`: a node back as a numbered :class:`Source` (for the
    project's reference formatting, e.g. :func:`assistant.references.full_ref`)."""
    meta = node.node.metadata
    page = meta.get("page")
    return Source(
        n if n is not None else int(meta.get("n") or 0),
        str(meta.get("record_id") or ""),
        meta.get("title"),
        [str(a) for a in meta.get("authors") or []],
        meta.get("year"),
        meta.get("venue"),
        meta.get("doi"),
        meta.get("path"),
        node.node.get_content(),
        round(float(node.score or 0.0), 4),
        tuple(str(c) for c in meta.get("chunk_ids") or ()),
        meta.get("volume"),
        meta.get("pages"),
        page if isinstance(page, int) else None,
    )


def _metadata(
    record_id: str,
    chunk_ids: tuple[str, ...],
    title: str | None,
    authors: list[str],
    year: int | None,
    venue: str | None,
    doi: str | None,
    path: str | None,
    page: int | None,
    volume: str | None,
    pages: str | None,
) -> dict[str, Any]:
    return {
        "record_id": record_id,
        "title": title,
        "authors": list(authors),
        "year": year,
        "venue": venue,
        "doi": doi,
        "path": path,
        "page": page,
        "volume": volume,
        "pages": pages,
        "chunk_ids": list(chunk_ids),
    }


def _node(record_id: str, chunk_ids: tuple[str, ...], text: str, meta: dict[str, Any]) -> TextNode:
    # The first chunk's id is stable across runs and unique per passage; a record id alone
    # would collide when two passages of one paper are shown.
    node_id = chunk_ids[0] if chunk_ids else record_id
    return TextNode(
        id_=node_id,
        text=text,
        metadata=meta,
        # "venue: None" in a prompt is noise: unknown fields are left out of what an LLM sees.
        excluded_llm_metadata_keys=[
            k for k in meta if k in HIDDEN_FROM_LLM or meta[k] in (None, "", [])
        ],
        excluded_embed_metadata_keys=list(meta),
    )
