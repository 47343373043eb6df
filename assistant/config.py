"""One settings object: defaults < TOML config file < environment variables < flags.

Environment variables use the ``ASSISTANT_`` prefix, except ``OLLAMA_HOST`` which keeps
Ollama's own name so one variable serves both Ollama's CLI and this tool.
The config file is ``$ASSISTANT_HOME/config.toml`` unless ``ASSISTANT_CONFIG`` names another.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "research-assistant"


def default_home() -> Path:
    """The platform's user data dir (e.g. ~/.local/share/research-assistant)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def normalize_ollama_host(value: str) -> str:
    """Accept Ollama's own forms (``host``, ``host:port``, ``0.0.0.0``) and return a URL."""
    value = value.strip().rstrip("/")
    if "://" not in value:
        value = "http://" + value
    scheme, rest = value.split("://", 1)
    host = rest.split("/", 1)[0]
    if ":" not in host.rsplit("]", 1)[-1]:
        rest = rest.replace(host, host + ":11434", 1)
    # 0.0.0.0 is a bind address; a client has to talk to loopback instead.
    rest = rest.replace("0.0.0.0", "127.0.0.1", 1)
    return f"{scheme}://{rest}"


def config_file_path() -> Path:
    """Where the TOML config is read from."""
    explicit = os.environ.get("ASSISTANT_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("ASSISTANT_HOME")
    return (Path(home).expanduser() if home else default_home()) / "config.toml"


class Settings(BaseSettings):
    """Everything the assistant can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", extra="ignore", populate_by_name=True, validate_default=True
    )

    home: Path = Field(default_factory=default_home)
    """Where the index, chat history and config live (``ASSISTANT_HOME``)."""

    ollama_host: str = Field(
        default="http://127.0.0.1:11434",
        validation_alias=AliasChoices("OLLAMA_HOST", "ollama_host"),
    )
    """Ollama server URL (``OLLAMA_HOST``; ``host:port`` is accepted as Ollama does)."""

    model: str = "llama3.2"
    """Chat model in Ollama (``ASSISTANT_MODEL``)."""

    embed_model: str = "minilm"
    """``minilm`` (all-MiniLM-L6-v2 through ONNX, offline) or ``ollama:<name>``."""

    embed_model_dir: Path | None = None
    """Folder with an ONNX all-MiniLM-L6-v2 (``model.onnx``, ``tokenizer.json``)."""

    chroma_url: str | None = None
    """Use a Chroma server at this URL instead of the embedded store."""

    collection: str = "corpus"
    """Chroma collection that holds the corpus."""

    top_k: int = Field(default=5, ge=1, le=50)
    """How many sources an answer rests on (``-k``)."""

    num_ctx: int = Field(default=8192, ge=512)
    """Context window sent to Ollama with every request; prompts are budgeted to fit."""

    answer_tokens: int = Field(default=768, ge=64)
    """Tokens reserved in the context window for the answer itself."""

    connect_timeout: float = 3.0
    """Seconds to wait for Ollama to accept a connection."""

    first_token_timeout: float = 180.0
    """Seconds to wait for the first token (a cold model may have to load first)."""

    token_timeout: float = 60.0
    """Seconds to wait between two tokens once the answer has started."""

    total_timeout: float = 900.0
    """Seconds an answer may take in all."""

    temperature: float = 0.1
    """Sampling temperature: low, because answers should stick to the sources."""

    chunk_tokens: int = Field(default=200, ge=32, le=2000)
    """Target chunk size in tiktoken tokens (each chunk must also fit the embedder)."""

    chunk_overlap: int = Field(default=32, ge=0)
    """Tokens shared by neighbouring chunks."""

    max_file_mb: float = Field(default=20.0, gt=0)
    """Files larger than this are skipped at ingest."""

    min_relevance: float = 0.30
    """Dense cosine similarity below which no source counts as relevant (no-answer)."""

    @field_validator("ollama_host")
    @classmethod
    def _host(cls, value: str) -> str:
        return normalize_ollama_host(value)

    @field_validator("home", "embed_model_dir", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return Path(value).expanduser() if isinstance(value, str) and value else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file_path())
        return (init_settings, env_settings, toml)

    @property
    def index_dir(self) -> Path:
        """Bookkeeping beside Chroma: manifest, lexical index, lock."""
        return self.home / "index"

    @property
    def chroma_dir(self) -> Path:
        """The embedded Chroma store."""
        return self.home / "chroma"

    @property
    def chats_dir(self) -> Path:
        """Saved conversations."""
        return self.home / "chats"


def load_settings(**overrides: Any) -> Settings:
    """Settings from file and environment, with non-None ``overrides`` (flags) on top."""
    from pydantic import ValidationError

    from ingest.errors import UsageError

    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise UsageError(f"Invalid setting {where}: {first['msg']}.") from None
    except (OSError, ValueError) as err:  # unreadable or malformed config.toml
        raise UsageError(f"Cannot read the config file {config_file_path()}: {err}.") from None
