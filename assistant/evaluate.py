"""Retrieval evaluation: BEIR datasets in their own collection, or questions over the index.

A BEIR corpus is indexed into a collection of its own (``eval-<name>-<hash8>``) through the
ingest pipeline's lower-level steps, so it is incremental and crash-safe like any ingest and
a second run embeds nothing. BEIR documents are already records, so they skip
``split_records``: each becomes one :class:`Record` whose ``path`` is ``<dataset>/<_id>``,
which is how a hit leads back to its document id.

Documents that the index would treat as one paper (same title or same text) are merged here,
before the pipeline sees them, and the merged record keeps the ids of all of them: a hit on
it counts as a hit on each, at consecutive ranks, as two identical documents would rank in
a plain BEIR run.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import UsageError
from assistant.jsonl import json_lines
from assistant.metrics import METRICS, hit_at, mean_metrics, mrr_at, recall_at, score_ranking
from vocab.record import Record, identity_keys

MODES = ("hybrid", "dense", "lexical")
DEPTH = 10  # records retrieved per query

Progress = Callable[[str, int, int], None]


# -- BEIR datasets ------------------------------------------------------------------------
@dataclass
class BeirDataset:
    """A BEIR-layout folder: where its corpus is, its queries and graded judgements."""

    name: str
    root: Path
    corpus: Path
    queries: dict[str, str]
    qrels: dict[str, dict[str, float]]


def _jsonl(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; a bad line is a usage error."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for n, obj in json_lines(fh, path):
                if not isinstance(obj, dict):
                    raise UsageError(f"Line {n} of {path} is not a JSON object.")
                yield n, obj
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"Cannot read {path} ({type(err).__name__}).") from None


def load_beir(root: Path) -> BeirDataset:
    """The dataset in ``root`` (``corpus.jsonl``, ``queries.jsonl``, ``qrels/test.tsv``)."""
    root = root.resolve()
    paths = [root / "corpus.jsonl", root / "queries.jsonl", root / "qrels" / "test.tsv"]
    missing = [str(p.relative_to(root)) for p in paths if not p.is_file()]
    if missing:
        raise UsageError(f"{root} is not a BEIR dataset folder: {', '.join(missing)} missing.")
    queries = {}
    for n, obj in _jsonl(paths[1]):
        if "_id" not in obj or not isinstance(obj.get("text"), str):
            raise UsageError(f'Line {n} of {paths[1]} has no "_id" and "text".')
        queries[str(obj["_id"])] = obj["text"]
    qrels: dict[str, dict[str, float]] = {}
    try:
        lines = paths[2].read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"Cannot read {paths[2]} ({type(err).__name__}).") from None
    for n, line in enumerate(lines, 1):
        cols = line.split("\t") if "\t" in line else line.split()
        if not line.strip():
            continue
        try:
            qid, did, score = cols[0].strip(), cols[1].strip(), float(cols[2])
        except (IndexError, ValueError):
            if n == 1:
                continue  # the header line (query-id, corpus-id, score)
            raise UsageError(f"Line {n} of {paths[2]} is not 'query-id corpus-id score'.") from None
        qrels.setdefault(qid, {})[did] = score
    return BeirDataset(root.name, root, paths[0], queries, qrels)


def collection_name(root: Path) -> str:
    """A valid Chroma collection name of the dataset's own: ``eval-<name>-<hash8>``."""
    path = str(root.resolve())
    digest = hashlib.sha256(path.encode("utf-8")).hexdigest()[:8]
    name = re.sub(r"[^a-zA-Z0-9._-]+", "-", root.resolve().name)
    name = re.sub(r"\.{2,}", ".", name).strip("._-")[:40] or "data"
    return f"eval-{name}-{digest}"


@dataclass
class BeirCorpus:
    """The corpus as records, and the document ids each record stands for."""

    records: list[Record]
    doc_ids: dict[str, list[str]]  # record path -> document ids, in id order
    documents: int = 0
    skipped: int = 0

    def docs_of(self, path: str | None) -> list[str]:
        """The document ids behind a hit's ``path``."""
        return self.doc_ids.get(path or "", [])


def beir_records(dataset: BeirDataset) -> BeirCorpus:
    """One record per distinct document; duplicates (same title or text) share one record."""
    docs: list[tuple[str, Record]] = []
    seen: set[str] = set()
    for n, obj in _jsonl(dataset.corpus):
        if "_id" not in obj:
            raise UsageError(f'Line {n} of {dataset.corpus} has no "_id".')
        doc_id = str(obj["_id"])
        if doc_id in seen:
            raise UsageError(f"Line {n} of {dataset.corpus} repeats the id {doc_id!r}.")
        seen.add(doc_id)
        title = str(obj.get("title") or "").strip() or None
        text = str(obj.get("text") or "").strip()
        docs.append((doc_id, Record(title=title, abstract=text, path=f"{dataset.name}/{doc_id}")))
    corpus = BeirCorpus([], {}, documents=len(docs))
    # Union-find over identity keys: documents the index would merge become one record here.
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, (_, record) in enumerate(docs):
        if not record.title and not record.abstract:
            continue
        for key in identity_keys(record):
            j = owner.setdefault(key, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i, (_, record) in enumerate(docs):
        if not record.title and not record.abstract:
            corpus.skipped += 1
            continue
        groups.setdefault(find(i), []).append(i)
    for members in groups.values():
        # The fullest text represents the group; ties go to the smallest id, for stability.
        best = min(members, key=lambda i: (-len(docs[i][1].abstract), docs[i][0]))
        record = docs[best][1]
        corpus.records.append(record)
        corpus.doc_ids[record.path] = sorted(docs[i][0] for i in members)
    return corpus


def index_beir(
    dataset: BeirDataset, corpus: BeirCorpus, settings: Settings, progress: Progress | None = None
) -> Any:
    """Bring the dataset's own collection up to date; returns the ingest report."""
    from assistant.runtime import chunk_settings, make_embedder, open_index
    from ingest.pipeline import ingest_records

    index = open_index(settings, collection=collection_name(dataset.root))
    try:
        return ingest_records(
            corpus.records,
            dataset.corpus,
            f"{dataset.name}/corpus.jsonl",
            index,
            make_embedder(settings),
            chunk_settings(settings),
            progress,
        )
    finally:
        index.close()


def open_retriever(settings: Settings, collection: str | None = None) -> Any:
    """A retriever over a collection's current generation (None when it is empty)."""
    from assistant.answering.retrieval import Retriever
    from assistant.runtime import make_embedder, open_index

    index = open_index(settings, collection=collection)
    embedder = make_embedder(settings)
    # Queries must be embedded like the index was; a mismatch is refused with a way out.
    reader = index.reader((embedder.name, embedder.dim))
    return None if reader is None else Retriever(reader, embedder)


def run_queries(
    retriever: Any,
    queries: Sequence[tuple[str, str]],
    modes: Sequence[str],
    rank: Callable[[str, list[Any]], list[str]],
    judge: Callable[[str, list[str]], dict[str, float]],
    progress: Progress | None = None,
) -> dict[str, dict[str, float]]:
    """Mean metrics per mode; ``rank`` turns a query's hits into ids, ``judge`` scores them."""
    out: dict[str, dict[str, float]] = {}
    total = len(queries) * len(modes)
    for m_i, mode in enumerate(modes):
        rows, times = [], []
        for q_i, (qid, text) in enumerate(queries):
            if progress:
                progress("searching", m_i * len(queries) + q_i, total)
            t0 = time.perf_counter()
            result = retriever.search(text, k=DEPTH, mode=mode, per_record=1)
            times.append((time.perf_counter() - t0) * 1000)
            rows.append(judge(qid, rank(qid, result.hits)))
        out[mode] = {
            **mean_metrics(rows, rows[0].keys() if rows else METRICS),
            "ms_per_query": round(statistics.fmean(times), 1) if times else 0.0,
        }
    if progress:
        progress("searching", total, total)
    return out


def evaluate_beir(
    root: Path, settings: Settings, modes: Sequence[str] = MODES, progress: Progress | None = None
) -> dict[str, Any]:
    """Index the dataset (incrementally) and measure every retrieval mode on its queries."""
    dataset = load_beir(root)
    corpus = beir_records(dataset)
    if not corpus.records:
        raise UsageError(f"{dataset.corpus} holds no documents with text.")
    report = index_beir(dataset, corpus, settings, progress)
    name = collection_name(dataset.root)
    retriever = open_retriever(settings, name)
    # Only queries with a relevant document count (as trec_eval does with judged queries).
    queries = [
        (qid, dataset.queries[qid])
        for qid in sorted(dataset.qrels)
        if qid in dataset.queries and any(g > 0 for g in dataset.qrels[qid].values())
    ]
    if not queries:
        raise UsageError(f"No query in {root} has a relevant document in qrels/test.tsv.")

    def rank(qid: str, hits: list[Any]) -> list[str]:
        return [d for h in hits for d in corpus.docs_of(h.meta.path)]

    def judge(qid: str, ranked: list[str]) -> dict[str, float]:
        return score_ranking(ranked, dataset.qrels[qid])

    results = run_queries(retriever, queries, modes, rank, judge, progress)
    return {
        "dataset": dataset.name,
        "path": str(dataset.root),
        "collection": name,
        "documents": corpus.documents,
        "records": len(corpus.records),
        "queries": len(queries),
        "k": DEPTH,
        "embedded": report.embedded,
        "chunks": report.chunks,
        "modes": results,
    }


# -- a user's own questions over the current index ----------------------------------------
@dataclass
class Case:
    """A question and what should be found for it (record ids and/or file paths)."""

    question: str
    ids: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)


def load_cases(path: Path) -> list[Case]:
    """``{"question": ..., "relevant": [record ids]}`` or ``"relevant_paths": [...]`` lines."""
    cases = []
    for n, obj in _jsonl(path):
        question = obj.get("question")
        question = question.strip() if isinstance(question, str) else ""
        ids, paths = obj.get("relevant", []), obj.get("relevant_paths", [])
        ok = question and all(isinstance(v, list) for v in (ids, paths)) and (ids or paths)
        if not ok:
            raise UsageError(
                f'Line {n} of {path} needs a "question" and a non-empty '
                '"relevant" or "relevant_paths" list.'
            )
        cases.append(Case(question, {str(i) for i in ids}, {_norm_path(str(p)) for p in paths}))
    if not cases:
        raise UsageError(f"{path} holds no questions.")
    return cases


def _norm_path(path: str) -> str:
    return path.replace("\\", "/").strip().strip("/")


def _path_matches(stored: str, wanted: str) -> bool:
    """Same path, or one is a trailing part of the other (``seeds/x.txt`` ~ ``x.txt``)."""
    stored = _norm_path(stored)
    return stored == wanted or stored.endswith("/" + wanted) or wanted.endswith("/" + stored)


def evaluate_cases(
    path: Path, settings: Settings, modes: Sequence[str] = MODES, progress: Progress | None = None
) -> dict[str, Any]:
    """Recall@10, MRR@10 and hit@5 of the user's questions against the current index."""
    cases = load_cases(path)
    retriever = open_retriever(settings)
    if retriever is None:
        raise UsageError("The index is empty; run `assistant ingest` first.")
    records = retriever.reader.records()
    known_ids = {r.record_id for r in records}
    known_paths = {r.path or "" for r in records}
    unknown = sorted(
        {i for c in cases for i in c.ids if i not in known_ids}
        | {p for c in cases for p in c.paths if not any(_path_matches(k, p) for k in known_paths)}
    )

    by_id = {str(i): c for i, c in enumerate(cases)}

    def rank(qid: str, hits: list[Any]) -> list[str]:
        """Each hit as the first wanted id or path it matches (a placeholder when none)."""
        case = by_id[qid]
        ranked: list[str] = []
        for hit in hits:
            path = hit.meta.path or ""
            matched = ([hit.record_id] if hit.record_id in case.ids else []) + [
                p for p in sorted(case.paths) if _path_matches(path, p)
            ]
            fresh = [m for m in matched if m not in ranked]
            ranked.append(fresh[0] if fresh else f"\x00miss-{len(ranked)}")
        return ranked

    def judge(qid: str, ranked: list[str]) -> dict[str, float]:
        wanted = by_id[qid].ids | by_id[qid].paths
        return {
            "recall@10": recall_at(ranked, wanted, 10),
            "mrr@10": mrr_at(ranked, wanted, 10),
            "hit@5": hit_at(ranked, wanted, 5),
        }

    queries = [(qid, c.question) for qid, c in by_id.items()]
    results = run_queries(retriever, queries, modes, rank, judge, progress)
    return {
        "questions": str(path),
        "collection": settings.collection,
        "queries": len(cases),
        "k": DEPTH,
        "unknown_relevant": unknown,
        "modes": results,
    }
