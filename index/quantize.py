"""An int8 copy of MiniLM, made once from the fp32 model with onnxruntime's dynamic
quantisation (per-channel weights) and cached, for ``ASSISTANT_EMBED_MODEL=minilm-int8``."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from vocab.errors import StoreError

INT8_FILE = "model.int8.onnx"


class QuantizeFailed(StoreError):
    """The int8 model could not be made or stored."""


def int8_model(fp32: Path, cache_dirs: list[Path]) -> Path:
    """The cached int8 model made from ``fp32``, creating it in the first writable folder."""
    tag = hashlib.sha256(fp32.read_bytes()).hexdigest()[:12]  # a new fp32 file, a new copy
    name = f"{Path(INT8_FILE).stem}-{tag}.onnx"
    for folder in cache_dirs:
        if (folder / name).is_file():
            return folder / name
    last: Exception | None = None
    for folder in cache_dirs:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return _quantize(fp32, folder / name)
        except OSError as err:  # read-only model folder: try the next one
            last = err
    raise QuantizeFailed(
        f"Cannot store the int8 embedding model in {', '.join(map(str, cache_dirs))} ({last})."
    )


def _quantize(fp32: Path, target: Path) -> Path:
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as err:
        raise QuantizeFailed(
            f"The int8 embedder needs the 'onnx' package ({err}); run `pip install onnx`."
        ) from None
    tmp = target.with_name(target.name + f".tmp-{os.getpid()}")
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its advice to pre-process is for developers, not users
    try:
        quantize_dynamic(str(fp32), str(tmp), per_channel=True, weight_type=QuantType.QInt8)
        tmp.replace(target)  # atomic: a second process sees the whole file or none
    finally:
        root.setLevel(level)
        tmp.unlink(missing_ok=True)
    return target
