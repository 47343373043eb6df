"""Errors a user can meet at ingest, each one clear sentence with a documented exit code.

These live in :mod:`index`, the lowest layer, so every package shares one hierarchy;
:mod:`assistant.errors` re-exports them beside the LLM errors.
"""

from __future__ import annotations

# Exit codes (documented in the README; outside scripts rely on them).
EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug: the message says where the log is
EXIT_USAGE = 2  # bad flags, missing or unreadable input file
EXIT_STORE = 3  # index locked by another writer, corrupt, or built with other settings
EXIT_LLM = 4  # --require-llm and Ollama is unreachable, the model is missing, or it failed
EXIT_PARTIAL = 5  # batch: some questions failed (their errors are in the output)
EXIT_INTERRUPTED = 130  # Ctrl-C


class AssistantError(Exception):
    """Base class: ``str(err)`` is the one sentence shown to the user."""

    exit_code = EXIT_INTERNAL


class UsageError(AssistantError):
    """The command line or an input file is wrong."""

    exit_code = EXIT_USAGE


class StoreError(AssistantError):
    """The index cannot be opened or written as asked."""

    exit_code = EXIT_STORE
