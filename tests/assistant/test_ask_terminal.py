"""`assistant ask` on a real (pseudo) terminal: what streams there is what the user keeps."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from tests.conftest import REPO

ANSWER = "Service users value hope [1] and shared power [2]; one study also claims [99]."


def run_on_a_terminal(args: list[str]) -> str:
    """Run the CLI with stdout and stderr on one pty; return everything the terminal got."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", *args],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_streamed_answer_is_never_erased(seeded_home, ollama):
    ollama.enqueue(ANSWER)
    screen = run_on_a_terminal(["ask", "What do service users value in peer support?"])
    start = screen.index("Service users value")
    after = screen[start:]
    assert "\x1b[2K" not in after  # no line erased once the answer has begun
    streamed = after.split("\r\n\r\nSources:")[0].replace("\r\n", "\n").strip()
    assert streamed == ("Service users value hope [1] and shared power [2]; one study also claims.")
    assert "warning: Removed citations to sources that do not exist: [99]." in screen
