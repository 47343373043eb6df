"""A search leaves the machine quiet: no library's threads keep spinning after it."""

import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import resource, statistics, time
import assistant  # first, as the command line does: it sets OpenBLAS's spin timeout
import numpy as np

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

vectors = np.random.default_rng(0).random((50_000, 384), dtype=np.float32)
query = vectors[0].copy()
idle = []
for _ in range(5):
    vectors @ query  # the exact dense scan's product
    before = cpu()
    time.sleep(0.2)
    idle.append(cpu() - before)
print(statistics.median(idle))
"""


def test_the_dense_scan_leaves_no_blas_thread_spinning():
    """OpenBLAS's workers spun ~0.1 s after each product (125 ms of CPU in the next 200 ms),
    slowing the query embedder and the chat that ran next."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "OPENBLAS_NUM_THREADS": "2"}
    got = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert float(got.stdout.strip()) < 0.01
