"""The record: one paper as the index knows it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Record:
    """One paper found on a page, with the bibliographic metadata the page gives for it.

    ``abstract`` is empty for title-only entries (e.g. a related-papers list).
    ``translations`` holds the same abstract in other languages, keyed by ISO 639-1 code.

    ``kind`` says where the record was read from ("page": a scraped web page or plain text;
    "export": an entry of a reference-manager or database export; "pdf": an article PDF);
    merging trusts an export's metadata over a PDF's, and a PDF's over a page's.
    ``origins`` lists every file the record was read from (``path`` is the one shown).
    ``online_year`` keeps an online-first year when it differs from the issue ``year``.
    ``page_starts`` maps the indexed text to page numbers: ``[[char_offset, page], ...]``
    in increasing offset order (PDFs); empty when the text has no pages.
    """

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    volume: str | None = None
    pages: str | None = None
    doi: str | None = None
    language: str | None = None
    abstract: str = ""
    translations: dict[str, str] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    path: str = ""
    kind: str = "page"
    origins: list[str] = field(default_factory=list)
    online_year: int | None = None
    page_starts: list[list[int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        """Inverse of :meth:`to_dict`; unknown keys are ignored."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    @property
    def record_id(self) -> str:
        """A stable id: from the DOI when there is one, else the title, else the abstract."""
        key = identity_keys(self)[0]
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def normalize_key(text: str) -> str:
    """Case- and punctuation-insensitive form used to recognise the same paper twice."""
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def normalize_doi(doi: str) -> str:
    """Lower-cased DOI without resolver prefix."""
    doi = doi.strip().rstrip(".,;")
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
    return doi.lower()


def identity_keys(record: Record) -> list[str]:
    """Keys under which two records count as the same paper, strongest first."""
    keys = []
    if record.doi:
        keys.append("doi:" + normalize_doi(record.doi))
    if record.title:
        keys.append("title:" + normalize_key(record.title))
    if record.abstract:
        keys.append("abstract:" + normalize_key(record.abstract))
    if not keys:
        keys.append("empty:" + record.path)
    return keys


class ReadRecords(list[Record]):
    """The records read from one file, with notes on parts of it that could not be read
    (e.g. one malformed entry among good ones): the file is used, the notes reported."""

    def __init__(self, records: Iterable[Record] = (), notes: Iterable[str] = ()) -> None:
        super().__init__(records)
        self.notes: list[str] = list(notes)


@dataclass(frozen=True)
class Chunk:
    """One piece of a record: ``text`` is shown to readers, ``embed_text`` is embedded."""

    chunk_id: str
    record_id: str
    index: int
    text: str
    embed_text: str
    page: int | None = None  # the page the chunk starts on, for records read from PDFs
    language: str | None = None  # set when the text is a translation (another language)
