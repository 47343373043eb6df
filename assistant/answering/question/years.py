"""Years and year ranges in a question (English, French) ("after 2019", "entre 2018 et 2021")."""

from __future__ import annotations

import re

YearRange = tuple[int | None, int | None]

_Y = r"((?:19|20)\d\d)"
_END = r"(?![\d])"
_START = r"(?<![\d./:-])"
# Most specific first; each pattern turns its match into an inclusive (start, end) range.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"\b(?:between|entre|from|de|du|des)\s+{_Y}\s*(?:and|to|until|through|et|à|a|au|"
            rf"jusqu'(?:en|à|a))\s+{_Y}{_END}",
            re.I,
        ),
        "span",
    ),
    (re.compile(rf"{_START}{_Y}\s*(?:-|–|—|to|à|a|/)\s*{_Y}{_END}", re.I), "span"),
    (re.compile(rf"{_START}{_Y}\s*(?:-|–|—)?\s*s{_END}\b|\bthe\s+{_Y}s\b", re.I), "decade"),
    (re.compile(rf"\bann[ée]es\s+{_Y}\b", re.I), "decade"),
    (
        re.compile(
            rf"\b(?:after|later than|post|newer than|more recent than|après|apres|"
            rf"postérieur[es]* à|plus récent[es]* que)\s+{_Y}{_END}",
            re.I,
        ),
        "after",
    ),
    (
        re.compile(
            rf"\b(?:since|from|starting(?: in| from)?|as of|depuis|dès|à partir de|a partir de)"
            rf"\s+{_Y}\s*(?:on(?:wards?)?|and later|or later|and after|et après)?{_END}",
            re.I,
        ),
        "since_or_in",
    ),
    (
        re.compile(rf"{_START}{_Y}\s+(?:or|and|ou|et)\s+(?:later|after|newer|après|plus)\b", re.I),
        "since",
    ),
    # "2020 onwards", "2020 on." — but not "2020 on COVID-19"
    (re.compile(rf"{_START}{_Y}\s+(?:onwards?\b|on(?=\s*(?:$|[.,;:?!)])))", re.I), "since"),
    (
        re.compile(
            rf"\b(?:before|prior to|earlier than|older than|pre|avant|antérieur[es]* à)"
            rf"\s+{_Y}{_END}",
            re.I,
        ),
        "before",
    ),
    (
        re.compile(rf"\b(?:until|up to|through|till|jusqu'en|jusqu'à|jusqu’en)\s+{_Y}{_END}", re.I),
        "until",
    ),
    (
        re.compile(rf"{_START}{_Y}\s+(?:or|and|ou|et)\s+(?:earlier|before|older|avant)\b", re.I),
        "until",
    ),
    (re.compile(rf"{_START}{_Y}{_END}"), "year"),
]


def _range(kind: str, match: re.Match[str]) -> YearRange:
    years = [int(g) for g in match.groups() if g]
    y = years[0]
    if kind == "span":
        return (min(years), max(years))
    if kind == "decade":
        return (y - y % 10, y - y % 10 + 9)
    if kind == "after":
        return (y + 1, None)
    if kind == "since":
        return (y, None)
    if kind == "since_or_in":
        # "from 2020" alone means that year; "since 2020", "from 2020 on" an open range.
        word = match.group(0).split()[0].casefold()
        tail = match.group(0)[match.end(1) - match.start(0) :].strip()
        return (y, y) if word in ("from", "de", "du") and not tail else (y, None)
    if kind == "before":
        return (None, y - 1)
    if kind == "until":
        return (None, y)
    return (y, y)


def find_years(text: str) -> tuple[list[YearRange], list[tuple[int, int]]]:
    """The year ranges ``text`` asks about, and the character spans they came from."""
    found: list[tuple[int, YearRange]] = []
    spans: list[tuple[int, int]] = []
    for pattern, kind in _PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in spans):
                continue
            spans.append((match.start(), match.end()))
            found.append((match.start(), _range(kind, match)))
    ranges = list(dict.fromkeys(r for _, r in sorted(found)))
    return ranges, sorted(spans)


def format_range(years: YearRange) -> str:
    """'2019', '2018–2021', '2020 or later', '2014 or earlier'."""
    lo, hi = years
    if lo is not None and lo == hi:
        return str(lo)
    if lo is not None and hi is not None:
        return f"{lo}–{hi}"
    if lo is not None:
        return f"{lo} or later"
    return f"{hi} or earlier"


def in_range(year: int | None, years: YearRange) -> bool:
    """Whether ``year`` lies in the inclusive range (an unknown year never does)."""
    lo, hi = years
    return year is not None and (lo is None or year >= lo) and (hi is None or year <= hi)
