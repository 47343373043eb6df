"""Shared test set-up: an isolated home, the offline embedder, a loopback-only network.

Every test gets its own ``ASSISTANT_HOME`` and an ``OLLAMA_HOST`` where nothing listens,
so no test can touch a user's index or a real Ollama. A guard installed for the whole
session fails any connection to an address that is not loopback.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.fakes.ollama_server import FakeOllama, unused_loopback_url

if TYPE_CHECKING:
    from tests.realmodel.server import RealOllama

REPO = Path(__file__).resolve().parent.parent
SHARED_MODEL = REPO.parent / "shared" / "models" / "all-MiniLM-L6-v2" / "onnx"
# The answer object outside scripts rely on (DESIGN.md, README), keys in order.
ANSWER_CONTRACT_KEYS = (
    "id",
    "question",
    "answer",
    "mode",
    "model",
    "citations",
    "sources",
    "warnings",
    "error",
    "timings",
)
# ``python -c WITHOUT_CHROMADB <assistant args>``: the command line, with every import of
# chromadb failing (a path that needs Chroma's client cannot answer).
WITHOUT_CHROMADB = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "chromadb" or name.startswith("chromadb."):
            raise ImportError("chromadb is blocked in this test")
sys.meta_path.insert(0, Block())
from assistant.cli import main
sys.exit(main(sys.argv[1:]))
"""


def unmarked(text: str) -> str:
    """An answer's text without the marks the sentence check adds (``[unsupported]``):
    what the model wrote, with only its invalid citations removed."""
    return text.replace(" [unsupported]", "")


CHROMA_CACHE = Path.home() / ".cache" / "chroma" / "onnx_models" / "all-MiniLM-L6-v2" / "onnx"


def _user_model_dir() -> Path | None:
    """The model folder the user's environment names, read once before any test runs.

    Read here, at import, because ``isolated_env`` clears every ``ASSISTANT_*`` variable
    for each test; a relative path is taken from where pytest was started, as the shell
    that set it would.
    """
    value = os.environ.get("ASSISTANT_EMBED_MODEL_DIR")
    return Path(value).expanduser().resolve() if value else None


USER_MODEL_DIR = _user_model_dir()
MODEL_MISSING = (
    "The all-MiniLM-L6-v2 ONNX model is missing: set ASSISTANT_EMBED_MODEL_DIR to the folder "
    "holding model.onnx (see the README's Offline machines), or run .ci/run."
)


def find_model_dir() -> Path | None:
    """Where the tests find the real MiniLM model (offline), or None."""
    for candidate in (USER_MODEL_DIR, SHARED_MODEL, CHROMA_CACHE):
        if candidate and (candidate / "model.onnx").is_file():
            return candidate
    return None


def model_dir() -> Path:
    """Where the tests find the real MiniLM model; ends the session in one sentence if none."""
    found = find_model_dir()
    if found is None:
        pytest.exit(MODEL_MISSING, returncode=3)
    assert found is not None
    return found


# -- tiers ------------------------------------------------------------------------------
# Tests that open a real Chroma store or load MiniLM: by the fixtures they use, or because
# the whole module drives the real index. ``pytest -m "not integration"`` is the fast tier.
INTEGRATION_FIXTURES = {"seeded_home", "seeded_template", "embedder", "shared_embedder", "make"}
INTEGRATION_MODULES = {
    "test_pipeline",
    "test_crash_safety",
    "test_server_mode",
    "test_corruption",
    "test_embedder",
    "test_one_writer",
    "test_eval",
    "test_retrieval_quality",
    "test_injection",
    "test_ask_terminal",
    "test_engine",
    "test_bib_answers",
    "test_server_clients",
    "test_manifest_reconcile",
    "test_unreadable_kept",
    "test_rebuild_while_asking",
    "test_parts_answers",
}


# Fast-tier tests that take tens of seconds of CPU on two loaded cores: mypy over every
# package, and chat tests that render long Markdown answers; they run with the full suite.
SLOW_TESTS = {
    "test_static_checks_pass[mypy]",
    "test_the_next_question_is_taken_as_soon_as_an_answer_is_shown",
    "test_a_long_answer_is_followed_until_the_user_scrolls_up",
    "test_reaching_the_top_draws_the_earlier_ones_in_batches",  # draws 55 exchanges
    "test_export_all_of_one_answer_and_during_an_answer",
}


# Tests that answer with the real model (tests/realmodel/server.py); they also use the
# seeded index, so they are integration tests too.
REALMODEL_FIXTURES = {"real_ollama", "realmodel"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the integration, slow and real-model tiers (see the README's test section)."""
    for item in items:
        if item.name in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        fixtures = set(getattr(item, "fixturenames", ()))
        if module in INTEGRATION_MODULES or INTEGRATION_FIXTURES & fixtures:
            item.add_marker(pytest.mark.integration)
        if REALMODEL_FIXTURES & fixtures:
            item.add_marker(pytest.mark.realmodel)
            item.add_marker(pytest.mark.integration)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Stop at once, in one sentence, when selected tests need a model that is not there."""
    if find_model_dir() is None and any(
        item.get_closest_marker("integration") for item in session.items
    ):
        pytest.exit(MODEL_MISSING, returncode=3)


# -- network guard ------------------------------------------------------------------------
class NonLoopbackConnection(AssertionError):
    """A test tried to reach the network beyond this machine."""


def _check_address(address: object) -> None:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        try:
            ok = ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            ok = host in ("localhost",)
        if not ok:
            raise NonLoopbackConnection(f"test tried to connect to {address!r}")


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check_address(address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
    if host not in (None, "localhost", b"localhost"):
        try:
            ipaddress.ip_address(host.decode() if isinstance(host, bytes) else str(host))
        except ValueError:
            raise NonLoopbackConnection(f"test tried to resolve {host!r}") from None
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo  # type: ignore[assignment]
    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    os.environ["HF_HUB_OFFLINE"] = "1"


# -- isolation ----------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private ASSISTANT_HOME, the offline model, and no reachable Ollama by default."""
    for key in list(os.environ):
        if key.startswith("ASSISTANT_") or key == "OLLAMA_HOST":
            monkeypatch.delenv(key, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("ASSISTANT_HOME", str(home))
    found = find_model_dir()  # the fast tier runs without it; the integration tier stops above
    if found is not None:
        monkeypatch.setenv("ASSISTANT_EMBED_MODEL_DIR", str(found))
    monkeypatch.setenv("OLLAMA_HOST", unused_loopback_url())
    return home


@pytest.fixture
def ollama(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    """A fresh Ollama-compatible server on loopback, with OLLAMA_HOST pointing at it."""
    with FakeOllama() as server:
        monkeypatch.setenv("OLLAMA_HOST", server.url)
        yield server


@pytest.fixture(scope="module")
def _module_ollama() -> Iterator[FakeOllama]:
    with FakeOllama(models=["llama3.2:latest", "nomic-embed-text:latest"]) as server:
        yield server


@pytest.fixture
def shared_ollama(_module_ollama: FakeOllama) -> Iterator[FakeOllama]:
    """One fake Ollama per test module, reset around each test (OLLAMA_HOST untouched)."""
    _module_ollama.reset()
    yield _module_ollama
    _module_ollama.reset()


@pytest.fixture(scope="session")
def real_ollama() -> Iterator[RealOllama]:
    """An Ollama-compatible server on loopback answering with SmolLM2-135M (one per session:
    loading is quick, but the model instances per window are kept)."""
    from tests.realmodel.server import RealOllama, probe_failure, unavailable_reason

    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(f"real-model tier needs the model: {reason}")
    broken = probe_failure()  # in a child: a crash here must not end the whole session
    if broken is not None:
        pytest.fail(broken)
    with RealOllama() as server:
        yield server


@pytest.fixture
def realmodel(real_ollama: RealOllama, monkeypatch: pytest.MonkeyPatch) -> RealOllama:
    """The real model as this test's Ollama: OLLAMA_HOST and ASSISTANT_MODEL point at it,
    sampling is greedy, and prompts and answers are short: on one CPU core the 135M model
    reads ~70 prompt tokens/s and writes ~25, so two sources and 64 tokens keep the tier
    within minutes."""
    real_ollama.clear_logs()
    monkeypatch.setenv("OLLAMA_HOST", real_ollama.url)
    monkeypatch.setenv("ASSISTANT_MODEL", real_ollama.name)
    monkeypatch.setenv("ASSISTANT_TEMPERATURE", "0")
    monkeypatch.setenv("ASSISTANT_NUM_CTX", "2048")
    monkeypatch.setenv("ASSISTANT_ANSWER_TOKENS", "64")
    monkeypatch.setenv("ASSISTANT_TOP_K", "2")
    return real_ollama


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the bundled seeds ingested once per session (copied, never written)."""
    from assistant.config import Settings
    from assistant.runtime import open_index, run_ingest
    from ingest.seeds import bundled_seeds

    home = tmp_path_factory.mktemp("seeded") / "home"
    settings = Settings(home=home, embed_model_dir=model_dir())
    index = open_index(settings)
    run_ingest(settings, index, [bundled_seeds()])
    index.close()
    return home


@pytest.fixture
def seeded_home(seeded_template: Path, isolated_env: Path) -> Path:
    """This test's ASSISTANT_HOME, holding the ingested seeds."""
    shutil.copytree(seeded_template, isolated_env)
    return isolated_env


@pytest.fixture
def settings(isolated_env: Path):
    """Settings as the CLI would load them in this test's environment."""
    from assistant.config import load_settings

    return load_settings()
