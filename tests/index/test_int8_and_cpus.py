"""The opt-in int8 MiniLM and the CPU count the embedder's threads follow."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from index.cpus import usable_cpus
from index.embedder import INT8_NAME, MiniLMEmbedder, make_embedder
from index.quantize import int8_model
from tests.conftest import model_dir


@pytest.mark.integration
def test_int8_model_is_made_once_cached_and_close_to_fp32(tmp_path: Path):
    models = tmp_path / "onnx"
    shutil.copytree(model_dir(), models)
    before = {p.name: p.stat().st_mtime_ns for p in models.iterdir()}
    int8 = make_embedder("minilm-int8", models, "http://127.0.0.1:1", tmp_path / "cache")
    assert isinstance(int8, MiniLMEmbedder) and int8.name == INT8_NAME
    texts = ["peer support in mental health services", "tax returns are due in April"]
    got = int8.embed(texts)
    made = list((tmp_path / "cache").glob("model.int8-*.onnx"))  # kept under the home
    assert len(made) == 1
    assert {p.name: p.stat().st_mtime_ns for p in models.iterdir()} == before  # untouched
    again = make_embedder("minilm-int8", models, "http://127.0.0.1:1", tmp_path / "cache")
    assert isinstance(again, MiniLMEmbedder) and again.model_file() == made[0]
    fp32 = MiniLMEmbedder(model_dir()).embed(texts)
    cosine = (got * fp32).sum(axis=1)
    assert cosine.min() > 0.97 and not np.allclose(got, fp32)
    assert make_embedder("minilm", models, "http://127.0.0.1:1").name != INT8_NAME


@pytest.mark.integration
def test_int8_model_goes_to_the_next_folder_when_one_is_not_writable(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    made = int8_model(model_dir() / "model.onnx", [blocker / "models", tmp_path / "cache"])
    assert made.parent == tmp_path / "cache" and made.is_file()


def test_cpus_follow_a_cgroup_quota(tmp_path: Path):
    v2 = tmp_path / "cpu.max"
    missing = (tmp_path / "nope", tmp_path / "nope")
    v2.write_text("150000 100000\n")  # 1.5 CPUs
    assert usable_cpus(v2, missing) == min(2, usable_cpus(tmp_path / "none", missing))
    v2.write_text("max 100000\n")
    assert usable_cpus(v2, missing) == usable_cpus(tmp_path / "none", missing) >= 1
    v2.write_text("20000 100000\n")  # a fifth of a CPU still gets one thread
    assert usable_cpus(v2, missing) == 1
