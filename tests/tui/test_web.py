"""``assistant chat --web``: the same chat in a real headless Chromium (ask, watch the answer
stream, open a source, export), and a server that answers its own page only.

The browser test drives Chromium over the DevTools protocol (no Selenium or driver): a
script added before the page loads keeps a handle on textual-serve's terminal, so the test
reads the screen as the terminal holds it and types with real key events. It skips, saying
why, when Chromium (``apt-get install chromium``), textual-serve or websocket-client is
missing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.tui.web import allowed_hosts, chat_command, is_loopback

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WAIT = 90.0  # a bound on each wait (a loaded machine starts a chat process slowly)

# Runs before textual-serve's script: its terminal object assigns ``this.fitAddon`` in its
# constructor, and this setter on Object.prototype catches that object once.
HOOK = """
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    window.__chat = this;
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true});
  },
});
"""
SCREEN = """(() => {
  const owner = window.__chat;
  if (!owner || !owner.terminal) return "";
  const t = owner.terminal, b = t.buffer.active, out = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(b.viewportY + i);
    out.push(line ? line.translateToString(true) : "");
  }
  return out.join("\\n");
})()"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def status_of(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return 0


@pytest.fixture
def web_chat(seeded_home: Path, ollama) -> Iterator[str]:
    """``assistant chat --web`` on a free loopback port; yields its URL."""
    pytest.importorskip("textual_serve", reason="textual-serve (the [web] extra) is missing")
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    args = [sys.executable, "-m", "assistant", "chat", "--web", "--port", str(port)]
    server = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: status_of(url + "/") == 200, "the server")
        yield url
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


class Browser:
    """Headless Chromium driven over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        import websocket  # websocket-client

        self.process = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "--window-size=1400,1000",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        wait_until(lambda: port_file.exists() and port_file.read_text().strip(), "Chromium")
        port = port_file.read_text().split()[0]
        pages = wait_until(lambda: self._pages(port), "a page")
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30)
        self.ids = 0

    @staticmethod
    def _pages(port: str) -> list[dict]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                return [p for p in json.load(r) if p.get("type") == "page"]
        except OSError:
            return []

    def call(self, method: str, **params) -> dict:
        self.ids += 1
        self.ws.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.ids:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def screen(self) -> str:
        return str(self.evaluate(SCREEN) or "")

    def type(self, text: str) -> None:
        self.evaluate("window.__chat.terminal.focus()")
        self.call("Input.insertText", text=text)

    def key(self, name: str, code: int, text: str = "") -> None:
        self.evaluate("window.__chat.terminal.focus()")
        common = {"key": name, "code": name, "windowsVirtualKeyCode": code}
        self.call("Input.dispatchKeyEvent", type="keyDown", text=text, **common)
        self.call("Input.dispatchKeyEvent", type="keyUp", **common)

    def enter(self) -> None:
        self.key("Enter", 13, "\r")

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    pytest.importorskip("websocket", reason="websocket-client is missing")
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    chromium = Browser(profile)
    try:
        yield chromium
    finally:
        chromium.close()


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.slow
def test_the_chat_in_a_browser_asks_streams_opens_a_source_and_exports(
    web_chat, browser, ollama, seeded_home
):
    ollama.delay_between_tokens = 0.15
    words = " ".join(f"word{i}" for i in range(30))
    ollama.enqueue(f"Peers give hope [1]. {words} and the end of the answer [1].")
    browser.call("Page.enable")
    browser.call("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
    browser.call("Page.navigate", url=web_chat + "/")
    wait_until(lambda: "index:" in browser.screen() and "papers" in browser.screen(), "the chat")

    browser.type("What do service users value in peer support?")
    browser.enter()
    # The answer streams: seen part-written (cancel offered), then whole.
    partial = wait_until(
        lambda: "Escape cancels" in (s := browser.screen()) and "word" in s and s, "a partial"
    )
    assert "endoftheanswer" not in flat(partial)
    wait_until(lambda: "endoftheanswer" in flat(browser.screen()), "the whole answer")
    wait_until(lambda: "Escape cancels" not in browser.screen(), "the answer to finish")

    browser.type("/source 1")
    browser.enter()
    dialog = wait_until(lambda: "Vancouver" in (s := browser.screen()) and s, "the source")
    assert "[1]" in dialog
    browser.key("Escape", 27, "\x1b")
    wait_until(lambda: "Vancouver" not in browser.screen(), "the dialog to close")

    browser.type("/export")
    browser.enter()
    wait_until(lambda: "Exportedto" in flat(browser.screen()), "the export note")
    exports = seeded_home / "exports"
    assert sorted(p.suffix for p in exports.iterdir()) == [".bib", ".json", ".md", ".ris"]
    assert "Peers give hope" in next(exports.glob("*.md")).read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_server_answers_its_own_page_only(web_chat):
    """Another site (DNS rebinding, or a page's websocket from elsewhere) is refused."""
    port = web_chat.rsplit(":", 1)[1]
    assert status_of(web_chat + "/") == 200
    assert status_of(f"http://localhost:{port}/") == 200
    assert status_of(web_chat + "/", {"Host": f"evil.example:{port}"}) == 403
    assert status_of(web_chat + "/ws", {"Origin": "http://evil.example"}) == 403
    with urllib.request.urlopen(web_chat + "/", timeout=5) as page:
        html = page.read().decode()
    assert "googleapis" not in html  # the page loads nothing from the internet


def test_loopback_and_hosts():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    assert "localhost:8000" in allowed_hosts("127.0.0.1", 8000)
    assert allowed_hosts("192.168.1.4", 8000) == {"192.168.1.4:8000"}
    assert chat_command("abc", "m").endswith("-m assistant chat --resume abc --model m")


def test_host_without_web_is_a_usage_error(isolated_env, capsys):
    from assistant.cli import main

    assert main(["chat", "--host", "0.0.0.0"]) == 2
    assert "--host and --port go with --web" in capsys.readouterr().err
