"""Case- and accent-insensitive words, so 'Åkerblom' in a question finds 'akerblom, K.'."""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into a base letter plus an accent.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ı": "i"})
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: 'Åkerblom' -> 'akerblom'."""
    if text.isascii():
        return text.lower()  # nothing to strip; the common case, and many times faster
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded words of ``text``; hyphens, apostrophes and punctuation separate them."""
    return _WORD.findall(fold(text))
