"""The sentence splitter chunks are cut with: llama-index's ``SentenceSplitter`` and the
untrained NLTK Punkt sentence tokenizer it uses, ported so that ingest does not import
llama-index-core (~1.1 s, and ~2 s under load, of a one-file ingest) or NLTK (~0.4 s).

The port is exact, not a look-alike: the index's chunk ids are hashes of chunk texts, so
any difference would re-embed a user's whole library. ``tests/ingest/test_splitter.py``
compares every boundary with llama-index's own splitter on the seeds and a varied corpus.
Sources: llama_index.core.node_parser.text.sentence (MIT) and nltk.tokenize.punkt
(Apache 2.0), as of llama-index-core 0.14 and NLTK 3.9. llama-index builds its Punkt
tokenizer without parameters (``PunktSentenceTokenizer()``), so no abbreviation,
collocation, sentence-starter or orthographic data exist and the heuristics that read
them reduce to the few rules below.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import regex  # NLTK compiles Punkt's expressions with ``regex``: the same engine here

# -- Punkt, untrained -------------------------------------------------------------------
_NON_WORD = r"(?:[)\";}\]\*:@\'\({\[\u2018\u2019\u201c\u201d\xab\xbb\?\!])"
_MULTI_CHAR = r"(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)"
_WORD_START = r"[^\(\"\`{\[:;&\#\*@\)}\]\-,]"
_WORD_RE = regex.compile(
    rf"""(
        {_MULTI_CHAR}
        |
        (?={_WORD_START})\S+?
        (?=
            \s|
            $|
            {_NON_WORD}|{_MULTI_CHAR}|
            ,(?=$|\s|{_NON_WORD}|{_MULTI_CHAR})
        )
        |
        \S
    )""",
    re.UNICODE | re.VERBOSE,
)
_PERIOD_CONTEXT_RE = regex.compile(
    rf"""
        [\.\?\!]
        (?=(?P<after_tok>
            {_NON_WORD}
            |
            \s+(?P<next_tok>\S+)
        ))""",
    re.UNICODE | re.VERBOSE,
)
_REALIGN_RE = regex.compile(
    r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)', re.MULTILINE
)
_ELLIPSIS = regex.compile(r"\.\.+$")
_NUMERIC = regex.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
_INITIAL = regex.compile(r"[^\W\d]\.$", re.UNICODE)
_SENT_END = (".", "?", "!")
_PUNCTUATION = tuple(";:,.!?")


def _words(text: str) -> list[str]:
    """Punkt's word tokens, line by line."""
    out: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            out.extend(_WORD_RE.findall(line))
    return out


def _breaks_after(tok: str, after: str | None) -> bool:
    """Whether Punkt (no parameters) ends a sentence at the token ``tok``."""
    if tok in _SENT_END:
        return True
    if _ELLIPSIS.match(tok) or not tok.endswith(".") or tok.endswith(".."):
        return False  # an ellipsis, or no final period: never a break
    if after is None:
        return True
    typ = _NUMERIC.sub("##number##", tok.lower())
    if len(typ) > 1 and typ[-1] == ".":
        typ = typ[:-1]
    if _INITIAL.match(tok) or typ == "##number##":
        # The orthographic heuristic with no context: "not a sentence starter" for
        # punctuation and lower-case words; an initial before a capital is a name.
        if after in _PUNCTUATION or after[0].islower():
            return False
        if _INITIAL.match(tok) and after[0].isupper():
            return False
    return True


def _contains_break(context: str) -> bool:
    """Whether ``context`` holds a sentence break followed by another token."""
    toks = _words(context)
    for i, tok in enumerate(toks[:-1]):
        if _breaks_after(tok, toks[i + 1]):
            return True
    return False


def _last_whitespace(text: str) -> int:
    for i in range(len(text) - 1, -1, -1):
        if text[i] in string.whitespace:
            return i
    return 0


def _end_contexts(text: str) -> Iterator[tuple[regex.Match[str], str]]:
    previous = slice(0, 0)
    previous_match = None
    for match in _PERIOD_CONTEXT_RE.finditer(text):
        before = text[previous.stop : match.start()]
        after_space = _last_whitespace(before)
        after_space = after_space + previous.stop + 1 if after_space else previous.start
        word = slice(after_space, match.start())
        if previous_match and previous.stop <= word.start:
            yield (
                previous_match,
                text[previous] + previous_match.group() + previous_match.group("after_tok"),
            )
        previous_match = match
        previous = word
    if previous_match:
        yield (
            previous_match,
            text[previous] + previous_match.group() + previous_match.group("after_tok"),
        )


def _slices(text: str) -> Iterator[slice]:
    last = 0
    for match, context in _end_contexts(text):
        if _contains_break(context):
            yield slice(last, match.end())
            last = match.start("next_tok") if match.group("next_tok") else match.end()
    yield slice(last, len(text.rstrip()))


def _realigned(text: str, slices: Iterator[slice]) -> Iterator[slice]:
    items = list(slices)
    shift = 0
    for i, first in enumerate(items):
        first = slice(first.start + shift, first.stop)
        second = items[i + 1] if i + 1 < len(items) else None
        if second is None:
            if text[first]:
                yield first
            continue
        m = _REALIGN_RE.match(text[second])
        if m:
            yield slice(first.start, second.start + len(m.group(0).rstrip()))
            shift = m.end()
        else:
            shift = 0
            if text[first]:
                yield first


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences as llama-index cuts it: each from its start to the
    next one's start (whitespace kept), the last to the end of the text."""
    starts = [s.start for s in _realigned(text, _slices(text))]
    ends = [*starts[1:], len(text)] if starts else []
    return [text[a:b] for a, b in zip(starts, ends, strict=True)]


# -- the sentence splitter --------------------------------------------------------------
_CHUNKING_REGEX = "[^,.;。？！]+[,.;。？！]?|[,.;。？！]"
_PARAGRAPH = "\n\n\n"


@dataclass
class _Split:
    text: str
    is_sentence: bool
    token_size: int


def _keep_separator(text: str, sep: str) -> list[str]:
    parts = text.split(sep)
    return [s for s in (sep + p if i > 0 else p for i, p in enumerate(parts)) if s]


class SentenceSplitter:
    """Chunks of at most ``chunk_size`` tokens that keep sentences and paragraphs whole
    where they can, consecutive chunks overlapping by up to ``chunk_overlap`` tokens."""

    def __init__(self, chunk_size: int, chunk_overlap: int, tokenizer: Callable[[str], list]):
        if chunk_overlap > chunk_size:
            raise ValueError(f"chunk overlap {chunk_overlap} exceeds chunk size {chunk_size}")
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self._tokens = tokenizer

    def split_text(self, text: str) -> list[str]:
        """``text`` in chunks."""
        return self._split_text(text, self.chunk_size)

    def split_text_metadata_aware(self, text: str, metadata: str) -> list[str]:
        """``text`` in chunks that leave room for ``metadata`` (a title) in each."""
        size = self.chunk_size - len(self._tokens(metadata))
        if size <= 0:
            raise ValueError("metadata longer than the chunk size")
        return self._split_text(text, size)

    def _split_text(self, text: str, chunk_size: int) -> list[str]:
        if text == "":
            return [text]
        return self._merge(self._split(text, chunk_size), chunk_size)

    def _size(self, text: str) -> int:
        return len(self._tokens(text))

    def _pieces(self, text: str) -> tuple[list[str], bool]:
        for fn in (lambda t: _keep_separator(t, _PARAGRAPH), sentences):
            splits = fn(text)
            if len(splits) > 1:
                return splits, True
        for fn in (
            lambda t: re.findall(_CHUNKING_REGEX, t),
            lambda t: _keep_separator(t, " "),
            list,
        ):
            splits = fn(text)
            if len(splits) > 1:
                break
        return splits, False

    def _split(self, text: str, chunk_size: int) -> list[_Split]:
        size = self._size(text)
        if size <= chunk_size:
            return [_Split(text, True, size)]
        pieces, is_sentence = self._pieces(text)
        out: list[_Split] = []
        for piece in pieces:
            size = self._size(piece)
            if size <= chunk_size or len(pieces) == 1:
                out.append(_Split(piece, is_sentence, size))
            else:
                out.extend(self._split(piece, chunk_size))
        return out

    def _merge(self, splits: list[_Split], chunk_size: int) -> list[str]:
        chunks: list[str] = []
        cur: list[tuple[str, int]] = []
        cur_len = 0
        new_chunk = True

        def close() -> None:
            nonlocal cur, cur_len, new_chunk
            chunks.append("".join(text for text, _ in cur))
            last = cur
            cur, cur_len, new_chunk = [], 0, True
            i = len(last) - 1
            while i >= 0 and cur_len + last[i][1] <= self.chunk_overlap:
                cur_len += last[i][1]
                cur.insert(0, last[i])
                i -= 1

        i = 0
        while i < len(splits):
            split = splits[i]
            if split.token_size > chunk_size:
                raise ValueError("Single token exceeded chunk size")
            if cur_len + split.token_size > chunk_size and not new_chunk:
                close()
                continue
            if new_chunk and cur_len + split.token_size > chunk_size:
                while cur and cur_len + split.token_size > chunk_size:
                    cur_len -= cur.pop(0)[1]
            if split.is_sentence or cur_len + split.token_size <= chunk_size or new_chunk:
                cur_len += split.token_size
                cur.append((split.text, split.token_size))
                i += 1
                new_chunk = False
            else:
                close()
        if not new_chunk:
            chunks.append("".join(text for text, _ in cur))
        return [c.strip() for c in chunks if c.strip()]
