"""Corpus and model text is data: strip what a terminal would act on before showing it;
and how wide a table printed to the terminal (or a pipe) may be."""

from __future__ import annotations

import os
import re
import shutil
import sys

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-byte ESC sequences, C1 CSI.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """``text`` without terminal escape sequences or control characters (newlines kept)."""
    text = _ESCAPES.sub("", text.replace("\r\n", "\n"))
    return _CONTROL.sub("", text.replace("\t", "    "))


DEFAULT_WIDTH = 120  # in a pipe without COLUMNS: one line per record, readable in a pager


def table_width() -> int:
    """The terminal's width; in a pipe, ``COLUMNS`` or a pager's usual width."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return DEFAULT_WIDTH
