"""Export answers: Markdown with each answer's references, BibTeX of the cited sources.

UI-free (no Textual import): the chat's export and copy use it, and so could any script.
All corpus and model text goes through :func:`assistant.textsafe.plain` first, so an
exported file never carries terminal escapes.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from assistant.answering.answer import Answer, Source
from assistant.conversations import Conversation, Exchange, path_for
from assistant.files import atomic_write
from assistant.references import full_ref, surname
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


_HEADING = re.compile(r"^(\s{0,3})(#|=+\s*$|-{3,}\s*$)", re.MULTILINE)


def valid_text(text: str) -> str:
    """``text`` with any lone surrogate replaced, so it can always be written as UTF-8."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def md_text(text: str) -> str:
    """Corpus and model text as inert Markdown: no escapes, no raw HTML, no headings of its own."""
    safe = valid_text(plain(text)).replace("<", "&lt;")
    return _HEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), safe)


def _line(text: str) -> str:
    return " ".join(md_text(text).split())


def _field(source: Source, key: str) -> str:
    value: Any = getattr(source, key, None)
    return _line(str(value)) if value not in (None, "", []) else ""


def full_reference(source: Source) -> str:
    """The full reference (volume, pages and the passage's page included)."""
    return full_ref(source)


def exchange_markdown(exchange: Exchange, heading: str = "##") -> str:
    """One question, its answer, and its references (the cited ones marked), as Markdown."""
    out = [f"{heading} {_line(exchange.question)}", ""]
    return "\n".join(out + answer_lines(exchange.answer, exchange.cancelled)).rstrip() + "\n"


def answer_lines(answer: Answer, cancelled: bool = False) -> list[str]:
    """An answer as Markdown lines: its text, how it was made, notes, and its references
    (the ones it cites first, then the others retrieved). Batch files and the chat's export
    and copy all write answers this way."""
    out = [md_text(answer.answer).strip() or "(no answer text)", ""]
    standalone = answer.standalone_question
    if standalone and standalone != answer.question:
        out += [f"*Searched as:* {_line(standalone)}", ""]
    if answer.read_as:
        out += [f"*Read as:* {_line(answer.read_as)}", ""]
    if cancelled or not answer.complete:
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
        out += [f"- {_line(full_ref(s))}" for s in cited] + [""]
    if others:
        out += ["**Also retrieved, not cited**", ""]
        out += [f"- {_line(full_ref(s))}" for s in others] + [""]
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
        out += [
            f"## {i}. {_line(exchange.question)}",
            "",
            *answer_lines(exchange.answer, exchange.cancelled),
        ]
    return "\n".join(out).rstrip() + "\n"


def bibtex_escape(text: str) -> str:
    """``text`` safe inside a braced BibTeX field: specials escaped, whitespace collapsed."""
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in _line(text))


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def bibtex_key(source: Source, taken: set[str]) -> str:
    """``strand2018peer``: first author's surname, year, first title word; made unique."""
    who = _ascii_word(surname(source.authors[0])) if source.authors else ""
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
        if value := _field(source, name):
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
    if source.page is not None:  # where the cited passage is, for a PDF
        fields.append(("note", f"p. {source.page}"))
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
    atomic_write(md_path, conversation_markdown(conv))
    atomic_write(bib_path, conversation_bibtex(conv))
    return md_path, bib_path
