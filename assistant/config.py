"""One settings object: defaults < TOML config file < environment variables < flags.

Environment variables use the ``ASSISTANT_`` prefix (``ASSISTANT_TOP_K`` sets ``top_k``),
except ``OLLAMA_HOST``, which keeps Ollama's own name so one variable serves both Ollama's
CLI and this tool. The config file is ``$ASSISTANT_HOME/config.toml`` unless
``ASSISTANT_CONFIG`` names another; it uses the field names (``top_k = 8``).

A plain dataclass with a small typed loader rather than pydantic-settings: importing
pydantic-settings costs ~180 ms, which every command and the chat's first screen would pay.
"""

from __future__ import annotations

import math
import os
import re
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from vocab.errors import UsageError

APP_NAME = "research-assistant"
ENV_PREFIX = "ASSISTANT_"
ENV_ALIASES = {"ollama_host": "OLLAMA_HOST"}


def default_home() -> Path:
    """The platform's user data dir (e.g. ~/.local/share/research-assistant)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def normalize_ollama_host(value: str) -> str:
    """Accept Ollama's own forms (``host``, ``host:port``, ``0.0.0.0``) and return a URL.

    Raises :class:`UsageError` when the result is not a usable http(s) URL (an unclosed
    ``[::1``, a port outside 1-65535), so the mistake is named before any request.
    """
    given = value
    value = value.strip().rstrip("/")
    if not value:
        raise UsageError("Invalid setting ollama_host (OLLAMA_HOST): it is empty.")
    if "://" not in value:
        value = "http://" + value
    scheme, rest = value.split("://", 1)
    host = rest.split("/", 1)[0]
    if ":" not in host.rsplit("]", 1)[-1]:
        rest = rest.replace(host, host + ":11434", 1)
    # 0.0.0.0 is a bind address; a client has to talk to loopback instead.
    rest = rest.replace("0.0.0.0", "127.0.0.1", 1)
    url = f"{scheme}://{rest}"
    check_url("ollama_host (OLLAMA_HOST)", given, url)
    return url


def check_url(
    name: str, given: str, url: str | None = None, example: str = "http://127.0.0.1:11434"
) -> None:
    """Raise :class:`UsageError` unless ``url`` (default ``given``) is an http(s) URL with a
    host no longer than DNS allows and, if it has one, a port in 1-65535."""
    try:
        parts = urlsplit(url or given)
        port = parts.port  # parsed lazily: an out-of-range or non-numeric port raises here
        if parts.scheme.lower() not in ("http", "https"):
            raise ValueError("the scheme must be http or https")
        if not parts.hostname:
            raise ValueError("there is no host name")
        if port == 0:
            raise ValueError("port 0 cannot be connected to")
        if len(parts.hostname) > 253 or any(len(p) > 63 for p in parts.hostname.split(".")):
            raise ValueError("the host name is longer than DNS allows")
    except ValueError as err:
        shown = given if len(given) <= 80 else given[:60] + f"… ({len(given)} characters)"
        raise UsageError(
            f"Invalid setting {name}: {shown!r} is not a URL like {example} ({err})."
        ) from None


def config_file_path() -> Path:
    """Where the TOML config is read from."""
    explicit = os.environ.get("ASSISTANT_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("ASSISTANT_HOME")
    return (Path(home).expanduser() if home else default_home()) / "config.toml"


def _check_home(home: Path) -> None:
    """Refuse an ASSISTANT_HOME that is, or lies inside, a file (found before any write)."""
    for folder in (home, *home.parents):
        if folder.exists():
            if folder.is_dir():
                return
            where = "is a file" if folder == home else f"is inside {folder}, which is a file"
            raise UsageError(f"ASSISTANT_HOME {home} {where}, not a folder; point it at a folder.")


def _is_text(value: str) -> bool:
    """Whether ``value`` is valid Unicode (undecodable bytes arrive as lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bounds(lo: float | None = None, hi: float | None = None, above: float | None = None):
    return {"lo": lo, "hi": hi, "above": above}


@dataclass(frozen=True)
class Settings:
    """Everything the assistant can be configured with (see the README's table)."""

    home: Path = field(default_factory=default_home)
    """Where the index, chat history, exports and logs live (``ASSISTANT_HOME``)."""

    ollama_host: str = "http://127.0.0.1:11434"
    """Ollama server URL (``OLLAMA_HOST``; ``host:port`` is accepted as Ollama does)."""

    model: str = "llama3.2"
    """Chat model in Ollama (``ASSISTANT_MODEL``, ``--model``)."""

    embed_model: str = "minilm"
    """``minilm`` (all-MiniLM-L6-v2 through ONNX, offline), ``minilm-int8`` (the same model
    quantised to int8 on first use: faster, very slightly less accurate) or ``ollama:<name>``."""

    embed_model_dir: Path | None = None
    """Folder with an ONNX all-MiniLM-L6-v2 (``model.onnx``, ``tokenizer.json``)."""

    chroma_url: str | None = None
    """Use a Chroma server at this URL instead of the embedded store."""

    collection: str = "corpus"
    """Chroma collection that holds the corpus."""

    top_k: int = field(default=5, metadata=_bounds(1, 50))
    """How many sources an answer rests on (``-k``)."""

    num_ctx: int = field(default=8192, metadata=_bounds(512))
    """Context window sent to Ollama with every request; prompts are budgeted to fit."""

    answer_tokens: int = field(default=768, metadata=_bounds(64))
    """Tokens reserved in the context window for the answer itself."""

    connect_timeout: float = field(default=3.0, metadata=_bounds(above=0))
    """Seconds to wait for Ollama to accept a connection."""

    first_token_timeout: float = field(default=180.0, metadata=_bounds(above=0))
    """Seconds to wait for the first token (a cold model may have to load first)."""

    token_timeout: float = field(default=60.0, metadata=_bounds(above=0))
    """Seconds to wait between two tokens once the answer has started."""

    total_timeout: float = field(default=900.0, metadata=_bounds(above=0))
    """Seconds an answer may take in all."""

    temperature: float = field(default=0.1, metadata=_bounds(0, 2))
    """Sampling temperature: low, because answers should stick to the sources."""

    chunk_tokens: int = field(default=200, metadata=_bounds(32, 2000))
    """Target chunk size in tiktoken tokens (each chunk must also fit the embedder)."""

    chunk_overlap: int = field(default=32, metadata=_bounds(0))
    """Tokens shared by neighbouring chunks."""

    max_file_mb: float = field(default=20.0, metadata=_bounds(above=0))
    """Files larger than this are skipped at ingest."""

    min_relevance: float = field(default=0.30, metadata=_bounds(-1, 1))
    """Dense cosine similarity below which no source counts as relevant (no-answer)."""

    pdf_viewer: str | None = None
    """Command that opens a PDF at a page, for the chat's O on a source: ``{path}`` and
    ``{page}`` are filled in (``evince --page-label={page} {path}``, ``okular -p {page}
    {path}``, ``zathura -P {page} {path}``); unset: the browser or the system opener."""

    keymap: dict[str, str] = field(default_factory=dict)
    """Chat keys to change, by name: ``copy = "ctrl+k"`` in a ``[keymap]`` table, or
    ``ASSISTANT_KEYMAP="copy=ctrl+k;help=f1,f12"``; F1 in the chat lists the names."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            converted = _convert(f.name, f.type, value)
            if f.name == "ollama_host":
                converted = normalize_ollama_host(converted)
            elif f.name == "model" and not converted:
                raise UsageError(
                    "The model name (--model, ASSISTANT_MODEL) is empty; name an Ollama chat "
                    "model, e.g. llama3.2 (`ollama list` shows the ones pulled)."
                )
            elif f.name == "chroma_url" and converted is not None:
                check_url(
                    "chroma_url (ASSISTANT_CHROMA_URL)", converted, example="http://127.0.0.1:8000"
                )
            _check_bounds(f.name, converted, f.metadata)
            object.__setattr__(self, f.name, converted)
        _check_home(self.home)

    @property
    def chats_dir(self) -> Path:
        """Saved conversations."""
        return self.home / "chats"


def _convert(name: str, kind: Any, value: Any) -> Any:
    """``value`` (from a file, the environment or a flag) as the field's declared type."""
    kind = str(kind)
    optional = kind.endswith("| None")
    if value is None or (optional and isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise UsageError(f"Invalid setting {name}: a value is required.")
    base = kind.removesuffix(" | None")
    if base == "dict[str, str]":
        return _keymap(name, value)
    try:
        if base == "Path":
            return Path(str(value)).expanduser()
        if base == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        if base == "float":
            if isinstance(value, bool):
                raise ValueError
            number = float(value)
            if not math.isfinite(number):  # nan slips through every bound check
                raise UsageError(
                    f"Invalid setting {name}: expected a finite number, got {value!r}."
                )
            return number
        if not isinstance(value, str):
            raise ValueError
        if not _is_text(value):
            raise UsageError(f"Invalid setting {name}: {value!r} is not valid UTF-8 text.")
        return value.strip()
    except (TypeError, ValueError):
        raise UsageError(
            f"Invalid setting {name}: expected {'a whole number' if base == 'int' else base}, "
            f"got {value!r}."
        ) from None


_KEY_NAME = re.compile(r"[a-z][a-z0-9_]*")
_KEYS = re.compile(r"[a-z0-9_+]+(,[a-z0-9_+]+)*")


def _keymap(name: str, value: Any) -> dict[str, str]:
    """``{"copy": "ctrl+k"}`` from a TOML table or from ``copy=ctrl+k,help=f12``."""
    if isinstance(value, str):
        pairs = [item.partition("=") for item in value.split(";") if item.strip()]
        if any(not sep for _, sep, _ in pairs):
            raise UsageError(
                f"Invalid setting {name}: expected name=key pairs such as "
                f"copy=ctrl+k;help=f12, got {value!r}."
            )
        value = {k.strip(): v.strip() for k, _, v in pairs}
    if not isinstance(value, dict):
        raise UsageError(f"Invalid setting {name}: expected a table of name = key.")
    out: dict[str, str] = {}
    for action, keys in value.items():
        keys = keys.strip().lower() if isinstance(keys, str) else ""
        if not _KEY_NAME.fullmatch(str(action)) or not _KEYS.fullmatch(keys):
            raise UsageError(
                f"Invalid setting {name}: {action!r} = {keys or value[action]!r} is not "
                'a name and a key such as copy = "ctrl+k".'
            )
        out[str(action)] = keys
    return out


def _check_bounds(name: str, value: Any, meta: Any) -> None:
    lo, hi, above = meta.get("lo"), meta.get("hi"), meta.get("above")
    if value is None:
        return
    if lo is not None and value < lo:
        raise UsageError(f"Invalid setting {name}: must be at least {lo:g}, got {value}.")
    if hi is not None and value > hi:
        raise UsageError(f"Invalid setting {name}: must be at most {hi:g}, got {value}.")
    if above is not None and value <= above:
        raise UsageError(f"Invalid setting {name}: must be more than {above:g}, got {value}.")


def _read_toml(path: Path, required: bool = False) -> dict[str, Any]:
    if not path.is_file():
        if required:  # named explicitly: ignoring it would hide a typo in the path
            what = "is not a file" if path.exists() else "does not exist"
            raise UsageError(f"The config file {path} named by ASSISTANT_CONFIG {what}.")
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, ValueError) as err:
        raise UsageError(f"Cannot read the config file {path}: {err}.") from None
    except RecursionError:
        raise UsageError(f"Cannot read the config file {path}: it is nested too deeply.") from None
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise UsageError(f"Unknown setting {unknown[0]!r} in the config file {path}.")
    return data


def _from_env() -> dict[str, Any]:
    out = {}
    for f in fields(Settings):
        var = ENV_ALIASES.get(f.name, ENV_PREFIX + f.name.upper())
        if var in os.environ:
            out[f.name] = os.environ[var]
    return out


def load_settings(**overrides: Any) -> Settings:
    """Settings from file and environment, with non-None ``overrides`` (flags) on top."""
    values: dict[str, Any] = {}
    values.update(_read_toml(config_file_path(), required=bool(os.environ.get("ASSISTANT_CONFIG"))))
    values.update(_from_env())
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
