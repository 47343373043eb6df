"""``assistant chat``: the Textual chat UI (imported only when this command runs)."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from assistant.config import Settings
from assistant.errors import UsageError
from assistant.tui.app import make_app


@contextmanager
def logs_to_file(settings: Settings) -> Iterator[None]:
    """Send log records to ``ASSISTANT_HOME/logs/assistant.log`` while the UI owns the screen.

    A handler writing to stderr would scribble over the UI (Textual draws on stderr).
    """
    root = logging.getLogger()
    saved = root.handlers[:]
    path = settings.home / "logs" / "assistant.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers = [handler]
    try:
        yield
    finally:
        root.handlers = saved
        handler.close()


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Open the chat (``--resume [ID]`` continues a saved conversation; ``--web`` serves it
    to a browser instead); returns 0."""
    host, port = getattr(args, "host", None), getattr(args, "port", None)
    if getattr(args, "web", False):
        from assistant.tui import web

        return web.serve(
            host or web.DEFAULT_HOST,
            web.DEFAULT_PORT if port is None else port,
            getattr(args, "resume", None),
            getattr(args, "model", None),
        )
    if host is not None or port is not None:
        raise UsageError("--host and --port go with --web (the chat in a browser).")
    app = make_app(settings, resume=getattr(args, "resume", None))
    with logs_to_file(settings):
        app.run()
    return 0
