"""The fake Ollama server speaks enough of Ollama's API for the official client and raw httpx."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import httpx
import ollama
import pytest

from tests.fakes.ollama_server import (
    DEFAULT_REPLY,
    FakeOllama,
    fake_embedding,
    split_pieces,
    unused_loopback_url,
)

pytestmark = pytest.mark.timeout(30)

USER = [{"role": "user", "content": "What do the abstracts say?"}]


@pytest.fixture
def server(shared_ollama: FakeOllama) -> FakeOllama:
    return shared_ollama


@pytest.fixture
def client(server: FakeOllama) -> Iterator[ollama.Client]:
    with ollama.Client(host=server.url, timeout=10) as c:
        yield c


def test_url_is_loopback(server: FakeOllama) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert httpx.get(server.url + "/").text == "Ollama is running"


def test_version_via_httpx(server: FakeOllama) -> None:
    reply = httpx.get(server.url + "/api/version", timeout=5)
    assert reply.status_code == 200
    assert reply.json() == {"version": "0.12.0"}
    server.version = "0.5.7"
    assert httpx.get(server.url + "/api/version", timeout=5).json()["version"] == "0.5.7"


def test_list(client: ollama.Client, server: FakeOllama) -> None:
    models = client.list().models
    assert [m.model for m in models] == ["llama3.2:latest", "nomic-embed-text:latest"]
    assert models[0].details is not None and models[0].details.family == "llama"
    raw = httpx.get(server.url + "/api/tags", timeout=5).json()
    assert raw["models"][0]["name"] == "llama3.2:latest"


def test_show(client: ollama.Client) -> None:
    info = client.show("llama3.2")
    assert info.modelinfo is not None
    assert info.modelinfo["llama.context_length"] == 131072
    assert info.details is not None and info.details.family == "llama"


def test_show_unknown_model_is_404(client: ollama.Client) -> None:
    with pytest.raises(ollama.ResponseError) as caught:
        client.show("mistral")
    assert caught.value.status_code == 404
    assert "mistral" in caught.value.error


def test_chat_stream_joins_to_scripted_text(client: ollama.Client, server: FakeOllama) -> None:
    server.enqueue("Transformers beat RNNs on long inputs [1][2].", "Second answer.")
    parts = list(client.chat(model="llama3.2", messages=USER, stream=True))
    pieces = [p.message.content for p in parts if p.message.content]
    assert len(pieces) > 1  # streamed in several chunks
    assert "".join(pieces) == "Transformers beat RNNs on long inputs [1][2]."
    assert parts[-1].done and parts[-1].done_reason == "stop"
    assert not any(p.done for p in parts[:-1])
    assert parts[-1].eval_count == len(pieces)
    again = client.chat(model="llama3.2", messages=USER, stream=True)
    assert "".join(p.message.content or "" for p in again) == "Second answer."
    # the queue is empty now: the default reply, which cites [1]
    third = client.chat(model="llama3.2", messages=USER)
    assert third.message.content == DEFAULT_REPLY and "[1]" in DEFAULT_REPLY


def test_chat_records_request(client: ollama.Client, server: FakeOllama) -> None:
    client.chat(model="llama3.2", messages=USER, options={"num_ctx": 4096, "temperature": 0.1})
    method, path, body = server.requests[-1]
    assert (method, path) == ("POST", "/api/chat")
    assert body["model"] == "llama3.2"
    assert body["options"] == {"num_ctx": 4096, "temperature": 0.1}
    assert body["messages"] == USER
    assert server.last_chat is body


def test_reply_with_callable_and_explicit_pieces(client: ollama.Client, server: FakeOllama) -> None:
    server.reply_with(lambda req: "You asked: " + req["messages"][-1]["content"])
    reply = client.chat(model="llama3.2", messages=USER)
    assert reply.message.content == "You asked: What do the abstracts say?"
    server.enqueue(["Hel", "lo"])
    parts = client.chat(model="llama3.2", messages=USER, stream=True)
    assert [p.message.content for p in parts] == ["Hel", "lo", ""]


def test_chat_unknown_model_is_404_with_ollamas_wording(client: ollama.Client) -> None:
    with pytest.raises(ollama.ResponseError) as caught:
        list(client.chat(model="mistral", messages=USER, stream=True))
    assert caught.value.status_code == 404
    assert caught.value.error == 'model "mistral" not found, try pulling it first'


def test_stream_is_ndjson_over_chunked_encoding(server: FakeOllama) -> None:
    server.enqueue("one two")
    body = {"model": "llama3.2", "messages": USER}  # no "stream": Ollama streams by default
    with httpx.stream("POST", server.url + "/api/chat", json=body, timeout=5) as reply:
        assert reply.headers["transfer-encoding"] == "chunked"
        assert reply.headers["content-type"] == "application/x-ndjson"
        lines = [json.loads(line) for line in reply.iter_lines() if line]
    assert [x["message"]["content"] for x in lines] == ["one ", "two", ""]
    assert [x["done"] for x in lines] == [False, False, True]
    assert lines[-1]["prompt_eval_count"] > 0


def test_cut_after_chunks_truncates_the_stream(client: ollama.Client, server: FakeOllama) -> None:
    server.enqueue("alpha beta gamma delta")
    server.cut_after_chunks = 2
    got: list[str] = []
    with pytest.raises(httpx.RemoteProtocolError):
        for part in client.chat(model="llama3.2", messages=USER, stream=True):
            got.append(part.message.content or "")
    assert got == ["alpha ", "beta "]


def test_end_without_done(client: ollama.Client, server: FakeOllama) -> None:
    server.end_without_done = True
    parts = list(client.chat(model="llama3.2", messages=USER, stream=True))
    assert parts and not any(p.done for p in parts)


def test_stream_error_line(client: ollama.Client, server: FakeOllama) -> None:
    server.stream_error = (1, "llama runner process has terminated")
    with pytest.raises(ollama.ResponseError, match="runner process"):
        list(client.chat(model="llama3.2", messages=USER, stream=True))


def test_status_error_for_any_endpoint(client: ollama.Client, server: FakeOllama) -> None:
    server.status_error = (500, "out of memory")
    with pytest.raises(ollama.ResponseError) as caught:
        client.list()
    assert (caught.value.status_code, caught.value.error) == (500, "out of memory")
    assert httpx.get(server.url + "/api/version", timeout=5).status_code == 500
    server.status_error_paths = {"/api/chat"}
    assert client.list().models  # other paths work again


def test_slow_first_token_hits_read_timeout(server: FakeOllama) -> None:
    server.slow_first_token = 2.0
    with ollama.Client(host=server.url, timeout=httpx.Timeout(5, read=0.2)) as c:
        with pytest.raises(httpx.ReadTimeout):
            list(c.chat(model="llama3.2", messages=USER, stream=True))


def test_hang_forever(server: FakeOllama) -> None:
    server.hang_forever = True
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(server.url + "/api/tags", timeout=httpx.Timeout(5, read=0.2))


def test_thinking_pieces(client: ollama.Client, server: FakeOllama) -> None:
    server.thinking = "Let me think."
    server.enqueue("Done.")
    parts = list(client.chat(model="llama3.2", messages=USER, stream=True))
    assert "".join(p.message.thinking or "" for p in parts) == "Let me think."
    assert "".join(p.message.content or "" for p in parts) == "Done."


def test_generate(client: ollama.Client, server: FakeOllama) -> None:
    server.enqueue("generated text")
    parts = list(client.generate(model="llama3.2", prompt="hi", stream=True))
    assert "".join(p.response or "" for p in parts) == "generated text"
    assert parts[-1].done


def test_embed_is_deterministic_and_normalised(client: ollama.Client, server: FakeOllama) -> None:
    server.embedding_dim = 32
    first = client.embed(model="nomic-embed-text", input=["attention is all you need", "x"])
    again = client.embed(model="nomic-embed-text", input="attention is all you need")
    assert len(first.embeddings) == 2 and len(first.embeddings[0]) == 32
    assert list(first.embeddings[0]) == list(again.embeddings[0])
    assert math.isclose(sum(v * v for v in first.embeddings[0]), 1.0, rel_tol=1e-9)
    assert fake_embedding("Attention, is ALL you need!", 32) == list(first.embeddings[0])
    with pytest.raises(ollama.ResponseError) as caught:
        client.embed(model="missing-embedder", input="x")
    assert caught.value.status_code == 404


def test_requests_are_recorded_and_reset(client: ollama.Client, server: FakeOllama) -> None:
    client.list()
    client.show("llama3.2")
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/api/tags"),
        ("POST", "/api/show"),
    ]
    assert server.requests_to("/api/show") == [{"model": "llama3.2"}]
    server.reset()
    assert server.requests == []


def test_split_pieces_round_trips() -> None:
    for text in ["", "one", "  lead and trail  ", "a\nb\n\nc [1]."]:
        assert "".join(split_pieces(text)) == text


def test_unused_loopback_url_refuses() -> None:
    url = unused_loopback_url()
    assert url.startswith("http://127.0.0.1:")
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=2)
    with pytest.raises(ConnectionError):  # ollama's non-streaming calls raise the builtin
        ollama.Client(host=url, timeout=2).list()


def test_restart_after_stop() -> None:
    server = FakeOllama(models=["qwen2.5:7b"], architecture="qwen2", context_length=32768)
    with server:
        with ollama.Client(host=server.url, timeout=5) as c:
            assert c.show("qwen2.5:7b").modelinfo["qwen2.context_length"] == 32768
            with pytest.raises(ollama.ResponseError):
                c.show("qwen2.5")  # ":latest" is implied, and not pulled
    with pytest.raises(RuntimeError):
        _ = server.url
