"""``assistant batch``: answer a file of questions into JSONL, CSV or Markdown, resumably.

JSONL output is the journal itself: answers are appended as they finish and, at the end of
a run, put in input order. CSV and Markdown must follow input order all along, so answers go
to a sidecar journal (``OUT.journal.jsonl``, kept: it is what a re-run resumes from) and the
CSV or Markdown file is rewritten from it, atomically, after every answer.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant import references
from assistant.answering.answer import Source
from assistant.batch import (
    Journal,
    Question,
    answer_all,
    in_input_order,
    journal_path,
    load_questions,
    output_lock,
    output_target,
    resume_state,
)
from assistant.config import Settings
from assistant.errors import UsageError, filesystem_error
from assistant.exits import EXIT_OK, EXIT_PARTIAL
from assistant.export import valid_text
from assistant.files import atomic_write
from assistant.flags import check_collection, options_from_args
from assistant.progress import progress_bars
from assistant.runtime import build_engine
from assistant.textsafe import plain

CSV_COLUMNS = ("id", "question", "answer", "mode", "references", "warnings", "error")
MD_TITLE = "# Answers: "
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# -- rendering ----------------------------------------------------------------------------
def sources_of(entry: dict[str, Any]) -> list[Source]:
    """The numbered sources of a journal entry, as objects."""
    return [Source.from_json(s) for s in entry.get("sources") or []]


def cited_refs(entry: dict[str, Any]) -> str:
    """``[1] Strand et al. (2018); [3] Lee (2020)``: the sources the answer cites."""
    return references.cited_refs(sources_of(entry), entry.get("citations") or [])


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@``, tab or CR
    gets a ``'`` in front (OWASP's advice), so no cell is ever run as a formula."""
    text = valid_text(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def render_csv(entries: Sequence[dict[str, Any]]) -> str:
    """One row per answer, in the order given."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        row = [
            e["id"],
            e.get("question", ""),
            plain(e.get("answer") or ""),
            e.get("mode", ""),
            cited_refs(e),
            " | ".join(plain(w) for w in e.get("warnings") or []),
            plain(e.get("error") or ""),
        ]
        writer.writerow([csv_cell(cell) for cell in row])
    return buf.getvalue()


# Headings and setext underlines in corpus or model text would break the one-section-per-
# question layout; lists and emphasis are left alone (extractive answers are bullet lists).


def render_markdown(title: str, entries: Sequence[dict[str, Any]]) -> str:
    """A section per answer, in the order given, each with its numbered references."""
    from assistant.conversations import answer_from_json
    from assistant.export import answer_lines, md_text

    def one_line(text: str) -> str:
        return " ".join(md_text(text).split())

    parts = [f"{MD_TITLE}{one_line(title)}\n"]
    for e in entries:
        parts.append(f"## {one_line(str(e['id']))}: {one_line(str(e.get('question', '')))}\n")
        parts.append("\n".join(answer_lines(answer_from_json(e))).rstrip() + "\n")
    return "\n".join(parts)


class Output:
    """The output file and its journal; everything a run writes goes through here."""

    def __init__(self, path: Path, fmt: str, questions: Sequence[Question], title: str) -> None:
        self.path, self.fmt, self.questions, self.title = path, fmt, questions, title
        self.journal = Journal(journal_path(path, fmt))
        self.ids = {q.id for q in questions}

    def is_ours(self) -> bool:
        """Whether the output is missing, empty, or a file an earlier batch run wrote.

        For CSV and Markdown the journal beside it must exist too: without it the answers in
        the file could not be rewritten, only lost.
        """
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(4096)
        except FileNotFoundError:
            return True
        if not head.strip():
            return True
        if self.fmt == "jsonl":
            return True  # the journal itself: Journal.load refuses a file that is not ours
        first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
        looks = first == ",".join(CSV_COLUMNS) if self.fmt == "csv" else first.startswith(MD_TITLE)
        return looks and self.journal.path.exists()

    def claim(self, force: bool) -> None:
        """Refuse to overwrite a file that is not this batch's output, unless ``force``."""
        if self.is_ours():
            if not force:
                return
            try:
                self.journal.load()
                return  # our own output: --force has nothing to overwrite
            except UsageError:
                pass
        elif not force:
            raise UsageError(
                f"{self.path} already exists and is not the output of this batch; choose "
                "another file with -o, or add --force to overwrite it."
            )
        self.journal.rewrite([])  # --force: start afresh over what was there
        if self.fmt != "jsonl":
            self.path.unlink(missing_ok=True)

    def resume(self) -> dict[str, dict[str, Any]]:
        """Answers already done, by id; the journal is repaired and cleaned as needed."""
        entries = self.journal.load()
        if not self.journal.path.exists():
            # The journal first, then the rendered file: a run killed before its first
            # answer leaves both, and the same command resumes instead of refusing.
            self.journal.rewrite([])
        keep, done = resume_state(entries, self.questions)
        if self.journal.repaired or len(keep) != len(entries):
            self.journal.rewrite(keep)
        self.render()
        return done

    def add(self, entry: dict[str, Any]) -> None:
        """Record one finished answer (durably) and refresh the rendered file."""
        self.journal.append(entry)
        self.render()

    def ours(self) -> list[dict[str, Any]]:
        """The journal's answers to this file's questions, in input order."""
        mine = [e for e in self.journal.entries if e["id"] in self.ids]
        return in_input_order(mine, self.questions)

    def render(self) -> None:
        """Rewrite a CSV or Markdown output from the journal (JSONL needs nothing)."""
        if self.fmt == "csv":
            atomic_write(self.path, render_csv(self.ours()))
        elif self.fmt == "md":
            atomic_write(self.path, render_markdown(self.title, self.ours()))

    def finish(self) -> None:
        """Put a JSONL output in input order (answers arrived in finishing order)."""
        self.journal.close()
        if self.fmt == "jsonl":
            ordered = in_input_order(self.journal.entries, self.questions)
            if ordered != self.journal.entries:
                self.journal.rewrite(ordered)


# -- progress and summary -----------------------------------------------------------------
def summary_lines(stats: dict[str, Any], out: Path | str, journal: Path | None) -> list[str]:
    """The human summary of a run."""
    secs = stats["seconds"]
    timing = (
        f"; {statistics.fmean(secs):.1f} s per question on average, "
        f"median {statistics.median(secs):.1f} s"
        if secs
        else ""
    )
    lines = [
        f"{stats['answered']} answered ({stats['extractive']} extractive), "
        f"{stats['failed']} failed, {stats['skipped']} already done{timing}.",
        f"Answers: {out}" + (f" (resumable record: {journal})" if journal else ""),
    ]
    if stats["repaired"]:
        lines.append(f"Dropped {stats['repaired']} unfinished line(s) left by an interrupted run.")
    if stats["failed_total"]:
        lines.append(
            f"{stats['failed_total']} question(s) have an error in the output; run the "
            "same command again to retry them."
        )
    return lines


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn a failure to write the output (disk full, no permission) into one sentence."""
    try:
        yield
    except OSError as err:
        where = err.filename or path
        known = filesystem_error(err, str(where))  # disk full, read-only: exit 6
        if known is not None:
            raise known from None
        raise UsageError(f"Cannot write {where} ({err.strerror or err}).") from None


class _NoJournal:
    """What a run asks of a journal, for a stream that keeps none."""

    repaired = 0
    path = None

    def close(self) -> None:
        """Nothing is open."""


class StreamOutput:
    """Answers written to standard output (``-o -``) in input order as they are ready:
    nothing to resume from, no journal, no lock (the pipe is this run's own)."""

    def __init__(self, fmt: str, questions: Sequence[Question], title: str) -> None:
        self.fmt, self.questions, self.title = fmt, questions, title
        self.journal = _NoJournal()
        self._ready: dict[str, dict[str, Any]] = {}
        self._next = 0
        self._written: list[dict[str, Any]] = []
        if fmt == "csv":
            self._write(render_csv([]))
        elif fmt == "md":
            self._write(render_markdown(title, []))

    @staticmethod
    def _write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    def claim(self, force: bool) -> None:
        """Nothing to claim: standard output is never a file to protect."""

    def resume(self) -> dict[str, dict[str, Any]]:
        """Nothing was answered before: a stream cannot be resumed."""
        return {}

    def add(self, entry: dict[str, Any]) -> None:
        """Write every answer that is next in input order."""
        self._ready[entry["id"]] = entry
        while self._next < len(self.questions) and self.questions[self._next].id in self._ready:
            done = self._ready.pop(self.questions[self._next].id)
            self._next += 1
            self._written.append(done)
            if self.fmt == "csv":
                self._write(render_csv([done]).split("\n", 1)[1])
            elif self.fmt == "md":
                self._write("\n" + render_markdown("", [done]).split("\n", 2)[2])
            else:
                self._write(json.dumps(done, ensure_ascii=False) + "\n")

    def ours(self) -> list[dict[str, Any]]:
        """The answers written so far, in input order."""
        return list(self._written)

    def finish(self) -> None:
        """Everything was written as it came."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Answer every question of FILE not answered yet; exit 5 when some failed."""
    if args.output is not None and str(args.output) == "-":
        fmt = args.format or "jsonl"
        questions = load_questions(args.file)
        stream = StreamOutput(fmt, questions, args.file.name)
        return _run_locked(args, settings, questions, Path("-"), fmt, stream)
    path, fmt = output_target(args.file, args.output, args.format)  # before anything is read
    questions = load_questions(args.file)
    with ExitStack() as stack:
        with writing(path):
            stack.enter_context(output_lock(path))
        return _run_locked(args, settings, questions, path, fmt)


def _run_locked(
    args: argparse.Namespace,
    settings: Settings,
    questions: list[Question],
    path: Path,
    fmt: str,
    stream: StreamOutput | None = None,
) -> int:
    """The run itself, while this process alone writes ``path``."""

    opts = options_from_args(args, settings)
    check_collection(opts.filters, settings)  # before the output is claimed or overwritten
    out: Output | StreamOutput = stream or Output(path, fmt, questions, args.file.name)
    with writing(path):
        out.claim(getattr(args, "force", False))
        done = out.resume()
    todo = [q for q in questions if q.id not in done]
    stats: dict[str, Any] = {
        "answered": 0,
        "failed": 0,
        "extractive": 0,
        "skipped": len(done),
        "seconds": [],
        "repaired": out.journal.repaired,
    }
    engine = build_engine(
        settings,
        on_seed=lambda: print(
            "First run: indexing the bundled seed corpus (once)…", file=sys.stderr, flush=True
        ),
    )
    if todo:
        engine.retriever()  # a store or embedder problem stops the run here, before any work

    def make_options(q: Question) -> Any:
        return replace(opts, id=q.id)

    with progress_bars(sys.stderr.isatty() and bool(todo), eta=True) as bar:

        def on_done(q: Question, answer: Any, seconds: float) -> None:
            out.add(answer.to_json())
            stats["seconds"].append(seconds)
            if answer.error:
                stats["failed"] += 1
                message = f"{q.id} failed: {plain(answer.error)}"
                if bar is not None:
                    bar.print(message)
                else:
                    print(message, file=sys.stderr)
            else:
                stats["answered"] += 1
                stats["extractive"] += answer.mode == "extractive"
            if bar is not None:
                bar.advance("answering", len(todo))

        with writing(path):
            try:
                answer_all(engine, todo, make_options, args.concurrency, on_done)
            finally:
                out.journal.close()
            out.finish()
    failed = [e for e in out.ours() if e.get("error")]
    stats["failed_total"] = len(failed)
    sidecar = out.journal.path if fmt != "jsonl" and stream is None else None
    where = "standard output" if stream is not None else path
    print(
        "\n".join(summary_lines(stats, where, sidecar)), file=sys.stderr if stream else sys.stdout
    )
    return EXIT_PARTIAL if failed else EXIT_OK
