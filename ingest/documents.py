"""One entry point from a file's bytes to its records, whatever kind of file it is."""

from __future__ import annotations

from pathlib import Path

from ingest.exports import may_be_export, parse_export
from ingest.pdf import pdf_records
from ingest.readers import PDF_SUFFIXES, ZOTERO_DB, decode, read_page
from ingest.records import split_records
from vocab.record import Record


def records_from_file(path: Path, data: bytes, display: str, max_bytes: int) -> list[Record]:
    """The records of one file: export entries, or the papers on a page or in a PDF.

    Raises SkipFile with the reason when the file cannot be used.
    """
    suffix = path.suffix.lower()
    if path.name == ZOTERO_DB:  # a Zotero library: one record per item
        from ingest.zotero import library_records

        return library_records(path, data, display)
    if may_be_export(suffix):
        exported = parse_export(suffix, decode(data), display)
        if exported is not None:
            return exported
    if suffix in PDF_SUFFIXES:  # one record per article, with its layout's metadata
        return pdf_records(path, data, display)
    text, meta = read_page(path, max_bytes, data)
    records = split_records(text, display, meta)
    for record in records:
        record.kind = "page"
        record.origins = [display]
    return records
