"""The exit codes, at the command line's edge: the one table from an error to the code a
script sees (documented in the README and ``assistant --help``; outside scripts rely on
them). The layers that raise errors (:mod:`vocab.errors`, :mod:`assistant.errors`) know
nothing of them.
"""

from __future__ import annotations

from assistant.errors import LLMError
from vocab.errors import AssistantError, FilesystemError, StoreError, UsageError

EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug: the message says where the log is
EXIT_USAGE = 2  # bad flags, missing or unreadable input file
EXIT_STORE = 3  # index locked by another writer, corrupt, or built with other settings
EXIT_LLM = 4  # --require-llm and Ollama is unreachable, the model is missing, or it failed
EXIT_PARTIAL = 5  # batch: some questions failed (their errors are in the output)
EXIT_FILESYSTEM = 6  # the file system refused: disk full, read-only, or no permission
EXIT_INTERRUPTED = 130  # Ctrl-C

_BY_ERROR: dict[type[BaseException], int] = {
    AssistantError: EXIT_INTERNAL,
    UsageError: EXIT_USAGE,
    StoreError: EXIT_STORE,
    FilesystemError: EXIT_FILESYSTEM,
    LLMError: EXIT_LLM,
}


def exit_code(err: BaseException) -> int:
    """The code for ``err``: that of the nearest error class in its ancestry that has one
    (a ``StoreLocked`` is a store error: 3); anything else is a bug (1)."""
    for cls in type(err).__mro__:
        if cls in _BY_ERROR:
            return _BY_ERROR[cls]
    return EXIT_INTERNAL
