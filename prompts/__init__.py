"""Prompt templates: Markdown files with ``{named}`` fields, rendered strictly.

A template that uses a field nobody supplies, or is given a field it does not use, is a
bug caught at render time (and by a test over every template), not a silent blank.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources


@cache
def template(name: str) -> str:
    """The raw text of ``prompts/<name>.md``."""
    return resources.files(__package__).joinpath(f"{name}.md").read_text(encoding="utf-8")


def fields(name: str) -> set[str]:
    """The field names a template uses."""
    return {f for _, f, _, _ in string.Formatter().parse(template(name)) if f}


def render(name: str, **values: str) -> str:
    """The template with its fields filled; every field exactly once, no extras."""
    need = fields(name)
    missing, extra = need - values.keys(), values.keys() - need
    if missing or extra:
        raise KeyError(f"prompt {name!r}: missing {sorted(missing)}, unexpected {sorted(extra)}")
    return template(name).format(**values).strip()
