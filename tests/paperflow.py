"""Walks every paper field from an ingested record to an answer's JSON and back.

Kept apart from the tests so that ``tests/test_paper_fields.py`` can also run it in a
copy of the code with one more field declared (it imports nothing of pytest).
"""

from __future__ import annotations

from typing import Any


def sample_values() -> dict[str, Any]:
    """A distinct value for every paper field, of its kind."""
    from vocab.paper import KINDS

    values: dict[str, Any] = {}
    for i, (name, kind) in enumerate(KINDS.items()):
        if kind == "int":
            values[name] = 1900 + i
        elif kind == "list":
            values[name] = (f"{name} one ø", f"{name} two")
        else:
            values[name] = f"{name} of the paper ø"
    return values


def check_flow() -> list[str]:
    """Every paper field through each hop; returns the fields checked (raises on a loss)."""
    from assistant.answering.answer import _NOT_WRITTEN, Source
    from assistant.answering.question.bibliography import BibEntry
    from index import Catalog, RecordEntry
    from index.codec import chunk_meta, from_store, to_store
    from vocab.paper import PAPER_FIELDS, paper_values
    from vocab.record import Chunk, Record

    want = sample_values()

    def same(hop: str, got: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
        lost = {
            k: (want[k], got.get(k))
            for k in PAPER_FIELDS
            if k not in skip and got.get(k) != want[k]
        }
        assert not lost, f"{hop} lost or changed {lost}"

    record = Record(**{k: list(v) if isinstance(v, tuple) else v for k, v in want.items()})
    record.abstract = "An abstract."
    record.path = "papers/a.txt"
    same("Record", paper_values(record))
    chunk = Chunk("c-000", record.record_id, 0, "text", "text")
    meta = chunk_meta(record, chunk, 1)
    same("chunk_meta", paper_values(meta))
    stored = from_store(to_store(meta))
    same("the store (to_store/from_store)", paper_values(stored))
    (rid, count, first), *_ = Catalog.in_memory([stored]).rows()
    entry = BibEntry.from_chunk_meta(first)
    same("the catalogue -> BibEntry", paper_values(entry))
    same("BibEntry.from_record", paper_values(BibEntry.from_record(record)))
    source = Source.from_meta(1, rid, entry.to_meta(), "text", 1.0, ["c-000"])
    same("BibEntry.to_meta -> Source.from_meta", paper_values(source))
    same("Source.from_meta(stored)", paper_values(Source.from_meta(1, rid, stored, "t", 1.0)))
    back = Source.from_json(source.to_json())
    same("Source.to_json/from_json", paper_values(back), skip=_NOT_WRITTEN)
    record_json = RecordEntry.of(rid, count, first).to_json()
    same("sources --json", BibEntry.from_meta(record_json).__dict__)
    return list(PAPER_FIELDS)
