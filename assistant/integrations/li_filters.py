"""llama-index ``MetadataFilters`` read as the index's own :class:`~index.filters.Filters`.

Only what the index can evaluate is accepted: ``year`` compared with ``==``, ``>``, ``>=``,
``<``, ``<=``; ``author``/``authors`` matched with ``==``, ``contains`` or ``text_match``
(all three mean "a name containing this text", accent- and case-insensitive, as the CLI's
``--author`` does); ``collection``/``collections`` with ``==`` or ``contains`` (a
reference manager's collection and those inside it, as ``--collection`` reads it);
``record_id`` with ``==`` or ``in``. Filters are combined with AND. Any
other key, operator or an OR/NOT of several filters is refused with
:class:`UnsupportedFilter` rather than silently ignored, since a dropped filter would
widen the search without anyone noticing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)

from assistant.errors import UsageError
from index import Filters

YEAR_KEYS = ("year",)
AUTHOR_KEYS = ("author", "authors")
RECORD_KEYS = ("record_id",)
COLLECTION_KEYS = ("collection", "collections")
YEAR_OPS = (
    FilterOperator.EQ,
    FilterOperator.GT,
    FilterOperator.GTE,
    FilterOperator.LT,
    FilterOperator.LTE,
)
AUTHOR_OPS = (FilterOperator.EQ, FilterOperator.CONTAINS, FilterOperator.TEXT_MATCH)
RECORD_OPS = (FilterOperator.EQ, FilterOperator.IN)
COLLECTION_OPS = (FilterOperator.EQ, FilterOperator.CONTAINS)


class UnsupportedFilter(UsageError, ValueError):
    """A llama-index metadata filter this index cannot apply."""


@dataclass
class _Bounds:
    """What the filters said so far, narrowed by every new one (AND)."""

    year_min: int | None = None
    year_max: int | None = None
    author: str | None = None
    record_ids: set[str] | None = None
    collection: str | None = None

    def at_least(self, year: int) -> None:
        self.year_min = year if self.year_min is None else max(self.year_min, year)

    def at_most(self, year: int) -> None:
        self.year_max = year if self.year_max is None else min(self.year_max, year)


def to_filters(filters: MetadataFilters | None) -> Filters:
    """The index filters equivalent to ``filters``; raises :class:`UnsupportedFilter`."""
    if filters is None:
        return Filters()
    bounds = _Bounds()
    _add_group(filters, bounds)
    if (
        bounds.year_min is not None
        and bounds.year_max is not None
        and bounds.year_min > bounds.year_max
    ):
        raise UnsupportedFilter(
            f"The year filters exclude every year ({bounds.year_min} to {bounds.year_max})."
        )
    return Filters(
        bounds.year_min,
        bounds.year_max,
        bounds.author,
        frozenset(bounds.record_ids) if bounds.record_ids is not None else None,
        bounds.collection,
    )


def _add_group(group: MetadataFilters, bounds: _Bounds) -> None:
    condition = group.condition or FilterCondition.AND
    if condition == FilterCondition.NOT:
        raise UnsupportedFilter("NOT filters are not supported by this index; use AND.")
    if condition == FilterCondition.OR and len(group.filters) > 1:
        raise UnsupportedFilter(
            "OR of several filters is not supported by this index; "
            "use one filter per query or combine them with AND."
        )
    for item in group.filters:
        if isinstance(item, MetadataFilters):
            _add_group(item, bounds)
        else:
            _add_one(item, bounds)


def _add_one(item: MetadataFilter, bounds: _Bounds) -> None:
    key, op = item.key, FilterOperator(item.operator)
    if key in YEAR_KEYS:
        _check_op(key, op, YEAR_OPS)
        year = _year(item.value)
        if op in (FilterOperator.EQ, FilterOperator.GTE):
            bounds.at_least(year)
        if op in (FilterOperator.EQ, FilterOperator.LTE):
            bounds.at_most(year)
        if op == FilterOperator.GT:
            bounds.at_least(year + 1)
        if op == FilterOperator.LT:
            bounds.at_most(year - 1)
    elif key in AUTHOR_KEYS:
        _check_op(key, op, AUTHOR_OPS)
        bounds.author = _one_name(item, "author", bounds.author)
    elif key in RECORD_KEYS:
        _check_op(key, op, RECORD_OPS)
        values = item.value if isinstance(item.value, list) else [item.value]
        ids = {str(v) for v in values if v is not None and str(v)}
        bounds.record_ids = ids if bounds.record_ids is None else bounds.record_ids & ids
    elif key in COLLECTION_KEYS:
        _check_op(key, op, COLLECTION_OPS)
        bounds.collection = _one_name(item, "collection", bounds.collection)
    else:
        known = ", ".join(YEAR_KEYS + AUTHOR_KEYS + COLLECTION_KEYS + RECORD_KEYS)
        raise UnsupportedFilter(
            f"Filtering on {key!r} is not supported by this index (supported keys: {known})."
        )


def _one_name(item: MetadataFilter, what: str, held: str | None) -> str:
    """The name an author or collection filter gives; Filters holds one of each, so a
    second, different one cannot be applied (the same one again is the first)."""
    name = item.value.strip() if isinstance(item.value, str) else ""
    if not name:
        raise UnsupportedFilter(
            f"The {item.key!r} filter needs a name as text, not {item.value!r}."
        )
    if held is not None and held.casefold() != name.casefold():
        raise UnsupportedFilter(f"Only one {what} filter per query is supported.")
    return held or name


def _check_op(key: str, op: FilterOperator, allowed: tuple[FilterOperator, ...]) -> None:
    if op not in allowed:
        names = ", ".join(o.name for o in allowed)
        raise UnsupportedFilter(
            f"The operator {op.name} is not supported for {key!r} (supported: {names})."
        )


def _year(value: Any) -> int:
    """A year from an int, an integral float or a four-digit string."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise UnsupportedFilter(f"A year filter needs a whole year such as 2018, not {value!r}.")
    return value
