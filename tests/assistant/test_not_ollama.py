"""Misleading warnings of the third hostile round: an ``OLLAMA_HOST`` whose server answers
with a web page, and ``--model ""``, each get one clear sentence (issue 25, smaller)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from assistant.cli import main
from assistant.config import Settings
from assistant.errors import OllamaResponseError
from assistant.llm import OllamaLLM

pytestmark = pytest.mark.timeout(60)

PAGE = b"<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body>It works</body></html>\n"
SENTENCE = "answered{} with a web page, not Ollama's API; set OLLAMA_HOST to where Ollama runs"


def serve(status: int) -> tuple[http.server.HTTPServer, str]:
    class Page(http.server.BaseHTTPRequestHandler):
        def answer(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        do_GET = do_POST = answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(params=[200, 404, 502])
def web_server(request) -> Iterator[tuple[int, str]]:
    server, url = serve(request.param)
    yield request.param, url
    server.shutdown()
    server.server_close()


def expected(status: int) -> str:
    return SENTENCE.format("" if status == 200 else f" HTTP {status}")


def test_every_call_to_a_web_server_says_it_is_a_web_page(web_server, tmp_path):
    status, url = web_server
    llm = OllamaLLM(Settings(home=tmp_path / "home", ollama_host=url))
    try:
        for call in (
            llm.version,
            llm.list_models,
            lambda: list(llm.stream_chat([{"role": "user", "content": "hi"}])),
        ):
            with pytest.raises(OllamaResponseError) as caught:
                call()
            message = str(caught.value)
            assert expected(status) in message and "<" not in message, message
    finally:
        llm.close()


def test_doctor_names_the_web_page(web_server, monkeypatch, capsys):
    status, url = web_server
    monkeypatch.setenv("OLLAMA_HOST", url)
    main(["doctor"])
    (line,) = [x for x in capsys.readouterr().out.splitlines() if "ollama" in x.split()[:2]]
    assert expected(status) in line and "cut off" not in line and "<" not in line


@pytest.mark.parametrize(
    "argv", [["ask", "peers", "--model", ""], ["ask", "peers", "--model", "  "]]
)
def test_an_empty_model_name_is_one_sentence(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "model name" in err and "is empty" in err


def test_an_empty_model_setting_is_one_sentence(monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_MODEL", "")
    assert main(["sources"]) == 2
    assert "ASSISTANT_MODEL" in capsys.readouterr().err
