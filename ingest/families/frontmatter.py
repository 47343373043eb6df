"""YAML front matter at the top of a Markdown note (Jekyll, Hugo, Obsidian, Pandoc):

    ---
    title: "Allotments and mood"
    author: [Jane Doe, John Roe]
    date: 2021-05-03
    ---
    # Allotment gardening and wellbeing

It is set apart from the note, so the ``# Title`` under it is still the note's first line,
and its ``key: value`` lines are kept as metadata. No YAML library is a dependency of this
project, so this is a strict reader of the plain subset notes use: ``key: value`` (quoted
or not), ``key: [a, b]`` and ``key:`` followed by ``- item`` lines. A block with any other
line (nested mappings aside, which are passed over) is not front matter and is left as
text: a Markdown note may also open with a ``---`` rule.
"""

from __future__ import annotations

import re

MAX_LINES = 200  # front matter is a short header; a longer "block" is a document's rules
_OPEN = "---"
_CLOSE = ("---", "...")
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(?:\s+(.*?))?\s*$")
_ITEM = re.compile(r"^-\s+(.*?)\s*$")

FrontMatter = dict[str, str | list[str]]


def split_front_matter(lines: list[str]) -> tuple[FrontMatter, list[str]]:
    """(the front matter's keys, lower-cased; the lines after it), or ({}, ``lines``) when
    the text does not open with front matter."""
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != _OPEN:
        return {}, lines
    found: FrontMatter = {}
    key: str | None = None
    for n, raw in enumerate(lines[start + 1 : start + 1 + MAX_LINES], start=start + 1):
        line = raw.strip()
        if line in _CLOSE:
            return (found, lines[n + 1 :]) if found else ({}, lines)
        if not line or line.startswith("#"):
            continue
        item = _ITEM.match(line)
        pair = _KEY.match(line)
        if item and key is not None:
            held = found.get(key)
            found[key] = [*(held if isinstance(held, list) else []), _scalar(item.group(1))]
        elif pair:
            key = pair.group(1).lower()  # a nested mapping's keys come out flat: unused
            found.setdefault(key, _value(pair.group(2) or ""))
        else:
            return {}, lines
    return {}, lines


def _value(text: str) -> str | list[str]:
    if text.startswith("[") and text.endswith("]"):
        return [v for v in (_scalar(p) for p in text[1:-1].split(",")) if v]
    return _scalar(text)


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1].strip()
    return re.sub(r"\s+#.*$", "", text)  # a trailing comment


def text_of(value: str | list[str] | None) -> str:
    """A key's value as one line ('' when absent); a list's items joined with '; '."""
    if isinstance(value, list):
        return "; ".join(v for v in value if v)
    return value or ""
