"""The hybrid search's feedback pass re-scores the first pass's candidates: one full dense
search per question, whatever the corpus size."""

from __future__ import annotations

from typing import Any

from assistant.answering.retrieval import PRF_MIN_CHUNKS, Retriever
from tests.fakes.memory_index import HashEmbedder, MemoryReader, Paper

TOPICS = ["peer support recovery", "housing first tenancy", "sleep hygiene insomnia",
          "stigma staff attitudes", "exercise depression trial"]  # fmt: skip


class CountingReader(MemoryReader):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.full_searches = 0
        self.rescored: list[list[str]] = []

    def dense(self, *args: Any, **kwargs: Any) -> dict[str, float]:
        self.full_searches += 1
        return super().dense(*args, **kwargs)

    def similarity(self, query_vec: Any, chunk_ids: Any) -> dict[str, float]:
        self.rescored.append(list(chunk_ids))
        return super().similarity(query_vec, chunk_ids)


def test_the_feedback_pass_rescores_the_candidates_without_a_second_search() -> None:
    papers = [
        Paper(f"Study {i}", [f"Author{i}, A."], 2000 + i % 20, f"{TOPICS[i % 5]} paragraph {i}")
        for i in range(PRF_MIN_CHUNKS + 50)
    ]
    embedder = HashEmbedder()
    reader = CountingReader(papers, embedder)
    result = Retriever(reader, embedder).search("peer support and recovery", 5)
    assert result.hits
    assert reader.full_searches == 1
    assert len(reader.rescored) == 1
    # It re-scores exactly the first pass's candidates (dense and lexical), no others.
    candidates = set(reader.rescored[0])
    assert {c for h in result.hits for c in h.chunk_ids} <= candidates
    assert 0 < len(candidates) <= 200
