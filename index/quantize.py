"""An int8 copy of MiniLM, made once from the fp32 model with onnxruntime's dynamic
quantisation (per-channel weights), for ``ASSISTANT_EMBED_MODEL=minilm-int8``.

The copy is kept under the assistant's home (``$ASSISTANT_HOME/models``), never in the
model's folder: that may be a shared models folder other people and tools read, and a
23 MB file appearing there is not ours to leave. It is keyed by the fp32 model's SHA-256,
so a new model makes a new copy; the hash is remembered by the file's identity (device,
inode, size, mtime), so a start does not read 90 MB to find it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from vocab.errors import StoreError

INT8_FILE = "model.int8.onnx"
HASHES_FILE = "hashes.json"  # file identity -> SHA-256, beside the cached copies


class QuantizeFailed(StoreError):
    """The int8 model could not be made or stored."""


def int8_model(fp32: Path, cache_dirs: list[Path]) -> Path:
    """The cached int8 model made from ``fp32``: found in any of ``cache_dirs``, else made
    in the first one that can be written. ``fp32``'s own folder is only ever read."""
    for folder in cache_dirs:
        try:
            tag = model_hash(fp32, folder)[:16]
        except OSError:
            continue
        found = folder / f"{Path(INT8_FILE).stem}-{tag}.onnx"
        if found.is_file():
            return found
    last: Exception | None = None
    for folder in cache_dirs:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tag = model_hash(fp32, folder)[:16]
            return _quantize(fp32, folder / f"{Path(INT8_FILE).stem}-{tag}.onnx")
        except OSError as err:  # a read-only folder: try the next one
            last = err
    raise QuantizeFailed(
        f"Cannot store the int8 embedding model in {', '.join(map(str, cache_dirs))} ({last})."
    )


def model_hash(model: Path, cache: Path) -> str:
    """SHA-256 of ``model``, remembered in ``cache`` by the file's identity."""
    st = model.stat()
    key = f"{os.path.abspath(model)}|{st.st_dev}|{st.st_ino}|{st.st_size}|{st.st_mtime_ns}"
    memo_path = cache / HASHES_FILE
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
        if isinstance(memo, dict) and isinstance(memo.get(key), str):
            return str(memo[key])
    except (OSError, ValueError):
        memo = {}
    digest = hashlib.sha256()
    with open(model, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    value = digest.hexdigest()
    if cache.is_dir():
        memo = memo if isinstance(memo, dict) else {}
        memo[key] = value
        tmp = memo_path.with_name(f"{HASHES_FILE}.tmp-{os.getpid()}")
        try:
            tmp.write_text(json.dumps(memo), encoding="utf-8")
            tmp.replace(memo_path)
        except OSError:  # read-only: hashed again next time
            tmp.unlink(missing_ok=True)
    return value


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
