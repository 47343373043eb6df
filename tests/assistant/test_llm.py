"""OllamaLLM against the fake Ollama server: streaming, pre-flight checks and every failure."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from assistant.config import Settings
from assistant.errors import (
    LLMError,
    LLMTimeout,
    ModelNotFound,
    OllamaResponseError,
    OllamaUnreachable,
    StreamCut,
)
from assistant.llm import OllamaLLM, model_matches
from assistant.llm.transport import connect_detail
from tests.fakes.ollama_server import FakeOllama, split_pieces, unused_loopback_url

pytestmark = pytest.mark.timeout(30)

QUESTION = [
    {"role": "system", "content": "Answer only from the numbered sources and cite them."},
    {"role": "user", "content": "Do transformers need recurrence?"},
]
ANSWER = "No: self-attention replaces recurrence entirely [1], and trains faster [2]."


@pytest.fixture
def server(shared_ollama: FakeOllama) -> FakeOllama:
    return shared_ollama


_made: list[OllamaLLM] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _made:
        _made.pop().close()


def make_llm(url: str, **overrides: object) -> OllamaLLM:
    """A client with test-sized limits; closed after the test."""
    request_timeout = float(overrides.pop("request_timeout", 5.0))  # type: ignore[arg-type]
    settings: dict[str, object] = {
        "ollama_host": url,
        "model": "llama3.2",
        "connect_timeout": 2.0,
        "first_token_timeout": 5.0,
        "token_timeout": 5.0,
        "total_timeout": 20.0,
        "num_ctx": 8192,
        "temperature": 0.1,
    }
    settings.update(overrides)
    client = OllamaLLM(Settings(**settings), request_timeout=request_timeout)  # type: ignore[arg-type]
    _made.append(client)
    return client


@pytest.fixture
def llm(server: FakeOllama) -> OllamaLLM:
    return make_llm(server.url)


# -- happy paths ---------------------------------------------------------------------------


def test_stream_chat_yields_the_scripted_pieces(llm: OllamaLLM, server: FakeOllama) -> None:
    server.enqueue(ANSWER)
    stream = llm.stream_chat(QUESTION)
    pieces = list(stream)
    assert pieces == split_pieces(ANSWER)
    assert "".join(pieces) == ANSWER
    body = server.last_chat
    assert body["model"] == "llama3.2"
    assert body["stream"] is True
    # num_predict: a runaway answer is cut at the tokens the prompt budget kept for it
    assert body["options"] == {"num_ctx": 8192, "temperature": 0.1, "num_predict": 768}
    assert body["messages"] == QUESTION
    # how the call ended belongs to the call, not to the client
    assert stream.reply is not None and stream.reply.text == ANSWER
    assert stream.reply.done_reason == "stop" and not stream.reply.cut_at_length
    assert stream.reply.answer_tokens == len(pieces)


def test_num_ctx_override_and_chat_helper(llm: OllamaLLM, server: FakeOllama) -> None:
    server.enqueue("Short answer [1].")
    assert llm.chat(QUESTION, num_ctx=4096) == "Short answer [1]."
    assert server.last_chat["options"]["num_ctx"] == 4096


def test_thinking_pieces_are_not_yielded(llm: OllamaLLM, server: FakeOllama) -> None:
    server.thinking = "The user wants to know about recurrence."
    server.enqueue(ANSWER)
    assert llm.chat(QUESTION) == ANSWER


def test_version_list_has_model_context_length(llm: OllamaLLM, server: FakeOllama) -> None:
    assert llm.version() == "0.12.0"
    assert llm.list_models() == ["llama3.2:latest", "nomic-embed-text:latest"]
    assert llm.has_model()  # "llama3.2" is "llama3.2:latest"
    assert llm.has_model("llama3.2:latest")
    assert llm.has_model("nomic-embed-text")
    assert not llm.has_model("llama3.2:1b")
    assert not llm.has_model("mistral")
    assert llm.context_length() == 131072
    server.context_length = 4096
    assert llm.context_length("llama3.2:latest") == 4096
    with pytest.raises(ModelNotFound):
        llm.context_length("mistral")


def test_model_matches() -> None:
    assert model_matches("llama3.2", "llama3.2:latest")
    assert model_matches("Llama3.2:latest", "llama3.2")
    assert not model_matches("llama3.2", "llama3.2:3b")
    assert model_matches("hf.co/org/repo", "hf.co/org/repo:latest")


def test_configured_model_is_there(llm: OllamaLLM) -> None:
    assert llm.has_model()


# -- pre-flight failures -------------------------------------------------------------------


def test_check_missing_model(server: FakeOllama) -> None:
    llm = make_llm(server.url, model="mistral")
    with pytest.raises(ModelNotFound) as caught:
        llm.context_length()
    message = str(caught.value)
    assert "ollama pull mistral" in message
    assert "llama3.2:latest" in message and "nomic-embed-text:latest" in message
    assert caught.value.available == ["llama3.2:latest", "nomic-embed-text:latest"]


def test_check_missing_default_model_says_pull_llama32(server: FakeOllama) -> None:
    server.models = ["qwen2.5:7b"]
    try:
        llm = make_llm(server.url)
        with pytest.raises(ModelNotFound) as caught:
            llm.context_length()
        assert "`ollama pull llama3.2`" in str(caught.value)
        assert "qwen2.5:7b" in str(caught.value)
    finally:
        server.models = ["llama3.2:latest", "nomic-embed-text:latest"]


def test_refused_connection_everywhere() -> None:
    url = unused_loopback_url()
    llm = make_llm(url)
    for call in (llm.version, llm.list_models, llm.has_model, llm.context_length):
        with pytest.raises(OllamaUnreachable) as caught:
            call()
        assert url in str(caught.value)
        assert "ollama serve" in str(caught.value)
        assert "connection refused" in str(caught.value)
    with pytest.raises(OllamaUnreachable) as caught:
        list(llm.stream_chat(QUESTION))
    assert url in str(caught.value) and "connection refused" in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_invalid_host_is_refused_with_the_settings() -> None:
    from assistant.errors import UsageError

    # The one settings object refuses it before any client is made (exit 2, one sentence).
    with pytest.raises(UsageError, match="is not a URL"):
        make_llm("http://127.0.0.1:notaport")


def test_connect_detail_names_the_reason() -> None:
    import socket

    assert connect_detail(socket.gaierror(-2, "Name or service not known")) == (
        "host name not found"
    )
    assert connect_detail(httpx.ConnectError("[Errno -2] Name or service not known")) == (
        "host name not found"
    )
    assert connect_detail(httpx.ConnectError("[Errno 111] Connection refused")) == (
        "connection refused"
    )


def test_http_500_on_small_calls(llm: OllamaLLM, server: FakeOllama) -> None:
    server.status_error = (500, "something went wrong")
    with pytest.raises(OllamaResponseError, match="HTTP 500.*something went wrong"):
        llm.list_models()


def test_small_call_timeout(server: FakeOllama) -> None:
    server.hang_forever = True
    llm = make_llm(server.url, request_timeout=0.3)
    with pytest.raises(LLMTimeout) as caught:
        llm.list_models()
    assert caught.value.stage == "model list"


def test_not_ollama_at_all(server: FakeOllama) -> None:
    server.status_error = (404, "404 page not found")
    llm = make_llm(server.url)
    with pytest.raises(OllamaResponseError, match="HTTP 404"):
        llm.version()


# -- streaming failures --------------------------------------------------------------------


def test_chat_with_missing_model_lists_what_is_available(server: FakeOllama) -> None:
    llm = make_llm(server.url, model="mistral")
    with pytest.raises(ModelNotFound) as caught:
        list(llm.stream_chat(QUESTION))
    assert "ollama pull mistral" in str(caught.value)
    assert caught.value.available == ["llama3.2:latest", "nomic-embed-text:latest"]


def test_chat_missing_model_when_the_list_fails_too(server: FakeOllama) -> None:
    server.status_error = (404, 'model "mistral" not found, try pulling it first')
    llm = make_llm(server.url, model="mistral")
    with pytest.raises(ModelNotFound) as caught:
        list(llm.stream_chat(QUESTION))
    assert caught.value.available == []


def test_slow_first_token(server: FakeOllama) -> None:
    server.slow_first_token = 3.0
    llm = make_llm(server.url, first_token_timeout=0.3)
    with pytest.raises(LLMTimeout) as caught:
        list(llm.stream_chat(QUESTION))
    assert caught.value.stage == "first token"
    assert caught.value.partial == ""
    assert "first token" in str(caught.value)


def test_slow_next_token(server: FakeOllama) -> None:
    server.enqueue("one two three")
    server.delay_between_tokens = 3.0
    llm = make_llm(server.url, token_timeout=0.3)
    got: list[str] = []
    with pytest.raises(LLMTimeout) as caught:
        for piece in llm.stream_chat(QUESTION):
            got.append(piece)
    assert caught.value.stage == "next token"
    assert caught.value.partial == "one " == "".join(got)


def test_total_timeout_keeps_the_partial_answer(server: FakeOllama) -> None:
    server.enqueue("a b c d e f g h i j k l m n o p q r s t u v w x y z")
    server.delay_between_tokens = 0.05
    llm = make_llm(server.url, total_timeout=0.4, token_timeout=5.0)
    got: list[str] = []
    with pytest.raises(LLMTimeout) as caught:
        for piece in llm.stream_chat(QUESTION):
            got.append(piece)
    assert caught.value.stage == "whole answer"
    assert caught.value.seconds == 0.4
    assert caught.value.partial == "".join(got)
    assert caught.value.partial.startswith("a b")
    assert isinstance(caught.value, LLMError)


def test_a_slow_caller_is_not_a_slow_model(server: FakeOllama) -> None:
    server.enqueue("one two three")
    llm = make_llm(server.url, token_timeout=0.2)
    got: list[str] = []
    for piece in llm.stream_chat(QUESTION):
        got.append(piece)
        time.sleep(0.3)  # the chunks wait in the queue meanwhile
    assert "".join(got) == "one two three"


def test_stream_cut_keeps_the_first_pieces(llm: OllamaLLM, server: FakeOllama) -> None:
    server.enqueue(ANSWER)
    server.cut_after_chunks = 3
    got: list[str] = []
    with pytest.raises(StreamCut) as caught:
        for piece in llm.stream_chat(QUESTION):
            got.append(piece)
    expected = "".join(split_pieces(ANSWER)[:3])
    assert caught.value.partial == expected == "".join(got)
    assert "cut off" in str(caught.value)


def test_stream_cut_before_any_piece(llm: OllamaLLM, server: FakeOllama) -> None:
    server.cut_after_chunks = 0
    with pytest.raises(StreamCut) as caught:
        list(llm.stream_chat(QUESTION))
    assert caught.value.partial == ""


def test_stream_ending_without_done_is_a_cut(llm: OllamaLLM, server: FakeOllama) -> None:
    server.enqueue(ANSWER)
    server.end_without_done = True
    with pytest.raises(StreamCut) as caught:
        list(llm.stream_chat(QUESTION))
    assert caught.value.partial == ANSWER


def test_error_line_mid_stream(llm: OllamaLLM, server: FakeOllama) -> None:
    server.enqueue(ANSWER)
    server.stream_error = (2, "llama runner process has terminated")
    with pytest.raises(StreamCut) as caught:
        list(llm.stream_chat(QUESTION))
    assert caught.value.partial == "".join(split_pieces(ANSWER)[:2])
    assert "llama runner process has terminated" in str(caught.value)


def test_error_line_before_any_piece(llm: OllamaLLM, server: FakeOllama) -> None:
    server.stream_error = (0, "llama runner process has terminated")
    with pytest.raises(OllamaResponseError, match="runner process has terminated"):
        list(llm.stream_chat(QUESTION))


def test_http_500_during_chat(llm: OllamaLLM, server: FakeOllama) -> None:
    server.status_error = (500, "model requires more system memory (9.1 GiB) than is available")
    server.status_error_paths = {"/api/chat"}
    with pytest.raises(OllamaResponseError) as caught:
        list(llm.stream_chat(QUESTION))
    message = str(caught.value)
    assert "HTTP 500" in message
    assert "model requires more system memory (9.1 GiB) than is available" in message
    assert message.count(". ") == 0 and message.endswith(".")  # one sentence


# -- cancel --------------------------------------------------------------------------------


def test_cancel_mid_stream(llm: OllamaLLM, server: FakeOllama) -> None:
    server.enqueue("one two three four five six seven eight nine ten")
    server.delay_between_tokens = 0.05
    cancel = threading.Event()
    got: list[str] = []
    for piece in llm.stream_chat(QUESTION, cancel=cancel):
        got.append(piece)
        if len(got) == 2:
            cancel.set()
    assert got == ["one ", "two "]


def test_cancel_while_waiting_for_the_first_token(llm: OllamaLLM, server: FakeOllama) -> None:
    server.slow_first_token = 3.0
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    assert list(llm.stream_chat(QUESTION, cancel=cancel)) == []


def test_cancel_before_start_sends_nothing(llm: OllamaLLM, server: FakeOllama) -> None:
    cancel = threading.Event()
    cancel.set()
    assert list(llm.stream_chat(QUESTION, cancel=cancel)) == []
    assert server.chat_requests == []


def test_closing_the_generator_early_is_clean(llm: OllamaLLM, server: FakeOllama) -> None:
    server.enqueue(ANSWER)
    stream = llm.stream_chat(QUESTION)
    assert next(stream) == split_pieces(ANSWER)[0]
    stream.close()
    server.enqueue("After.")
    assert llm.chat(QUESTION) == "After."  # the client is still usable


def test_no_helper_threads_left_behind(llm: OllamaLLM, server: FakeOllama) -> None:
    server.slow_first_token = 3.0
    slow = make_llm(server.url, first_token_timeout=0.2)
    with pytest.raises(LLMTimeout):
        list(slow.stream_chat(QUESTION))
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline and any(
        t.name == "ollama-chat" for t in threading.enumerate()
    ):
        time.sleep(0.02)
    assert not [t for t in threading.enumerate() if t.name == "ollama-chat"]


def test_chat_models_leave_embedding_models_out(llm: OllamaLLM) -> None:
    assert "nomic-embed-text:latest" in llm.list_models()
    assert llm.chat_models() == ["llama3.2:latest"]
