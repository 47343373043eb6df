"""One writer at a time, across real processes; the holder is named; a dead holder frees it."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from index.lock import StoreLocked, write_lock
from tests.conftest import REPO

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from index.lock import write_lock
    with write_lock(Path(sys.argv[1]), what="assistant ingest big-folder"):
        print("locked", flush=True)
        time.sleep(60)
""")


def start_holder(directory: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(directory)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_second_writer_is_refused_naming_the_holder(tmp_path: Path):
    proc = start_holder(tmp_path)
    try:
        with pytest.raises(StoreLocked) as err:
            with write_lock(tmp_path, wait=0.3):
                pass
        assert f"pid {proc.pid}" in str(err.value)
        assert "assistant ingest big-folder" in str(err.value)
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_holder_releases_the_lock(tmp_path: Path):
    proc = start_holder(tmp_path)
    proc.kill()  # SIGKILL: no cleanup code runs
    proc.wait()
    with write_lock(tmp_path, wait=5):  # raises StoreLocked if the dead holder kept it
        assert (tmp_path / "write.lock").read_text().startswith("{")


def test_lock_is_reentrant_after_release(tmp_path: Path):
    with write_lock(tmp_path):
        pass
    with write_lock(tmp_path, wait=0):
        pass
