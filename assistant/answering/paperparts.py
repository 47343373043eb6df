"""Each paper's parts (aim, method, participants, setting, findings) as the index holds them.

Read at ingest and kept with the record's first chunk (:mod:`ingest.parts`); a record
indexed before parts were read has them read here from its stored text, so an older index
answers the same questions (``assistant ingest --rebuild`` stores them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from index import ChunkMeta
from ingest.parts import read_parts
from vocab.parts import Parts
from vocab.record import Record


def papers_with_parts(
    reader: Any, record_ids: Iterable[str] | None = None
) -> list[tuple[str, ChunkMeta, Parts]]:
    """``(record id, metadata, parts)`` of every record (or of these), in catalogue order."""
    out = []
    for record_id, _, meta in reader.catalog.rows(record_ids):
        out.append((record_id, meta, _parts(reader, record_id, meta)))
    return out


def parts_by_id(reader: Any, record_ids: Iterable[str]) -> dict[str, Parts]:
    """The parts of these records, by id."""
    return {rid: parts for rid, _, parts in papers_with_parts(reader, list(record_ids))}


def _parts(reader: Any, record_id: str, meta: ChunkMeta) -> Parts:
    if meta.parts:
        return Parts.from_json(meta.parts)
    if not meta.has_abstract:
        return read_parts(Record(title=meta.title))
    # Chunks overlap a little; the repeated words do not change what each part says.
    own = [c.text for c in reader.chunks_of(record_id) if not c.meta.text_language]
    return read_parts(Record(title=meta.title, abstract="\n\n".join(own)))
