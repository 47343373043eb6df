"""Speed and memory benchmarks (issue: hardening and speed). Prints a table; the figures
and their targets are recorded in docs/PERFORMANCE.md. Never run by the test suite.

    python bench/bench.py                 # everything
    python bench/bench.py help embed      # only some sections

Sections: help, embed, reingest, retrieval, overhead, tui, memory.
Work files go to $BENCH_DIR (default /tmp/assistant-bench); the 5,000-file corpus and
its index are built once and reused.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
MSMARCO = SHARED / "data" / "msmarco-5k"
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/assistant-bench"))
MODEL_DIR = SHARED / "models" / "all-MiniLM-L6-v2" / "onnx"
sys.path.insert(0, str(REPO))

ROWS: list[tuple[str, str, str, str]] = []  # (measure, value, target, verdict)


def record(measure: str, value: float, unit: str, target: float | None, lower_is_better=True):
    if target is None:
        verdict = ""
    else:
        ok = value <= target if lower_is_better else value >= target
        verdict = "met" if ok else "MISSED"
    shown_target = "" if target is None else f"{'<' if lower_is_better else '≥'} {target:g} {unit}"
    ROWS.append((measure, f"{value:.3g} {unit}", shown_target, verdict))
    print(f"  {measure}: {value:.3g} {unit} {shown_target} {verdict}", flush=True)


def env(home: Path, **extra: str) -> dict[str, str]:
    out = {
        **os.environ,
        "ASSISTANT_HOME": str(home),
        "ASSISTANT_EMBED_MODEL_DIR": str(MODEL_DIR),
        "OLLAMA_HOST": "http://127.0.0.1:9",
        **extra,
    }
    return out


def timed_runs(cmd: list[str], environ: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=environ, cwd=REPO, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


# -- sections -----------------------------------------------------------------------------
def bench_help() -> None:
    times = timed_runs([sys.executable, "-m", "assistant", "--help"], env(WORK / "h"), 10)
    record("`assistant --help` (median of 10)", statistics.median(times), "s", 0.3)


def msmarco_texts(limit: int | None = None) -> list[str]:
    with open(MSMARCO / "corpus.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [
        (r.get("title") or "") + "\n" + r["text"] if r.get("title") else r["text"]
        for r in rows[:limit]
    ]


def bench_embed() -> None:
    import numpy as np
    from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

    from index import MiniLMEmbedder

    texts = msmarco_texts(1000)
    ours = MiniLMEmbedder(MODEL_DIR)
    theirs = ONNXMiniLM_L6_V2()
    theirs.DOWNLOAD_PATH = MODEL_DIR.parent
    ours.embed(texts[:8]), theirs(texts[:8])  # load both models first
    start = time.perf_counter()
    a = ours.embed(texts)
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    b = np.asarray(theirs(texts))
    t_theirs = time.perf_counter() - start
    print(f"  ours {len(texts) / t_ours:.1f}/s, Chroma default {len(texts) / t_theirs:.1f}/s")
    int8 = MiniLMEmbedder(MODEL_DIR, [WORK / "models"])  # the opt-in minilm-int8
    int8.embed(texts[:8])  # quantised on first use (cached), then loaded
    start = time.perf_counter()
    c = int8.embed(texts)
    t_int8 = time.perf_counter() - start
    print(f"  int8 {len(texts) / t_int8:.1f}/s, {t_ours / t_int8:.2f}x fp32")
    record("int8 embedder throughput ÷ fp32 (same passages)", t_ours / t_int8, "x", None, False)
    record("lowest cosine(int8, fp32)", float((a * c).sum(axis=1).min()), "", None, False)
    record(
        "embedding throughput, ours ÷ Chroma default (1,000 msmarco passages)",
        t_theirs / t_ours,
        "x",
        3,
        lower_is_better=False,
    )
    record(
        "lowest cosine(ours, Chroma default)",
        float((a * b).sum(axis=1).min()),
        "",
        0.9999,
        lower_is_better=False,
    )


def corpus_5k() -> Path:
    folder = WORK / "msmarco-files"
    if not (folder / ".done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        with open(MSMARCO / "corpus.jsonl", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                (folder / f"{row['_id']}.txt").write_text(row["text"], encoding="utf-8")
        (folder / ".done").write_text("")
    return folder


def indexed_home() -> Path:
    """A home with the 5,000-file corpus ingested (built once)."""
    home = WORK / "home-5k"
    if not (home / "built").exists():
        print("  building the 5,000-file index (once)…", flush=True)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "assistant", "ingest", str(corpus_5k())],
            env=env(home),
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        record(
            "first ingest of 5,000 files (embedding everything)",
            time.perf_counter() - start,
            "s",
            None,
        )
        (home / "built").write_text("")
    return home


def bench_reingest() -> None:
    home = indexed_home()
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(corpus_5k()), "--json"],
        env=env(home),
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    assert json.loads(out.stdout)["embedded"] == 0
    times = timed_runs(
        [sys.executable, "-m", "assistant", "ingest", str(corpus_5k()), "--json"], env(home), 3
    )
    record(
        "second ingest of an unchanged 5,000-file corpus (median of 3, 0 embedded)",
        statistics.median(times),
        "s",
        5,
    )


def _retrieval_p50(home: Path, questions: list[str]) -> float:
    os.environ.update(env(home))
    from assistant.config import load_settings
    from assistant.runtime import build_engine

    retriever = build_engine(load_settings()).retriever()
    for q in questions[:5]:
        retriever.search(q, 5)  # warm up
    times = []
    for q in questions:
        start = time.perf_counter()
        retriever.search(q, 5)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_retrieval() -> None:
    seeds_home = WORK / "home-seeds"
    subprocess.run(
        [sys.executable, "-m", "assistant", "ingest"],
        env=env(seeds_home),
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    seed_qs = [
        json.loads(x)["question"]
        for x in (REPO / "tests" / "data" / "seed_questions.jsonl").read_text().splitlines()
    ]
    record("warm retrieval p50, seeds", _retrieval_p50(seeds_home, seed_qs * 4), "ms", 30)
    with open(MSMARCO / "queries.jsonl", encoding="utf-8") as fh:
        queries = [json.loads(line)["text"] for line in fh][:200]
    record("warm retrieval p50, msmarco-5k", _retrieval_p50(indexed_home(), queries), "ms", 100)


def bench_overhead() -> None:
    from tests.fakes.ollama_server import FakeOllama

    home = WORK / "home-seeds"
    with FakeOllama() as server:
        os.environ.update(env(home, OLLAMA_HOST=server.url))
        from assistant.config import load_settings
        from assistant.runtime import build_engine

        engine = build_engine(load_settings())
        engine.ask("warm up the model and index")
        times = [
            engine.ask("What do service users value in peer support?").timings["to_llm_ms"]
            for _ in range(20)
        ]
    record("question → request reaching Ollama, p50 (warm)", statistics.median(times), "ms", 150)


def bench_tui() -> None:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(REPO / "bench" / "tui_probe.py"), "first-screen"],
            env=env(WORK / "home-seeds"),
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        times.append(time.perf_counter() - start)
        proc.wait()
    record("TUI first screen, from process start (median of 5)", statistics.median(times), "s", 0.6)


def bench_memory() -> None:
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "tui_probe.py"), "memory"],
        env=env(indexed_home()),
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    record(
        "`assistant chat` peak RSS, msmarco-5k indexed, one answer",
        float(out.stdout.strip().splitlines()[-1]),
        "MB",
        400,
    )


SECTIONS = {
    "help": bench_help,
    "embed": bench_embed,
    "reingest": bench_reingest,
    "retrieval": bench_retrieval,
    "overhead": bench_overhead,
    "tui": bench_tui,
    "memory": bench_memory,
}


def main(argv: list[str]) -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    chosen = argv or list(SECTIONS)
    for name in chosen:
        print(f"[{name}]", flush=True)
        SECTIONS[name]()
    width = max(len(r[0]) for r in ROWS)
    print("\n" + f"{'measure':<{width}}  {'value':>10}  {'target':>12}  verdict")
    for measure, value, target, verdict in ROWS:
        print(f"{measure:<{width}}  {value:>10}  {target:>12}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
