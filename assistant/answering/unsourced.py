"""What a model adds that the engine did not give it: its own reference lists and links.

Only the engine's numbered sources may back an answer. A model that appends "Sources:
[1] Fake Author (1999) …" or writes ``[1](http://…)`` presents references nobody checked,
so both are taken out: a trailing reference list is dropped, and a markdown link becomes
its text (``[1](url)`` the bare citation ``[1]``).

Both rules are stream stages, so a terminal shows tokens as they arrive without ever
showing what the final text will not contain; :func:`strip_unsourced` runs the same
stages over a whole text, so the streamed and the final answer always agree.
"""

from __future__ import annotations

import re

CITATION_GROUP = re.compile(r"\[\s*\d+\s*(?:(?:[,;]|[-–])\s*\d+\s*)*\]")
_HEADING_WORDS = (
    "sources",
    "source",
    "references",
    "reference",
    "reference list",
    "bibliography",
    "works cited",
    "cited works",
    "citations",
    "further reading",
)
_QUALIFIERS = ("used", "cited")
_DECORATION = " \t*_"
_HEADING = re.compile(
    r"[ \t>#*_]*(?:" + "|".join(re.escape(w) for w in _HEADING_WORDS) + r")"
    r"[ \t*_]*(?:(?:used|cited)[ \t*_]*)?(?P<colon>:)?[ \t*_]*(?P<rest>.*)",
    re.IGNORECASE,
)
# A line that can belong to a reference list: blank, indented, a list item, a numbered or
# bracketed entry, a link definition, or one carrying a DOI, a URL or a (year).
_ENTRY = re.compile(
    r"\s*$|[ \t]|[-*•+][ \t]|\[\d+\]|\d{1,3}[.)][ \t]|\(\d{1,3}\)|\[[^\]\n]+\]:"
    r"|.*(?:https?://|www\.|\bdoi\b|10\.\d{4,}/|\((?:19|20)\d\d[a-z]?\)|\b(?:19|20)\d\d\b)",
    re.IGNORECASE,
)
# A markdown link's destination: a scheme, www., a path, an anchor, or a domain name.
_DESTINATION = re.compile(
    r"(?:[a-z][a-z0-9+.-]*:|www\.|/|#|\.\.?/)\S*|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#]\S*)?",
    re.IGNORECASE,
)
_TITLE = re.compile(r"""\s*(?:"[^"]*"|'[^']*')?\s*""")


def is_heading(line: str) -> bool:
    """Whether ``line`` opens a reference list ("Sources:", "## References", "Sources: [1] …")."""
    m = _HEADING.fullmatch(line)
    if not m:
        return False
    rest = m.group("rest").strip(_DECORATION)
    return not rest or bool(m.group("colon") and _ENTRY.match(rest))


def _could_be_heading(partial: str) -> bool:
    """Whether the start of a line may still turn into a heading (so it must be held)."""
    word = partial.lstrip(" \t>#*_").lower()
    for heading in _HEADING_WORDS:
        if heading.startswith(word):
            return True
        if word.startswith(heading):
            after = word[len(heading) :].lstrip(_DECORATION)
            for q in _QUALIFIERS:
                if q.startswith(after):
                    return True
                if after.startswith(q):
                    after = after[len(q) :].lstrip(_DECORATION)
                    break
            if not after or after.startswith(":"):
                return True
    return False


def _entry_like(line: str) -> bool:
    return bool(_ENTRY.match(line)) or is_heading(line)


class ReferenceListFilter:
    """Holds a reference list from its heading on; drops it if nothing but entries follow."""

    def __init__(self) -> None:
        self.line: str | None = ""  # start of the current line, held; None: passing through
        self.held = ""  # a heading and the entry lines after it
        self.current = ""  # the unfinished line within ``held``

    def feed(self, piece: str) -> str:
        """Text safe to show now."""
        out: list[str] = []
        for ch in piece:
            if self.held:
                self._hold(ch, out)
            elif self.line is None:
                out.append(ch)
                if ch == "\n":
                    self.line = ""
            else:
                self.line += ch
                if ch == "\n":
                    if is_heading(self.line[:-1]):
                        self.held = self.line
                    else:
                        out.append(self.line)
                    self.line = ""
                elif not _could_be_heading(self.line):
                    out.append(self.line)
                    self.line = None
        return "".join(out)

    def _hold(self, ch: str, out: list[str]) -> None:
        self.held += ch
        if ch != "\n":
            self.current += ch
            return
        if not _entry_like(self.current):  # prose after the "list": it was not one
            out.append(self.held)
            self.held = ""
        self.current = ""

    def flush(self) -> str:
        """The end of the stream: a trailing list is dropped, anything else released."""
        if self.held:
            rest = "" if _entry_like(self.current) else self.held
        else:
            rest = "" if self.line and is_heading(self.line) else self.line or ""
        self.line, self.held, self.current = "", "", ""
        return rest


class LinkFilter:
    """Turns ``[text](url)`` into ``text`` and ``[1](url)`` into ``[1]`` as text streams."""

    MAX_TEXT = 200  # a bracket open longer than this is not a link's text
    MAX_URL = 2000

    def __init__(self) -> None:
        self.held = ""  # "[text", "[text]" or "[text](url"
        self.depth = 0  # open parentheses in the destination

    def feed(self, piece: str) -> str:
        """Text safe to show now."""
        out: list[str] = []
        for ch in piece:
            self._step(ch, out)
        return "".join(out)

    def _step(self, ch: str, out: list[str]) -> None:
        if not self.held:
            if ch == "[":
                self.held = "["
            else:
                out.append(ch)
        elif self.depth:
            self.held += ch
            self.depth += (ch == "(") - (ch == ")")
            if not self.depth:
                out.append(_link_text(self.held))
                self.held = ""
            elif ch == "\n" or len(self.held) > self.MAX_TEXT + self.MAX_URL:
                out.append(self.held)
                self.held, self.depth = "", 0
        elif self.held.endswith("]"):
            if ch == "(":
                self.held += ch
                self.depth = 1
            else:
                out.append(self.held)
                self.held = ""
                self._step(ch, out)
        elif ch in "\n[" or len(self.held) > self.MAX_TEXT:
            out.append(self.held)
            self.held = ""
            self._step(ch, out)
        else:
            self.held += ch

    def flush(self) -> str:
        """Whatever is still held at the end of the stream."""
        rest, self.held, self.depth = self.held, "", 0
        return rest


def _link_text(held: str) -> str:
    """``[text](dest)`` as what a reader should see: the text, or a bare citation."""
    text, _, dest = held[1:-1].partition("](")
    target, _, title = dest.strip().partition(" ")
    if not _DESTINATION.fullmatch(target) or not _TITLE.fullmatch(title):
        return held  # "[1](2019)" and the like: not a link
    bracketed = f"[{text}]"
    return bracketed if CITATION_GROUP.fullmatch(bracketed) else text


def strip_unsourced(text: str) -> str:
    """``text`` without a trailing reference list and with markdown links made plain.

    Run it on a model's answer before :func:`assistant.answering.citations.check_citations`.
    """
    refs, links = ReferenceListFilter(), LinkFilter()
    return links.feed(refs.feed(text) + refs.flush()) + links.flush()
