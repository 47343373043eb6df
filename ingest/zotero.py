"""A Zotero data directory read directly: ``zotero.sqlite`` gives each item's exact metadata.

Zotero keeps its library in SQLite as entity-attribute-value tables (its public schema):
``items`` (``itemID``, ``itemTypeID``, ``key``), ``itemTypes`` (``typeName``), ``fields``
(``fieldName``), ``itemData`` + ``itemDataValues`` (one value per item and field),
``creators`` (``firstName``, ``lastName``, ``fieldMode`` 1 for a one-field name) +
``itemCreators`` (``creatorTypeID``, ``orderIndex``) + ``creatorTypes``, ``collections``
(``collectionName``, ``parentCollectionID``) + ``collectionItems``, ``tags`` + ``itemTags``,
``deletedItems`` (the trash) and ``itemAttachments`` (``parentItemID``, ``linkMode``,
``contentType``, ``path`` as ``storage:<file name>``: the file lives in
``storage/<attachment key>/``).

The database is never opened where it lies: a running Zotero holds it locked, and nothing
here may write to it. The bytes the ingest read are written to a private temporary copy
(with a ``-wal`` file beside the original, if any) and that copy is opened read-only.

Each regular item (not a note, attachment or annotation, not in the trash) becomes one
record of kind ``library``: the most trusted kind, so its fields win over what a PDF's
layout suggests. Its stored PDF and HTML attachments are named in ``attachments`` (as
the scanner shows those files), so the merge joins their text to the item whatever their
layout says; the item's collections (by path, "Thesis/Methods") and tags are kept.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ingest.errors import SkipFile
from ingest.exports.common import (
    abstract_text,
    clean_doi,
    declared_language,
    finish,
    first_year,
    page_range,
    split_keywords,
    tidy,
    volume_issue,
)
from ingest.readers import ZOTERO_DB, printable_name
from vocab.record import ReadRecords, Record

DB_NAME = ZOTERO_DB
STORAGE = "storage"
_NOT_PAPERS = {"note", "attachment", "annotation"}
# Where each item type keeps the name of what it appeared in, in order of preference.
_VENUE_FIELDS = (
    "publicationTitle",
    "proceedingsTitle",
    "bookTitle",
    "conferenceName",
    "encyclopediaTitle",
    "dictionaryTitle",
    "websiteTitle",
    "blogTitle",
    "forumTitle",
    "programTitle",
    "seriesTitle",
    "series",
    "university",
    "institution",
    "repository",
    "publisher",
)
_TITLE_FIELDS = ("title", "caseName", "nameOfAct", "subject")
_AUTHOR_TYPES = ("author", "inventor", "artist", "director", "presenter", "programmer")
_STORED = (0, 1)  # linkMode: an imported file, an imported web page (both under storage/)
_TEXT_SUFFIXES = {".pdf", ".html", ".htm", ".xhtml", ".txt", ".md"}
_EXTRA_DOI = re.compile(r"^\s*DOI:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def library_records(path: Path, data: bytes, display: str) -> ReadRecords:
    """One record per item of the Zotero database whose bytes are ``data``."""
    with tempfile.TemporaryDirectory(prefix="zotero-") as tmp:
        copy = Path(tmp) / DB_NAME
        copy.write_bytes(data)
        wal = path.with_name(DB_NAME + "-wal")
        try:
            if wal.is_file():
                copy.with_name(DB_NAME + "-wal").write_bytes(wal.read_bytes())
        except OSError:
            pass  # the committed database alone is still a consistent library
        try:
            db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        except sqlite3.Error as err:
            raise SkipFile(f"unreadable Zotero database ({err})") from None
        try:
            return _read(db, display)
        except sqlite3.DatabaseError as err:
            raise SkipFile(f"unreadable Zotero database ({err})") from None
        finally:
            db.close()


def _folder_of(display: str) -> str:
    """The data directory as reports show it ('Zotero' for 'Zotero/zotero.sqlite')."""
    return display[: -len(DB_NAME)].rstrip("/" + os.sep) if display.endswith(DB_NAME) else ""


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _read(db: sqlite3.Connection, display: str) -> ReadRecords:
    folder = _folder_of(display)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    if not {"items", "itemData", "itemDataValues", "fields", "itemTypes"} <= tables:
        raise SkipFile("not a Zotero database (its item tables are missing)")
    types = dict(db.execute("SELECT itemTypeID, typeName FROM itemTypes"))
    deleted = (
        {r[0] for r in db.execute("SELECT itemID FROM deletedItems")}
        if ("deletedItems" in tables)
        else set()
    )
    items = [
        (item_id, key)
        for item_id, type_id, key in db.execute("SELECT itemID, itemTypeID, key FROM items")
        if types.get(type_id) not in _NOT_PAPERS and item_id not in deleted
    ]
    fields: dict[int, dict[str, str]] = {}
    for item_id, name, value in db.execute(
        "SELECT d.itemID, f.fieldName, v.value FROM itemData d"
        " JOIN fields f ON f.fieldID = d.fieldID JOIN itemDataValues v ON v.valueID = d.valueID"
    ):
        fields.setdefault(item_id, {})[name] = "" if value is None else str(value)
    creators = _creators(db, tables)
    collections = _collections(db, tables)
    tags = _pairs(
        db, tables, {"itemTags", "tags"},
        "SELECT it.itemID, t.name FROM itemTags it JOIN tags t ON t.tagID = it.tagID",
    )  # fmt: skip
    attachments = _attachments(db, tables, folder)
    records = []
    skipped = 0
    for item_id, _key in sorted(items):
        record = _record(fields.get(item_id, {}), creators.get(item_id, []), display)
        if record is None:
            skipped += 1
            continue
        record.kind = "library"
        record.keywords = tuple(
            split_keywords([*record.keywords, *sorted(tags.get(item_id, []), key=str.casefold)])
        )
        record.collections = sorted(set(collections.get(item_id, [])), key=str.casefold)
        record.attachments = sorted(attachments.get(item_id, []))
        records.append(record)
    notes = [f"{skipped} Zotero items without a title passed over"] if skipped else []
    return ReadRecords(records, notes)


def _record(fields: dict[str, str], people: list[str], display: str) -> Record | None:
    return finish(
        display,
        title=next((fields[k] for k in _TITLE_FIELDS if fields.get(k)), None),
        authors=people,
        year=first_year(fields.get("date")),
        venue=next((fields[k] for k in _VENUE_FIELDS if fields.get(k)), None),
        volume=volume_issue(fields.get("volume"), fields.get("issue")),
        pages=page_range(fields.get("pages")),
        doi=clean_doi(fields.get("DOI"), *_EXTRA_DOI.findall(fields.get("extra", ""))),
        abstract=abstract_text(fields.get("abstractNote")),
        language=declared_language(fields.get("language")),
    )


def _pairs(
    db: sqlite3.Connection, tables: set[str], needs: set[str], sql: str
) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if needs <= tables:
        for item_id, value in db.execute(sql):
            if value:
                out.setdefault(item_id, []).append(tidy(value))
    return out


def _creators(db: sqlite3.Connection, tables: set[str]) -> dict[int, list[str]]:
    """Each item's authors in order ("Family, Given"; a one-field name as is); its editors
    or other creators when it has no author."""
    if not {"itemCreators", "creators"} <= tables:
        return {}
    kinds = (
        dict(db.execute("SELECT creatorTypeID, creatorType FROM creatorTypes"))
        if "creatorTypes" in tables
        else {}
    )
    rows = db.execute(
        "SELECT ic.itemID, ic.creatorTypeID, ic.orderIndex, c.firstName, c.lastName,"
        " c.fieldMode FROM itemCreators ic JOIN creators c ON c.creatorID = ic.creatorID"
    )
    by_item: dict[int, list[tuple[bool, int, str]]] = {}
    for item_id, type_id, order, first, last, mode in rows:
        last, first = tidy(last), tidy(first)
        name = last if mode == 1 or not first else f"{last}, {first}" if last else first
        if name:
            author = kinds.get(type_id, "author") in _AUTHOR_TYPES
            by_item.setdefault(item_id, []).append((author, order or 0, name))
    out = {}
    for item_id, people in by_item.items():
        authors = [p for p in people if p[0]] or people
        out[item_id] = [name for _, _, name in sorted(authors, key=lambda p: p[1])]
    return out


def _collections(db: sqlite3.Connection, tables: set[str]) -> dict[int, list[str]]:
    """The collections holding each item, each by its path from the top of the library
    ("Thesis/Methods" for 'Methods' inside 'Thesis': a filter finds it by either name)."""
    if not {"collections", "collectionItems"} <= tables:
        return {}
    names: dict[int, tuple[str, int | None]] = {
        cid: (tidy(name), parent)
        for cid, name, parent in db.execute(
            "SELECT collectionID, collectionName, parentCollectionID FROM collections"
        )
    }
    out: dict[int, list[str]] = {}
    for cid, item_id in db.execute("SELECT collectionID, itemID FROM collectionItems"):
        path = "/".join(reversed(list(_lineage(cid, names))))
        if path:
            out.setdefault(item_id, []).append(path)
    return out


def _lineage(cid: int | None, names: dict[int, tuple[str, int | None]]) -> Iterable[str]:
    """A collection's name, then its parent's, up to the top (a loop is cut)."""
    seen: set[int] = set()
    while cid is not None and cid in names and cid not in seen:
        seen.add(cid)
        name, cid = names[cid]
        if name:
            yield name


def _attachments(db: sqlite3.Connection, tables: set[str], folder: str) -> dict[int, list[str]]:
    """Each item's stored attachment files that carry its text, as the scanner shows them."""
    if "itemAttachments" not in tables:
        return {}
    cols = _columns(db, "itemAttachments")
    parent = "parentItemID" if "parentItemID" in cols else "sourceItemID"
    out: dict[int, list[str]] = {}
    rows = db.execute(
        f"SELECT a.{parent}, a.linkMode, a.path, i.key FROM itemAttachments a"
        " JOIN items i ON i.itemID = a.itemID"
    )
    for item_id, mode, stored, key in rows:
        if item_id is None or mode not in _STORED or not str(stored or "").startswith("storage:"):
            continue
        name = str(stored)[len("storage:") :]
        if Path(name).suffix.lower() not in _TEXT_SUFFIXES or "/" in name or name in ("", ".."):
            continue
        parts = [p for p in (folder, STORAGE, key, name) if p]
        out.setdefault(item_id, []).append(printable_name("/".join(parts)))
    return out
