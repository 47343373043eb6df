"""The README's test command, run as a user who followed the Quickstart would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, find_model_dir

PROBE = """
import os
from pathlib import Path


def test_model_dir_reaches_the_tests():
    assert os.environ["ASSISTANT_EMBED_MODEL_DIR"] == os.environ["EXPECTED_MODEL_DIR"]
    assert (Path(os.environ["ASSISTANT_EMBED_MODEL_DIR"]) / "model.onnx").is_file()
"""


def _checkout(tmp_path: Path) -> Path:
    """A checkout whose parent holds no shared models: only the user's variable finds one."""
    checkout = tmp_path / "clone"
    tests = checkout / "tests"
    shutil.copytree(REPO / "tests" / "fakes", tests / "fakes")
    shutil.copy(REPO / "tests" / "__init__.py", tests / "__init__.py")
    shutil.copy(REPO / "tests" / "conftest.py", tests / "conftest.py")
    (tests / "test_probe.py").write_text(PROBE, encoding="utf-8")
    return checkout


def _pytest(checkout: Path, home: Path, model_value: str | None, expected: Path | None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(HOME=str(home), PYTHONPATH=str(checkout), EXPECTED_MODEL_DIR=str(expected))
    if model_value is not None:
        env["ASSISTANT_EMBED_MODEL_DIR"] = model_value
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_probe.py"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_model_dir_the_user_set_is_the_one_the_tests_use(tmp_path):
    source = find_model_dir()
    assert source is not None
    models = tmp_path / "shared" / "models" / "onnx"
    shutil.copytree(source, models)
    checkout = _checkout(tmp_path)
    # As the README says, from the checkout: a path relative to it works.
    result = _pytest(checkout, tmp_path / "user", "../shared/models/onnx", models.resolve())
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout


def test_a_missing_model_is_one_sentence_not_a_traceback(tmp_path):
    checkout = _checkout(tmp_path)
    (checkout / "tests" / "test_probe.py").write_text(
        "import pytest\n\n@pytest.mark.integration\ndef test_needs_model():\n    pass\n"
    )
    result = _pytest(checkout, tmp_path / "user", str(tmp_path / "nowhere"), None)
    assert result.returncode == 3, result.stdout[-2000:]
    assert "ASSISTANT_EMBED_MODEL_DIR" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
