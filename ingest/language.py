"""A cheap language guess for abstracts: script ratios first, then stop-word counts.

Good enough to tell an English abstract from its French translation, or a Chinese page
from a Japanese one; not a general-purpose identifier. Returns ISO 639-1 codes.
"""

from __future__ import annotations

import re
from collections import Counter

_MIN_LETTERS = 12
_MIN_WORDS = 3
_SAMPLE = 20_000  # the start of a long text says enough, and keeps this O(1) on huge input

_SCRIPTS: list[tuple[str, tuple[tuple[int, int], ...]]] = [
    ("kana", ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))),
    ("hangul", ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))),
    ("han", ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))),
    ("ru", ((0x0400, 0x04FF),)),
    ("el", ((0x0370, 0x03FF), (0x1F00, 0x1FFF))),
    ("he", ((0x0590, 0x05FF),)),
    ("ar", ((0x0600, 0x06FF), (0x0750, 0x077F))),
    ("hi", ((0x0900, 0x097F),)),
    ("th", ((0x0E00, 0x0E7F),)),
]

# Frequent function words; words shared by several languages simply count for each.
_STOP_WORDS = {
    "en": "the of and to in is that for with as on are this by be was were from an or which "
    "have has it their these not at we our were been than its between",
    "fr": "le la les de des du et en un une est que qui dans pour sur par au aux avec ce "
    "ces sont pas plus ont été leur leurs cette entre",
    "de": "der die das und ist nicht mit von zu den dem des ein eine auf für sich im auch "
    "als wird werden bei wurden sind oder einer",
    "es": "el la los las de del y en un una es que por para con se su sus como más al "
    "entre fue son este esta",
    "it": "il lo la gli le di del della e è in un una che per con non sono alla dei delle "
    "nel nella come anche tra",
    "pt": "o os a as de do da dos das e em um uma que para com não por no na se é foram "
    "mais ao são entre pelo pela",
    "nl": "de het een van en in is dat op te met voor zijn niet aan er om ook als bij door "
    "naar wordt worden deze",
    "sv": "och att det som en är av för med till på inte har de den ett kan vid från om "
    "var eller också",
    "da": "og at det som en er af for med til på ikke har de den et kan ved fra der vi "
    "blev eller også hvad",
    "no": "og å det som en er av for med til på ikke har de den et kan ved fra der vi ble "
    "eller også hva",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _STOP_WORDS.items()}
# Letters that only some of the languages use break ties such as no/da/sv.
_HINTS = {
    "de": "ßäöü",
    "fr": "èêëîïôûùçœ",
    "es": "ñ¿¡",
    "pt": "ãõç",
    "it": "ìò",
    "sv": "äöå",
    "da": "æøå",
    "no": "æøå",
}
_TOKEN = re.compile(r"[^\W\d_]+")


def _script_of(ch: str) -> str | None:
    """Name of the non-Latin script a character belongs to, if any."""
    code = ord(ch)
    for name, ranges in _SCRIPTS:
        if any(lo <= code <= hi for lo, hi in ranges):
            return name
    return None


def _script_language(text: str, letters: int) -> str | None:
    """Language decided by script alone (CJK, Cyrillic, Greek...), or None for Latin."""
    # Latin letters (below U+0370) are the common case and belong to no script here.
    counts = Counter(_script_of(ch) for ch in text if ord(ch) >= 0x370 and ch.isalpha())
    counts.pop(None, None)
    if not counts:
        return None
    cjk = counts["kana"] + counts["hangul"] + counts["han"]
    if cjk and cjk / letters >= 0.3:
        if counts["hangul"] > counts["han"] + counts["kana"]:
            return "ko"
        # Japanese mixes kana into kanji; even a little kana rules out Chinese.
        return "ja" if counts["kana"] >= max(2, cjk // 20) else "zh"
    name, count = counts.most_common(1)[0]
    if name not in ("kana", "hangul", "han") and count / letters >= 0.5:
        return name
    return None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` by a cheap heuristic, or None when too short to tell."""
    sample = text[:_SAMPLE]
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters < _MIN_LETTERS:
        return None
    by_script = _script_language(sample, letters)
    if by_script is not None:
        return by_script
    tokens = _TOKEN.findall(sample.casefold())
    if len(tokens) < _MIN_WORDS:
        return None
    scores = {lang: float(sum(tok in words for tok in tokens)) for lang, words in _WORDS.items()}
    for lang, hint in _HINTS.items():
        scores[lang] += min(3.0, 0.5 * sum(sample.count(ch) for ch in hint))
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    # A tie (e.g. only "in", shared by en/de/nl/it) means the text does not say.
    if top < 1 or top == second:
        return None
    return best
