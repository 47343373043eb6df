"""Errors a user can meet, each with one clear sentence and a documented exit code.

The CLI turns any :class:`AssistantError` into its ``message`` on stderr and exits with
its ``exit_code``; nothing else reaches the user as a traceback.
"""

from __future__ import annotations

import errno

from index.errors import (  # noqa: F401  (re-exported: the one place callers import from)
    EXIT_INTERRUPTED,
    EXIT_LLM,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_STORE,
    EXIT_USAGE,
    AssistantError,
    StoreError,
    UsageError,
)


class LLMError(AssistantError):
    """The language model could not produce an answer."""

    exit_code = EXIT_LLM


class OllamaUnreachable(LLMError):
    """No Ollama server answered at the configured URL."""

    def __init__(self, host: str, detail: str = "") -> None:
        self.host = host
        super().__init__(
            f"Ollama is not reachable at {host}; start it with `ollama serve` "
            f"or set OLLAMA_HOST to where it runs{f' ({detail})' if detail else ''}."
        )


class ModelNotFound(LLMError):
    """The server answered, but the configured model is not pulled."""

    def __init__(self, model: str, available: list[str]) -> None:
        self.model = model
        self.available = available
        have = ", ".join(available) if available else "none"
        super().__init__(
            f"Model {model!r} is not available in Ollama; run `ollama pull {model}` "
            f"(models available: {have})."
        )


class LLMTimeout(LLMError):
    """Ollama took too long: to connect, to send the first token, or to finish."""

    def __init__(self, stage: str, seconds: float, partial: str = "") -> None:
        self.stage = stage
        self.seconds = seconds
        self.partial = partial
        super().__init__(f"Ollama timed out waiting for the {stage} after {seconds:g} s.")


class StreamCut(LLMError):
    """The answer stream ended before Ollama said it was done."""

    def __init__(self, partial: str, detail: str = "") -> None:
        self.partial = partial
        super().__init__(
            "The answer stream from Ollama was cut off before it finished"
            f"{f' ({detail})' if detail else ''}; the partial answer is kept and marked incomplete."
        )


class OllamaResponseError(LLMError):
    """Ollama answered with an error we have no better name for."""


EXIT_FILESYSTEM = 6  # the file system refused: disk full, read-only, or no permission

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS}
_NO_PERMISSION = {errno.EACCES, errno.EPERM}
# What SQLite (the manifest, Chroma) says when the file system refuses it.
_MESSAGES = (
    ("readonly database", "the file system is read-only or not writable"),
    ("read-only file system", "the file system is read-only"),
    ("database or disk is full", "the disk is full"),
    ("no space left on device", "the disk is full"),
    ("disk quota exceeded", "the disk quota is used up"),
)


class FilesystemError(AssistantError):
    """The file system refused a write: the disk is full, it is read-only, or not ours."""

    exit_code = EXIT_FILESYSTEM


def filesystem_error(err: BaseException, where: str = "a file") -> FilesystemError | None:
    """``err`` as one sentence when the file system refused the work, else None."""
    if isinstance(err, OSError) and err.errno is not None:
        name = str(err.filename) if err.filename is not None else where
        if err.errno in _DISK_FULL:
            return FilesystemError(f"Cannot write {name}: the disk is full; free some space.")
        if err.errno in _READ_ONLY:
            return FilesystemError(f"Cannot write {name}: the file system is read-only.")
        if err.errno in _NO_PERMISSION:
            return FilesystemError(f"Cannot use {name}: permission denied.")
        return None
    text = str(err).lower()
    for marker, reason in _MESSAGES:
        if marker in text:
            return FilesystemError(
                f"Cannot write the assistant's data: {reason} (ASSISTANT_HOME must be a "
                "writable folder with free space)."
            )
    return None
