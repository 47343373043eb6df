"""Citation rules: only numbers that name a listed source survive in an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answering.unsourced import LinkFilter, ReferenceListFilter, strip_unsourced

__all__ = ["CheckedAnswer", "StreamFilter", "check_citations", "strip_unsourced"]

# [1], [1, 2], [1-3], [1–3], [1][2]; not [a] or markdown links [text](url)
CITATION = re.compile(r"\[(\s*\d+\s*(?:(?:[,;]|[-–])\s*\d+\s*)*)\](?!\()")
_GROUP_RANGE_LIMIT = 50


@dataclass
class CheckedAnswer:
    """An answer's text after validation, with what was found."""

    text: str
    cited: list[int] = field(default_factory=list)
    invalid: list[int] = field(default_factory=list)


def _numbers(group: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"[,;]", group):
        part = part.strip()
        m = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            if lo <= hi and hi - lo <= _GROUP_RANGE_LIMIT:
                out.extend(range(lo, hi + 1))
            else:
                out.extend([lo, hi])
        elif part.isdigit():
            out.append(int(part))
    return out


def check_citations(text: str, valid: set[int]) -> CheckedAnswer:
    """Drop citations to numbers outside ``valid``; list the valid ones in order of first use."""
    cited: list[int] = []
    invalid: list[int] = []

    def repl(m: re.Match[str]) -> str:
        nums = _numbers(m.group(1))
        keep = [n for n in nums if n in valid]
        for n in nums:
            if n in valid and n not in cited:
                cited.append(n)
            if n not in valid and n not in invalid:
                invalid.append(n)
        return "".join(f"[{n}]" for n in dict.fromkeys(keep))

    cleaned = CITATION.sub(repl, text)
    # a removed citation can leave "claim  ." or "claim ,": tidy the space it leaves
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned)
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
    return CheckedAnswer(cleaned.strip(), cited, invalid)


class StreamFilter:
    """Applies the citation rules to streamed text: a ``[`` is held until its group closes.

    Lets a terminal or the TUI show tokens as they arrive without ever showing a citation
    that the final answer will not contain. Spaces are held back too, so that a citation
    removed before punctuation ("claims [99].") leaves no stray space ("claims."), as
    :func:`check_citations` tidies the final text. A model's own reference list and its
    links are never shown either: what is shown matches
    ``check_citations(strip_unsourced(text), valid)``.
    """

    MAX_HOLD = 24  # a bracket open longer than this is not a citation

    def __init__(self, valid: set[int]) -> None:
        self.valid = valid
        self.held = ""  # an open bracket group
        self.space = ""  # spaces not shown yet
        self.removed = False  # the last group was dropped entirely
        self.refs = ReferenceListFilter()
        self.links = LinkFilter()

    def _text(self, ch: str, out: list[str]) -> None:
        if ch in " \t":
            self.space += ch
            return
        if not (self.removed and ch in ".,;:!?"):
            out.append(self.space)
        self.space, self.removed = "", False
        out.append(ch)

    def feed(self, piece: str) -> str:
        """Text safe to show now."""
        return self._citations(self.links.feed(self.refs.feed(piece)))

    def _citations(self, piece: str) -> str:
        out: list[str] = []
        for ch in piece:
            if not self.held:
                if ch == "[":
                    self.held = "["
                else:
                    self._text(ch, out)
                continue
            self.held += ch
            if ch == "]":
                group, self.held = self.held, ""
                kept = (
                    check_citations(group, self.valid).text if CITATION.fullmatch(group) else group
                )
                if kept:
                    out.append(self.space + kept)
                    self.space, self.removed = "", False
                else:
                    self.removed = True
            elif ch in "\n[" or len(self.held) > self.MAX_HOLD:
                release, self.held = self.held[:-1], ""
                out.append(self.space + release)
                self.space, self.removed = "", False
                if ch == "[":
                    self.held = "["
                else:
                    self._text(ch, out)
        return "".join(out)

    def flush(self) -> str:
        """Whatever is still held at the end of the stream."""
        shown = self._citations(self.links.feed(self.refs.flush()) + self.links.flush())
        rest, self.held, self.space = self.space + self.held, "", ""
        return shown + rest
