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


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("ASSISTANT_MIN_RELEVANCE", "nan"),
        ("ASSISTANT_MAX_FILE_MB", "inf"),
        ("ASSISTANT_TOTAL_TIMEOUT", "Infinity"),
        ("ASSISTANT_TEMPERATURE", "-nan"),
    ],
)
def test_non_finite_numbers_are_refused(monkeypatch, var, value):
    monkeypatch.setenv(var, value)
    with pytest.raises(UsageError, match="finite number"):
        load_settings()


def test_non_finite_numbers_in_the_config_file_are_refused(isolated_env: Path):
    isolated_env.mkdir(parents=True)
    (isolated_env / "config.toml").write_text("min_relevance = nan\n")
    with pytest.raises(UsageError, match="min_relevance: expected a finite number"):
        load_settings()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("http://[::1", "Invalid IPv6 URL"),
        ("127.0.0.1:99999", "out of range"),
        ("http://127.0.0.1:port", "not a URL"),
        ("ftp://127.0.0.1:21", "http or https"),
        ("http://127.0.0.1:0", "port 0"),
        ("   ", "empty"),
    ],
)
def test_unusable_ollama_hosts_are_one_sentence(monkeypatch, value, reason):
    monkeypatch.setenv("OLLAMA_HOST", value)
    with pytest.raises(UsageError, match=reason) as err:
        load_settings()
    assert str(err.value).count(". ") == 0 and "OLLAMA_HOST" in str(err.value)


def test_ipv6_and_plain_hosts_still_work(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "http://[::1]:11434")
    assert load_settings().ollama_host == "http://[::1]:11434"
    monkeypatch.setenv("OLLAMA_HOST", "[::1]")
    assert load_settings().ollama_host == "http://[::1]:11434"


def test_a_bad_chroma_url_is_named(monkeypatch):
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "http://store-box:70000")
    with pytest.raises(UsageError, match="ASSISTANT_CHROMA_URL"):
        load_settings()


def test_a_missing_config_file_named_by_assistant_config_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "typo.toml"))
    with pytest.raises(UsageError, match="typo.toml named by ASSISTANT_CONFIG does not exist"):
        load_settings()
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path))
    with pytest.raises(UsageError, match="is not a file"):
        load_settings()
    (tmp_path / "real.toml").write_text("top_k = 3\n")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "real.toml"))
    assert load_settings().top_k == 3


def test_the_default_config_file_may_be_absent(isolated_env: Path):
    assert not (isolated_env / "config.toml").exists()
    assert load_settings().top_k == 5


def test_a_home_that_is_a_file_is_one_sentence(isolated_env: Path):
    isolated_env.parent.mkdir(parents=True, exist_ok=True)
    isolated_env.write_text("not a folder")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        load_settings()


def test_undecodable_bytes_in_a_text_setting_are_refused(monkeypatch):
    monkeypatch.setenv("ASSISTANT_MODEL", b"llama\xff".decode("utf-8", "surrogateescape"))
    with pytest.raises(UsageError, match="not valid UTF-8"):
        load_settings()
