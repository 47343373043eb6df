"""A source's page is the page of what it quotes (issue 23 defect 8): a hit joins only
passages of one page, and a paper's whole text, quoted from any page, names none."""

from __future__ import annotations

from dataclasses import replace

from assistant.answering.answer import Source
from assistant.answering.retrieval import Retriever, whole_record
from index import StoredChunk
from tests.fakes.memory_index import HashEmbedder, MemoryReader, Paper

PARAGRAPHS = [
    "Peer support workers described hope in the first interviews.",
    "Background on community teams and their managers in Norway.",
    "Methods: twelve managers were interviewed in four services.",
    "Peer support workers described hope and shared lived experience with service users.",
    "Peer support workers described hope, trust and shared lived experience again.",
]
PAGES = [1, 2, 3, 5, 5]


def reader() -> MemoryReader:
    paper = Paper("Peer work", ["Strand, M."], 2019, "\n\n".join(PARAGRAPHS), path="p.pdf")
    out = MemoryReader([paper], HashEmbedder())
    out._chunks = [
        StoredChunk(c.chunk_id, c.text, replace(c.meta, page=PAGES[c.meta.chunk]))
        for c in out._chunks
    ]
    out._by_id = {c.chunk_id: c for c in out._chunks}
    return out


def test_a_hit_joins_only_passages_of_the_page_it_is_labelled_with():
    r = reader()
    result = Retriever(r, HashEmbedder()).search(
        "peer support workers described hope", 3, per_record=3
    )
    hit = result.hits[0]
    pages = {r.meta(c).page for c in hit.chunk_ids}
    assert pages == {hit.meta.page}
    for cid in hit.chunk_ids:
        assert r.chunk(cid).text in hit.text


def test_a_whole_paper_source_spanning_pages_names_no_page():
    r = reader()
    meta = r.chunks_of("rec000")[3].meta
    source = Source.from_meta(1, "rec000", meta, PARAGRAPHS[3], 1.0, ("rec000-003",))
    assert source.page == 5
    whole = whole_record(source, r)
    assert PARAGRAPHS[0] in whole.text and PARAGRAPHS[4] in whole.text
    assert whole.page is None
