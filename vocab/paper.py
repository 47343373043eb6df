"""A paper's bibliographic metadata, declared once.

:class:`PaperFields` is the one declaration of the fields a paper is cited by. Every class
that carries them derives from it: the frozen :class:`PaperMeta` (and through it the
index's chunk metadata, the bibliography's entries, an answer's sources and
``sources --json``'s records) and the ingest's mutable :class:`vocab.record.Record`.
Every converter between them goes through :func:`paper_values` or :func:`read_paper`, so
a field added to :class:`PaperFields` flows through the ingest, the store, the catalogue,
the answer and its JSON without another line.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal, cast, get_type_hints

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10
    from typing_extensions import dataclass_transform

LIST_SEP = "; "  # how a list field is joined where it must be one string (the store)


@dataclass_transform(kw_only_default=True, field_specifiers=(field,))
class _Paperlike(type):
    """Makes each subclass of :class:`PaperFields` a keyword-only dataclass whose first
    fields are the declared ones; ``frozen=True`` as a class keyword makes it immutable.

    Plain dataclass inheritance cannot give both: a mutable class cannot inherit a frozen
    one, nor the other way round. The declaration itself is neither (as PEP 681 says of a
    class that names this metaclass), so the frozen carriers and the ingest's mutable
    record both derive from it, and type checkers see the inherited fields.
    """

    def __new__(
        mcs, name: str, bases: tuple[type, ...], ns: dict[str, Any], *, frozen: bool = False
    ) -> _Paperlike:
        cls = super().__new__(mcs, name, bases, ns)
        if not bases:  # PaperFields: the declaration, not a dataclass of its own
            return cls
        if PaperFields in bases:  # the first generation takes the declared fields
            declared = PaperFields.__dict__["__annotations__"]
            cls.__annotations__ = {**declared, **cls.__dict__.get("__annotations__", {})}
        made = dataclass(frozen=frozen, kw_only=True)(cast(type[Any], cls))
        return cast(_Paperlike, made)


class PaperFields(metaclass=_Paperlike):
    """What a paper is cited by, exactly as its source gave it (``None``/``()``: unknown).

    The one declaration; derive from it, never instantiate it. Defaults must be immutable
    (the declaration is shared by frozen and mutable classes alike)."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    volume: str | None = None  # with its issue in brackets: "23 (2)"
    pages: str | None = None
    doi: str | None = None
    language: str | None = None  # ISO 639-1 code of the title and abstract
    keywords: tuple[str, ...] = ()


class PaperMeta(PaperFields, frozen=True):
    """A paper's metadata as an immutable value."""


class CitedPaper(PaperMeta, frozen=True):
    """A paper as an answer cites it: its number, the passage shown and where it is. What
    every way of writing a source out reads (:mod:`assistant.references`)."""

    n: int
    record_id: str
    path: str | None = None
    text: str
    page: int | None = None  # the page the passage starts on (PDFs)


Kind = Literal["text", "int", "list"]


def _kind(hint: Any) -> Kind:
    if hint == tuple[str, ...]:
        return "list"
    return "int" if int in getattr(hint, "__args__", (hint,)) else "text"


PAPER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PaperMeta))
"""The paper fields, in declaration order."""

KINDS: dict[str, Kind] = {name: _kind(hint) for name, hint in get_type_hints(PaperFields).items()}
"""Each field's kind: free text, a whole number, or a list of strings."""

LIST_FIELDS: frozenset[str] = frozenset(n for n, k in KINDS.items() if k == "list")


def paper_values(obj: Any) -> dict[str, Any]:
    """The paper fields of anything that has them (a record, stored metadata, an entry),
    lists as tuples: ``Target(**paper_values(obj), ...)`` converts between any two."""
    return {
        name: tuple(getattr(obj, name)) if name in LIST_FIELDS else getattr(obj, name)
        for name in PAPER_FIELDS
    }


def read_paper(data: Mapping[str, Any], *, lenient: bool = False) -> dict[str, Any]:
    """The paper fields of a JSON object, each of its right type or left out (a saved
    file may be damaged). ``lenient`` also reads what other writers give: a blank value is
    unknown, a year may be a string of digits, a list may be one string joined by "; "."""
    out: dict[str, Any] = {}
    for name, kind in KINDS.items():
        value = data.get(name)
        if kind == "list":
            if lenient and isinstance(value, str):
                value = value.split(LIST_SEP)
            if isinstance(value, list | tuple):
                out[name] = tuple(v for v in value if isinstance(v, str) and (v or not lenient))
        elif kind == "int":
            if lenient and isinstance(value, str) and value.isdigit():
                value = int(value)
            if isinstance(value, int) and not isinstance(value, bool):
                out[name] = value
        elif isinstance(value, str) and (value or not lenient):
            out[name] = value
    return out
