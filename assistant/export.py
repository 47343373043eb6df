"""Export answers: Markdown with each answer's references, and the sources as BibTeX, RIS
and CSL-JSON (what Zotero, EndNote and Mendeley import) — every reference written by
:mod:`assistant.references`.

UI-free (no Textual import): the chat's export and copy use it, and so could any script.
All corpus and model text goes through :func:`assistant.textsafe.plain` first, so an
exported file never carries terminal escapes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.answering.answer import Answer, Source
from assistant.conversations import Conversation, Exchange, path_for
from assistant.files import atomic_write
from assistant.references import (
    TitleBook,
    bibtex,
    csl_json,
    full_ref,
    ris,
)
from assistant.textsafe import plain

SCOPES = ("cited", "all")
"""Which sources the reference files hold: those the answers cite, or all retrieved."""

_HEADING = re.compile(r"^(\s{0,3})(#|=+\s*$|-{3,}\s*$)", re.MULTILINE)
# A web address in corpus or model text, with the angle brackets of an autolink around it
# if it has them: GitHub-flavoured renderers link bare ``http://`` and ``www.`` addresses.
_URL = re.compile(
    r"<((?:https?|ftp)://[^\s<>`]+|www\.[^\s<>`]+)>"
    r"|\b(?:https?|ftp)://[^\s<>`\[\]]*[^\s<>`\[\].,;:!?'\"*_~)]"
    r"|\bwww\.[^\s<>`\[\]]*[^\s<>`\[\].,;:!?'\"*_~)]",
    re.IGNORECASE,
)
# The ``]`` that would close a link's or an image's text, or a reference definition's label
# (with no definition, ``[2][3]`` and ``[1]`` stay text: citation markers are left alone).
_LINK_CLOSE = re.compile(r"\](?=[(:])")
# The one link an exported reference keeps: its DOI at doi.org, when the DOI is plain.
_DOI_LINK = re.compile(r" (https://doi\.org/10\.\d{4,9}/[^\s<>`\[\]()'\"]+)$")


def valid_text(text: str) -> str:
    """``text`` with any lone surrogate replaced, so it can always be written as UTF-8."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def md_text(text: str) -> str:
    """Corpus and model text as inert Markdown: no escapes, no raw HTML, no headings of its
    own, no links or images (a title's ``[text](http://…)`` shows as written), and web
    addresses (``<http://…>`` autolinks too) shown as code, never as links."""
    safe = valid_text(plain(text))
    pieces, last = [], 0
    for m in _URL.finditer(safe):
        pieces += [_inert(safe[last : m.start()]), f"`{m.group(1) or m.group(0)}`"]
        last = m.end()
    return "".join([*pieces, _inert(safe[last:])])


def _inert(text: str) -> str:
    text = _LINK_CLOSE.sub(r"\\]", text.replace("<", "&lt;"))
    return _HEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _line(text: str) -> str:
    return " ".join(md_text(text).split())


def _reference(source: Source, titles: TitleBook | None) -> str:
    """A reference as one Markdown line: inert, but for a plain DOI's doi.org link."""
    ref = full_ref(source, titles)
    doi = _DOI_LINK.search(ref)
    return _line(ref) if doi is None else f"{_line(ref[: doi.start()])} {doi.group(1)}"


def exchange_markdown(
    exchange: Exchange, heading: str = "##", titles: TitleBook | None = None
) -> str:
    """One question, its answer, and its references (the cited ones marked), as Markdown."""
    out = [f"{heading} {_line(exchange.question)}", ""]
    lines = answer_lines(exchange.answer, exchange.cancelled, titles)
    return "\n".join(out + lines).rstrip() + "\n"


def answer_lines(
    answer: Answer, cancelled: bool = False, titles: TitleBook | None = None
) -> list[str]:
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
        out += [f"- {_reference(s, titles)}" for s in cited] + [""]
    if others:
        out += ["**Also retrieved, not cited**", ""]
        out += [f"- {_reference(s, titles)}" for s in others] + [""]
    return out


def conversation_markdown(conv: Conversation, titles: TitleBook | None = None) -> str:
    """The conversation as Markdown: each question, its answer, and its numbered references."""
    titles = titles or TitleBook()
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
            *answer_lines(exchange.answer, exchange.cancelled, titles),
        ]
    return "\n".join(out).rstrip() + "\n"


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


def all_sources(conv: Conversation) -> list[Source]:
    """Every source retrieved for the answers, cited ones first, one per record."""
    seen = {_ident(s) for s in cited_sources(conv)}
    out = cited_sources(conv)
    for exchange in conv.exchanges:
        for source in exchange.answer.sources:
            if _ident(source) not in seen:
                seen.add(_ident(source))
                out.append(source)
    return out


def _ident(source: Source) -> str:
    return source.record_id or f"{source.title}|{source.year}|{source.path}"


def conversation_bibtex(conv: Conversation, titles: TitleBook | None = None) -> str:
    """BibTeX entries for every source the conversation's answers cite."""
    return bibtex(cited_sources(conv), titles or TitleBook())


@dataclass
class Exported:
    """The files one export wrote."""

    markdown: Path
    bibtex: Path
    ris: Path
    csl_json: Path
    sources: int
    """How many sources the reference files hold."""

    @property
    def paths(self) -> list[Path]:
        """All four, Markdown first."""
        return [self.markdown, self.bibtex, self.ris, self.csl_json]


def single_answer(conv: Conversation, number: int) -> Conversation:
    """A conversation holding only answer ``number`` (1-based) of ``conv``, to export it."""
    if not 1 <= number <= len(conv.exchanges):
        raise ValueError(f"there is no answer {number}")
    return Conversation(
        conv.id, conv.created, conv.updated, [conv.exchanges[number - 1]], conv.name
    )


def export_files(
    conv: Conversation, folder: Path, scope: str = "cited", number: int | None = None
) -> Exported:
    """Write the conversation (or its answer ``number``) as ``.md``, and its sources (the
    cited ones, or ``scope="all"`` every one retrieved) as ``.bib``, ``.ris`` and
    ``.csl.json`` into ``folder``. One untitled paper has one pseudo-title in all four."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    stem = conv.id if number is None else f"{conv.id}-answer{number}"
    part = conv if number is None else single_answer(conv, number)
    titles = TitleBook()
    markdown = conversation_markdown(part, titles)
    sources = cited_sources(part) if scope == "cited" else all_sources(part)
    files = Exported(
        path_for(folder, stem, ".md"),
        path_for(folder, stem, ".bib"),
        path_for(folder, stem, ".ris"),
        path_for(folder, stem, ".csl.json"),
        len(sources),
    )
    atomic_write(files.markdown, markdown)
    atomic_write(files.bibtex, bibtex(sources, titles))
    atomic_write(files.ris, ris(sources, titles))
    items = csl_json(sources, titles)
    atomic_write(files.csl_json, json.dumps(items, ensure_ascii=False, indent=1) + "\n")
    return files


def export_conversation(conv: Conversation, folder: Path) -> tuple[Path, Path]:
    """Write ``<id>.md`` and ``<id>.bib`` (and ``.ris``, ``.csl.json``) into ``folder``;
    returns the first two paths."""
    files = export_files(conv, folder)
    return files.markdown, files.bibtex
