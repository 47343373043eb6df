"""The ingest run: files -> records -> chunks -> the index's writer, incrementally.

Reading, splitting pages into records, merging and chunking happen here; storing is the
index's job (:class:`index.writer.IndexWriter`, which also explains why an interrupted
run is safe). Only records whose fingerprint changed are chunked and written, and only
chunk texts the index does not hold yet are embedded.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from index import BuildInfo, Embedder, FileRow, Index, IndexWriter
from ingest.chunking import ChunkSettings, chunk_record
from ingest.documents import records_from_file
from ingest.errors import SkipFile
from ingest.parts import with_parts
from ingest.readers import path_key, read_bytes, scan
from ingest.remerge import full_plan, partial_plan
from ingest.targets import changed_files, kept, under
from vocab.errors import UsageError
from vocab.record import Chunk, Record

Progress = Callable[[str, int, int], None]
EMBED_BATCH = 256  # new chunks embedded and written per step


@dataclass
class IngestReport:
    """What a run did; ``--json`` prints exactly this."""

    files_seen: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    records: int = 0
    chunks: int = 0
    records_added: int = 0
    records_updated: int = 0
    records_removed: int = 0
    embedded: int = 0
    orphans_removed: int = 0
    generation: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)  # files read only in part

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def fingerprint(record: Record, build: BuildInfo) -> str:
    """Changes whenever anything that ends up in the index for this record would change."""
    # A record filed in collections is written again once since its chunks carry them.
    filed = ["collections in chunk metadata"] if record.collections else []
    payload = json.dumps(
        [record.to_dict(), build.as_metadata(), *filed], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Ingest:
    """One ingest run against a store; use :func:`run_ingest`."""

    def __init__(
        self,
        embedder: Embedder,
        chunking: ChunkSettings,
        max_file_bytes: int,
        progress: Progress | None = None,
    ) -> None:
        self.embedder = embedder
        self.chunking = chunking
        self.max_file_bytes = max_file_bytes
        self.progress = progress or (lambda stage, done, total: None)
        self.report = IngestReport()
        # Files added, changed or removed this run (None: unknown, re-merge everything),
        # and the link keys the changed ones held before: what a partial re-merge starts from.
        self.changed: set[str] | None = None
        self.old_keys: set[str] = set()
        self.build = BuildInfo(embedder.name, embedder.dim, chunking.describe())

    # -- steps -------------------------------------------------------------------------
    def read_files(
        self,
        paths: list[Path],
        writer: IndexWriter,
        exclude: Sequence[Path] = (),
        only: Collection[str] | None = None,
    ) -> None:
        """Parse new and changed files into the index's file list; forget vanished files.

        Folders in ``exclude`` (the assistant's own data) are skipped, never read. ``only``
        (absolute paths a watcher saw change under ``paths``) looks at those files alone
        instead of walking the folders, when it can (see :func:`_changed_files`).
        """
        targeted = changed_files(paths, only, exclude) if only is not None else None
        if targeted is not None:
            found, missing = targeted
            known = writer.file_rows([f.key for f in found] + missing)
            if any(k not in known for k in missing):  # perhaps a folder: what lay under it
                listed = writer.files(records=False)
                prefixes = tuple(k.rstrip(os.sep) + os.sep for k in missing)
                known.update({k: r for k, r in listed.items() if k.startswith(prefixes)})
            roots = set(missing) | {f.key for f in found}
        else:
            known = writer.files(records=False)  # a row's records are read only when needed
            found = list(scan(paths, exclude))
            roots = {path_key(Path(os.path.abspath(p))) for p in paths}
        self.changed = set()
        seen: set[str] = set()
        unreadable: set[str] = set()  # folders that could not be listed this time
        for i, item in enumerate(found):
            self.progress("reading", i, len(found))
            key = item.key
            if key in seen:
                continue  # reached twice, e.g. through an in-tree symlink
            seen.add(key)
            if (item.skip or "").startswith("unreadable folder"):
                unreadable.add(key)
            self.report.files_seen += 1
            old = known.get(key)
            row = self._read_one(item, old)
            if row is not None and row is not old and kept(row, old):
                # Momentarily unreadable (a sync client rewriting it): the paper stays.
                reason = f"{row.reason}; its paper is kept until the file can be read or is gone"
                self.report.skipped.append({"path": row.display, "reason": reason})
                self.report.unchanged += 1
                continue
            if row is None or row is old:  # same content (``old`` when only mtime moved)
                self.report.unchanged += 1
                if row is not None:
                    writer.touch_file(row)
                if old is not None and old.status == "skipped":  # a remembered decision
                    self.report.skipped.append({"path": old.display, "reason": old.reason or ""})
                continue
            if row.status == "skipped":
                self.report.skipped.append({"path": row.display, "reason": row.reason or ""})
                if old is not None and old.status == "ok":
                    self.report.removed += 1
            elif old is None or old.status != "ok":
                self.report.added += 1
            else:
                self.report.updated += 1
            self._changing(writer, [key])
            writer.put_file(row)
        self.progress("reading", len(found), len(found))
        # A file under any given root that was not found again is gone, whichever root
        # (a sub-folder ingested on its own, say) it was first read from.
        gone = [
            p
            for p in known
            if p not in seen and under(p, roots) and not (unreadable and under(p, unreadable))
        ]
        if gone:
            self.report.removed += sum(known[p].status == "ok" for p in gone)
            self._changing(writer, gone)
            writer.delete_files(gone)

    def _changing(self, writer: IndexWriter, keys: list[str]) -> None:
        """Note files about to change or go, with the link keys they hold until then."""
        writer.open_store_soon()  # something will be written: open Chroma meanwhile
        if self.changed is not None:
            self.changed.update(keys)
            self.old_keys |= writer.keys_of_files(keys)

    def _read_one(self, item: Any, old: FileRow | None) -> FileRow | None:
        """A fresh row for ``item``; None when unchanged; ``old`` itself when only touched."""
        root = path_key(item.root)
        if item.skip:
            return FileRow(item.key, root, item.display, None, None, None, "skipped", item.skip, [])
        st: os.stat_result | None = None
        try:
            st = os.stat(item.path)
            if (  # unchanged: not opened again, whether it was read or skipped
                old is not None
                and old.size == st.st_size
                and old.mtime_ns == st.st_mtime_ns
                and old.root == root
            ):
                return None
            data = read_bytes(item.path, self.max_file_bytes)
            sha = hashlib.sha256(data).hexdigest()
            if old is not None and old.status == "ok" and old.sha256 == sha:
                old.size, old.mtime_ns, old.root = st.st_size, st.st_mtime_ns, root
                return old
            records = records_from_file(item.path, data, item.display, self.max_file_bytes)
            for note in getattr(records, "notes", ()):
                self.report.notes.append({"path": item.display, "note": note})
            if not records:
                raise SkipFile("no paper text found (only boilerplate or very short text)")
        except SkipFile as skip:  # size and mtime kept: the next run need not read it again
            size, mtime = (st.st_size, st.st_mtime_ns) if st is not None else (None, None)
            return FileRow(
                item.key, root, item.display, size, mtime, None, "skipped", skip.reason, []
            )
        except (RecursionError, OSError) as err:
            reason = (  # JSON or markup nested deeper than Python's stack, or no read
                "nested too deeply to read"
                if isinstance(err, RecursionError)
                else f"unreadable ({err.strerror or err})"
            )
            return FileRow(item.key, root, item.display, None, None, None, "skipped", reason, [])
        return FileRow(
            item.key,
            root,
            item.display,
            st.st_size,
            st.st_mtime_ns,
            sha,
            "ok",
            None,
            [r.to_dict() for r in records],
        )

    def index_records(self, writer: IndexWriter, needed: bool = True) -> bool:
        """Bring the index to the merged records of every current file.

        Skipped when not ``needed``: no file changed and the last run finished cleanly,
        so the indexed records already are the merge of the files (no re-merge of the
        whole corpus for a no-op run).
        """
        if not (needed or writer.unclean or writer.scanned):
            return False
        if self.changed is not None and writer.linked and not (writer.unclean or writer.scanned):
            plan = partial_plan(writer, self.changed, self.old_keys)
        else:
            plan = full_plan(writer)
        target = plan.target
        self.report.notes += plan.notes
        # A partial plan reads only the fingerprints it can change, not the whole corpus's.
        old = writer.fingerprints(None if plan.scope is None else plan.scope | set(target))
        # A paper's parts are read from its merged text, so they change when the text does.
        prints = {rid: fingerprint(with_parts(rec), self.build) for rid, rec in target.items()}
        todo = [rid for rid in sorted(target) if old.get(rid) != prints[rid]]
        replaced = set(old) if plan.scope is None else plan.scope & set(old)
        # A paper taken back from the store (its manifest rows were lost) goes only when a
        # file of it is read and says otherwise; no file here naming it is not enough.
        gone = sorted(r for r in replaced - set(target) if old.get(r) != IndexWriter.ADOPTED)
        self.report.records_added = sum(rid not in old for rid in todo)
        self.report.records_updated = len(todo) - self.report.records_added
        self.report.records_removed = len(gone)

        batch: list[tuple[Record, str, list[Chunk]]] = []
        pending = 0
        # Counted as batches are embedded and written (the slow part), not as records are
        # chunked: a bar would otherwise sit at its end while the one batch is embedded.
        self.progress("embedding", 0, len(todo))
        for i, rid in enumerate(todo):
            chunks = chunk_record(
                target[rid], self.chunking, self.embedder.count_tokens, self.embedder.max_tokens
            )
            batch.append((target[rid], prints[rid], chunks))
            pending += len(chunks)
            if pending >= EMBED_BATCH:
                writer.write(batch, self.embedder.embed)
                batch, pending = [], 0
                self.progress("embedding", i + 1, len(todo))
        if batch:
            writer.write(batch, self.embedder.embed)
        self.progress("embedding", len(todo), len(todo))
        writer.delete_records(gone)
        writer.link(plan.file_keys, plan.record_files, plan.complete)
        self.report.embedded = writer.embedded
        return bool(todo or gone)

    def finish(self, writer: IndexWriter, changed: bool) -> None:
        """Publish the new generation and record the index's totals in the report."""
        done = writer.publish(changed)
        self.report.generation = done.generation
        self.report.records, self.report.chunks = done.records, done.chunks


def run_ingest(
    paths: list[Path],
    index: Index,
    embedder: Embedder,
    chunking: ChunkSettings,
    max_file_bytes: int,
    rebuild: bool = False,
    progress: Progress | None = None,
    exclude: Sequence[Path] = (),
    only: Collection[str] | None = None,
) -> IngestReport:
    """Ingest ``paths`` (files or folders) into ``index``; safe to interrupt and re-run.

    ``only``: the absolute paths under ``paths`` known to have changed (a watcher's
    events); the pass then looks at those alone, and ``files_seen`` counts them."""
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"No such file or folder: {missing[0]}.")
    run = Ingest(embedder, chunking, max_file_bytes, progress)
    with index.writer(run.build, rebuild=rebuild) as writer:
        writer.add_roots(path_key(Path(os.path.abspath(p))) for p in paths)
        run.report.orphans_removed = writer.reconcile()
        run.read_files(paths, writer, exclude, only)
        changed = run.index_records(writer, bool(run.changed))
        run.finish(writer, changed or bool(run.report.orphans_removed))
    return run.report


def forget(
    paths: list[Path],
    index: Index,
    embedder: Embedder,
    chunking: ChunkSettings,
    progress: Progress | None = None,
) -> IngestReport:
    """Remove every file under ``paths`` (which need not exist any more) and the records
    only they held; a paper another file still holds stays, re-merged without them."""
    # As given and as resolved: ingest keys files by their real path, so a folder ingested
    # through a symlink is forgotten through it too.
    roots = {path_key(Path(f(p))) for p in paths for f in (os.path.abspath, os.path.realpath)}
    run = Ingest(embedder, chunking, 0, progress)
    with index.writer(run.build) as writer:
        run.report.orphans_removed = writer.reconcile()
        known = writer.files(records=False)
        gone = [key for key in known if under(key, roots)]
        if not gone:
            raise UsageError(f"Nothing indexed lies under {sorted(roots)[0]}.")
        run.report.removed = sum(known[k].status == "ok" for k in gone)
        run.changed = set()
        run._changing(writer, gone)
        writer.delete_files(gone)
        writer.drop_roots(roots)
        changed = run.index_records(writer)
        run.finish(writer, changed or bool(gone))
    return run.report


def ingest_records(
    records: list[Record],
    source: Path,
    display: str,
    index: Index,
    embedder: Embedder,
    chunking: ChunkSettings,
    progress: Progress | None = None,
) -> IngestReport:
    """Index ``records`` as the whole content of the file ``source`` (e.g. a BEIR corpus,
    whose documents already are records); any other file the index knew is forgotten."""
    run = Ingest(embedder, chunking, 0, progress)
    data = source.read_bytes()
    st = source.stat()
    row = FileRow(
        path=str(source),
        root=str(source.parent),
        display=display,
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        sha256=hashlib.sha256(data).hexdigest(),
        status="ok",
        reason=None,
        records=[r.to_dict() for r in records],
    )
    with index.writer(run.build) as writer:
        run.report.orphans_removed = writer.reconcile()
        known = writer.files(records=False)
        same = set(known) == {row.path} and known[row.path].sha256 == row.sha256
        writer.replace_files([row])
        run.report.files_seen = 1
        changed = run.index_records(writer, needed=not same)
        run.finish(writer, changed or bool(run.report.orphans_removed))
    return run.report
