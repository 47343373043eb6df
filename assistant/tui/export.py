"""Export a conversation: Markdown with each answer's references, BibTeX of cited sources.

UI-free (no Textual import). All corpus and model text goes through
:func:`assistant.textsafe.plain` first, so an exported file never carries terminal escapes.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from assistant.answer import Source
from assistant.commands.ask import reference
from assistant.conversations import Conversation, Exchange, path_for, write_atomic
from assistant.textsafe import plain

_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_STOP_WORDS = {"a", "an", "the", "on", "of", "in", "and", "for", "to"}


def _line(text: str) -> str:
    return " ".join(plain(text).split())


def _meta(source: Source, key: str) -> str:
    value: Any = source.meta.get(key)
    return _line(str(value)) if value not in (None, "", []) else ""


def full_reference(source: Source) -> str:
    """:func:`reference` plus volume and pages, as the source dialog shows them."""
    ref = reference(source)
    extra = [
        f"{label} {value}"
        for label, value in (("vol.", _meta(source, "volume")), ("pp.", _meta(source, "pages")))
        if value
    ]
    return f"{ref} ({', '.join(extra)})" if extra else ref


def exchange_markdown(exchange: Exchange, heading: str = "##") -> str:
    """One question, its answer, and its references (the cited ones marked), as Markdown."""
    out = [f"{heading} {_line(exchange.question)}", ""]
    return "\n".join(out + _answer_lines(exchange)).rstrip() + "\n"


def _answer_lines(exchange: Exchange) -> list[str]:
    answer, out = exchange.answer, []
    out += [plain(answer.answer).strip() or "(no answer text)", ""]
    standalone = answer.standalone_question
    if standalone and standalone != exchange.question:
        out += [f"*Searched as:* {_line(standalone)}", ""]
    if exchange.cancelled or not answer.complete:
        out += ["*Incomplete: the answer above was not finished.*", ""]
    made = f"{answer.mode} answer" + (f" by {_line(answer.model)}" if answer.model else "")
    out += [f"*{made}.*", ""]
    for warning in answer.warnings:
        out += [f"> Note: {_line(warning)}", ""]
    if answer.error:
        out += [f"> Error: {_line(answer.error)}", ""]
    cited = [s for s in answer.sources if s.n in set(answer.citations)]
    others = [s for s in answer.sources if s.n not in set(answer.citations)]
    if cited:
        out += ["**References** (cited in the answer)", ""]
        out += [f"- {full_reference(s)}" for s in cited] + [""]
    if others:
        out += ["**Also retrieved, not cited**", ""]
        out += [f"- {full_reference(s)}" for s in others] + [""]
    return out


def conversation_markdown(conv: Conversation) -> str:
    """The conversation as Markdown: each question, its answer, and its numbered references."""
    out = [
        f"# {_line(conv.title)}",
        "",
        f"Conversation {conv.id}, started {conv.created[:16].replace('T', ' ')} UTC.",
        "",
    ]
    for i, exchange in enumerate(conv.exchanges, 1):
        out += [f"## {i}. {_line(exchange.question)}", "", *_answer_lines(exchange)]
    return "\n".join(out).rstrip() + "\n"


def bibtex_escape(text: str) -> str:
    """``text`` safe inside a braced BibTeX field: specials escaped, whitespace collapsed."""
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in _line(text))


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _surname(name: str) -> str:
    name = name.strip()
    if "," in name:
        return name.split(",", 1)[0]
    parts = name.split()
    return parts[-1] if parts else name


def bibtex_key(source: Source, taken: set[str]) -> str:
    """``strand2018peer``: first author's surname, year, first title word; made unique."""
    who = _ascii_word(_surname(source.authors[0])) if source.authors else ""
    words = [_ascii_word(w) for w in (source.title or "").split()]
    word = next((w for w in words if w and w not in _STOP_WORDS), "")
    base = f"{who or 'anon'}{source.year or 'nd'}{word}"
    key, suffix = base, ord("b")
    while key in taken:
        key, suffix = f"{base}{chr(suffix)}", suffix + 1
    taken.add(key)
    return key


def _bib_author(name: str) -> str:
    escaped = bibtex_escape(name)
    # "and" inside one name would split it into two authors: protect it with braces.
    return f"{{{escaped}}}" if re.search(r"\band\b", escaped, re.IGNORECASE) else escaped


def bibtex_entry(source: Source, key: str) -> str:
    """One ``@article`` (``@misc`` when there is no venue) entry for a source."""
    fields: list[tuple[str, str]] = []
    authors = [a for a in source.authors if a.strip()]
    if authors:
        fields.append(("author", " and ".join(_bib_author(a) for a in authors)))
    # An untitled record is named by its opening words, as in the Markdown references.
    fields.append(("title", bibtex_escape(source.title or source.display_title())))
    if source.venue:
        fields.append(("journal", bibtex_escape(source.venue)))
    for name in ("volume", "pages"):
        if value := _meta(source, name):
            fields.append(
                (
                    name,
                    bibtex_escape(
                        re.sub(r"\s*[-–—]+\s*", "--", value) if name == "pages" else value
                    ),
                )
            )
    # Styles need a year to sort and label by; "n.d." is the form they print for none.
    fields.append(("year", str(int(source.year)) if source.year else "n.d."))
    if source.doi:
        # DOIs are verbatim fields in biblatex: drop what would break the entry, escape nothing.
        fields.append(("doi", re.sub(r"[\s{}\\]", "", plain(source.doi))))
    kind = "article" if source.venue else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def cited_sources(conv: Conversation) -> list[Source]:
    """Sources the answers cite, in order of first citation, one per record."""
    seen: set[str] = set()
    out: list[Source] = []
    for exchange in conv.exchanges:
        by_n = {s.n: s for s in exchange.answer.sources}
        for n in exchange.answer.citations:
            source = by_n.get(n)
            if source is None:
                continue
            ident = source.record_id or f"{source.title}|{source.year}|{source.path}"
            if ident not in seen:
                seen.add(ident)
                out.append(source)
    return out


def conversation_bibtex(conv: Conversation) -> str:
    """BibTeX entries for every source the conversation's answers cite."""
    taken: set[str] = set()
    entries = [bibtex_entry(s, bibtex_key(s, taken)) for s in cited_sources(conv)]
    return "\n".join(entries)


def export_conversation(conv: Conversation, folder: Path) -> tuple[Path, Path]:
    """Write ``<id>.md`` and ``<id>.bib`` into ``folder``; returns both paths."""
    md_path, bib_path = path_for(folder, conv.id, ".md"), path_for(folder, conv.id, ".bib")
    write_atomic(md_path, conversation_markdown(conv))
    write_atomic(bib_path, conversation_bibtex(conv))
    return md_path, bib_path
