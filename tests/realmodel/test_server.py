"""The real-model server speaks the Ollama API the project and its clients use."""

from __future__ import annotations

import json
import subprocess
import sys

import ollama

from tests.realmodel.server import MODEL_NAME

MESSAGES = [{"role": "user", "content": "Name three colours."}]


def test_version_tags_and_show_describe_the_gguf(real_ollama):
    client = ollama.Client(host=real_ollama.url)
    assert [m.model for m in client.list().models] == [MODEL_NAME]
    shown = client.show(MODEL_NAME)
    assert "completion" in (shown.capabilities or [])
    info = dict(shown.modelinfo or {})
    assert info[f"{info['general.architecture']}.context_length"] == 8192  # SmolLM2's window
    assert "<|im_start|>" in (shown.template or "")  # the GGUF's own chat template
    try:
        client.chat("llama3.2", MESSAGES, options={"num_predict": 4})
    except ollama.ResponseError as err:
        assert err.status_code == 404 and "not found" in str(err.error)
    else:
        raise AssertionError("an unknown model was served")


def test_streamed_chat_stops_at_num_predict_and_says_length(real_ollama):
    client = ollama.Client(host=real_ollama.url)
    options = {"num_predict": 12, "temperature": 0, "seed": 7, "num_ctx": 1024}
    parts = list(client.chat(MODEL_NAME, MESSAGES, stream=True, options=options))
    assert len(parts) > 2 and parts[-1].done and not any(p.done for p in parts[:-1])
    assert parts[-1].done_reason == "length" and parts[-1].eval_count == 12
    text = "".join(p.message.content or "" for p in parts)
    assert text.strip()
    log = real_ollama.answers[-1]
    assert log.num_ctx == 1024 and log.prompt_tokens == parts[-1].prompt_eval_count
    assert log.prompt.startswith("<|im_start|>")  # rendered through the chat template
    # greedy and seeded: the same request gives the same answer, streamed or not
    again = client.chat(MODEL_NAME, MESSAGES, stream=False, options=options)
    assert again.message.content == text and again.done_reason == "length"


def test_a_short_answer_ends_with_stop(real_ollama):
    client = ollama.Client(host=real_ollama.url)
    reply = client.generate(
        MODEL_NAME,
        "Is the sky blue? Answer yes or no.",
        options={"num_predict": 64, "temperature": 0},
    )
    assert reply.done_reason == "stop" and 0 < (reply.eval_count or 0) < 64


def test_doctor_sees_the_model_and_its_window(realmodel, seeded_home):
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "doctor", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)["ollama"]
    assert report["ok"] and report["model_available"], result.stderr[-2000:]
    assert report["version"] == "0.12.0" and report["context_length"] == 8192
