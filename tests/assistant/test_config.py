from pathlib import Path

import pytest

from assistant.config import load_settings, normalize_ollama_host
from assistant.errors import UsageError


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:11434"),
        ("0.0.0.0:9999", "http://127.0.0.1:9999"),
        ("http://gpu-box:11434/", "http://gpu-box:11434"),
        ("https://ollama.lab.example", "https://ollama.lab.example:11434"),
    ],
)
def test_ollama_host_accepts_ollamas_own_forms(given, url):
    assert normalize_ollama_host(given) == url


def test_precedence_defaults_file_env_flags(isolated_env: Path, monkeypatch):
    isolated_env.mkdir(parents=True)
    (isolated_env / "config.toml").write_text('model = "from-file"\ntop_k = 7\nnum_ctx = 4096\n')
    s = load_settings()
    assert (s.model, s.top_k, s.num_ctx) == ("from-file", 7, 4096)
    monkeypatch.setenv("ASSISTANT_MODEL", "from-env")
    s = load_settings()
    assert (s.model, s.top_k) == ("from-env", 7)
    s = load_settings(model="from-flag", top_k=None)
    assert (s.model, s.top_k) == ("from-flag", 7)


def test_ollama_host_env_keeps_ollamas_name(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:5555")
    assert load_settings().ollama_host == "http://127.0.0.1:5555"


def test_bad_values_are_one_sentence_usage_errors(isolated_env: Path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_TOP_K", "lots")
    with pytest.raises(UsageError, match="top_k"):
        load_settings()
    monkeypatch.delenv("ASSISTANT_TOP_K")
    isolated_env.mkdir(parents=True)
    (isolated_env / "config.toml").write_text("model = [unclosed\n")
    with pytest.raises(UsageError, match="config file"):
        load_settings()


def test_unknown_keys_in_the_config_file_are_named(isolated_env: Path):
    isolated_env.mkdir(parents=True)
    (isolated_env / "config.toml").write_text('modle = "typo"\n')
    with pytest.raises(UsageError, match="Unknown setting 'modle'"):
        load_settings()


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("ASSISTANT_TOP_K", "0", "at least 1"),
        ("ASSISTANT_TOP_K", "2.5", "whole number"),
        ("ASSISTANT_NUM_CTX", "100", "at least 512"),
        ("ASSISTANT_CONNECT_TIMEOUT", "0", "more than 0"),
        ("ASSISTANT_MIN_RELEVANCE", "abc", "expected float"),
    ],
)
def test_bounds_and_types_are_checked(monkeypatch, var, value, message):
    monkeypatch.setenv(var, value)
    with pytest.raises(UsageError, match=message):
        load_settings()


def test_empty_optional_means_unset(monkeypatch):
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "")
    assert load_settings().chroma_url is None
