"""Test doubles that run in-process: a fake Ollama server on loopback."""

from tests.fakes.ollama_server import (
    DEFAULT_MODELS,
    DEFAULT_REPLY,
    FakeOllama,
    RecordedRequest,
    fake_embedding,
    split_pieces,
    unused_loopback_url,
)

__all__ = [
    "DEFAULT_MODELS",
    "DEFAULT_REPLY",
    "FakeOllama",
    "RecordedRequest",
    "fake_embedding",
    "split_pieces",
    "unused_loopback_url",
]
