"""Sources and hits as llama-index nodes: the passage as text, the bibliography as metadata.

Metadata keys are always present (``None`` when unknown) so pipelines can rely on them:
``record_id``, every paper field of :class:`vocab.paper.PaperMeta` (``title``, ``authors``
as a list, ``year``, ``venue``, ``volume``, ``pages``, ``doi``, ``language``, ``keywords``),
``path``, ``page``, ``chunk_ids``, and for an answer's sources ``n`` (the number the answer
cites it by) and ``cited``. What a llama-index LLM sees of a node is the
passage with its title, authors, year, venue and DOI; ids and paths are kept out of prompts
and out of embeddings.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.schema import NodeWithScore, TextNode

from assistant.answering.answer import Source
from assistant.answering.retrieval import Hit
from vocab.paper import paper_values, read_paper

BIBLIOGRAPHIC = ("title", "authors", "year", "venue", "doi")
"""What a llama-index LLM sees of a node beside its passage; every other key is hidden."""


def source_node(source: Source, cited: bool | None = None) -> NodeWithScore:
    """A numbered source of an answer as a scored node (``metadata["n"]`` is its number)."""
    meta = _metadata(source.record_id, source.chunk_ids, source, source.path, source.page)
    meta["n"] = source.n
    if cited is not None:
        meta["cited"] = cited
    return NodeWithScore(
        node=_node(source.record_id, source.chunk_ids, source.text, meta), score=source.score
    )


def hit_node(hit: Hit) -> NodeWithScore:
    """A retrieval hit (one record, its best passage) as a scored node."""
    m = hit.meta
    meta = _metadata(hit.record_id, tuple(hit.chunk_ids), m, m.path, m.page)
    return NodeWithScore(
        node=_node(hit.record_id, tuple(hit.chunk_ids), hit.text, meta),
        score=round(float(hit.score), 4),
    )


def node_source(node: NodeWithScore, n: int | None = None) -> Source:
    """Inverse of :func:`source_node`: a node back as a numbered :class:`Source` (for the
    project's reference formatting, e.g. :func:`assistant.references.full_ref`)."""
    meta = node.node.metadata
    page = meta.get("page")
    path = meta.get("path")
    return Source(
        n=n if n is not None else int(meta.get("n") or 0),
        record_id=str(meta.get("record_id") or ""),
        **read_paper(meta),
        path=path if isinstance(path, str) else None,
        text=node.node.get_content(),
        score=round(float(node.score or 0.0), 4),
        chunk_ids=tuple(str(c) for c in meta.get("chunk_ids") or ()),
        page=page if isinstance(page, int) else None,
    )


def _metadata(
    record_id: str, chunk_ids: tuple[str, ...], paper: Any, path: str | None, page: int | None
) -> dict[str, Any]:
    """Every paper field (lists as lists), where the passage is, and its chunks."""
    fields = {k: list(v) if isinstance(v, tuple) else v for k, v in paper_values(paper).items()}
    return {
        "record_id": record_id,
        **fields,
        "path": path,
        "page": page,
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
            k for k in meta if k not in BIBLIOGRAPHIC or meta[k] in (None, "", [])
        ],
        excluded_embed_metadata_keys=list(meta),
    )
