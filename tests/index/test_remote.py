"""index/remote.py against a stand-in that answers as Chroma's v2 API does (the real
server is exercised in tests/ingest/test_server_mode.py): addresses, errors, request bodies."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

import index.remote
from assistant.cli import main
from index.remote import (
    API,
    RemoteCollection,
    RemoteFailed,
    RemoteNotChroma,
    RemoteUnreachable,
    base_url,
)


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://store-box", "http://store-box:8000"),
        ("https://store-box", "https://store-box:443"),
        ("http://[::1]:9000/ignored/path", "http://[::1]:9000"),
    ],
)
def test_the_address_is_read_as_chromadbs_client_reads_it(url, base):
    assert base_url(url) == base


class Stand(BaseHTTPRequestHandler):
    """Answers from ``routes``: path -> (status, body); records POSTed bodies."""

    routes: dict[str, tuple[int, object]] = {}
    posted: list[tuple[str, object]] = []

    def _answer(self) -> None:
        status, body = self.routes.get(self.path, self.routes.get("*", (404, b"")))
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", "https://store-box/")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        size = int(self.headers["Content-Length"])
        self.posted.append((self.path, json.loads(self.rfile.read(size))))
        self._answer()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stand() -> Iterator[tuple[str, type[Stand]]]:
    handler = type("Handler", (Stand,), {"routes": {}, "posted": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_a_missing_collection_is_none_but_a_missing_route_is_not_chroma(stand):
    url, handler = stand
    handler.routes[f"{API}/corpus"] = (404, {"error": "NotFoundError", "message": "no [corpus]"})
    assert RemoteCollection.open(url, "corpus") is None
    with pytest.raises(RemoteNotChroma, match="Chroma 1.0 or later"):
        RemoteCollection.open(url, "other")  # a bare 404: some other web server


def test_queries_send_chromas_bodies_and_errors_carry_its_message(stand):
    url, handler = stand
    handler.routes[f"{API}/corpus"] = (200, {"id": "c-1", "metadata": {"generation": 3}})
    handler.routes[f"{API}/c-1/query"] = (200, {"ids": [["a"]], "distances": [[0.25]]})
    handler.routes[f"{API}/c-1/get"] = (
        500,
        {"error": "InternalError", "message": "the segment is being compacted"},
    )
    col = RemoteCollection.open(url, "corpus")
    assert col is not None and col.id == "c-1" and col.metadata == {"generation": 3}
    got = col.query(np.ones((1, 3), dtype=np.float32), n_results=4, where={"year": 2018})
    assert got == {"ids": [["a"]], "distances": [[0.25]]}
    assert handler.posted[-1] == (
        f"{API}/c-1/query",
        {
            "query_embeddings": [[1.0, 1.0, 1.0]],
            "n_results": 4,
            "where": {"year": 2018},
            "include": ["distances"],
        },
    )
    with pytest.raises(RemoteFailed, match="being compacted") as err:
        col.get(ids=["a"], include=["embeddings"])
    assert err.value.status == 500


def test_an_answer_that_is_not_json_is_not_chroma(stand):
    url, handler = stand
    handler.routes[f"{API}/corpus"] = (200, b"<html>a login page</html>")
    with pytest.raises(RemoteNotChroma, match="not JSON"):
        RemoteCollection.open(url, "corpus")


def test_nothing_listening_is_unreachable():
    from tests.fakes.ollama_server import unused_loopback_url

    with pytest.raises(RemoteUnreachable):
        RemoteCollection.open(unused_loopback_url(), "corpus")


def test_a_redirect_is_refused_not_followed(stand):
    """urllib would follow it and turn the POSTs into GETs (an http-to-https proxy)."""
    url, handler = stand
    handler.routes["*"] = (301, b"")
    with pytest.raises(RemoteNotChroma, match="redirects to https://store-box/"):
        RemoteCollection.open(url, "corpus")


@pytest.fixture
def raw_server() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP server that answers every connection with the bytes queued (or nothing)."""
    import socket

    replies: list[bytes] = []
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.recv(65536)
            if replies:
                conn.sendall(replies[0])
                conn.close()
            else:
                held.append(conn)  # silent: never answers

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", replies
    finally:
        sock.close()
        for conn in held:
            conn.close()


@pytest.mark.parametrize(
    "reply",
    [
        b"SSH-2.0-OpenSSH_9.6\r\n",  # another service on the port
        b'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"id": ',  # cut off
    ],
)
def test_an_answer_that_is_not_well_formed_http_is_not_chroma(raw_server, reply):
    url, replies = raw_server
    replies.append(reply)
    with pytest.raises(RemoteNotChroma, match="not well-formed HTTP") as err:
        RemoteCollection.open(url, "corpus")
    assert "\n" not in str(err.value)


def test_a_server_that_never_answers_times_out(raw_server, monkeypatch):
    url, _ = raw_server  # nothing queued: it accepts and stays silent
    monkeypatch.setattr(index.remote, "LOOKUP_TIMEOUT", 0.3)
    with pytest.raises(RemoteUnreachable, match="no answer within") as err:
        RemoteCollection.open(url, "corpus")
    assert err.value.timed_out


def run_ask(url: str, monkeypatch, tmp_path, capsys) -> tuple[int, str]:
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", url)
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "client"))
    code = main(["ask", "peer support", "--no-llm"])
    return code, capsys.readouterr().err.strip()


def test_a_failure_while_the_lexical_index_is_rebuilt_is_one_sentence(
    stand, monkeypatch, tmp_path, capsys
):
    """The count and the paged reads that rebuild a client's index came after the one call
    whose failure was put in words: a failure there was an 'internal error', exit 1."""
    url, handler = stand
    handler.routes[f"{API}/corpus"] = (200, {"id": "c-1", "metadata": {"generation": 1}})
    handler.routes[f"{API}/c-1/count"] = (500, {"error": "InternalError", "message": "boom"})
    code, err = run_ask(url, monkeypatch, tmp_path, capsys)
    assert code == 3 and "Traceback" not in err and "internal error" not in err
    assert err == (
        f"assistant: The Chroma server at {url} refused the request (boom); "
        "check it with `assistant doctor`."
    )


def test_a_redirecting_address_is_one_sentence(stand, monkeypatch, tmp_path, capsys):
    url, handler = stand
    handler.routes["*"] = (308, b"")
    code, err = run_ask(url, monkeypatch, tmp_path, capsys)
    assert code == 3 and err.count("\n") == 0
    assert f"The address in ASSISTANT_CHROMA_URL ({url}) does not answer" in err
    assert "redirects to https://store-box/" in err
