"""Scale benchmark: what a process and an ingest cost as the corpus grows (issues 14, 26).

    python bench/scale.py [1000 20000 100000]
    python bench/scale.py --watch [1000 20000]     # only the watch mode's rows

For each target size it writes a corpus of files under $BENCH_DIR/scale-<n> (msmarco-5k
passages first, then synthetic paragraphs drawn from their words, ten per file), builds
the index once in-process with a fast fake embedder that carries MiniLM's name and
dimension (so the CLI's real MiniLM can query it; dense results are meaningless, the
costs are not), then times the CLI in fresh processes and prints the issue's table rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# ../shared beside a checkout (a worktree under ../wt/ has it two levels up)
SHARED = next(
    (p for p in (REPO.parent / "shared", REPO.parent.parent / "shared") if p.is_dir()),
    REPO.parent / "shared",
)
MODEL_DIR = SHARED / "models" / "all-MiniLM-L6-v2" / "onnx"
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/assistant-bench"))
PER_FILE = 10
QUERIES = SHARED / "data" / "msmarco-5k" / "queries.jsonl"
QUESTION = "what are the health effects of drinking coffee"


class FakeMiniLM:
    """MiniLM's name and shape, vectors from a hash: instant, deterministic."""

    name = "onnx:all-MiniLM-L6-v2"
    max_tokens = 256
    dim = 384

    def __init__(self) -> None:
        from vocab.tokens import count_tokens

        self.count_tokens = lambda text: count_tokens(text) + 2

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int(hashlib.md5(text.encode()).hexdigest()[:8], 16)
            out[row] = np.random.default_rng(seed).standard_normal(self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def passages(n: int) -> list[str]:
    with open(SHARED / "data" / "msmarco-5k" / "corpus.jsonl", encoding="utf-8") as fh:
        real = [json.loads(line)["text"] for line in fh]
    words = " ".join(real).split()
    rng = random.Random(14)
    out = real[:n]
    while len(out) < n:
        out.append(" ".join(rng.choice(words) for _ in range(rng.randint(40, 90))) + ".")
    return out


def write_corpus(folder: Path, n: int) -> None:
    if folder.exists():
        return
    folder.mkdir(parents=True)
    texts = passages(n)
    for i in range(0, n, PER_FILE):
        (folder / f"f{i // PER_FILE:06d}.txt").write_text("\n\n".join(texts[i : i + PER_FILE]))


def env(home: Path, chroma_url: str | None = None) -> dict[str, str]:
    extra = {"ASSISTANT_CHROMA_URL": chroma_url} if chroma_url else {}
    # A user's install keeps compiled bytecode; a sandbox that forbids writing it would add
    # ~0.1 s of compiling to every process measured here.
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {
        **inherited,
        **extra,
        "PYTHONPATH": str(REPO),  # this checkout, whatever is installed
        "ASSISTANT_HOME": str(home),
        "ASSISTANT_EMBED_MODEL_DIR": str(MODEL_DIR),
        "OLLAMA_HOST": "http://127.0.0.1:9",
    }


def timed(cmd: list[str], home: Path, chroma_url: str | None = None) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one fresh process."""
    start = time.perf_counter()
    got = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "assistant", *cmd],
        env=env(home, chroma_url),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    return seconds, int(got.stderr.strip().splitlines()[-1]) / 1024


def ask_memory(home: Path) -> str:
    """A cold ``ask``'s memory right after its search, split as the kernel counts it:
    anonymous (the process's own) and file-backed (mapped files: libraries, the snapshot's
    vectors and BM25 arrays, which stay in the page cache, shared by every process)."""
    code = (
        "import contextlib, io\n"
        "from index import IndexReader\n"
        "seen = []\n"
        "search = IndexReader.lexical  # runs after the dense scan\n"
        "def probe(*args, **kwargs):\n"
        "    out = search(*args, **kwargs)\n"
        "    status = dict(l.split(':', 1) for l in open('/proc/self/status'))\n"
        "    seen.append([int(status[k].split()[0]) // 1024 for k in ('RssAnon', 'RssFile')])\n"
        "    return out\n"
        "IndexReader.lexical = probe\n"
        "from assistant.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['ask', {QUESTION!r}, '--no-llm', '--json'])\n"
        "print(*max(seen))\n"
    )
    got = subprocess.run(
        [sys.executable, "-c", code], env=env(home), cwd=REPO, capture_output=True, text=True
    )
    if got.returncode != 0:
        return "n/a"
    anon, mapped = got.stdout.split()[-2:]
    return f"{anon} MiB own + {mapped} MiB mapped files"


def build(n: int) -> tuple[Path, Path, int]:
    from assistant.config import Settings
    from assistant.runtime import open_index, run_ingest

    corpus, home = WORK / f"scale-{n}" / "corpus", WORK / f"scale-{n}" / "home"
    write_corpus(corpus, n)
    if not (home / "built").exists():
        start = time.perf_counter()
        settings = Settings(home=home, embed_model_dir=MODEL_DIR)
        report = run_ingest(settings, open_index(settings), [corpus], FakeMiniLM())
        print(f"  built {report.chunks} chunks in {time.perf_counter() - start:.0f} s", flush=True)
        (home / "built").write_text(str(report.chunks))
    return corpus, home, int((home / "built").read_text())


def chat_rss(home: Path, *probe: str) -> float:
    """Peak RSS (MiB) of the chat TUI answering one question (bench/tui_probe.py; ``probe``:
    another of its modes)."""
    got = subprocess.run(
        [sys.executable, str(REPO / "bench" / "tui_probe.py"), *(probe or ("memory",))],
        env=env(home),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(got.stdout.strip().splitlines()[-1])


def warm_p50(home: Path) -> float:
    """Median ms of a warm hybrid search (real MiniLM for the query), msmarco questions."""
    code = (
        "import json,statistics,sys,time\n"
        "from assistant.config import load_settings\n"
        "from assistant.runtime import build_engine\n"
        "r = build_engine(load_settings()).retriever()\n"
        f"qs = [json.loads(l)['text'] for l in open({str(QUERIES)!r})][:60]\n"
        "[r.search(q, 5) for q in qs[:5]]\n"
        "ts = []\n"
        "for q in qs:\n"
        "    t = time.perf_counter(); r.search(q, 5); ts.append(time.perf_counter() - t)\n"
        "print(statistics.median(ts) * 1000)\n"
    )
    got = subprocess.run(
        [sys.executable, "-c", code], env=env(home), cwd=REPO, capture_output=True, text=True
    )
    return float(got.stdout.strip().splitlines()[-1]) if got.returncode == 0 else float("nan")


def new_file(corpus: Path, tag: str = "added") -> Path:
    """A file of ten passages under new words (its records are new, never merged away)."""
    path = corpus / f"{tag}-{time.time_ns()}.txt"
    stamp = f"run{time.time_ns()}"
    path.write_text("\n\n".join(f"{stamp} {p}" for p in passages(5000)[4990:5000]))
    return path


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def watch_costs(corpus: Path, home: Path, files: int = 5) -> dict[str, str]:
    """``ingest --watch`` (the real MiniLM): from writing a file to its pass's report (the
    generation is published before the report, so ``ask`` can answer from then on), the
    watcher's CPU per file, and the chat's peak memory while the watcher adds files."""
    cmd = [sys.executable, "-m", "assistant", "ingest", "--watch", str(corpus), "--json"]
    proc = subprocess.Popen(
        cmd, env=env(home), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    try:
        lines.get(timeout=900)  # the first pass: every file compared, nothing new
        new_file(corpus, "warm")  # the first added file loads MiniLM's session: not counted
        lines.get(timeout=300)
        latency, cpu = [], []
        for _ in range(files):
            before = _cpu_seconds(proc.pid)
            start = time.perf_counter()
            new_file(corpus)
            report = json.loads(lines.get(timeout=300))
            latency.append(time.perf_counter() - start)
            cpu.append(_cpu_seconds(proc.pid) - before)
            assert report["embedded"] >= 1, report
        stop = threading.Event()

        def keep_adding() -> None:
            while not stop.wait(1.0):
                new_file(corpus, "during-chat")

        adder = threading.Thread(target=keep_adding, daemon=True)
        adder.start()
        try:
            chat_mb = chat_rss(home)
            following_mb = chat_rss(home, "following", "3")
        finally:
            stop.set()
            adder.join()
        watcher_mb = _hwm_mib(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    return {
        "watch: file written -> published (median)": f"{statistics.median(latency):.2f} s "
        f"({min(latency):.2f}-{max(latency):.2f})",
        "watch: watcher CPU per file (median)": f"{statistics.median(cpu):.2f} s",
        "watch: watcher peak RSS": f"{watcher_mb:.0f} MiB",
        "`assistant chat` peak RSS while a watcher adds a file a second": f"{chat_mb:.0f} MiB",
        "`assistant chat` peak RSS, open while the watcher publishes 3 generations, "
        "then asked again": f"{following_mb:.0f} MiB",
    }


def measure(n: int) -> dict[str, str]:
    corpus, home, chunks = build(n)
    # An index built by an older version gets its snapshot remade by the first ingest (once,
    # not counted): what follows measures the steady state.
    timed(["ingest", str(corpus)], home)
    ask = ["ask", QUESTION, "--no-llm", "--json"]
    timed(ask, home)  # the first ask after a build opens files cold on disk; not counted
    runs = [timed(ask, home) for _ in range(3)]
    ask_s = sorted(r[0] for r in runs)[1]
    ask_mb = max(r[1] for r in runs)
    noop = sorted(timed(["ingest", str(corpus)], home)[0] for _ in range(3))[1]
    adds = []
    for _ in range(3):
        new_file(corpus)
        adds.append(timed(["ingest", str(corpus)], home))
    add_s, add_mb = sorted(adds)[1]
    return {
        "chunks": str(chunks),
        "`assistant chat` peak RSS": f"{chat_rss(home):.0f} MiB",
        "warm hybrid retrieval p50": f"{warm_p50(home):.1f} ms",
        "cold ask": f"{ask_s:.2f} s, {ask_mb:.0f} MiB",
        "cold ask's memory after its search": ask_memory(home),
        "unchanged re-ingest": f"{noop:.2f} s",
        "add one file (CLI, median of 3)": f"{add_s:.2f} s, {add_mb:.0f} MiB",
        **watch_costs(corpus, home),
    }


def server_client(n: int) -> dict[str, str]:
    """A Chroma server holding ``n`` passages; a second machine's first and next ``ask``."""
    import socket

    from assistant.config import Settings
    from assistant.runtime import open_index, run_ingest

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    base = WORK / f"server-{n}-{time.time_ns()}"
    exe = str(Path(sys.executable).with_name("chroma"))
    cmd = [exe, "run", "--path", str(base / "data"), "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)
        corpus = WORK / f"scale-{n}" / "corpus"
        write_corpus(corpus, n)
        settings = Settings(home=base / "writer", embed_model_dir=MODEL_DIR, chroma_url=url)
        report = run_ingest(settings, open_index(settings), [corpus], FakeMiniLM())
        ask = ["ask", QUESTION, "--no-llm", "--json"]
        first = timed(ask, base / "client", url)
        second = timed(ask, base / "client", url)
        return {
            "chunks": str(report.chunks),
            "server client: first ask (builds its lexical index)": f"{first[0]:.2f} s",
            "server client: next ask (kept index)": f"{second[0]:.2f} s, {second[1]:.0f} MiB",
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--server"]:
        sizes = [int(a) for a in argv[1:]] or [20_000]
        for n in sizes:
            print(json.dumps(server_client(n)), flush=True)
        return 0
    if argv[:1] == ["--watch"]:
        for n in [int(a) for a in argv[1:]] or [1000, 20_000]:
            corpus, home, chunks = build(n)
            print(json.dumps({"chunks": chunks, **watch_costs(corpus, home)}), flush=True)
        return 0
    sizes = [int(a) for a in argv] or [1000, 20_000, 100_000]
    results = {}
    for n in sizes:
        print(f"{n} passages:", flush=True)
        results[n] = measure(n)
        print("  " + json.dumps(results[n]), flush=True)
    rows = list(next(iter(results.values())))
    print("| corpus | " + " | ".join(results[n]["chunks"] + " chunks" for n in sizes) + " |")
    print("|---" * (len(sizes) + 1) + "|")
    for row in rows[1:]:
        print(f"| {row} | " + " | ".join(results[n][row] for n in sizes) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
