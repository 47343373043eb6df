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
from vocab.record import Record


@dataclass
class MergePlan:
    """The merged records a run should leave, and what they replace."""

    target: dict[str, Record]  # record id -> merged record, for the files in scope
    scope: set[str] | None  # indexed record ids these replace (None: every record)
    file_keys: dict[str, list[str]]  # link keys of each file in scope
    record_files: dict[str, set[str]]  # files each target record was merged from
    complete: bool  # the key index covers every file after this plan


def _merge(rows: list[FileRow]) -> tuple[dict[str, Record], dict[str, set[str]], dict]:
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
        target[rid] = merged  # a repeated id keeps the last, as a full merge always did
        record_files.setdefault(rid, set()).update(sources[i] for i in members)
    return target, record_files, file_keys


def full_plan(writer: IndexWriter) -> MergePlan:
    """Re-merge every file's records."""
    target, record_files, file_keys = _merge(list(writer.files().values()))
    return MergePlan(target, None, file_keys, record_files, complete=True)


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
    rows = list(writer.file_rows(scope).values())  # removed files are simply absent
    target, record_files, file_keys = _merge(rows)
    return MergePlan(target, writer.records_of_files(scope), file_keys, record_files, False)
