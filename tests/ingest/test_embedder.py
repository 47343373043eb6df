"""The real MiniLM model: same vectors as Chroma's default embedder, without its padding."""

from pathlib import Path

import numpy as np
import pytest

from index.embedder import EmbedderUnavailable, MiniLMEmbedder, make_embedder
from ingest.chunking import ChunkSettings, chunk_record
from tests.conftest import REPO, model_dir
from vocab.record import Record


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(model_dir())


def seed_texts() -> list[str]:
    texts = []
    for path in sorted((REPO / "seeds").iterdir()):
        paras = [p for p in path.read_text(encoding="utf-8").split("\n") if len(p.split()) > 5]
        texts += paras[:4]
    return texts


def test_vectors_equal_chromas_default_embedder(embedder):
    from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

    texts = seed_texts()
    ours = embedder.embed(texts)
    reference = ONNXMiniLM_L6_V2()
    reference.DOWNLOAD_PATH = model_dir().parent  # instance override: no download
    theirs = np.asarray(reference(texts))
    cosine = (ours * theirs).sum(axis=1)
    assert ours.shape == (len(texts), 384)
    assert cosine.min() > 0.9999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_order_is_preserved_despite_length_sorting(embedder):
    texts = ["short", "a much longer text about peer support in mental health care " * 5, "mid"]
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_missing_model_dir_is_a_clear_error(tmp_path: Path):
    with pytest.raises(EmbedderUnavailable, match="does not hold an ONNX all-MiniLM-L6-v2"):
        MiniLMEmbedder(tmp_path)


def test_unknown_embedder_spec_is_refused():
    with pytest.raises(EmbedderUnavailable, match="Unknown embedding model"):
        make_embedder("word2vec", None, "http://127.0.0.1:1")


def test_chunks_fit_the_embedder_and_lead_with_the_title(embedder):
    long_abstract = " ".join(
        f"Sentence {i} reports that peer workers in community mental health services "
        f"described hope, shared power and recovery-oriented practice ({i})."
        for i in range(60)
    )
    record = Record(
        title="Peer workers as allies: a qualitative study of managers", abstract=long_abstract
    )
    chunks = chunk_record(record, ChunkSettings(), embedder.count_tokens, embedder.max_tokens)
    assert len(chunks) > 3
    for c in chunks:
        assert embedder.count_tokens(c.embed_text) <= embedder.max_tokens
        assert c.embed_text.startswith(record.title + "\n")
        assert c.text in long_abstract
    # every sentence survives somewhere
    joined = " ".join(c.text for c in chunks)
    assert all(f"Sentence {i} " in joined for i in range(60))


def test_unbreakable_text_is_still_bounded(embedder):
    record = Record(title="T", abstract="x" * 3000 + " " + "pneumonoultramicroscopic " * 400)
    chunks = chunk_record(record, ChunkSettings(), embedder.count_tokens, embedder.max_tokens)
    assert chunks
    assert all(embedder.count_tokens(c.embed_text) <= embedder.max_tokens for c in chunks)


def test_chunk_ids_are_content_hashes(embedder):
    record = Record(title="A title", abstract="One sentence here. " * 10)
    a = chunk_record(record, ChunkSettings(), embedder.count_tokens, 256)
    b = chunk_record(record, ChunkSettings(), embedder.count_tokens, 256)
    assert [c.chunk_id for c in a] == [c.chunk_id for c in b]
    record.title = "Another title"
    c = chunk_record(record, ChunkSettings(), embedder.count_tokens, 256)
    assert a[0].chunk_id != c[0].chunk_id


def test_a_query_leaves_no_thread_spinning(embedder):
    """onnxruntime's workers spin for a while after a run by default: after a one-line
    query they burned a core that the dense scan (and the chat) needed next, and warm
    search at 98k chunks was 38 ms instead of 25 (docs/PERFORMANCE.md)."""
    import resource
    import statistics
    import time

    def cpu_seconds() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    embedder.embed(["warm the session up"])
    idle = []
    for _ in range(5):
        embedder.embed(["what do service users value in peer support"])
        before = cpu_seconds()
        time.sleep(0.2)
        idle.append(cpu_seconds() - before)
    # Spinning burned 44-61 ms of CPU in these 200 ms; a quiet process, well under 1 ms.
    assert statistics.median(idle) < 0.01
