"""``doctor``: the model's context window, and whether it follows the citation format on a
one-question probe through the real answer prompt (fast tier: the scripted fake Ollama;
the index and embedder checks are stood in for, they have their own tests)."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.commands import doctor


@pytest.fixture(autouse=True)
def healthy_index(monkeypatch):
    """The index and the embedder pass: only Ollama's lines are under test here."""
    monkeypatch.setattr(doctor, "check_index", lambda s: {"ok": True, "location": "x"})
    ok = {"ok": True, "name": "minilm", "dim": 384, "location": "x"}
    monkeypatch.setattr(doctor, "check_embedder", lambda s: ok)


def run_json(*flags: str) -> tuple[int, dict]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["doctor", "--json", *flags])
    return code, json.loads(out.getvalue())


def test_a_model_that_cites_passes_the_probe(ollama, capsys):
    ollama.context_length = 4096
    ollama.enqueue("The nurses slept 5.1 hours per day on average [1].")
    code, report = run_json()
    assert code == 0
    o = report["ollama"]
    assert o["context_length"] == 4096 and o["num_ctx"] == 4096  # capped by the model's own
    probe = o["citation_probe"]
    assert probe["followed"] is True and probe["cited"] == [1] and probe["right_source"]
    [chat] = ollama.chat_requests
    prompt = chat["messages"][-1]["content"]
    assert '<source n="1">' in prompt and '<source n="2">' in prompt  # the real prompt
    assert "night-shift nurses" in prompt
    assert chat["options"]["num_predict"] == doctor.PROBE_TOKENS  # short and bounded
    assert chat["options"]["temperature"] == 0
    ollama.enqueue("The nurses slept 5.1 hours per day on average [1].")
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "context window 4,096 tokens (4,096 used: num_ctx)" in out
    assert "ok   probe    llama3.2 cited the source that answers [1]" in out


def test_a_model_that_does_not_cite_is_a_warning_not_a_failure(ollama, capsys):
    ollama.enqueue("Nurses on night shifts often sleep less than they should.")
    code, report = run_json("--require-llm")
    assert code == 0  # exit codes unchanged: the model is there and answers
    probe = report["ollama"]["citation_probe"]
    assert probe["followed"] is False and probe["cited"] == [] and probe["markers"] == 0
    assert probe["reply"].startswith("Nurses on night shifts")
    ollama.enqueue("Nurses slept five hours [7].")
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "warn probe    llama3.2 cited sources that do not exist ([7])" in out
    assert "FAIL" not in out


def test_a_model_that_errors_or_stalls_is_reported_within_the_bound(ollama, monkeypatch):
    ollama.status_error = (500, "model runner has unexpectedly stopped")
    ollama.status_error_paths = {"/api/chat"}
    code, report = run_json()
    assert code == 0
    probe = report["ollama"]["citation_probe"]
    assert probe["followed"] is False and "unexpectedly stopped" in probe["error"]
    ollama.reset()
    ollama.slow_first_token = 5.0  # the chat alone stalls; the other endpoints answer
    monkeypatch.setenv("ASSISTANT_FIRST_TOKEN_TIMEOUT", "0.5")  # below the probe's own cap
    code, report = run_json()
    ollama.reset()
    assert code == 0
    error = report["ollama"]["citation_probe"]["error"]
    assert "first token" in error and "0.5" in error


def test_no_probe_without_the_model_or_when_asked_not_to(ollama, capsys, monkeypatch):
    code, report = run_json("--no-probe")
    assert code == 0 and "citation_probe" not in report["ollama"]
    assert ollama.chat_requests == []
    monkeypatch.setenv("ASSISTANT_MODEL", "missing-model")
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert " probe " not in out and "ollama pull missing-model" in out
    assert ollama.chat_requests == []


def test_without_ollama_there_is_no_probe_and_no_failure(capsys):
    code, report = run_json()
    assert code == 0 and report["ollama"]["ok"] is False
    assert "citation_probe" not in report["ollama"]
