"""A Zotero data directory written in the test suite, on the tables of Zotero's public schema
(the columns a Zotero 5-7 ``zotero.sqlite`` has that the reader uses, and a few it ignores)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = """
CREATE TABLE version (schema TEXT PRIMARY KEY, version INT NOT NULL);
CREATE TABLE libraries (libraryID INTEGER PRIMARY KEY, type TEXT NOT NULL, editable INT NOT NULL,
    filesEditable INT NOT NULL, version INT NOT NULL DEFAULT 0, storageVersion INT NOT NULL
    DEFAULT 0, lastSync INT NOT NULL DEFAULT 0, archived INT NOT NULL DEFAULT 0);
CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT, templateItemTypeID INT,
    display INT DEFAULT 1);
CREATE TABLE fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT, fieldFormatID INT);
CREATE TABLE creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT);
CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL,
    dateAdded TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    dateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0,
    synced INT NOT NULL DEFAULT 0, UNIQUE (libraryID, key));
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID, PRIMARY KEY (itemID, fieldID));
CREATE TABLE itemNotes (itemID INTEGER PRIMARY KEY, parentItemID INT, note TEXT, title TEXT);
CREATE TABLE itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT,
    contentType TEXT, charsetID INT, path TEXT, syncState INT DEFAULT 0, storageModTime INT,
    storageHash TEXT, lastProcessedModificationTime INT);
CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT,
    fieldMode INT, UNIQUE (lastName, firstName, fieldMode));
CREATE TABLE itemCreators (itemID INT NOT NULL, creatorID INT NOT NULL,
    creatorTypeID INT NOT NULL DEFAULT 1, orderIndex INT NOT NULL DEFAULT 0,
    PRIMARY KEY (itemID, creatorID, creatorTypeID, orderIndex), UNIQUE (itemID, orderIndex));
CREATE TABLE collections (collectionID INTEGER PRIMARY KEY, collectionName TEXT NOT NULL,
    parentCollectionID INT DEFAULT NULL,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, libraryID INT NOT NULL,
    key TEXT NOT NULL, version INT NOT NULL DEFAULT 0, synced INT NOT NULL DEFAULT 0);
CREATE TABLE collectionItems (collectionID INT NOT NULL, itemID INT NOT NULL,
    orderIndex INT NOT NULL DEFAULT 0, PRIMARY KEY (collectionID, itemID));
CREATE TABLE tags (tagID INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE itemTags (itemID INT NOT NULL, tagID INT NOT NULL, type INT NOT NULL,
    PRIMARY KEY (itemID, tagID));
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY,
    dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
"""
TYPES = ["note", "attachment", "journalArticle", "conferencePaper", "bookSection", "annotation"]
FIELDS = [
    "title", "abstractNote", "date", "publicationTitle", "proceedingsTitle", "bookTitle",
    "volume", "issue", "pages", "DOI", "extra", "language", "url", "publisher",
]  # fmt: skip
CREATOR_TYPES = ["author", "editor", "contributor"]


@dataclass
class Item:
    """One regular item: its fields, creators as (last, first, type), files to attach."""

    key: str
    type: str
    fields: dict[str, str]
    creators: list[tuple[str, str, str]] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # attachment key/name -> bytes
    deleted: bool = False
    note: str = ""  # a child note


def make_library(folder: Path, items: list[Item], nested: dict[str, str] | None = None) -> Path:
    """Write ``folder``/zotero.sqlite and storage/ for ``items``; ``nested`` maps a
    collection to its parent collection. Zotero's other files are there too."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "translators").mkdir(exist_ok=True)
    (folder / "translators" / "Crossref.js").write_text("{}")
    (folder / "styles").mkdir(exist_ok=True)
    (folder / "styles" / "apa.csl").write_text("<style/>")
    (folder / "zotero.sqlite.bak").write_bytes(b"old")
    db = sqlite3.connect(folder / "zotero.sqlite")
    db.executescript(SCHEMA)
    db.execute("INSERT INTO libraries VALUES (1, 'user', 1, 1, 0, 0, 0, 0)")
    db.executemany("INSERT INTO itemTypes (typeName) VALUES (?)", [(t,) for t in TYPES])
    db.executemany("INSERT INTO fields (fieldName) VALUES (?)", [(f,) for f in FIELDS])
    db.executemany(
        "INSERT INTO creatorTypes (creatorType) VALUES (?)", [(c,) for c in CREATOR_TYPES]
    )
    type_id = {t: i for i, t in enumerate(TYPES, start=1)}
    field_id = {f: i for i, f in enumerate(FIELDS, start=1)}
    creator_type = {c: i for i, c in enumerate(CREATOR_TYPES, start=1)}
    collection_ids: dict[str, int] = {}

    def collection(name: str) -> int:
        if name not in collection_ids:
            parent = collection((nested or {})[name]) if name in (nested or {}) else None
            cur = db.execute(
                "INSERT INTO collections (collectionName, parentCollectionID, libraryID, key)"
                " VALUES (?, ?, 1, ?)",
                (name, parent, f"C{len(collection_ids):07d}"),
            )
            collection_ids[name] = int(cur.lastrowid or 0)
        return collection_ids[name]

    def value(text: str) -> int:
        db.execute("INSERT OR IGNORE INTO itemDataValues (value) VALUES (?)", (text,))
        return db.execute("SELECT valueID FROM itemDataValues WHERE value=?", (text,)).fetchone()[0]

    def new_item(kind: str, key: str) -> int:
        cur = db.execute(
            "INSERT INTO items (itemTypeID, libraryID, key) VALUES (?, 1, ?)", (type_id[kind], key)
        )
        return int(cur.lastrowid or 0)

    for item in items:
        item_id = new_item(item.type, item.key)
        for name, text in item.fields.items():
            db.execute(
                "INSERT INTO itemData VALUES (?, ?, ?)", (item_id, field_id[name], value(text))
            )
        for order, (last, first, kind) in enumerate(item.creators):
            mode = 1 if not first else 0
            db.execute(
                "INSERT OR IGNORE INTO creators (firstName, lastName, fieldMode) VALUES (?, ?, ?)",
                (first, last, mode),
            )
            (cid,) = db.execute(
                "SELECT creatorID FROM creators WHERE firstName=? AND lastName=?", (first, last)
            ).fetchone()
            db.execute(
                "INSERT INTO itemCreators VALUES (?, ?, ?, ?)",
                (item_id, cid, creator_type[kind], order),
            )
        for name in item.collections:
            db.execute("INSERT INTO collectionItems VALUES (?, ?, 0)", (collection(name), item_id))
        for tag in item.tags:
            db.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (tag,))
            (tid,) = db.execute("SELECT tagID FROM tags WHERE name=?", (tag,)).fetchone()
            db.execute("INSERT INTO itemTags VALUES (?, ?, 0)", (item_id, tid))
        if item.deleted:
            db.execute("INSERT INTO deletedItems (itemID) VALUES (?)", (item_id,))
        if item.note:
            note_id = new_item("note", item.key + "N")
            db.execute("INSERT INTO itemNotes VALUES (?, ?, ?, '')", (note_id, item_id, item.note))
        for spec, data in item.files.items():
            att_key, name = spec.split("/")
            att_id = new_item("attachment", att_key)
            kind = "application/pdf" if name.endswith(".pdf") else "text/html"
            db.execute(
                "INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, path)"
                " VALUES (?, ?, ?, ?, ?)",
                (att_id, item_id, 0 if kind.endswith("pdf") else 1, kind, f"storage:{name}"),
            )
            (folder / "storage" / att_key).mkdir(parents=True, exist_ok=True)
            (folder / "storage" / att_key / name).write_bytes(data)
            (folder / "storage" / att_key / ".zotero-ft-cache").write_text("cached text")
            if kind == "text/html":
                (folder / "storage" / att_key / "style.css").write_text("p {}")
    db.commit()
    db.close()
    return folder
