"""Real article PDFs: title, all authors, year, venue, DOI, leaks and pages, side by side with
llama-index's default PDF reader and GROBID's published figures.

    python bench/pdf_real.py [--cache DIR] [--only NAME ...] [--json OUT]

The set (``bench/pdf_real_set.py``) is 30 article PDFs shipped inside Debian packages: R
package vignettes (most of them Journal of Statistical Software papers) and the sample
articles of journal classes in ``texlive-publishers-doc``. They are fetched once with
``apt-get download`` + ``dpkg -x`` (no install, no root needed) into the cache directory
(``--cache``, else ``$PDF_REAL_CACHE``, else ``~/.cache/research-assistant/pdf_real``);
when the package registry cannot be reached the missing files are skipped with a note.

Scoring, per file: a field is right when it equals what the file prints about itself
after GROBID's "soft" matching (case, punctuation and spaces ignored; ligatures unfolded);
all authors must be right, in order. ``None`` in the truth means the file prints no such
value: a reader must then give none. Leaks: the file's front-matter strings
(affiliations, addresses, notices, running heads) and the e-mail addresses of its first
page, found in the text the reader indexes. Pages: up to three passages per file, taken
from pypdf's text of pages 2, the middle page and three quarters in (a phrase of six
words found once in the file, before its reference list), looked up in the indexed text,
and the page the reader labels them with.

llama-index's default reader (``SimpleDirectoryReader``, which uses pypdf through
``llama-index-readers-file`` for PDFs) indexes every page's whole text as a document
labelled with its page, and gives file-system metadata only (name, size, dates): no
title, authors, year, venue or DOI. It is run when ``llama-index-readers-file`` is
installed. Results: docs/QUALITY.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pdf_real_set import SET  # noqa: E402  (bench/ is the script's own directory)

import ingest.readers  # noqa: E402
from ingest.pdf import pdf_records  # noqa: E402

# The ingest stops reading a PDF's pages after 60% of this limit; on a loaded machine that
# would measure the limit, not the reading.
ingest.readers.PDF_TIMEOUT_S = 900

FIELDS = ["title", "authors", "year", "venue", "doi"]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
GROBID = (
    "GROBID 0.8.2, PubMed Central sample of 1,943 articles (doc/benchmarks/Benchmarking-pmc.md "
    "in the GROBID repository), soft matching, headers consolidated with biblio-glutton: "
    "title F1 92.5 (strict 82.8), authors F1 90.7 (strict 88.5, Levenshtein 95.1), "
    "first author 96.7"
)


def default_cache() -> Path:
    env = os.environ.get("PDF_REAL_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "research-assistant" / "pdf_real"


def fetch(cache: Path, entries: list[dict[str, Any]]) -> list[str]:
    """Put every entry's PDF in ``cache``; return notes on what could not be fetched."""
    cache.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    missing: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if not (cache / entry["name"]).exists():
            missing.setdefault(entry["package"], []).append(entry)
    if missing and not shutil.which("apt-get"):
        return [f"apt-get is not available: {sum(map(len, missing.values()))} files skipped"]
    for package, wanted in missing.items():
        with tempfile.TemporaryDirectory() as tmp:
            got = subprocess.run(
                ["apt-get", "download", package], cwd=tmp, capture_output=True, text=True,
                timeout=900, check=False,
            )  # fmt: skip
            debs = list(Path(tmp).glob("*.deb"))
            if got.returncode != 0 or not debs:
                why = (got.stderr.strip().splitlines() or ["no package file"])[-1]
                notes.append(f"{package}: not fetched ({why}); {len(wanted)} files skipped")
                continue
            subprocess.run(["dpkg", "-x", str(debs[0]), f"{tmp}/x"], check=True)
            for entry in wanted:
                src = Path(tmp) / "x" / entry["member"]
                if src.exists():
                    shutil.copyfile(src, cache / entry["name"])
                else:
                    notes.append(f"{package}: {entry['member']} is not in this version")
    return notes


def soft(text: str) -> str:
    """GROBID's soft matching: case, punctuation and spaces ignored (ligatures unfolded)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _options(value: Any) -> list[Any]:
    if isinstance(value, tuple):
        return list(value)
    return [value]


def field_right(name: str, got: Any, expected: Any) -> bool:
    for option in _options(expected):
        if option is None or got is None:
            if option is None and not got:
                return True
            continue
        if name == "authors":
            if [soft(a) for a in got] == [soft(a) for a in option]:
                return True
        elif name == "year":
            if got == option:
                return True
        elif soft(str(got)) == soft(str(option)):
            return True
    return False


def _printed(expected: Any) -> bool:
    return any(option is not None for option in _options(expected))


def _index(text: str) -> tuple[str, list[int]]:
    """``soft(text)`` and, for each of its characters, its offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if c.isalnum():
                out.append(c)
                where.append(i)
    return "".join(out), where


_REFERENCES = re.compile(r"\s*(?:\d+\.?\s*)?(?:references|bibliography|literature cited)\s*", re.I)


def _body_pages(page_texts: list[str]) -> list[str]:
    """The pages up to the first references heading (the text before it on its page)."""
    for i, text in enumerate(page_texts):
        lines = text.splitlines()
        for j, line in enumerate(lines):
            if i > 0 and _REFERENCES.fullmatch(line):
                return page_texts[:i] + ["\n".join(lines[:j])]
    return page_texts


def passages(page_texts: list[str]) -> list[tuple[int, str]]:
    """Up to three (page, phrase) pairs from the body (before the reference list): a
    six-word phrase found once in the file."""
    whole = soft(" ".join(page_texts))
    page_texts = _body_pages(page_texts)
    n = len(page_texts)
    chosen: list[tuple[int, str]] = []
    for page in sorted({min(2, n), max(1, n // 2), max(1, 3 * n // 4)}):
        if page < 2:
            continue
        lines = page_texts[page - 1].splitlines()
        for line in lines[len(lines) // 3 :] + lines[: len(lines) // 3]:
            words = line.split()
            if len(words) < 9 or any(ch.isdigit() for ch in line):
                continue
            if sum(w.isalpha() for w in words) < 0.8 * len(words):
                continue
            phrase = " ".join(words[1:7])
            key = soft(phrase)
            if len(key) >= 20 and whole.count(key) == 1:
                chosen.append((page, phrase))
                break
    return chosen


def page_texts_of(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def ours(path: Path) -> dict[str, Any]:
    record = pdf_records(path, path.read_bytes(), path.name)[0]
    return {
        "title": record.title, "authors": record.authors, "year": record.year,
        "venue": record.venue, "doi": record.doi, "text": record.abstract,
        "page_starts": record.page_starts,
    }  # fmt: skip


def llama(path: Path) -> dict[str, Any] | None:
    try:
        import llama_index.readers.file  # noqa: F401  (without it PDFs are read as plain text)
        from llama_index.core import SimpleDirectoryReader
    except ImportError:
        return None
    docs = SimpleDirectoryReader(input_files=[str(path)]).load_data()
    meta = docs[0].metadata if docs else {}
    return {
        "title": meta.get("title"), "authors": meta.get("authors") or [],
        "year": meta.get("year"), "venue": meta.get("venue"), "doi": meta.get("doi"),
        "pages": [(int(d.metadata.get("page_label", i + 1)) if str(
            d.metadata.get("page_label", "")).isdigit() else i + 1, d.text)
            for i, d in enumerate(docs)],
        "metadata_keys": sorted(meta),
    }  # fmt: skip


def leaks_in(text: str, front: list[str]) -> list[str]:
    key = soft(text)
    return [f for f in front if soft(f) in key]


def page_of(starts: list[list[int]], offset: int) -> int | None:
    page = None
    for start, number in starts:
        if start <= offset:
            page = number
    return page


def score_pages_ours(result: dict[str, Any], chosen: list[tuple[int, str]]) -> tuple[int, int]:
    key, where = _index(result["text"])
    found = right = 0
    for page, phrase in chosen:
        at = key.find(soft(phrase))
        if at < 0:
            continue
        found += 1
        right += page_of(result["page_starts"], where[at]) == page
    return found, right


def score_pages_llama(result: dict[str, Any], chosen: list[tuple[int, str]]) -> tuple[int, int]:
    found = right = 0
    for page, phrase in chosen:
        hits = [number for number, text in result["pages"] if soft(phrase) in soft(text)]
        found += bool(hits)
        right += hits[:1] == [page]
    return found, right


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--only", nargs="*", help="file names from the set")
    parser.add_argument("--json", type=Path, help="write per-file results here")
    parser.add_argument("--no-llama", action="store_true", help="skip llama-index's reader")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # pypdf warns about every Type 1 font
    entries = [e for e in SET if not args.only or e["name"] in args.only]
    for note in fetch(args.cache, entries):
        print(f"note: {note}")
    entries = [e for e in entries if (args.cache / e["name"]).exists()]
    if not entries:
        print("No file of the set could be fetched; nothing measured.")
        return 0
    readers = ["ours", "llama-index"]
    totals: dict[str, dict[str, int]] = {
        r: dict.fromkeys([*FIELDS, "clean", "passages", "found", "right_page", "exact"], 0)
        for r in readers
    }
    printed = dict.fromkeys(FIELDS, 0)
    rows: list[dict[str, Any]] = []
    print("| file | title | authors | year | venue | DOI | leaks | pages (found/right/asked) |")
    print("|---|---|---|---|---|---|---|---|")
    for entry in entries:
        path = args.cache / entry["name"]
        pages = page_texts_of(path)
        chosen = passages(pages)
        # The e-mail addresses of the front page are front matter too (an address the
        # body text quotes as an example is not looked for).
        front = entry["front"] + sorted(set(EMAIL.findall(pages[0] if pages else "")))
        results = {"ours": ours(path), "llama-index": None if args.no_llama else llama(path)}
        row: dict[str, Any] = {"name": entry["name"], "passages": chosen}
        for field in FIELDS:
            printed[field] += _printed(entry[field])
        for reader, result in results.items():
            if result is None:
                continue
            ok = {f: field_right(f, result[f], entry[f]) for f in FIELDS}
            text = result["text"] if reader == "ours" else "\n".join(t for _, t in result["pages"])
            leaks = leaks_in(text, front)
            scorer = score_pages_ours if reader == "ours" else score_pages_llama
            found, right = scorer(result, chosen)
            t = totals[reader]
            for f in FIELDS:
                t[f] += ok[f]
            t["exact"] += all(ok.values())
            t["clean"] += not leaks
            t["passages"] += len(chosen)
            t["found"] += found
            t["right_page"] += right
            row[reader] = {
                **{f: result[f] for f in FIELDS}, "ok": ok, "leaks": leaks,
                "pages": [found, right, len(chosen)],
            }  # fmt: skip
            if reader == "ours":
                marks = ["yes" if ok[f] else f"**{result[f]!r}**"[:90] for f in FIELDS]
                print(
                    f"| {entry['name']} | " + " | ".join(marks)
                    + f" | {', '.join(leaks) or 'none'} | {found}/{right}/{len(chosen)} |"
                )  # fmt: skip
        rows.append(row)
    n = len(entries)
    print(f"\n{n} files; fields printed: " + ", ".join(f"{f} {printed[f]}" for f in FIELDS))
    print("\n| reader | exact records | titles | all authors | year | venue | DOI | no leaks "
          "| passages found | right page |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for reader in readers:
        t = totals[reader]
        if not t["passages"] and not any(t.values()):
            why = (
                "not run (--no-llama)"
                if args.no_llama
                else "llama-index-readers-file not installed"
            )
            print(f"| {reader} | {why} |")
            continue
        cells = [f"{t[f]}/{n}" for f in ["exact", *FIELDS, "clean"]]
        cells += [f"{t['found']}/{t['passages']}", f"{t['right_page']}/{t['passages']}"]
        print(f"| {reader} | " + " | ".join(cells) + " |")
    print(f"\nGROBID (quoted, not run here): {GROBID}.")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
