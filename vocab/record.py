"""The record: one paper as the index knows it."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from vocab.paper import LIST_FIELDS, PaperFields


class Record(PaperFields):
    """One paper found on a page, with the bibliographic metadata the page gives for it.

    The ingest fills it in field by field, so it is mutable. Its bibliographic fields are
    the declared ones (:class:`vocab.paper.PaperFields`), list fields held as tuples (a
    list given is kept as a tuple), and reach the index through
    :func:`vocab.paper.paper_values`.

    ``abstract`` is empty for title-only entries (e.g. a related-papers list).
    ``translations`` holds the same abstract in other languages, keyed by ISO 639-1 code.

    ``kind`` says where the record was read from ("page": a scraped web page or plain text;
    "export": an entry of a reference-manager or database export; "pdf": an article PDF);
    merging trusts an export's metadata over a PDF's, and a PDF's over a page's.
    ``origins`` lists every file the record was read from (``path`` is the one shown).
    ``online_year`` keeps an online-first year when it differs from the issue ``year``.
    ``page_starts`` maps the indexed text to page numbers: ``[[char_offset, page], ...]``
    in increasing offset order (PDFs); empty when the text has no pages.
    ``collections`` names the reference-manager collections (folders) holding the paper.
    ``attachments`` lists the files (as reports show them) whose text is this paper's,
    e.g. a Zotero item's PDF: merging joins their records to this one whatever they say.
    ``id_key`` is set by :func:`assign_ids` only when the plain identity key is shared with
    another record the merge kept apart; the id is then made from it.
    ``parts`` is the paper's parts and study facts (:class:`vocab.parts.Parts` as JSON),
    read at ingest from the text; it never enters the record's identity.
    """

    abstract: str = ""
    translations: dict[str, str] = field(default_factory=dict)
    path: str = ""
    kind: str = "page"
    origins: list[str] = field(default_factory=list)
    online_year: int | None = None
    page_starts: list[list[int]] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    id_key: str = ""
    parts: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in LIST_FIELDS:  # JSON and hand-built records give lists
            value = getattr(self, name)
            if not isinstance(value, tuple):
                setattr(self, name, tuple(value))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (the later, optional fields only when set, so that records
        read before they existed keep their fingerprints)."""
        data = asdict(self)
        for name in LIST_FIELDS:
            data[name] = list(data[name])
        for name in _OPTIONAL:
            if not data[name]:
                del data[name]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        """Inverse of :meth:`to_dict`; unknown keys are ignored."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    @property
    def record_id(self) -> str:
        """A stable id: from the DOI when there is one, else the title, else the abstract
        (or from ``id_key`` when another record shares that key; see :func:`assign_ids`)."""
        key = self.id_key or identity_keys(self)[0]
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


_OPTIONAL = ("collections", "attachments", "id_key", "parts")


# How far each kind of source is trusted for a paper's metadata, most trusted first: a
# reference manager's own library, an export (both checked by a person or a database), a
# PDF (read off its layout), a scraped page.
KIND_TRUST = {"library": 0, "export": 1, "pdf": 2, "page": 3}

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


def _strength(record: Record) -> tuple[int, int, str]:
    """Sort key, strongest first: the most trusted kind, then the most fields filled."""
    filled = sum(
        bool(v) for v in (record.title, record.authors, record.year, record.venue, record.doi)
    )
    return (KIND_TRUST.get(record.kind, len(KIND_TRUST)), -filled, _canonical(record))


def _canonical(record: Record) -> str:
    data = record.to_dict()
    for name in ("path", "id_key", "parts"):
        data.pop(name, None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _qualifier(record: Record, level: int) -> str:
    """What tells a record apart from others with the same plain key, ever more finely."""
    first = record.authors[0] if record.authors else ""
    parts = [
        normalize_doi(record.doi or ""),
        normalize_key(record.title or ""),
        normalize_key(first.partition(",")[0] if "," in first else first),
        str(record.year or ""),
        normalize_key(record.venue or ""),
    ]
    if level >= 1:
        parts.append(hashlib.sha256(normalize_key(record.abstract).encode()).hexdigest()[:16])
    return "|".join(parts)


def assign_ids(records: list[Record]) -> None:
    """Make every record's id unique among ``records`` (the merged records of a corpus).

    The one rule for identity: a record's id comes from its strongest identity key (DOI,
    else title, else text). Records the merge kept apart can share that key (two
    "Editorial"s of different journals, one DOI claimed for two different titles); the
    strongest of them keeps the plain id and each other one gets an id from the key plus
    what tells it apart (DOI, title, first author, year, venue, then its text, then its
    rank), so no record ever replaces another in the index. Only records sharing a key are
    touched, so every other id stays what it always was.
    """
    by_key: dict[str, list[Record]] = {}
    for record in records:
        record.id_key = ""
        by_key.setdefault(identity_keys(record)[0], []).append(record)
    taken = set(by_key)
    for key, group in sorted(by_key.items()):
        if len(group) < 2:
            continue
        rest = sorted(group, key=_strength)[1:]
        for level in (0, 1):
            counts: dict[str, int] = {}
            for record in rest:
                counts[_qualifier(record, level)] = counts.get(_qualifier(record, level), 0) + 1
            for record in rest:
                qualified = f"{key}|{_qualifier(record, level)}"
                if counts[_qualifier(record, level)] == 1 and qualified not in taken:
                    record.id_key = qualified
            rest = [r for r in rest if not r.id_key]
        for rank, record in enumerate(rest, start=1):  # indistinguishable: their rank
            record.id_key = f"{key}|{_qualifier(record, 1)}#{rank}"
        taken.update(r.id_key for r in group if r.id_key)


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
