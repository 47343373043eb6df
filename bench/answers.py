"""Answer quality with a real model, per kind of question, and the extractive path beside it.

    python bench/answers.py                       # SmolLM2-135M through tests/realmodel/server.py
    python bench/answers.py --host URL --model M  # your own Ollama and model
    python bench/answers.py --questions my.jsonl  # your own question set (id, kind, question)

Each question (``bench/answer_questions.jsonl``: content, facet, bibliographic and
not-answerable questions over the bundled seeds, ingested into a temporary home) is answered
through the engine twice: with the model (mode ``auto``) and extractively, and measured by
:mod:`assistant.quality`, the implementation ``assistant eval QUESTIONS --model NAME`` runs
on a user's own questions and index (see its doc for each column).

With the bundled server it also reports what the model wrote before the engine's checks
(``degenerate.py``'s verdict on the raw output) and the first-token overhead of the project
over a bare llama-cpp call on the same prompt. Results are recorded in docs/QUALITY.md.
Never run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.answering.degenerate import degenerate  # noqa: E402
from assistant.quality import (  # noqa: E402
    PATHS,
    WatchedModel,
    load_questions,
    markdown,
    measure,
    result_of,
)


def use_prompts(folder: Path) -> None:
    """Render templates from ``folder`` where it has them (to compare prompt variants)."""
    import prompts

    original = prompts.template

    def template(name: str) -> str:
        path = folder / f"{name}.md"
        return path.read_text("utf-8") if path.is_file() else original(name)

    prompts.template = template  # type: ignore[assignment]


def ablate(without: set[str]) -> None:
    """Take parts of the prompt out (to measure what each brings): ``parts`` (the labelled
    study facts and part sentences), ``facet`` (the asked-facet line), ``length`` (the
    default answer length)."""
    from assistant.answering import prompting

    if "parts" in without:
        prompting.part_lines = lambda parts, facets=(): []  # type: ignore[assignment]
    if "facet" in without:
        prompting.asked_line = lambda facets: ""  # type: ignore[assignment]
    if "length" in without:
        prompting.LENGTHS["normal"] = ""


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


def rejudge(dump: Path, settings: Any) -> dict[str, Any]:
    """The table again from a ``--json`` dump, each answer judged anew (the model is not
    asked again): to apply a changed measure to a run that took an hour."""
    from types import SimpleNamespace

    from assistant.answering.answer import Source
    from assistant.quality import Measured, judge
    from assistant.runtime import make_embedder

    embedder = make_embedder(settings)
    measured = Measured()
    for line in dump.read_text("utf-8").splitlines():
        record = json.loads(line)
        data = record.pop("answer")
        answer = SimpleNamespace(
            answer=data["answer"],
            citations=data["citations"],
            sources=[Source.from_json(s) for s in data["sources"]],
            mode=data["mode"],
        )
        record.update(judge(answer, record["kind"], embedder))
        measured.rows[record.pop("path", record.pop("label", "model"))].append(record)
    return result_of(measured, settings, str(dump), 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=REPO / "bench/answer_questions.jsonl")
    parser.add_argument("--host", help="an Ollama server (default: the SmolLM2 test server)")
    parser.add_argument("--model", help="the model on --host")
    parser.add_argument("--answer-tokens", type=int, default=128)
    parser.add_argument("-k", type=int, default=3, help="sources per answer")
    parser.add_argument("--num-ctx", type=int, default=2048)
    parser.add_argument("--home", type=Path, help="ASSISTANT_HOME (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also append every answer here, as it comes")
    parser.add_argument("--prompts", type=Path, help="templates to use instead of prompts/")
    parser.add_argument(
        "--without", default="", help="prompt parts to leave out: parts,facet,length"
    )
    parser.add_argument("--kinds", help="only these kinds (comma-separated)")
    parser.add_argument("--rejudge", type=Path, help="only re-judge a --json dump, no model")
    parser.add_argument("--no-extractive", action="store_true", help="the model path only")
    args = parser.parse_args(argv)
    if args.prompts:
        use_prompts(args.prompts)
    ablate({w for w in args.without.split(",") if w})

    from assistant.answering.engine import Engine
    from assistant.config import Settings
    from assistant.runtime import Runtime

    if args.rejudge:
        model_dir = os.environ.get("ASSISTANT_EMBED_MODEL_DIR")
        folder = Path(model_dir) if model_dir else None
        result = rejudge(args.rejudge, Settings(home=Path("."), embed_model_dir=folder))
        result["model"] = args.model or "model"
        print(markdown(result))
        return 0
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
    runtime = Runtime(settings).open()  # the seeds ingested before anything is timed
    watched = WatchedModel(runtime.llm(model))
    engine = Engine(settings, runtime.retriever, lambda: runtime.embedder, lambda m: watched)
    questions = load_questions(args.questions)
    if args.kinds:
        questions = [q for q in questions if q.kind in args.kinds.split(",")]
    logs: dict[tuple[str, str], Any] = {}

    def on_row(path: str, q: Any, row: dict[str, Any], answer: Any) -> None:
        if server is not None and path == "model" and row.get("asked"):
            log = server.answers[-1]  # what the model wrote, before the engine's checks
            row["degenerate"] = degenerate(log.output, [s.n for s in answer.sources])
            row["server_first_ms"] = (log.first_token_s or 0) * 1000
            logs[(path, q.id)] = log
        if args.json:  # as it goes: a long run that fails later keeps what it measured
            with args.json.open("a", encoding="utf-8") as out:
                record = {"path": path, **row, "answer": answer.to_json()}
                out.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
        print(
            f"{path:10} {q.id:4} {answer.mode:10} right={row['right']!s:5} "
            f"{'set aside ' if row.get('set_aside') else ''}{(row.get('degenerate') or '')[:60]}",
            file=sys.stderr,
        )

    paths = PATHS[:1] if args.no_extractive else PATHS
    measured = measure(engine, watched, runtime.embedder, questions, args.k, paths, on_row=on_row)
    result = result_of(measured, settings, str(args.questions), args.k)
    print(markdown(result))

    asked = [r for r in measured.rows["model"] if r.get("asked") and r.get("first_ms")]
    if server is not None and asked:
        raw_bad = sum(bool(r.get("degenerate")) for r in asked)
        print(f"\nraw model outputs degenerate before the engine's checks: {raw_bad}/{len(asked)}")
        sample = asked[0]
        prompt = logs[("model", sample["id"])].prompt
        bare = bare_first_token(server.model_path, prompt, server.threads, args.num_ctx)
        print(
            f"first token, question {sample['id']}: project {sample['first_ms']:.0f} ms "
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
