"""One writer at a time through the real CLI; readers are never blocked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import REPO

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from index.core import Index
    from index.lock import write_lock
    with write_lock(Index(Path(sys.argv[1])).dir, what="assistant ingest ~/papers"):
        print("locked", flush=True)
        time.sleep(120)
""")


def test_a_second_writer_is_refused_and_readers_go_on(seeded_home: Path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(seeded_home)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        refused = subprocess.run(
            [sys.executable, "-m", "assistant", "ingest"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert refused.returncode == 3
        assert f"pid {holder.pid}" in refused.stderr
        assert "assistant ingest ~/papers" in refused.stderr
        assert "Traceback" not in refused.stderr
        reader = subprocess.run(
            [sys.executable, "-m", "assistant", "ask", "peer support", "--no-llm", "--json"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert reader.returncode == 0, reader.stderr
        assert json.loads(reader.stdout)["sources"]
    finally:
        holder.kill()
        holder.wait()
