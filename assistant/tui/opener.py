"""Opening a source outside the chat: its file (at its page where one is known) or its DOI.

What to run is planned first (:func:`plan_file`, :func:`plan_url`: pure, tested on every
platform) and then launched by the app's ``opener`` (:class:`SystemOpener`; tests put a
recorder in its place, so they see the exact URL or command and nothing is launched):

- a DOI opens as ``https://doi.org/<doi>`` with the system opener (``xdg-open``, macOS
  ``open``, Windows' ``startfile``); in ``chat --web`` in the user's browser instead
  (Textual's ``App.open_url``: the web driver asks the browser to open it);
- a file opens with the system opener. For a PDF with a known page, the ``pdf_viewer``
  setting (``ASSISTANT_PDF_VIEWER``, e.g. ``evince --page-label={page} {path}``) runs when it
  is set; otherwise, in a graphical session, ``file:///….pdf#page=N`` goes to the browser
  (its PDF viewer honours the page); otherwise the system opener shows it at its first page.
  In ``chat --web`` the file is sent to the browser, which shows it in a new tab.

The launch never writes into the chat's terminal (its output goes nowhere) and a console
browser is never started in it (Python's ``webbrowser`` would pick one without a display).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.app import App

WAIT_SECONDS = 10.0
"""How long the system opener may take to say it failed (it returns once it has handed the
file over; a failure is reported by its exit status)."""


class OpenFailed(Exception):
    """The opener could not open it; the message is one sentence for the user."""


@dataclass(frozen=True)
class Launch:
    """One thing to open: a URL for the browser, or a command to run."""

    url: str = ""
    """Set: open this URL with the browser (``file://`` URLs carry a ``#page=N``)."""
    command: tuple[str, ...] = ()
    """Set: run this (the system opener or the configured PDF viewer)."""
    path: str = ""
    """The file, when a file is opened (the web mode sends it to the browser)."""
    page: int | None = None
    """The page the passage is on, when known."""

    def describe(self) -> str:
        """What the toast says is being opened."""
        if self.path:
            return self.path + (f" at page {self.page}" if self.page else "")
        return self.url or " ".join(self.command)


def system_command(target: str, platform: str = sys.platform) -> tuple[str, ...]:
    """The platform's opener for a file or URL (``startfile`` stands for ``os.startfile``)."""
    if platform == "darwin":
        return ("open", target)
    if platform.startswith("win"):
        return ("startfile", target)
    return ("xdg-open", target)


def graphical(platform: str = sys.platform, env: dict[str, str] | None = None) -> bool:
    """Whether a browser would open in a window (not in the chat's terminal)."""
    env = dict(os.environ) if env is None else env
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def plan_url(url: str, platform: str = sys.platform) -> Launch:
    """Open ``url`` (a DOI's address) with the system opener."""
    return Launch(url=url, command=system_command(url, platform))


def plan_file(
    path: Path,
    page: int | None,
    viewer: str | None = None,
    platform: str = sys.platform,
    env: dict[str, str] | None = None,
) -> Launch:
    """Open ``path`` at ``page``: the PDF viewer setting, the browser, or the system opener."""
    path = path.resolve()
    shown = str(path)
    pdf = path.suffix.lower() == ".pdf"
    if pdf and page and viewer:
        words = [
            w.replace("{page}", str(page)).replace("{path}", shown) for w in viewer_words(viewer)
        ]
        if "{path}" not in viewer:
            words.append(shown)
        return Launch(command=tuple(words), path=shown, page=page)
    if pdf and page and graphical(platform, env):
        return Launch(url=f"{path.as_uri()}#page={page}", path=shown, page=page)
    return Launch(command=system_command(shown, platform), path=shown, page=page if pdf else None)


def viewer_words(viewer: str) -> list[str]:
    """The ``pdf_viewer`` setting split as a shell would (no shell runs it)."""
    try:
        return shlex.split(viewer, posix=not sys.platform.startswith("win"))
    except ValueError:
        return viewer.split()


class Opener(Protocol):
    """What the source dialog and ``/open`` call; raises :class:`OpenFailed`."""

    def open(self, launch: Launch) -> None: ...


class SystemOpener:
    """Launches for real: the browser or the system opener (see the module doc)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app

    def open(self, launch: Launch) -> None:
        """Open ``launch``; blocks (up to :data:`WAIT_SECONDS`): call it from a thread."""
        if self.app.is_web:
            self._in_browser(launch)
        elif launch.command:
            run(launch.command)
        elif not __import__("webbrowser").open(launch.url):
            raise OpenFailed(f"No browser could open {launch.url}.")

    def _in_browser(self, launch: Launch) -> None:
        """``chat --web``: the user's browser opens it (a file is sent to it)."""
        if not launch.path:
            self.app.call_from_thread(self.app.open_url, launch.url)
            return
        mime = "application/pdf" if launch.path.lower().endswith(".pdf") else None
        try:
            with open(launch.path, "rb") as handle:
                data = handle.read()
        except OSError as err:
            raise OpenFailed(f"Cannot read {launch.path}: {err.strerror or err}.") from None
        import io

        self.app.call_from_thread(
            self.app.deliver_binary,
            io.BytesIO(data),
            save_filename=Path(launch.path).name,
            open_method="browser",
            mime_type=mime,
        )


def run(command: tuple[str, ...]) -> None:
    """Run an opener detached from the chat's terminal; :class:`OpenFailed` if it fails."""
    if command[0] == "startfile":
        try:
            os.startfile(command[1])  # type: ignore[attr-defined]  # Windows only
        except OSError as err:
            raise OpenFailed(f"Windows could not open {command[1]}: {err}.") from None
        return
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as err:
        raise OpenFailed(f"Cannot run {command[0]}: {err.strerror or err}.") from None
    try:
        code = process.wait(WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        return  # still running: a viewer that stays in the foreground, which is fine
    if code != 0:
        raise OpenFailed(f"{command[0]} could not open {command[-1]} (exit status {code}).")


# -- a source ---------------------------------------------------------------------------------
def source_file(source: Any, roots: Sequence[str] = ()) -> Path | None:
    """The file a source was read from, if it is on this machine. The index names a file
    relative to the folder that held what was ingested (``seeds/a.pdf`` after ``assistant
    ingest /home/me/seeds``): such a path is looked up beside each of the index's ``roots``
    (the folders and files ingest was given), then from the folder the chat runs in."""
    text = getattr(source, "path", None) or ""
    if not text:
        return None
    path = Path(text).expanduser()
    if path.is_absolute():
        candidates = [path]
    else:
        beside = [Path(root).parent / path for root in roots]
        inside = [Path(root) / path for root in roots]
        candidates = [*beside, *inside, Path.cwd() / path]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    return None


def index_roots(app: Any) -> list[str]:
    """The roots of the chat's index (none when the chat was handed an engine)."""
    runtime = getattr(app, "runtime", None)
    try:
        return runtime.index.roots() if runtime is not None else []
    except Exception:  # noqa: BLE001 - an index that cannot say: look from the folder only
        return []


def source_launch(
    source: Any, want: str, viewer: str | None = None, roots: Sequence[str] = ()
) -> Launch | str:
    """What opening ``source`` runs (``want``: ``file``, at its page, else the DOI; ``doi``),
    or the sentence that says why there is nothing to open."""
    doi = getattr(source, "doi", None)
    if want == "file":
        path = source_file(source, roots)
        if path is not None:
            return plan_file(path, getattr(source, "page", None), viewer)
        if not doi:
            return "This source has no file on this machine and no DOI to open."
    if not doi:
        return "This source has no DOI (O opens its file)."
    return plan_url(f"https://doi.org/{doi}")


def open_source(app: Any, source: Any, want: str = "file") -> None:
    """Open ``source`` outside the chat with the app's ``opener`` (in a thread); a toast
    says what is opened, or why nothing is, or that the opener failed."""
    from assistant.tui.widgets.safe import safe_line

    viewer = getattr(getattr(app, "settings", None), "pdf_viewer", None)
    launch = source_launch(source, want, viewer, index_roots(app))
    if isinstance(launch, str):
        app.notify(launch, severity="warning", markup=False)
        return
    fallback = want == "file" and not launch.path
    said = "No file of this source on this machine: opening its DOI " if fallback else "Opening "
    app.notify(safe_line(said + launch.describe()), markup=False)
    opener: Opener = app.opener

    def launch_it() -> None:
        try:
            opener.open(launch)
        except Exception as err:  # noqa: BLE001 - one sentence in a toast, never a crash
            text = str(err) if isinstance(err, OpenFailed) else f"Cannot open it: {err}"
            app.call_from_thread(app.notify, safe_line(text), severity="error", markup=False)

    app.run_worker(launch_it, thread=True, group="open", exit_on_error=False)
