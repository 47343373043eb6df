"""PDF text engines compared: pdfminer.six (as ingest uses it) vs pypdfium2 vs poppler's pdftotext.

    python bench/pdf_engines.py [MORE.pdf ...]

There is no internet here, so no publisher PDFs could be downloaded: the set is PDFs
generated in the layouts the ingest meets (tests/ingest/paperpdf.py: one and two columns,
running heads, a cover page; a pdfTeX-like file without space glyphs; a table with a
"Reference" column), plus any real PDFs given on the command line (their origin is noted in
docs/QUALITY.md). For each engine and file it reports: the share of expected phrases found
(spacing and reading order: each phrase is 4+ consecutive words of one sentence), the share
of run-together tokens (over 20 letters), sections in reading order, and CPU seconds per
page. pypdfium2 is found on sys.path or in $PDFIUM_PATH (``pip install --target``);
pdftotext on $PATH (``apt-get install poppler-utils``). Results: docs/QUALITY.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
if os.environ.get("PDFIUM_PATH"):
    sys.path.insert(0, os.environ["PDFIUM_PATH"])

from tests.ingest.paperpdf import Paper, make_paper  # noqa: E402
from tests.ingest.test_pdf_body import SENTENCES, spaceless_pdf  # noqa: E402

WORDS = re.compile(r"[A-Za-z]+")


def _pdfminer(path: Path) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "ingest.pdftext", str(path)],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    ).stdout
    pages = json.loads(out)["pages"]
    return ["\n".join(line["text"] for line in page["lines"]) for page in pages]


def _pdfium(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def _poppler(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return out.decode("utf-8", "replace").split("\f")


ENGINES: dict[str, Callable[[Path], list[str]]] = {
    "pdfminer.six": _pdfminer,
    "pypdfium2": _pdfium,
    "pdftotext": _poppler,
}


def _norm(text: str) -> str:
    return " ".join(WORDS.findall(text.replace("-\n", ""))).casefold()


def _phrases(sentences: list[str]) -> list[str]:
    out = []
    for s in sentences:
        words = WORDS.findall(s)
        out += [" ".join(words[i : i + 4]).casefold() for i in range(0, len(words) - 3, 4)]
    return out


def generated(folder: Path) -> list[tuple[str, Path, list[str], list[str]]]:
    """(name, path, expected phrases, section markers in reading order)."""
    body = [s + " " + s for s in SENTENCES]
    tags = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]  # letters only: the text is normalised
    sections = [(f"Section {t}", [f"Marker{t} " + " ".join(body)] * 2) for t in tags]
    specs = {
        "one column": Paper("Peer support in services", ["Ann Berg"], sections=sections),
        "two columns": Paper(
            "Peer support in services", ["Ann Berg"], sections=sections, columns=2,
            running_heads=("J MENT HEALTH {n}", "BERG {n}"),
        ),
        "cover page": Paper(
            "Peer support in services", ["Ann Berg"], sections=sections,
            cover=["To cite this article: Berg A (2020)", "Full Terms & Conditions"],
        ),
    }  # fmt: skip
    out = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, spec in specs.items():
        path = folder / (name.replace(" ", "_") + ".pdf")
        path.write_bytes(make_paper(spec))
        markers = [f"marker{t}".casefold() for t in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]]
        out.append((name, path, _phrases(SENTENCES), markers))
    path = folder / "no_space_glyphs.pdf"
    path.write_bytes(spaceless_pdf(pages=3))
    out.append(("no space glyphs", path, _phrases(SENTENCES), []))
    return out


def _in_order(text: str, markers: list[str]) -> bool:
    found = [text.find(m) for m in markers]
    return all(f >= 0 for f in found) and found == sorted(found)


def measure(path: Path, phrases: list[str], markers: list[str]) -> dict[str, dict]:
    results = {}
    for engine, read in ENGINES.items():
        start = time.process_time()
        wall = time.perf_counter()
        try:
            pages = read(path)
        except Exception as err:  # noqa: BLE001 - an engine failing is a result
            results[engine] = {"error": str(err)[:60]}
            continue
        cpu = time.process_time() - start
        elapsed = time.perf_counter() - wall
        text = _norm("\n".join(pages))
        tokens = text.split()
        results[engine] = {
            "phrases": sum(p in text for p in phrases) / len(phrases) if phrases else None,
            "run_together": sum(len(t) > 20 for t in tokens) / max(len(tokens), 1),
            "order": _in_order(text, markers) if markers else None,
            "s_per_page": max(cpu, elapsed if engine != "pypdfium2" else cpu)
            / max(len([p for p in pages if p.strip()]), 1),
            "words": len(tokens),
        }
    return results


def main(extra: list[str]) -> None:
    folder = Path(os.environ.get("BENCH_DIR", "/tmp/assistant-bench")) / "pdf_engines"
    cases = generated(folder) + [(Path(p).name, Path(p), [], []) for p in extra]
    print(
        "| file | engine | phrases found | run-together tokens | reading order | s/page | words |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, path, phrases, markers in cases:
        for engine, r in measure(path, phrases, markers).items():
            if "error" in r:
                print(f"| {name} | {engine} | error: {r['error']} | | | | |")
                continue
            ph = "–" if r["phrases"] is None else f"{r['phrases']:.0%}"
            order = "–" if r["order"] is None else ("yes" if r["order"] else "no")
            print(
                f"| {name} | {engine} | {ph} | {r['run_together']:.1%} | {order} |"
                f" {r['s_per_page']:.3f} | {r['words']} |"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
