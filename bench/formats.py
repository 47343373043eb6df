"""Ingest speed of what researchers have: a 1,000-entry RIS export and 50 article PDFs.

    python bench/formats.py

Builds both in $BENCH_DIR (default /tmp/assistant-bench/formats), using msmarco-5k passages
as abstracts and body text, then times with the real MiniLM embedder: the first ingest,
an unchanged re-ingest, and a re-ingest after editing one export entry. Results are
recorded in docs/PERFORMANCE.md. Never run by the test suite (PDFs need the test extra's
reportlab).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PASSAGES = SHARED / "data" / "msmarco-5k" / "corpus.jsonl"
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/assistant-bench")) / "formats"
MODEL_DIR = SHARED / "models" / "all-MiniLM-L6-v2" / "onnx"
sys.path.insert(0, str(REPO))

SURNAMES = "Strand Gammon Schön Berry Folker Voyce Krupin Howes Mpango Craig Daigle Long".split()


def passages(n: int) -> list[str]:
    out = []
    with open(PASSAGES, encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text", "").strip()
            if len(text) > 200:
                out.append(text)
            if len(out) == n:
                break
    return out


def write_ris(path: Path, texts: list[str]) -> None:
    lines = []
    for i, text in enumerate(texts):
        a, b = SURNAMES[i % len(SURNAMES)], SURNAMES[(i * 7 + 3) % len(SURNAMES)]
        lines += [
            "TY  - JOUR",
            f"AU  - {a}, Anna",
            f"AU  - {b}, Bo",
            f"TI  - {' '.join(text.split()[:9]).rstrip('.,;')} (study {i})",
            f"PY  - {2000 + i % 25}",
            f"JO  - Journal of Benchmark Studies {i % 40}",
            f"DO  - 10.5555/bench.{i}",
            f"AB  - {text}",
            "ER  - ",
            "",
        ]
    path.write_text("\r\n".join(lines), encoding="utf-8")


def write_pdfs(folder: Path, texts: list[str], n: int) -> None:
    from tests.ingest.paperpdf import Paper, make_paper

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = texts[i * 6 : i * 6 + 6]
        paper = Paper(
            title=f"Benchmark article {i}: " + " ".join(body[0].split()[:8]).rstrip(".,;"),
            authors=[f"Anna {SURNAMES[i % len(SURNAMES)]}", f"Bo {SURNAMES[(i + 5) % 12]}"],
            affiliation="Department of Benchmarks, University of Nowhere",
            abstract=body[0],
            sections=[
                ("Introduction", body[1:3]),
                ("Results", body[3:5]),
                ("Discussion", body[5:]),
            ],
            references=["Someone, A. (2001). A cited paper. Journal of Citations, 1, 1-2."],
            first_page_lines=[f"https://doi.org/10.5555/benchpdf.{i}"],
            running_heads=("A. BENCH ET AL.", "JOURNAL OF BENCHMARKS"),
            footer="Downloaded from bench.example on 1 May 2024",
            columns=1 + i % 2,
        )
        (folder / f"paper{i:02d}.pdf").write_bytes(make_paper(paper))


def ingest(home: Path, path: Path) -> tuple[float, dict]:
    env = {
        **os.environ,
        "ASSISTANT_HOME": str(home),
        "ASSISTANT_EMBED_MODEL_DIR": str(MODEL_DIR),
        "PYTHONPATH": str(REPO),
    }
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(path), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - t0, json.loads(out.stdout)


def main() -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    texts = passages(1300)
    ris = WORK / "export" / "library.ris"
    ris.parent.mkdir()
    write_ris(ris, texts[:1000])
    pdfs = WORK / "pdfs"
    write_pdfs(pdfs, texts, 50)

    rows = []
    home = WORK / "home-ris"
    secs, report = ingest(home, ris.parent)
    rows.append(("1,000-entry RIS: first ingest", secs, report))
    secs, report = ingest(home, ris.parent)
    rows.append(("1,000-entry RIS: unchanged re-ingest", secs, report))
    data = ris.read_text(encoding="utf-8").replace("(study 500)", "(study 500, revised)")
    ris.write_text(data, encoding="utf-8")
    secs, report = ingest(home, ris.parent)
    rows.append(("1,000-entry RIS: one entry edited", secs, report))

    home = WORK / "home-pdf"
    secs, report = ingest(home, pdfs)
    rows.append(("50 PDFs: first ingest", secs, report))
    secs, report = ingest(home, pdfs)
    rows.append(("50 PDFs: unchanged re-ingest", secs, report))

    print("| measure | seconds | records | chunks | embedded |")
    print("|---|---|---|---|---|")
    for name, secs, report in rows:
        print(
            f"| {name} | {secs:.1f} | {report['records']} | {report['chunks']} "
            f"| {report['embedded']} |"
        )


if __name__ == "__main__":
    main()
