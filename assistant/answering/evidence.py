"""The evidence table's rows: one per paper, a cell per part (aim, design, participants,
setting, findings), each backed by the sentence it came from.

Shared by ``assistant papers`` (:mod:`assistant.commands.papers`) and the chat's table of
an answer's papers (:mod:`assistant.tui.evidence_screen`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.answering.asked import stated
from assistant.answering.paperparts import papers_with_parts
from assistant.textsafe import plain
from vocab.parts import Parts

COLUMNS = ("aim", "design", "participants", "setting", "findings")
_FACET = {"design": "method"}


def cell(column: str, parts: Parts) -> dict[str, str] | None:
    """One cell: ``{"value", "sentence"}`` (None when the paper does not state it)."""
    what = stated(_FACET.get(column, column), parts)
    if column == "design":
        what = [(v, s) for v, s in what if v]
    if not what:
        return None
    values = "; ".join(dict.fromkeys(v for v, _ in what if v))
    return {"value": values or what[0][1], "sentence": what[0][1]}


def rows_of(
    reader: Any, filters: Any = None, record_ids: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """One row per paper (of ``record_ids``; passing ``filters``), in catalogue order."""
    rows = []
    for record_id, meta, parts in papers_with_parts(reader, record_ids):
        if filters is not None and not filters.accepts(meta):
            continue
        row: dict[str, Any] = {
            "record_id": record_id,
            "authors": list(meta.authors),
            "year": meta.year,
            "title": meta.title,
            "doi": meta.doi,
        }
        row.update({c: cell(c, parts) for c in COLUMNS})
        rows.append(row)
    return rows


def rows_for(engine: Any, record_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The rows of these papers, from the engine's open index, in the order given."""
    wanted = list(dict.fromkeys(record_ids))
    rows = {r["record_id"]: r for r in rows_of(engine.retriever().reader, None, wanted)}
    return [rows[r] for r in wanted if r in rows]


def flat(row: dict[str, Any], column: str) -> str:
    """A cell's value on one line ('' when the paper does not state it)."""
    got = row.get(column)
    return " ".join(plain(got["value"]).split()) if got else ""


def paper_name(row: dict[str, Any]) -> str:
    """``Strand et al. (2018)``."""
    from assistant.references import short_ref
    from vocab.paper import PaperMeta

    return short_ref(PaperMeta(authors=tuple(row["authors"]), year=row["year"]))


def table(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """The header (paper, title, the columns) and each row's cells on one line."""
    header = ["paper", "title", *COLUMNS]
    lines = [
        [paper_name(r), " ".join(plain(r["title"] or "").split()), *(flat(r, c) for c in COLUMNS)]
        for r in rows
    ]
    return header, lines


def markdown(header: list[str], flat_rows: list[list[str]]) -> str:
    """The table as Markdown (``|`` in a cell escaped)."""
    esc = lambda v: v.replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(esc(v) for v in line) + " |" for line in flat_rows]
    return "\n".join(lines) + "\n"
