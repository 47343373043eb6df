"""Find ingestible files under the given paths and read them as text, safely.

Symlinks are followed only when they stay inside the root being scanned (no loops, no
escapes); FIFOs, devices and sockets are never opened; every file is size-capped; binary
and undecodable files are skipped with a reason. PDFs are parsed in a child process with
time and memory limits, because a crafted PDF can make a parser spin or balloon.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import stat
import subprocess
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import SkipFile

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
# Reference-manager and database exports (read by ingest.exports; .txt may be one too).
EXPORT_SUFFIXES = {".ris", ".bib", ".bibtex", ".biblatex", ".nbib", ".medline", ".ciw"} | {
    ".json",  # only CSL-JSON is read; other JSON is skipped with a reason
    ".csv",  # only Scopus exports are read
}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | EXPORT_SUFFIXES
# A Zotero data directory: its database holds the library, storage/ the attachments; the
# rest (translators, styles, backups, caches) is Zotero's own and never a paper.
ZOTERO_DB = "zotero.sqlite"
ZOTERO_KEEP = {ZOTERO_DB, "storage"}
ZOTERO_MAX_BYTES = 2 << 30  # a library outgrows the size cap meant for one paper
MAX_LINE_CHARS = 20_000  # a single line longer than this is cut (minified or junk data)
PDF_TIMEOUT_S = 30
PDF_MEMORY_BYTES = 1 << 30
OWN_FOLDER = "the assistant's own data folder (index, chats, exports or logs)"


@dataclass(frozen=True)
class Found:
    """A file found under a root: ``skip`` is a reason when it must not be read."""

    path: Path  # absolute, resolved
    root: Path
    display: str  # the path as reports and citations show it: printable, valid UTF-8
    skip: str | None = None
    key: str = ""  # the bookkeeping key: unique, valid UTF-8, the same on every run

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", path_key(self.path))


def _raw(text: str) -> bytes:
    """The bytes a path string stands for (lone surrogates from JSON kept as UTF-8)."""
    try:
        return os.fsencode(text)
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def path_key(path: Path | str) -> str:
    """``path`` as a unique, valid UTF-8 string that is the same on every run.

    A name that is not valid UTF-8 (POSIX allows any bytes) reaches Python with lone
    surrogates, which SQLite and JSON refuse. Such paths, and paths holding a backslash,
    are written with backslash escapes (``\\xff``, ``\\\\``); every other path is kept as
    it is, so existing bookkeeping keys do not change. The two forms cannot collide: only
    the escaped form contains a backslash.
    """
    raw = _raw(str(path))
    if b"\\" not in raw:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


# Control, format (bidi overrides, zero-width), private-use, unassigned and line/paragraph
# separator characters: a terminal acts on some of them and the rest mislead the eye.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def printable_name(text: str) -> str:
    """``text`` (a path) as printable, valid UTF-8: undecodable bytes and controls escaped."""
    text = _raw(text).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(
        (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        if unicodedata.category(ch) in _HIDDEN_CATEGORIES
        else ch
        for ch in text
    )


def _under_prefix(folder: str) -> str:
    """What every path strictly inside ``folder`` (absolute, normalised) starts with."""
    return folder if folder.endswith(os.sep) else folder + os.sep


def _display(path: Path | str, root: Path) -> str:
    """``path`` relative to the folder holding ``root``, as reports show it.

    String logic, not :meth:`Path.relative_to` (which parses both paths again for each of
    the corpus's files): both are absolute and normalised, so whole components compare.
    """
    shown = str(path)
    base = str(root.parent)
    if shown == base:
        shown = "."
    elif shown.startswith(prefix := _under_prefix(base)):
        shown = shown[len(prefix) :]
    return printable_name(shown)


def _exclusions(exclude: Sequence[Path]) -> list[tuple[str, str]]:
    """``exclude`` resolved, each as (the folder, what every path under it starts with)."""
    out = []
    for ex in exclude:
        folder = str(Path(os.path.abspath(ex)).resolve())
        out.append((folder, _under_prefix(folder)))
    return out


def _excluded(path: Path | str, excluded: Sequence[tuple[str, str]]) -> bool:
    """Whether ``path`` (absolute, normalised) is an excluded folder or lies under one.

    The same answer as ``path == ex or path.is_relative_to(ex)`` on POSIX paths (whole
    components, case-sensitive: ``/home/index2`` is not under ``/home/index``), compared
    as strings because that ran for every file against every excluded folder.
    """
    text = str(path)
    return any(text == folder or text.startswith(prefix) for folder, prefix in excluded)


def scan(roots: list[Path], exclude: Sequence[Path] = ()) -> Iterator[Found]:
    """Every candidate file under ``roots`` (files or folders), in a stable order.

    Folders in ``exclude`` (the assistant's own data) and everything under them are
    reported as skipped instead of read, so the assistant never indexes its own output.
    """
    excluded = _exclusions(exclude)
    for given in roots:
        root = Path(os.path.abspath(given))
        real_root = root.resolve()
        if _excluded(real_root, excluded):
            yield Found(real_root, root, printable_name(str(given)), OWN_FOLDER)
            continue
        if not real_root.is_dir():  # a file, or a device or FIFO named on its own
            yield _classify(real_root, root, printable_name(root.name))
            continue
        seen_dirs: set[tuple[int, int]] = set()
        quiet: list[str] = []  # Zotero storage folders: their other files go unmentioned
        stack = [real_root]
        while stack:
            folder = stack.pop()
            try:
                st = folder.stat()
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as err:
                yield Found(
                    folder, root, _display(folder, real_root), f"unreadable folder ({err.strerror})"
                )
                continue
            if (st.st_dev, st.st_ino) in seen_dirs:
                continue  # a symlink loop back into a folder already walked
            seen_dirs.add((st.st_dev, st.st_ino))
            if any(e.name == ZOTERO_DB for e in entries):
                entries = [e for e in entries if e.name in ZOTERO_KEEP]
                quiet.append(_under_prefix(os.path.join(folder, "storage")))
            subdirs = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue  # hidden files and folders (.git, .DS_Store) are not corpus
                path = Path(entry.path)
                display = _display(entry.path, real_root)
                if _excluded(entry.path, excluded):
                    yield Found(path, root, display, OWN_FOLDER)
                    continue
                if entry.is_symlink():
                    try:
                        target = path.resolve(strict=True)
                    except (OSError, RuntimeError):
                        yield Found(path, root, display, "broken or looping symlink")
                        continue
                    if not target.is_relative_to(real_root):
                        yield Found(path, root, display, "symlink pointing outside the folder")
                        continue
                    if _excluded(target, excluded):
                        yield Found(path, root, display, OWN_FOLDER)
                        continue
                    if target.is_dir():
                        subdirs.append(target)
                        continue
                    yield _classify(target, root, display)
                elif entry.is_dir(follow_symlinks=False):
                    subdirs.append(path)
                else:
                    found = _classify(path, root, display)
                    if (
                        found.skip
                        and found.skip.startswith("unsupported")
                        and any(entry.path.startswith(q) for q in quiet)
                    ):
                        continue  # a snapshot's images and styles, Zotero's caches
                    yield found
            stack.extend(reversed(subdirs))


def _classify(path: Path, root: Path, display: str) -> Found:
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        return Found(path, root, display, f"unreadable ({err.strerror})")
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO"
            if stat.S_ISFIFO(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "special"
        )
        return Found(path, root, display, f"not a regular file ({kind})")
    if path.suffix.lower() not in SUPPORTED and path.name != ZOTERO_DB:
        return Found(
            path, root, display, f"unsupported file type ({path.suffix or 'no extension'})"
        )
    return Found(path, root, display)


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing anything over ``max_bytes`` without reading it (a Zotero
    database may be larger: it is a whole library)."""
    if path.name == ZOTERO_DB:
        max_bytes = max(max_bytes, ZOTERO_MAX_BYTES)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise SkipFile(f"unreadable ({err.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > max_bytes:
            raise SkipFile(f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:g} MB)")
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SkipFile(f"too large (over the {max_bytes / 1e6:g} MB limit)")
    if not data.strip():
        raise SkipFile("empty file")
    return data


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or clean Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SkipFile("undecodable text (broken UTF-16)") from None
    if b"\x00" in data[:8192]:
        raise SkipFile("binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise SkipFile("undecodable text (neither UTF-8 nor Windows-1252)") from None
    # Binary junk decodes as cp1252 too: demand that it mostly looks like prose.
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    if printable < 0.95 * len(text):
        raise SkipFile("binary file")
    return text


def cap_lines(text: str) -> str:
    """Cut single enormous lines so one junk line cannot swamp the corpus."""
    if len(text) <= MAX_LINE_CHARS or all(len(ln) <= MAX_LINE_CHARS for ln in text.split("\n")):
        return text
    return "\n".join(ln[:MAX_LINE_CHARS] for ln in text.split("\n"))


def read_page(
    path: Path, max_bytes: int, data: bytes | None = None
) -> tuple[str, dict[str, list[str]]]:
    """The text of a supported file and, for an HTML page, its ``<meta>`` tags (empty for
    other files); :class:`SkipFile` with the reason when the file cannot be used.

    ``data`` is the file's bytes when the caller has already read them.
    """
    suffix = path.suffix.lower()
    if data is None:
        data = read_bytes(path, max_bytes)
    meta: dict[str, list[str]] = {}
    if suffix in PDF_SUFFIXES:
        text = read_pdf(path, data)
    else:
        text = decode(data)
        if suffix in HTML_SUFFIXES:
            from ingest.html import parse_html

            page = parse_html(text)
            text, meta = page.text, page.meta
    text = cap_lines(text)
    if not text.strip() and not meta:
        raise SkipFile("no text found")
    return text, meta


def read_text(path: Path, max_bytes: int, data: bytes | None = None) -> str:
    """The text of a supported file (:func:`read_page` without the meta tags)."""
    text = read_page(path, max_bytes, data)[0]
    if not text.strip():
        raise SkipFile("no text found")
    return text


def _limit_child() -> None:  # runs in the PDF child before exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY_BYTES, PDF_MEMORY_BYTES))
    cpu = math.ceil(PDF_TIMEOUT_S)  # whole seconds; the wall-clock timeout is exact
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


PDF_ENCRYPTED_EXIT = 3  # ingest.pdftext's exit code for a PDF that needs a password


def _run_pdf_child(path: Path, data: bytes) -> bytes:
    """Stdout of ``ingest.pdftext`` run on ``path`` in a child with time and memory caps."""
    if not data.lstrip().startswith(b"%PDF"):
        raise SkipFile("not a PDF (no %PDF header)")
    try:
        proc = subprocess.run(
            # The child stops reading pages at 60% of the limit and returns what it has.
            [sys.executable, "-m", "ingest.pdftext", str(path), f"{PDF_TIMEOUT_S * 0.6:g}"],
            capture_output=True,
            timeout=PDF_TIMEOUT_S,
            preexec_fn=_limit_child if os.name == "posix" else None,  # noqa: PLW1509
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
    except subprocess.TimeoutExpired:
        raise SkipFile(f"PDF took longer than {PDF_TIMEOUT_S:g} s to parse") from None
    except (OSError, subprocess.SubprocessError) as err:
        raise SkipFile(f"PDF parser could not start ({err})") from None
    if proc.returncode == PDF_ENCRYPTED_EXIT:
        raise SkipFile("encrypted (needs a password)")
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        last = lines[-1][:160] if lines else f"exit {proc.returncode}"
        if proc.returncode < 0 or "MemoryError" in last:
            raise SkipFile("PDF parser ran out of time or memory")
        raise SkipFile(f"broken PDF ({last})")
    return proc.stdout


def read_pdf_layout(path: Path, data: bytes) -> dict[str, Any]:
    """The PDF's pages (lines with type size and position) and metadata, as
    :mod:`ingest.pdftext` reports them; :class:`SkipFile` when it cannot be read."""
    out = _run_pdf_child(path, data)
    try:
        layout = json.loads(out.decode("utf-8", "replace"))
    except ValueError:
        raise SkipFile("broken PDF (the parser's output was cut short)") from None
    if not isinstance(layout, dict) or not any(p.get("lines") for p in layout.get("pages", [])):
        raise SkipFile("PDF has no extractable text (scanned images?)")
    return layout


def read_pdf(path: Path, data: bytes) -> str:
    """Plain text of a PDF, pages separated by blank lines (layout and metadata dropped)."""
    layout = read_pdf_layout(path, data)
    return "\n\n".join(
        "\n".join(line["text"] for line in page.get("lines", [])) for page in layout["pages"]
    )
