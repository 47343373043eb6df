"""Which records an ingest run must re-merge: all of them, or only those a change touches.

Merging is union-find over identity keys, so a set of files that shares no key with any
other file merges the same alone as with the whole corpus. :func:`partial_plan` grows
such a set from the changed files (their keys before and after the change) through the
manifest's key index, and re-merges only it; :func:`full_plan` re-merges every file and
rebuilds that index (first run, after a killed run, or an older manifest).
"""

from __future__ import annotations

from dataclasses import dataclass

from index import FileRow, IndexWriter
from ingest.merge import link_keys, merge_groups
from vocab.record import Record, normalize_doi


@dataclass
class MergePlan:
    """The merged records a run should leave, and what they replace."""

    target: dict[str, Record]  # record id -> merged record, for the files in scope
    scope: set[str] | None  # indexed record ids these replace (None: every record)
    file_keys: dict[str, list[str]]  # link keys of each file in scope
    record_files: dict[str, set[str]]  # files each target record was merged from
    complete: bool  # the key index covers every file after this plan
    notes: list[dict[str, str]]  # for the ingest report: e.g. one DOI given to two papers


def _doi_notes(target: dict[str, Record]) -> list[dict[str, str]]:
    """A note on each record whose DOI another, clearly different paper also claims."""
    by_doi: dict[str, list[Record]] = {}
    for record in target.values():
        if record.doi:
            by_doi.setdefault(normalize_doi(record.doi), []).append(record)
    notes = []
    for doi, records in sorted(by_doi.items()):
        for record in sorted(records, key=lambda r: r.path) if len(records) > 1 else []:
            others = [r for r in records if r is not record]
            titles = "; ".join(f"{(o.title or 'untitled')!r} in {o.path}" for o in others)
            notes.append(
                {
                    "path": record.path,
                    "note": f"DOI {doi} is claimed twice: also by {titles}; "
                    "the titles differ, so they are kept as separate records",
                }
            )
    return notes


def _merge(
    rows: list[FileRow],
) -> tuple[dict[str, Record], dict[str, set[str]], dict[str, list[str]]]:
    """Merge the records of ``rows`` in the corpus-wide order (by path, then in file)."""
    candidates: list[Record] = []
    sources: list[str] = []
    file_keys: dict[str, list[str]] = {}
    for row in sorted(rows, key=lambda r: r.path):
        keys: list[str] = []
        for data in row.records if row.status == "ok" else []:
            record = Record.from_dict(data)
            candidates.append(record)
            sources.append(row.path)
            keys += link_keys(record)
        file_keys[row.path] = sorted(set(keys))
    target: dict[str, Record] = {}
    record_files: dict[str, set[str]] = {}
    for merged, members in merge_groups(candidates):
        rid = merged.record_id
        target[rid] = merged  # ids are unique (merge_groups assigns them)
        record_files.setdefault(rid, set()).update(sources[i] for i in members)
    return target, record_files, file_keys


def full_plan(writer: IndexWriter) -> MergePlan:
    """Re-merge every file's records."""
    target, record_files, file_keys = _merge(list(writer.files().values()))
    return MergePlan(target, None, file_keys, record_files, True, _doi_notes(target))


def partial_plan(writer: IndexWriter, changed: set[str], old_keys: set[str]) -> MergePlan:
    """Re-merge the files that ``changed`` and every file linked to them by a key."""
    scope = set(changed)
    keys = set(old_keys) | writer.keys_of_files(changed)
    while keys:
        more = writer.files_with_keys(keys) - scope
        if not more:
            break
        scope |= more
        keys = writer.keys_of_files(more) - keys
    rows = writer.file_rows(scope)  # removed files are simply absent
    attached = _attached_files(writer, rows, scope)
    if attached:  # files named as attachments, whose stored keys may predate such links
        return partial_plan(writer, scope | attached, old_keys)
    target, record_files, file_keys = _merge(list(rows.values()))
    scoped = writer.records_of_files(scope)
    return MergePlan(target, scoped, file_keys, record_files, False, _doi_notes(target))


def _attached_files(writer: IndexWriter, rows: dict[str, FileRow], scope: set[str]) -> set[str]:
    """Files outside ``scope`` that records in ``rows`` name as their attachments."""
    wanted = {
        a for row in rows.values() for data in row.records for a in data.get("attachments", ())
    }
    if not wanted:
        return set()
    return {k for k, row in writer.files(records=False).items() if row.display in wanted} - scope
