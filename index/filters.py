"""Which chunks a search may return: year range, author, collection, and specific records.

Filters are evaluated by the index, in the store where it can (a Chroma ``where`` clause
for years) and over the reader's metadata columns otherwise, never by callers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from index.codec import ChunkMeta
from vocab.textfold import fold


@dataclass(frozen=True)
class Filters:
    """Restrict sources by year range, author name (accent/case-insensitive substring),
    collection (see :func:`in_collection`) and, for questions about named papers, to a set
    of records."""

    year_min: int | None = None
    year_max: int | None = None
    author: str | None = None
    record_ids: frozenset[str] | None = None
    collection: str | None = None

    @classmethod
    def parse(
        cls, year: str | None = None, author: str | None = None, collection: str | None = None
    ) -> Filters:
        """From user text: years as ``2018``, ``2018-2021``, ``2018-`` or ``-2020``."""
        lo = hi = None
        if year:
            m = re.fullmatch(r"\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*", year)
            if not m or not (m.group(1) or m.group(3)):
                raise ValueError(f"year filter {year!r} is not like 2018 or 2018-2021")
            lo = int(m.group(1)) if m.group(1) else None
            hi = int(m.group(3)) if m.group(3) else (lo if not m.group(2) else None)
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"year filter {year!r} ends before it starts; write {hi}-{lo}")
        author = author.strip() if author and author.strip() else None
        collection = collection.strip() if collection and collection.strip() else None
        return cls(lo, hi, author, collection=collection)

    def __bool__(self) -> bool:
        return any(
            v is not None
            for v in (self.year_min, self.year_max, self.author, self.record_ids, self.collection)
        )

    def accepts(self, meta: ChunkMeta) -> bool:
        """Whether a chunk's metadata passes."""
        year = meta.year
        if self.year_min is not None and (year is None or year < self.year_min):
            return False
        if self.year_max is not None and (year is None or year > self.year_max):
            return False
        if self.record_ids is not None and meta.record_id not in self.record_ids:
            return False
        if self.collection and not any(in_collection(self.collection, c) for c in meta.collections):
            return False
        if self.author:
            return fold(self.author) in fold("; ".join(meta.authors))
        return True

    def describe(self) -> str:
        """Short human form, e.g. ``2018–2021, author ~ Strand``."""
        parts = []
        if self.year_min is not None or self.year_max is not None:
            lo, hi = self.year_min or "", self.year_max or ""
            parts.append(str(lo) if lo == hi else f"{lo}–{hi}")
        if self.author:
            parts.append(f"author ~ {self.author}")
        if self.collection:
            parts.append(f"collection {self.collection}")
        if self.record_ids is not None:
            n = len(self.record_ids)
            parts.append(f"{n} named paper{'s' if n != 1 else ''}")
        return ", ".join(parts)

    def chroma_where(self) -> dict[str, Any] | None:
        """Years and records as a Chroma ``where`` clause (authors and collections are
        checked afterwards)."""
        clauses: list[dict[str, Any]] = []
        if self.year_min is not None:
            clauses.append({"year": {"$gte": self.year_min}})
        if self.year_max is not None:
            clauses.append({"year": {"$lte": self.year_max}})
        if self.record_ids is not None:
            clauses.append({"record_id": {"$in": sorted(self.record_ids) or [""]}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _segments(path: str) -> list[str]:
    return [fold(part.strip()) for part in path.split("/") if part.strip()]


def in_collection(name: str, path: str) -> bool:
    """Whether ``name`` names the collection at ``path`` ("Thesis/Methods") or one it sits
    in: its whole path, its leaf name or an ancestor's ("Methods", "Thesis"), or a part of
    the path ("Thesis/Methods" in "PhD/Thesis/Methods"); case- and accent-insensitive."""
    want, have = _segments(name), _segments(path)
    if not want:
        return False
    return any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))
