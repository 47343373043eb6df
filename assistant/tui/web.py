"""``assistant chat --web``: the same chat, served to a browser by textual-serve.

Each browser tab gets its own ``assistant chat`` process (textual-serve runs the app with
Textual's web driver and relays the websocket). The server binds 127.0.0.1 unless told
otherwise, and accepts a page or websocket only when the request names this server as its
host and (for the websocket) comes from its own page: a web site open in another tab
cannot drive the chat through the browser (a websocket is not held back by the browser's
same-origin rule), nor reach it under a name of its own (DNS rebinding; bound to
another address on purpose, any name is accepted, but still only from the page itself). There is no
password: anyone who can reach the address can use the chat, read the corpus and the saved
conversations. The page loads nothing from the internet (textual-serve's page asks Google
for a font; ours does not).
"""

from __future__ import annotations

import shlex
import sys
from typing import TYPE_CHECKING, Any

from assistant.errors import UsageError
from assistant.llm.transport import is_loopback

if TYPE_CHECKING:
    from aiohttp import web

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
_FONT_LINK = "https://fonts.googleapis.com"


def url_host(host: str) -> str:
    """``host`` as it goes in a URL (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def allowed_hosts(host: str, port: int) -> set[str]:
    """The ``Host`` header values this server answers to."""
    names = {url_host(host)}
    if is_loopback(host):
        names |= {"localhost", "127.0.0.1", "[::1]"}
    return {f"{name}:{port}".lower() for name in names}


def chat_command(resume: str | None = None, model: str | None = None) -> str:
    """The command each browser tab runs: this Python's ``assistant chat``."""
    args = [sys.executable, "-m", "assistant", "chat"]
    if resume:
        args += ["--resume", resume]
    if model:
        args += ["--model", model]
    return shlex.join(args)


def make_server(host: str, port: int, command: str) -> Any:
    """A textual-serve server for ``command`` that refuses other hosts and origins."""
    try:
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError:
        raise UsageError(
            "The browser chat needs textual-serve: pip install 'research-assistant[web]'."
        ) from None

    allowed = allowed_hosts(host, port) if is_loopback(host) else None

    def trusted(request: web.Request) -> bool:
        """A name of this server (on loopback), and a request from its own page."""
        if allowed is not None and request.host.lower() not in allowed:
            return False
        origin = request.headers.get("Origin")
        return origin is None or origin.lower() == f"http://{request.host}".lower()

    class LocalServer(Server):  # type: ignore[misc]
        """textual-serve's server with the checks above and a page without web fonts."""

        async def _make_app(self) -> web.Application:
            import aiohttp_jinja2
            import jinja2

            app = await super()._make_app()
            aiohttp_jinja2.setup(app, loader=jinja2.FunctionLoader(self._page))
            app.middlewares.append(self._guard)
            return app

        def _page(self, name: str) -> str:
            text = (self.templates_path / name).read_text(encoding="utf-8")
            return "\n".join(line for line in text.splitlines() if _FONT_LINK not in line)

        @web.middleware
        async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
            if not trusted(request):
                raise web.HTTPForbidden(text="This chat answers its own page only.")
            # The page's links and websocket use the name the browser used (checked above).
            self.public_url = f"http://{request.host}"
            response: web.StreamResponse = await handler(request)
            return response

    public = f"http://{url_host(host)}:{port}"
    return LocalServer(command, host=host, port=port, title="Research assistant", public_url=public)


def serve(host: str, port: int, resume: str | None = None, model: str | None = None) -> int:
    """Serve the chat until Ctrl+C; returns 0."""
    if not 1 <= port <= 65535:
        raise UsageError(f"--port {port} is not a port (1-65535).")
    server = make_server(host, port, chat_command(resume, model))
    where = f"http://{url_host(host)}:{port}"
    if is_loopback(host):
        print(f"The chat is at {where} (this machine only; --host changes that).", flush=True)
    else:
        print(
            f"The chat is at {where}. Warning: it listens on {host}, not 127.0.0.1: anyone who "
            "can reach this address can use the chat and read your corpus and saved "
            "conversations (there is no password).",
            flush=True,
        )
    try:
        server.serve()
    except OSError as err:
        raise UsageError(
            f"Cannot serve the chat on {host}:{port}: {err.strerror or err}."
        ) from None
    return 0
