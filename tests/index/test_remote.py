"""index/remote.py against a stand-in that answers as Chroma's v2 API does (the real
server is exercised in tests/ingest/test_server_mode.py): addresses, errors, request bodies."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from index.remote import API, RemoteCollection, RemoteFailed, RemoteUnreachable, base_url


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
        status, body = self.routes.get(self.path, (404, b""))
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
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
    with pytest.raises(RemoteUnreachable, match="is it a Chroma server"):
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
    with pytest.raises(RemoteUnreachable, match="not JSON"):
        RemoteCollection.open(url, "corpus")


def test_nothing_listening_is_unreachable():
    from tests.fakes.ollama_server import unused_loopback_url

    with pytest.raises(RemoteUnreachable):
        RemoteCollection.open(unused_loopback_url(), "corpus")
