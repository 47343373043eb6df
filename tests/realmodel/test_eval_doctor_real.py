"""``assistant eval --model`` and ``doctor``'s citation probe with a real model
(SmolLM2-135M behind the Ollama-compatible server): the measures come from what the model
really did, and the probe goes through the real answer prompt, bounded."""

from __future__ import annotations

import json

from assistant.cli import main
from tests.realmodel.server import MODEL_NAME

QUESTIONS = [
    {"id": "c1", "kind": "content", "question": "What do service users value in their "
     "relationships with mental health professionals?"},
    {"id": "n1", "kind": "not-answerable", "question": "What is the melting point of tungsten?"},
]  # fmt: skip


def test_eval_measures_the_real_models_answers_per_kind(realmodel, seeded_home, tmp_path, capsys):
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS), encoding="utf-8")
    assert main(["eval", str(path), "--model", MODEL_NAME, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["model"] == MODEL_NAME and result["k"] == 2
    model, quoted = result["paths"]["model"], result["paths"]["extractive"]
    content = model["content"]
    # the content question went to the model: timed from what the server streamed
    assert content["asked_model"] == 1 and content["first_token_ms"] > 0
    assert content["tokens_per_s"] > 0
    [log] = realmodel.answers  # the not-answerable question never reached the model
    assert log.eval_count > 0
    # every claim the reader was shown without support is marked, or the answer set aside
    if content["set_aside"] == 0:
        assert content["marked"] == content["unsupported"]
    else:
        assert content["fallbacks"] == 1
    assert model["not-answerable"]["answered_with_citations"] == 1  # cites nothing: right
    assert quoted["content"]["answered_with_citations"] == 1
    assert quoted["content"]["citation_precision"] == 1.0
    [row] = [a for a in result["answers"] if a["path"] == "model" and a["id"] == "c1"]
    assert row["raw"] == log.output  # the model's own text, as the server wrote it


def test_doctor_shows_the_context_window_and_probes_the_real_model(realmodel, seeded_home, capsys):
    assert main(["doctor", "--json"]) == 0
    o = json.loads(capsys.readouterr().out)["ollama"]
    assert o["model_available"] and o["context_length"] == realmodel.trained_context
    assert o["num_ctx"] == min(2048, realmodel.trained_context)
    probe = o["citation_probe"]
    assert "error" not in probe and probe["reply"] and probe["ms"] > 0
    assert isinstance(probe["followed"], bool)
    [log] = realmodel.answers
    assert '<source n="1">' in log.prompt and "night-shift nurses" in log.prompt
    assert log.options["num_predict"] == 64 and log.options["temperature"] == 0
    assert probe["reply"] == log.output.strip()[:300]
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "context window" in out and ("ok   probe" in out or "warn probe" in out)
