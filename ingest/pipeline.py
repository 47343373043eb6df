"""The ingest run: files -> records -> chunks -> vectors in Chroma, incrementally.

Crash safety rests on three rules. Chunk ids are content hashes, so writing one twice is
harmless. The manifest (SQLite, transactional) is updated only after Chroma holds the
new chunks, and Chroma chunks the manifest does not list are deleted at the start of the
next run. The generation counter is bumped last, so readers keep using the previous
lexical snapshot until a run has completely finished.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.chunking import Chunk, ChunkSettings, chunk_record
from ingest.embedder import Embedder
from ingest.errors import SkipFile, UsageError
from ingest.lexical import CorpusSnapshot
from ingest.lock import write_lock
from ingest.manifest import FileRow, Manifest
from ingest.models import Record
from ingest.pdf import pdf_records
from ingest.readers import PDF_SUFFIXES, read_bytes, read_text, scan
from ingest.records import merge_records, split_records
from ingest.store import BuildInfo, Store

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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def fingerprint(record: Record, build: BuildInfo) -> str:
    """Changes whenever anything that ends up in the index for this record would change."""
    payload = json.dumps(
        [record.to_dict(), build.as_metadata()], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chunk_metadata(record: Record, chunk: Chunk, n_chunks: int) -> dict[str, Any]:
    """Flat metadata stored with each chunk in Chroma (no None values: Chroma rejects them)."""
    meta: dict[str, Any] = {
        "record_id": chunk.record_id,
        "chunk": chunk.index,
        "n_chunks": n_chunks,
        "title": record.title,
        "authors": "; ".join(record.authors) if record.authors else None,
        "first_author": record.authors[0] if record.authors else None,
        "year": record.year,
        "venue": record.venue,
        "volume": record.volume,
        "pages": record.pages,
        "doi": record.doi,
        "language": record.language,
        "path": record.path,
        "has_abstract": bool(record.abstract.strip()),
    }
    return {k: v for k, v in meta.items() if v is not None}


class Ingest:
    """One ingest run against a store; use :func:`run_ingest`."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        chunking: ChunkSettings,
        max_file_bytes: int,
        progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.chunking = chunking
        self.max_file_bytes = max_file_bytes
        self.progress = progress or (lambda stage, done, total: None)
        self.report = IngestReport()
        self.build = BuildInfo(embedder.name, embedder.dim, chunking.describe())

    # -- steps -------------------------------------------------------------------------
    def reconcile(self, col: Any, manifest: Manifest) -> bool:
        """Delete chunks a killed run left in Chroma; re-queue records whose chunks vanished."""
        in_chroma: set[str] = set()
        total = col.count()
        for offset in range(0, total, 10_000):
            in_chroma.update(col.get(include=[], limit=10_000, offset=offset)["ids"])
        listed = manifest.chunk_ids()
        orphans = sorted(in_chroma - listed)
        for start in range(0, len(orphans), 5000):
            col.delete(ids=orphans[start : start + 5000])
        self.report.orphans_removed = len(orphans)
        missing = listed - in_chroma
        if missing:
            records = {cid.rsplit("-", 2)[0] for cid in missing}
            with manifest.transaction():
                for rid in records:
                    manifest.forget_fingerprint(rid)
        return bool(orphans or missing)

    def read_files(self, paths: list[Path], manifest: Manifest) -> None:
        """Parse new and changed files into the manifest; forget files that disappeared."""
        known = manifest.files()
        found = list(scan(paths))
        seen: set[str] = set()
        roots = {str(Path(os.path.abspath(p))) for p in paths}
        for i, item in enumerate(found):
            self.progress("reading", i, len(found))
            key = str(item.path)
            if key in seen:
                continue  # reached twice, e.g. through an in-tree symlink
            seen.add(key)
            self.report.files_seen += 1
            old = known.get(key)
            row = self._read_one(item, old)
            if row is None or row is old:  # same content (``old`` when only mtime moved)
                self.report.unchanged += 1
                if row is not None:
                    with manifest.transaction():
                        manifest.put_file(row)
                continue
            if row.status == "skipped":
                self.report.skipped.append({"path": row.display, "reason": row.reason or ""})
                if old is not None and old.status == "ok":
                    self.report.removed += 1
            elif old is None or old.status != "ok":
                self.report.added += 1
            else:
                self.report.updated += 1
            with manifest.transaction():
                manifest.put_file(row)
        self.progress("reading", len(found), len(found))
        gone = [p for p, row in known.items() if row.root in roots and p not in seen]
        if gone:
            self.report.removed += sum(known[p].status == "ok" for p in gone)
            with manifest.transaction():
                manifest.delete_files(gone)

    def _read_one(self, item: Any, old: FileRow | None) -> FileRow | None:
        """A fresh row for ``item``; None when unchanged; ``old`` itself when only touched."""
        root = str(item.root)
        if item.skip:
            return FileRow(
                str(item.path), root, item.display, None, None, None, "skipped", item.skip, []
            )
        try:
            st = os.stat(item.path)
            if (
                old is not None
                and old.status == "ok"
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
            if item.path.suffix.lower() in PDF_SUFFIXES:
                records = pdf_records(item.path, data, item.display)
            else:
                text = read_text(item.path, self.max_file_bytes, data)
                records = split_records(text, item.display)
            if not records:
                raise SkipFile("no paper text found (only boilerplate or very short text)")
        except SkipFile as skip:
            return FileRow(
                str(item.path), root, item.display, None, None, None, "skipped", skip.reason, []
            )
        except OSError as err:
            return FileRow(
                str(item.path),
                root,
                item.display,
                None,
                None,
                None,
                "skipped",
                f"unreadable ({err.strerror or err})",
                [],
            )
        return FileRow(
            str(item.path),
            root,
            item.display,
            st.st_size,
            st.st_mtime_ns,
            sha,
            "ok",
            None,
            [r.to_dict() for r in records],
        )

    def index_records(self, col: Any, manifest: Manifest) -> bool:
        """Bring Chroma and the manifest to the merged records of every current file."""
        rows = sorted(manifest.files().values(), key=lambda r: r.path)
        candidates = [
            Record.from_dict(d) for row in rows if row.status == "ok" for d in row.records
        ]
        target = {r.record_id: r for r in merge_records(candidates)}
        old = manifest.fingerprints()
        prints = {rid: fingerprint(rec, self.build) for rid, rec in target.items()}
        todo = [rid for rid in sorted(target) if old.get(rid) != prints[rid]]
        gone = sorted(set(old) - set(target))
        self.report.records_added = sum(rid not in old for rid in todo)
        self.report.records_updated = len(todo) - self.report.records_added
        self.report.records_removed = len(gone)

        batch: list[tuple[str, list[Chunk]]] = []
        pending = 0
        for i, rid in enumerate(todo):
            self.progress("embedding", i, len(todo))
            chunks = chunk_record(
                target[rid], self.chunking, self.embedder.count_tokens, self.embedder.max_tokens
            )
            batch.append((rid, chunks))
            pending += len(chunks)
            if pending >= EMBED_BATCH:
                self._write_batch(col, manifest, batch, target, prints)
                batch, pending = [], 0
        if batch:
            self._write_batch(col, manifest, batch, target, prints)
        self.progress("embedding", len(todo), len(todo))

        if gone:
            stale: set[str] = set()
            for rid in gone:
                stale |= manifest.chunk_ids(rid)
            with manifest.transaction():
                manifest.delete_records(gone)
            _delete(col, stale)
        return bool(todo or gone)

    def _write_batch(
        self,
        col: Any,
        manifest: Manifest,
        batch: list[tuple[str, list[Chunk]]],
        target: dict[str, Record],
        prints: dict[str, str],
    ) -> None:
        old_ids = {rid: manifest.chunk_ids(rid) for rid, _ in batch}
        new: list[tuple[Chunk, dict[str, Any]]] = []
        kept: list[tuple[Chunk, dict[str, Any]]] = []
        for rid, chunks in batch:
            for c in chunks:
                meta = chunk_metadata(target[rid], c, len(chunks))
                (kept if c.chunk_id in old_ids[rid] else new).append((c, meta))
        if new:
            vectors = self.embedder.embed([c.embed_text for c, _ in new])
            col.upsert(
                ids=[c.chunk_id for c, _ in new],
                embeddings=vectors,
                documents=[c.text for c, _ in new],
                metadatas=[m for _, m in new],
            )
            self.report.embedded += len(new)
        if kept:  # same text (the id is its hash), same vector: only metadata may change
            col.update(ids=[c.chunk_id for c, _ in kept], metadatas=[m for _, m in kept])
        metas = {c.chunk_id: m for c, m in new + kept}
        with manifest.transaction():
            for rid, chunks in batch:
                manifest.put_record(
                    rid,
                    prints[rid],
                    target[rid].to_dict(),
                    [
                        (c.chunk_id, c.index, c.text, c.embed_text, metas[c.chunk_id])
                        for c in chunks
                    ],
                )
        stale = set().union(*old_ids.values()) - set(metas)
        _delete(col, stale)

    def publish(self, col: Any, manifest: Manifest, changed: bool) -> None:
        """Bump the generation and save the lexical snapshot that matches it."""
        gen = self.store.generation(col)
        current = CorpusSnapshot.load(self.store.snapshot_dir)
        if changed or current is None or current.generation != gen:
            gen = self.store.bump_generation(col)
            rows = manifest.all_chunks()
            snap = CorpusSnapshot.build_from(
                gen,
                [r[0] for r in rows],
                [r[1] for r in rows],
                [r[3] for r in rows],
                self.store.build_of(col),
            )
            snap.save(self.store.snapshot_dir)
        self.report.generation = gen
        self.report.records, self.report.chunks = manifest.counts()


def _delete(col: Any, ids: set[str]) -> None:
    ordered = sorted(ids)
    for start in range(0, len(ordered), 5000):
        col.delete(ids=ordered[start : start + 5000])


def run_ingest(
    paths: list[Path],
    store: Store,
    embedder: Embedder,
    chunking: ChunkSettings,
    max_file_bytes: int,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest ``paths`` (files or folders) into ``store``; safe to interrupt and re-run."""
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"No such file or folder: {missing[0]}.")
    run = Ingest(store, embedder, chunking, max_file_bytes, progress)
    with write_lock(store.index_dir):
        if rebuild:
            store.drop()
        col = store.open_for_write(run.build)
        manifest = store.manifest
        changed = run.reconcile(col, manifest)
        run.read_files(paths, manifest)
        changed = run.index_records(col, manifest) or changed
        run.publish(col, manifest, changed)
    return run.report
