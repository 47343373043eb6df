"""Batch answering: questions from a file, answers to a journal, resumable after any crash.

The journal is a JSONL file of finished answers (``Answer.to_json()`` objects), appended one
whole line at a time, flushed and fsync'd, so a killed run loses only the questions in
flight. When a run starts, the journal is read back: a torn last line (a kill mid-write) is
dropped, questions already answered without error are skipped, and failed ones are taken
out so that they are asked again. For JSONL output the journal *is* the output file.

UI-free: :func:`answer_all` reports each answer through a callback on the calling thread,
which is the only one that writes.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import UsageError
from assistant.files import atomic_write
from assistant.jsonl import json_lines

FORMATS = {"jsonl": ".jsonl", "csv": ".csv", "md": ".md"}
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "md", ".markdown": "md"}
JOURNAL_SUFFIX = ".journal.jsonl"


@dataclass(frozen=True)
class Question:
    """One question of the input file; ``line`` is where it was found (for messages)."""

    id: str
    question: str
    line: int


# -- input --------------------------------------------------------------------------------
def load_questions(path: Path) -> list[Question]:
    """Questions from ``.txt`` (one a line), ``.jsonl`` or ``.csv`` (``id``, ``question``)."""
    kind = path.suffix.lower()
    readers = {".txt": _from_txt, ".jsonl": _from_jsonl, ".csv": _from_csv}
    if kind not in readers:
        raise UsageError(f"{path.name} is not a question file: use .txt, .jsonl or .csv.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"No such file: {path}.") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path.name} is not UTF-8 text.") from None
    except OSError as err:
        raise UsageError(f"Cannot read {path} ({err.strerror or err}).") from None
    questions = readers[kind](text, path.name)
    if not questions:
        raise UsageError(f"{path.name} holds no questions.")
    first: dict[str, int] = {}
    for q in questions:
        if q.id in first:
            raise UsageError(
                f"Line {q.line} of {path.name} repeats the id {q.id!r} "
                f"(first used on line {first[q.id]})."
            )
        first[q.id] = q.line
    return questions


def _from_txt(text: str, name: str) -> list[Question]:
    # Ids follow line numbers, so editing one line never renames the other questions.
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(Question(f"q{n}", line, n))
    return out


def _from_jsonl(text: str, name: str) -> list[Question]:
    out = []
    for n, obj in json_lines(text.splitlines(), name):
        question = obj.get("question") if isinstance(obj, dict) else None
        qid = obj.get("id", f"q{n}") if isinstance(obj, dict) else None
        if isinstance(question, str) and not question.strip():
            raise UsageError(f'Line {n} of {name} has an empty "question".')
        if not isinstance(question, str):
            raise UsageError(f'Line {n} of {name} is not a JSON object with a "question".')
        if not isinstance(qid, (str, int)) or isinstance(qid, bool) or not str(qid).strip():
            raise UsageError(f'Line {n} of {name} has an "id" that is not a text or number.')
        for what, value in (("question", question), ("id", str(qid))):
            if not is_text(value):  # "\ud800" is valid JSON but no text can be made of it
                raise UsageError(
                    f'Line {n} of {name} has an "{what}" with a lone surrogate escape '
                    "(like \\ud800), which is not text."
                )
        out.append(Question(str(qid).strip(), question.strip(), n))
    return out


def is_text(value: str) -> bool:
    """Whether ``value`` can be written as UTF-8 (it holds no lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _from_csv(text: str, name: str) -> list[Question]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().casefold() for h in next(reader)]
    except StopIteration:
        return []
    except csv.Error as err:
        raise UsageError(f"Line 1 of {name} is not valid CSV ({err}).") from None
    if "question" not in header:
        raise UsageError(f'{name} needs a header line with a "question" column.')
    q_col = header.index("question")
    id_col = header.index("id") if "id" in header else None
    out = []
    row_no = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise UsageError(
                f"Line {reader.line_num} of {name} is not valid CSV ({err})."
            ) from None
        if not any(cell.strip() for cell in row):
            continue
        row_no += 1
        line = reader.line_num
        question = row[q_col].strip() if q_col < len(row) else ""
        if not question:
            raise UsageError(f"Line {line} of {name} has no question.")
        qid = row[id_col].strip() if id_col is not None and id_col < len(row) else ""
        if id_col is not None and not qid:
            raise UsageError(f"Line {line} of {name} has an empty id.")
        out.append(Question(qid or f"q{row_no}", question, line))
    return out


def output_target(file: Path, output: Path | None, fmt: str | None) -> tuple[Path, str]:
    """Where answers go and in which format (``--format``, else ``-o``'s extension, else jsonl)."""
    if fmt is None:
        fmt = EXTENSIONS.get(output.suffix.lower(), "jsonl") if output else "jsonl"
    path = output if output else file.with_name(f"{file.stem}.answers{FORMATS[fmt]}")
    if path.resolve() == file.resolve():
        raise UsageError(f"The output file would overwrite the questions in {file.name}.")
    if path.is_dir():
        raise UsageError(f"The output {path} is a folder; give a file name.")
    try:
        mode = os.stat(path).st_mode  # follows links: /dev/stdout is the terminal or a pipe
    except FileNotFoundError:
        return path, fmt
    except OSError as err:
        raise UsageError(f"Cannot use {path} as the output ({err.strerror or err}).") from None
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        )
        raise UsageError(
            f"The output {path} is {kind}, not a regular file; give a file name, or `-o -` "
            "to write the answers to standard output."
        )
    return path, fmt


def journal_path(output: Path, fmt: str) -> Path:
    """The resumable record: the output itself for JSONL, a sidecar for CSV and Markdown."""
    return output if fmt == "jsonl" else output.with_name(output.name + JOURNAL_SUFFIX)


# -- the journal --------------------------------------------------------------------------
def _line(obj: dict[str, Any]) -> str:
    line = json.dumps(obj, ensure_ascii=False) + "\n"
    # A lone surrogate (e.g. from a model's reply) cannot be UTF-8: escape it as JSON does.
    return line if is_text(line) else json.dumps(obj) + "\n"


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the lock on ``output`` for this run, or refuse: two batches into one file would
    interleave and lose answers. The kernel drops the lock when its holder dies."""
    lock = output.with_name(f".{output.name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise UsageError(
                f"Another batch run is writing {output} right now; wait for it to finish "
                "or choose another file with -o."
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a lock file its last holder removed while we opened it
            break
        os.close(fd)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)  # removed while still held, so no one locks a stale file
        os.close(fd)


class Journal:
    """Finished answers, one JSON object a line, in the order they finished."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[dict[str, Any]] = []
        self.repaired = 0  # torn or unreadable lines dropped when loading
        self._fd: int | None = None

    def load(self) -> list[dict[str, Any]]:
        """Every entry; a torn last line (a kill mid-write) is left out and counted.

        Any other line that is not an answer means the file is not ours: it is refused
        rather than "repaired", so pointing ``-o`` at an unrelated file destroys nothing.
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raw = b""
        except OSError as err:
            raise UsageError(f"Cannot read {self.path} ({err.strerror or err}).") from None
        lines = raw.split(b"\n")
        tail = lines.pop()  # after the last newline: empty, or a line a kill cut short
        self.repaired = int(bool(tail.strip()))
        self.entries = []
        for n, obj in json_lines(lines, self.path):
            if not (isinstance(obj, dict) and isinstance(obj.get("id"), str) and "answer" in obj):
                raise UsageError(
                    f"Line {n} of {self.path} is not an answer from a batch run; "
                    "choose another output file with -o."
                )
            self.entries.append(obj)
        return self.entries

    def rewrite(self, entries: Sequence[dict[str, Any]]) -> None:
        """Replace the journal atomically with ``entries``."""
        self.close()
        atomic_write(self.path, "".join(_line(e) for e in entries))
        self.entries = list(entries)

    def append(self, entry: dict[str, Any]) -> None:
        """Add one entry as a whole line, on disk before this returns."""
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        data = _line(entry).encode("utf-8")
        written = 0
        while written < len(data):  # one write() almost always; a kill between two is torn
            written += os.write(self._fd, data[written:])
        os.fsync(self._fd)
        self.entries.append(entry)

    def close(self) -> None:
        """Close the file (appending reopens it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def resume_state(
    entries: Iterable[dict[str, Any]], questions: Sequence[Question]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """(entries to keep, answers already done by id) for this run's questions.

    For each id the last entry wins. Failed answers are dropped, to be asked again; so are
    answers to a question whose text changed since. Entries for ids this file does not hold
    are kept untouched.
    """
    wanted = {q.id: q.question for q in questions}
    last: dict[str, dict[str, Any]] = {}
    for entry in entries:
        last.pop(entry["id"], None)  # keep finishing order, minus earlier duplicates
        last[entry["id"]] = entry
    keep = [
        e
        for i, e in last.items()
        if i not in wanted or (e.get("error") is None and e.get("question") == wanted[i])
    ]
    done = {e["id"]: e for e in keep if e["id"] in wanted}
    return keep, done


def in_input_order(
    entries: Iterable[dict[str, Any]], questions: Sequence[Question]
) -> list[dict[str, Any]]:
    """Entries sorted like the input; entries for other ids follow in their own order."""
    rank = {q.id: i for i, q in enumerate(questions)}
    return sorted(entries, key=lambda e: rank.get(e["id"], len(rank)))


# -- answering ----------------------------------------------------------------------------
def answer_one(
    engine: Any, question: Question, options: Any, cancel: threading.Event
) -> tuple[Any, float]:
    """(answer, seconds) for one question; a failure is the answer's error (the engine
    reports it in its last event), so one bad question does not stop the batch."""
    from assistant.answering.events import Done

    t0 = time.perf_counter()
    answer = None
    for event in engine.stream(question.question, options=options, cancel=cancel):
        if isinstance(event, Done):
            answer = event.answer
    assert answer is not None
    return answer, time.perf_counter() - t0


def answer_all(
    engine: Any,
    todo: Sequence[Question],
    make_options: Callable[[Question], Any],
    concurrency: int,
    on_done: Callable[[Question, Any, float], None],
    cancel: threading.Event | None = None,
) -> None:
    """Answer ``todo`` on ``concurrency`` threads; ``on_done`` runs on this thread, each time
    an answer is ready. On an exception (Ctrl-C included) answers in flight are cancelled."""
    cancel = cancel or threading.Event()
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="batch")
    try:
        futures = {pool.submit(answer_one, engine, q, make_options(q), cancel): q for q in todo}
        for future in as_completed(futures):
            answer, seconds = future.result()
            on_done(futures[future], answer, seconds)
    except BaseException:
        cancel.set()  # streams in flight stop at their next token
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
