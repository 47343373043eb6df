"""A local research assistant: cited answers over a corpus of scholarly abstracts."""

import os as _os

# numpy's OpenBLAS keeps its worker threads spinning for ~0.1 s after every product. After
# the dense scan that burned a core the query embedder and the chat needed next: warm search
# at 98k chunks went from 28 to 24 ms without it (docs/PERFORMANCE.md). OpenBLAS reads this
# once, when numpy first loads; a value the user set is kept.
_os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

__version__ = "0.1.0"
