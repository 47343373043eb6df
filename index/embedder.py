"""Text embedders: all-MiniLM-L6-v2 through ONNX (default, offline) or an Ollama model.

The ONNX embedder reads the same model files as Chroma's default embedding function and
gives the same vectors, but pads each batch only to its longest text (Chroma pads every
text to 256 tokens) and sorts texts by length so batches are tight.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.cpus import usable_cpus
from vocab.errors import StoreError

MINILM_FILES = ("model.onnx", "tokenizer.json")
INT8_NAME = "onnx:all-MiniLM-L6-v2-int8"
CHROMA_CACHE = Path.home() / ".cache" / "chroma" / "onnx_models" / "all-MiniLM-L6-v2" / "onnx"


class EmbedderUnavailable(StoreError):
    """The embedding model cannot be loaded (missing files, no download, Ollama down)."""


class Embedder(Protocol):
    """What ingest and retrieval need from an embedder."""

    name: str
    max_tokens: int

    @property
    def dim(self) -> int: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


def resolve_minilm_dir(explicit: Path | None) -> Path:
    """The folder holding the ONNX MiniLM: the setting, else Chroma's cache (downloading)."""
    if explicit is not None:
        if all((explicit / f).is_file() for f in MINILM_FILES):
            return explicit
        raise EmbedderUnavailable(
            f"ASSISTANT_EMBED_MODEL_DIR={explicit} does not hold an ONNX all-MiniLM-L6-v2 "
            f"({' and '.join(MINILM_FILES)})."
        )
    if all((CHROMA_CACHE / f).is_file() for f in MINILM_FILES):
        return CHROMA_CACHE
    try:  # Chroma's own downloader (needs internet); it fills CHROMA_CACHE.
        from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

        ONNXMiniLM_L6_V2()._download_model_if_not_exists()
    except Exception as err:  # noqa: BLE001 - any failure means "not available offline"
        raise EmbedderUnavailable(
            "The embedding model all-MiniLM-L6-v2 is not on this machine and could not be "
            f"downloaded ({type(err).__name__}); set ASSISTANT_EMBED_MODEL_DIR to a folder "
            "with model.onnx and tokenizer.json."
        ) from None
    return CHROMA_CACHE


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on onnxruntime: mean-pooled, L2-normalised, 384 dimensions.

    ``int8_cache`` (folders to keep it in) switches to the int8 copy of the model: ~1.85x
    faster, slightly different vectors, so it has its own name in the build stamp.
    """

    name = "onnx:all-MiniLM-L6-v2"
    max_tokens = 256  # word pieces, [CLS] and [SEP] included
    batch_size = 8  # small batches pad least; measured fastest on 2 cores (PERFORMANCE.md)

    def __init__(self, model_dir: Path | None = None, int8_cache: list[Path] | None = None):
        self.model_dir = resolve_minilm_dir(model_dir)
        self._int8_cache = int8_cache
        if int8_cache is not None:
            self.name = INT8_NAME  # an index built with one refuses the other
        self._session: Any = None
        self._tokenizer: Any = None

    def model_file(self) -> Path:
        """The ONNX file this embedder runs (the int8 copy is made on first use)."""
        fp32 = self.model_dir / "model.onnx"
        if self._int8_cache is None:
            return fp32
        from index.quantize import int8_model

        return int8_model(fp32, list(self._int8_cache))  # never into the model's folder

    @property
    def dim(self) -> int:
        return 384

    @property
    def tokenizer(self) -> Any:
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            tok.enable_truncation(max_length=self.max_tokens)
            tok.no_padding()
            self._tokenizer = tok
        return self._tokenizer

    @property
    def session(self) -> Any:
        if self._session is None:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.log_severity_level = 3
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            opts.intra_op_num_threads = usable_cpus()  # not os.cpu_count(): containers
            # Workers may spin inside a run (batches keep their speed) but stop at its end:
            # spinning on after a one-line query burned a core the search needed next.
            opts.add_session_config_entry("session.force_spinning_stop", "1")
            model = self.model_file()
            try:
                self._session = ort.InferenceSession(
                    str(model),
                    sess_options=opts,
                    providers=["CPUExecutionProvider"],
                )
            except Exception as err:  # noqa: BLE001 - a broken file is a user problem
                raise EmbedderUnavailable(
                    f"Cannot load the embedding model in {self.model_dir}: {err}."
                ) from None
        return self._session

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would read, special tokens included (before truncation)."""
        tok = self.tokenizer
        tok.no_truncation()
        try:
            return len(tok.encode(text).ids)
        finally:
            tok.enable_truncation(max_length=self.max_tokens)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one row per text, in input order."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encoded = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = max(len(encoded[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                n = len(encoded[i].ids)
                ids[row, :n] = encoded[i].ids
                mask[row, :n] = 1
            hidden = self.session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[batch] = pooled / np.where(norms == 0, 1e-12, norms)
        return out


class OllamaEmbedder:
    """An embedding model served by Ollama (``ollama:nomic-embed-text``)."""

    max_tokens = 2048  # Ollama's default context; chunks stay far below it

    def __init__(self, model: str, host: str, timeout: float = 120.0) -> None:
        self.model = model
        self.host = host
        self.name = f"ollama:{model}"
        self.timeout = timeout
        self._dim: int | None = None

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.embed(["dimension probe"]).shape[1])
        return self._dim

    def count_tokens(self, text: str) -> int:
        from vocab.tokens import count_tokens

        return count_tokens(text) + 2

    def embed(self, texts: list[str]) -> np.ndarray:
        import httpx
        import ollama

        if not texts:
            return np.zeros((0, self._dim or 0), dtype=np.float32)
        client = ollama.Client(host=self.host, timeout=self.timeout)
        try:
            resp = client.embed(model=self.model, input=texts)
        except ollama.ResponseError as err:
            hint = f"; run `ollama pull {self.model}`" if err.status_code == 404 else ""
            raise EmbedderUnavailable(
                f"Ollama could not embed with {self.model!r}: {err.error}{hint}."
            ) from None
        except (ConnectionError, httpx.HTTPError) as err:
            raise EmbedderUnavailable(
                f"Ollama is not reachable at {self.host} for embeddings ({type(err).__name__})."
            ) from None
        vecs = np.asarray(resp.embeddings, dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        vecs = (vecs / np.where(norms == 0, 1e-12, norms)).astype(np.float32)
        self._dim = int(vecs.shape[1])
        return vecs


def make_embedder(
    spec: str, model_dir: Path | None, ollama_host: str, cache_dir: Path | None = None
) -> Embedder:
    """The embedder a setting names: ``minilm``, ``minilm-int8`` or ``ollama:<model>``.

    ``cache_dir`` keeps the int8 model when the model folder is read-only.
    """
    if spec in ("minilm", "all-MiniLM-L6-v2", MiniLMEmbedder.name):
        return MiniLMEmbedder(model_dir)
    if spec in ("minilm-int8", INT8_NAME):
        return MiniLMEmbedder(model_dir, [cache_dir] if cache_dir else [])
    if spec.startswith("ollama:") and len(spec) > len("ollama:"):
        return OllamaEmbedder(spec.split(":", 1)[1], ollama_host)
    raise EmbedderUnavailable(
        f"Unknown embedding model {spec!r}; use 'minilm', 'minilm-int8' or 'ollama:<model>'."
    )
