"""tiktoken, offline: the BPE files come from llama-index-core's bundled cache."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

ENCODING = "cl100k_base"


def _bundled_cache() -> Path | None:
    # find_spec locates llama_index.core without importing it (that import costs ~2 s).
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "_static" / "tiktoken_cache"
    return path if path.is_dir() else None


@lru_cache(maxsize=1)
def encoding() -> Any:
    """The cl100k_base encoding, loaded without touching the network."""
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        cache = _bundled_cache()
        if cache is not None:
            os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    import tiktoken

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens in ``text``."""
    return len(encoding().encode(text, disallowed_special=()))


def truncate_tokens(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` tokens (on a token boundary)."""
    ids = encoding().encode(text, disallowed_special=())
    if len(ids) <= limit:
        return text
    return encoding().decode(ids[:limit])
