"""Answer quality with a real model, per kind of question, and the extractive path beside it.

    python bench/answers.py                       # SmolLM2-135M through tests/realmodel/server.py
    python bench/answers.py --host URL --model M  # your own Ollama and model
    python bench/answers.py --questions my.jsonl  # your own question set (id, kind, question)

Each question (``bench/answer_questions.jsonl``: content, facet, bibliographic and
not-answerable questions over the bundled seeds) is answered through the engine twice:
with the model (mode ``auto``) and extractively. Per kind it reports:

- **answered with citations**: answers that cite at least one source (for not-answerable
  questions: answers that cite nothing and say the corpus does not cover it);
- **citation precision**: of the (sentence, cited source) pairs, the share where that source
  supports the sentence (``assistant/answering/support.py`` with MiniLM);
- **support rate**: of the answer sentences that make a claim, the share a cited source
  supports; **unsupported**: how many do not;
- **degenerate**: model outputs ``assistant/answering/degenerate.py`` rejects (a loop, only
  markers, only a list of sources, no citation);
- **fallbacks**: model answers that came back extractive;
- **first token** (ms, question to first streamed token) and **tokens/s** (the model's).

Then the first-token overhead of the project over a bare llama-cpp call on the same prompt.
Results are recorded in docs/QUALITY.md. Never run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.answering.degenerate import degenerate  # noqa: E402
from assistant.answering.support import check_support  # noqa: E402

KINDS = ("content", "facet", "bibliographic", "not-answerable")


def load_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def run_one(engine: Any, question: str, mode: str, k: int) -> dict[str, Any]:
    """Stream one answer; the answer and when its first token came."""
    from assistant.answering.events import AskOptions, Done, Token

    t0 = time.perf_counter()
    first = None
    answer = None
    for event in engine.stream(question, (), AskOptions(k=k, mode=mode)):
        if isinstance(event, Token) and first is None:
            first = (time.perf_counter() - t0) * 1000
        elif isinstance(event, Done):
            answer = event.answer
    assert answer is not None
    return {"answer": answer, "first_ms": first, "total_ms": (time.perf_counter() - t0) * 1000}


def judge(answer: Any, kind: str, embedder: Any) -> dict[str, Any]:
    """The per-answer measures."""
    cited_any = bool(answer.citations)
    out: dict[str, Any] = {"mode": answer.mode, "cited": cited_any}
    if kind == "not-answerable":
        out["right"] = not answer.sources and not cited_any
        return out
    out["right"] = cited_any
    checks = check_support(answer.answer, answer.sources, embedder) if answer.sources else []
    pairs = supported_pairs = 0
    by_n = {s.n: s for s in answer.sources}
    for check in checks:
        for n in check.cited:
            pairs += 1
            one = check_support(check.text, [by_n[n]], embedder)
            supported_pairs += bool(one and one[0].supported)
    claims = [c for c in checks if c.claim]
    out["pairs"], out["supported_pairs"] = pairs, supported_pairs
    out["claims"] = len(claims)
    out["supported_claims"] = sum(c.supported and bool(c.cited) for c in claims)
    out["unsupported"] = sum(c.flagged for c in claims)
    return out


def summarise(rows: list[dict[str, Any]], label: str) -> list[str]:
    lines = []
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    for kind in KINDS:
        group = by_kind.get(kind, [])
        if not group:
            continue
        right = sum(r["right"] for r in group)
        pairs = sum(r.get("pairs", 0) for r in group)
        good = sum(r.get("supported_pairs", 0) for r in group)
        claims = sum(r.get("claims", 0) for r in group)
        backed = sum(r.get("supported_claims", 0) for r in group)
        unsupported = sum(r.get("unsupported", 0) for r in group)
        degenerate_n = sum(bool(r.get("degenerate")) for r in group)
        fallbacks = sum(r.get("fallback", False) for r in group)
        firsts = [r["first_ms"] for r in group if r.get("first_ms") is not None]
        rates = [r["tok_s"] for r in group if r.get("tok_s")]
        lines.append(
            f"| {label} | {kind} | {len(group)} | {right}/{len(group)} | "
            f"{_ratio(good, pairs)} | {_ratio(backed, claims)} | {unsupported} | "
            f"{degenerate_n if label != 'extractive' else '–'} | "
            f"{fallbacks if label != 'extractive' else '–'} | "
            f"{f'{statistics.median(firsts):.0f}' if firsts else '–'} | "
            f"{f'{statistics.median(rates):.0f}' if rates else '–'} |"
        )
    return lines


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f} ({a}/{b})" if b else "–"


def use_prompts(folder: Path) -> None:
    """Render templates from ``folder`` where it has them (to compare prompt variants)."""
    import prompts

    original = prompts.template

    def template(name: str) -> str:
        path = folder / f"{name}.md"
        return path.read_text("utf-8") if path.is_file() else original(name)

    prompts.template = template  # type: ignore[assignment]


def bare_first_token(model_path: Path, prompt: str, threads: int, num_ctx: int) -> float:
    """Milliseconds from a prompt to the first token with llama-cpp alone (warm model)."""
    from llama_cpp import Llama

    llm = Llama(model_path=str(model_path), n_ctx=num_ctx, n_threads=threads, seed=1, verbose=False)
    tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
    times = []
    for _ in range(3):
        llm.reset()
        t0 = time.perf_counter()
        for _chunk in llm.create_completion(tokens, max_tokens=1, temperature=0, stream=True):
            break
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=REPO / "bench/answer_questions.jsonl")
    parser.add_argument("--host", help="an Ollama server (default: the SmolLM2 test server)")
    parser.add_argument("--model", help="the model on --host")
    parser.add_argument("--answer-tokens", type=int, default=128)
    parser.add_argument("-k", type=int, default=3, help="sources per answer")
    parser.add_argument("--num-ctx", type=int, default=2048)
    parser.add_argument("--home", type=Path, help="ASSISTANT_HOME (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write every answer here")
    parser.add_argument("--prompts", type=Path, help="templates to use instead of prompts/")
    parser.add_argument("--kinds", help="only these kinds (comma-separated)")
    parser.add_argument("--no-extractive", action="store_true", help="the model path only")
    args = parser.parse_args(argv)
    if args.prompts:
        use_prompts(args.prompts)

    from assistant.config import Settings
    from assistant.runtime import Runtime

    server = None
    if args.host is None:
        from tests.realmodel.server import RealOllama

        server = RealOllama().start()
        host, model = server.url, server.name
    else:
        host, model = args.host, args.model or "llama3.2"
    home = args.home or Path(tempfile.mkdtemp(prefix="bench-answers-"))
    model_dir = os.environ.get("ASSISTANT_EMBED_MODEL_DIR")
    settings = Settings(
        home=home,
        embed_model_dir=Path(model_dir) if model_dir else None,
        ollama_host=host,
        model=model,
        temperature=0.0,
        num_ctx=args.num_ctx,
        answer_tokens=args.answer_tokens,
    )
    runtime = Runtime(settings)
    engine = runtime.engine()
    runtime.retriever()  # ingest the seeds before timing anything
    embedder = runtime.embedder
    questions = load_questions(args.questions)
    if args.kinds:
        questions = [q for q in questions if q["kind"] in args.kinds.split(",")]
    rows: dict[str, list[dict[str, Any]]] = {"model": [], "extractive": []}
    dump = []
    for q in questions:
        paths = [("model", "auto"), ("extractive", "extractive")]
        for label, mode in paths[:1] if args.no_extractive else paths:
            before = len(server.answers) if server else 0
            run = run_one(engine, q["question"], mode, args.k)
            answer = run["answer"]
            row = {"id": q["id"], "kind": q["kind"], "first_ms": run["first_ms"]}
            row.update(judge(answer, q["kind"], embedder))
            if label == "model":
                logs = server.answers[before:] if server else []
                asked = [log for log in logs if "Follow-up:" not in log.prompt]
                row["fallback"] = bool(answer.sources) and answer.mode != "llm" and bool(asked)
                if asked:
                    log = asked[-1]
                    raw = log.output
                    row["degenerate"] = degenerate(raw, [s.n for s in answer.sources])
                    gen_s = log.total_s - (log.first_token_s or 0)
                    row["tok_s"] = log.eval_count / gen_s if gen_s > 0 else None
                    row["server_first_ms"] = (log.first_token_s or 0) * 1000
                    row["prompt"] = log.prompt
                    row["raw"] = raw
                if not asked:  # answered without the model (bibliography, not covered)
                    row["first_ms"] = None
            rows[label].append(row)
            record = {
                "label": label,
                **{k: v for k, v in row.items() if k != "prompt"},
                "answer": answer.to_json(),
            }
            dump.append(record)
            if args.json:  # as it goes: a long run that fails later keeps what it measured
                with args.json.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
            print(
                f"{label:10} {q['id']:3} {answer.mode:10} {row['right']!s:5} "
                f"{(row.get('degenerate') or '')[:60]}",
                file=sys.stderr,
            )

    header = (
        "| path | kind | questions | answered with citations | citation precision | "
        "support rate | unsupported sentences | degenerate | fallbacks | first token ms "
        "(median) | tokens/s |\n|---|---|---|---|---|---|---|---|---|---|---|"
    )
    print(header)
    for label in ("model", "extractive"):
        for line in summarise(rows[label], model if label == "model" else "extractive"):
            print(line)

    asked = [r for r in rows["model"] if r.get("prompt") and r.get("first_ms")]
    if server is not None and asked:
        sample = asked[0]
        bare = bare_first_token(server.model_path, sample["prompt"], server.threads, args.num_ctx)
        print(
            f"\nfirst token, question {sample['id']}: project {sample['first_ms']:.0f} ms "
            f"(of which the server's prompt evaluation and first token "
            f"{sample['server_first_ms']:.0f} ms); bare llama-cpp on the same prompt "
            f"{bare:.0f} ms; project overhead {sample['first_ms'] - bare:.0f} ms"
        )
        overheads = [r["first_ms"] - r["server_first_ms"] for r in asked]
        print(
            f"project overhead before the model's first token (retrieval, prompt, HTTP), "
            f"median over {len(asked)} questions: {statistics.median(overheads):.0f} ms"
        )
    runtime.close()
    if server is not None:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
