"""``assistant doctor``: is everything the assistant needs in place?"""

from __future__ import annotations

import argparse
import json
import platform
from importlib import metadata
from typing import Any

from assistant.config import Settings, config_file_path
from assistant.errors import AssistantError
from assistant.exits import EXIT_LLM, EXIT_OK, EXIT_STORE, EXIT_USAGE

PACKAGES = (
    "chromadb",
    "llama-index-core",
    "ollama",
    "textual",
    "tiktoken",
    "bm25s",
    "onnxruntime",
    "pypdf",
)


def check_ollama(settings: Settings) -> dict[str, Any]:
    """Ollama's reachability, version, models, and whether the configured model is there."""
    from assistant.llm import OllamaLLM

    llm = OllamaLLM(settings)
    out: dict[str, Any] = {"host": settings.ollama_host, "model": settings.model}
    try:
        out["version"] = llm.version()
        out["models"] = llm.list_models()
        out["model_available"] = llm.has_model(settings.model)
        out["ok"] = out["model_available"]
        if out["model_available"]:
            out["context_length"] = llm.context_length(settings.model)
        else:
            out["hint"] = f"ollama pull {settings.model}"
    except AssistantError as err:
        out.update(ok=False, error=str(err))
    finally:
        llm.close()
    return out


def check_index(settings: Settings) -> dict[str, Any]:
    """Where the index is, how big, how it was built, and whether the store holds it all."""
    from assistant.runtime import open_index

    out: dict[str, Any] = {"location": settings.chroma_url or str(settings.home / "chroma")}
    out["collection"] = settings.collection
    try:
        index = open_index(settings)
        try:
            status = index.status()
        finally:
            index.close()
    except AssistantError as err:
        out.update(ok=False, error=str(err))
        return out
    out.update(
        location=status.location,
        records=status.records,
        chunks=status.chunks,
        generation=status.generation,
        build=status.build,
        ok=not status.problems,
    )
    if status.problems:
        out["error"] = "The index is incomplete: " + "; ".join(status.problems) + "."
    elif not status.exists:
        out["hint"] = "empty: `assistant ingest` (or the first question) fills it"
    return out


def check_embedder(settings: Settings) -> dict[str, Any]:
    """Whether the embedding model loads and embeds."""
    from assistant.runtime import make_embedder

    out: dict[str, Any] = {"model": settings.embed_model}
    try:
        emb = make_embedder(settings)
        vec = emb.embed(["doctor check"])
        out.update(
            ok=True,
            name=emb.name,
            dim=int(vec.shape[1]),
            location=str(getattr(emb, "model_dir", settings.ollama_host)),
        )
    except AssistantError as err:
        out.update(ok=False, error=str(err))
    return out


def versions() -> dict[str, str]:
    """Versions of Python and the libraries that matter."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def exit_code(report: dict[str, Any], require_llm: bool = False) -> int:
    """0 when everything a user can do works, else the code of the first check that FAILed
    (index 3, embedder 2). Without Ollama answers are extractive, so its absence is only a
    warning unless ``require_llm`` (then 4), as ``ask --require-llm`` would fail."""
    checks = [("index", EXIT_STORE), ("embedder", EXIT_USAGE)]
    if require_llm:
        checks.append(("ollama", EXIT_LLM))
    for check, code in checks:
        if not report[check]["ok"]:
            return code
    return EXIT_OK


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the checks; exit non-zero when one FAILs (Ollama's absence only warns)."""
    require_llm = bool(getattr(args, "require_llm", False))
    report: dict[str, Any] = {
        "home": str(settings.home),
        "config_file": str(config_file_path()),
        "ollama": check_ollama(settings),
        "index": check_index(settings),
        "embedder": check_embedder(settings),
        "versions": versions(),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return exit_code(report, require_llm)
    mark = {True: "ok  ", False: "FAIL"}
    o, i, e = report["ollama"], report["index"], report["embedder"]
    print(f"home      {report['home']}  (config: {report['config_file']})")
    if "version" in o:
        detail = f"Ollama {o['version']} at {o['host']}; model {o['model']} " + (
            "available"
            if o.get("model_available")
            else f"missing: run `{o.get('hint')}`; have: {', '.join(o.get('models', [])) or 'none'}"
        )
    else:
        detail = o.get("error", "") + " Answers fall back to extractive."
    ollama_mark = mark[o["ok"]] if o["ok"] or require_llm else "warn"
    print(f"{ollama_mark} ollama   {detail}")
    if i["ok"]:
        print(
            f"{mark[True]} index    {i.get('records', 0)} records, {i.get('chunks', 0)} chunks "
            f"at {i['location']}" + (f" ({i['hint']})" if i.get("hint") else "")
        )
    else:
        print(f"{mark[False]} index    {i['error']}")
    print(
        f"{mark[e['ok']]} embedder "
        + (f"{e['name']} ({e['dim']} dims) from {e['location']}" if e["ok"] else e["error"])
    )
    print("versions  " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()))
    return exit_code(report, require_llm)
