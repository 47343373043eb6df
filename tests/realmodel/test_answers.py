"""The whole answer path with a real model: ``assistant ask --json`` and ``assistant batch``
in a subprocess, against SmolLM2-135M behind the Ollama-compatible server.

What a 135M model writes is poor; these tests hold the project to what it must do with
whatever comes back: send the window and the cap, fit the prompt in the real tokenizer's
count, keep only real citations, say when an answer was cut, never show a degenerate
answer as one, and check every sentence against what it cites.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.answering.degenerate import degenerate
from tests.realmodel.server import MODEL_NAME

QUESTION = "What do service users value in their relationships with mental health professionals?"
BATCH = [
    "What are the benefits of combining online and offline peer support groups?",
    "How do managers involve peer workers in Norwegian services?",
]


def ask(*args: str, env: dict[str, str] | None = None) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_ask_answers_with_the_real_model(realmodel, seeded_home):
    answer = ask(QUESTION)
    assert answer["mode"] == "llm" and answer["model"] == MODEL_NAME
    assert answer["answer"].strip() and answer["sources"]
    numbers = {s["n"] for s in answer["sources"]}
    assert set(answer["citations"]) <= numbers
    [chat] = realmodel.requests_to("/api/chat")
    assert chat["options"]["num_ctx"] == 2048 and chat["options"]["num_predict"] == 64
    assert chat["options"]["temperature"] == 0
    # every source listed was in the prompt the model saw, fenced with its number
    [log] = realmodel.answers
    assert all(f'<source n="{n}">' in log.prompt for n in numbers)
    assert not realmodel.truncations  # the prompt fit the real tokenizer's count
    assert log.prompt_tokens + 64 <= 2048
    assert {"retrieve_ms", "to_llm_ms", "generate_ms", "total_ms"} <= set(answer["timings"])


def test_sources_beyond_a_small_window_are_cut_to_fit_the_real_tokenizer(
    realmodel, seeded_home, monkeypatch
):
    """ASSISTANT_NUM_CTX=512 cannot hold five sources: the prompt is budgeted (tiktoken,
    with a margin), and it must fit SmolLM2's own tokenizer with room for the answer."""
    monkeypatch.setenv("ASSISTANT_NUM_CTX", "512")
    monkeypatch.setenv("ASSISTANT_ANSWER_TOKENS", "64")
    answer = ask(QUESTION, "-k", "5")
    assert answer["mode"] == "llm" or answer.get("attempt") is not None  # or set aside
    assert any("num_ctx=512" in w for w in answer["warnings"])
    assert 1 <= len(answer["sources"]) < 5
    [log] = realmodel.answers
    assert log.num_ctx == 512 and not log.truncated
    assert log.prompt_tokens + 64 <= 512, f"prompt of {log.prompt_tokens} real tokens"


def test_an_answer_stopped_at_num_predict_is_reported_incomplete(realmodel, seeded_home):
    answer = ask(QUESTION)  # the tier's cap: 64 tokens
    [log] = realmodel.answers
    assert log.done_reason == "length" and log.eval_count == 64  # the model was cut
    # said either way: on the model's answer, or beside the quoted one that replaced it
    assert answer["mode"] == "llm" or answer.get("attempt") is not None
    assert any("length limit of 64 tokens" in w for w in answer["warnings"])


# -- a batch, run once for the checks below ---------------------------------------------------
@pytest.fixture(scope="module")
def batch(real_ollama, seeded_template, tmp_path_factory) -> tuple[list[dict], object]:
    """Two content questions through ``assistant batch`` with the real model."""
    from tests.conftest import model_dir

    root = tmp_path_factory.mktemp("realbatch")
    home = root / "home"
    shutil.copytree(seeded_template, home)
    questions = root / "questions.txt"
    questions.write_text("\n".join(BATCH) + "\n", encoding="utf-8")
    out = root / "answers.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_HOME=str(home),
        ASSISTANT_EMBED_MODEL_DIR=str(model_dir()),
        OLLAMA_HOST=real_ollama.url,
        ASSISTANT_MODEL=real_ollama.name,
        ASSISTANT_TEMPERATURE="0",
        ASSISTANT_NUM_CTX="2048",
        ASSISTANT_ANSWER_TOKENS="64",
        ASSISTANT_TOP_K="2",
    )
    real_ollama.clear_logs()
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "batch", str(questions), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in Path(out).read_text("utf-8").splitlines()]
    return lines, list(real_ollama.answers)


def test_batch_answers_every_question_with_the_real_model(batch):
    lines, logs = batch
    assert [line["question"] for line in lines] == BATCH
    assert [line["id"] for line in lines] == ["q1", "q2"]
    assert len(logs) == len(BATCH) and not any(log.truncated for log in logs)
    for line in lines:
        assert line["error"] is None and line["sources"]
        assert line["mode"] == "llm" or line["warnings"]  # a fallback always says why
        assert set(line["citations"]) <= {s["n"] for s in line["sources"]}


def test_a_degenerate_answer_is_never_shown_as_an_answer(batch):
    """What the model wrote (the server's log) is judged by degenerate.py; when it is not an
    answer, the reader gets the extractive answer and a warning saying why."""
    lines, logs = batch
    attempts = [line["attempt"].strip() for line in lines if line.get("attempt")]
    for line in lines:  # every answer set aside says why, and is answered from the sources
        if line.get("attempt"):
            assert line["mode"] == "extractive" and line["citations"]
            assert any(
                "not usable" in w and "extractive answer instead" in w for w in line["warnings"]
            )
    judged = 0
    for log in logs:  # (the batch's answers finish in any order: matched by their text)
        reason = degenerate(log.output, range(1, 6))
        # a loop, markers or a list of sources; an uncited answer may get a citation added
        if reason is None or "cites none" in reason:
            continue
        judged += 1
        output = log.output.strip()
        assert any(output.startswith(a[:40]) for a in attempts), (reason, output[:80])
    assert judged or all(line["citations"] for line in lines)


def test_every_model_answer_lists_the_support_of_each_sentence(batch):
    lines, _ = batch
    for line in lines:
        if line["mode"] != "llm":
            continue
        support = line["support"]
        assert support and all(
            {"text", "cited", "supported", "source", "score"} <= set(entry) for entry in support
        )
        flagged = [e for e in support if e["flagged"]]
        assert not flagged or any("not supported" in w for w in line["warnings"])
