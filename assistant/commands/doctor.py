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


# The citation probe: one question over two made-up sources, through the real answer
# prompt, answered with a short cap and short time limits (a cold model loads first).
PROBE_QUESTION = "How long did the night-shift nurses sleep per day?"
PROBE_SOURCES = (
    (
        ["Lind, Maria", "Okoro, James"],
        2021,
        "Sleep of night-shift nurses",
        "Night-shift nurses in three hospitals slept 5.1 hours per day on average, and "
        "their fatigue rose over the six weeks of the study.",
    ),
    (
        ["Berg, Tomas"],
        2019,
        "Back pain among bus drivers",
        "A survey of 240 bus drivers found more back pain among drivers on rotating shifts "
        "than among drivers on fixed shifts.",
    ),
)
PROBE_TOKENS = 64  # enough for one cited sentence
PROBE_FIRST_TOKEN_S = 60.0
PROBE_TOTAL_S = 90.0


def probe_citations(settings: Settings, num_ctx: int) -> dict[str, Any]:
    """Whether the model follows the citation format on one question: its reply, the
    numbers it cited (``followed``: at least one, all of them real), whether it cited the
    source that answers (``right_source``), and how long it took; or the ``error``."""
    import time
    from dataclasses import replace

    from assistant.answering.answer import Source
    from assistant.answering.citations import CITATION, check_citations
    from assistant.answering.prompting import build_messages
    from assistant.llm import OllamaLLM

    sources = [
        Source(
            n=n,
            record_id=f"probe-{n}",
            title=title,
            authors=tuple(authors),
            year=year,
            venue=None,
            doi=None,
            path=None,
            text=text,
            score=1.0,
        )
        for n, (authors, year, title, text) in enumerate(PROBE_SOURCES, 1)
    ]
    bounded = replace(
        settings,
        answer_tokens=PROBE_TOKENS,
        temperature=0.0,
        first_token_timeout=min(settings.first_token_timeout, PROBE_FIRST_TOKEN_S),
        total_timeout=min(settings.total_timeout, PROBE_TOTAL_S),
    )
    messages, _ = build_messages(bounded, PROBE_QUESTION, sources, [], num_ctx)
    client = OllamaLLM(bounded, settings.model)
    t0 = time.perf_counter()
    try:
        reply = client.chat(messages, num_ctx=num_ctx)
    except AssistantError as err:
        return {"followed": False, "error": str(err)}
    finally:
        client.close()
    ms = round((time.perf_counter() - t0) * 1000)
    checked = check_citations(reply, {s.n for s in sources})
    markers = [m.group(0) for m in CITATION.finditer(reply)]
    return {
        "followed": bool(checked.cited) and not checked.invalid,
        "cited": checked.cited,
        "invalid": checked.invalid,
        "right_source": 1 in checked.cited,
        "markers": len(markers),
        "reply": reply.strip()[:300],
        "ms": ms,
    }


def check_ollama(settings: Settings, probe: bool = True) -> dict[str, Any]:
    """Ollama's reachability, version, models, whether the configured model is there, its
    context window, and (``probe``) whether it followed the citation format on one
    question."""
    from assistant.llm import OllamaLLM

    llm = OllamaLLM(settings)
    out: dict[str, Any] = {"host": settings.ollama_host, "model": settings.model}
    try:
        out["version"] = llm.version()
        out["models"] = llm.list_models()
        out["model_available"] = llm.has_model(settings.model)
        out["ok"] = out["model_available"]
        if out["model_available"]:
            context = out["context_length"] = llm.context_length(settings.model)
            out["num_ctx"] = min(settings.num_ctx, context) if context else settings.num_ctx
        else:
            out["hint"] = f"ollama pull {settings.model}"
    except AssistantError as err:
        out.update(ok=False, error=str(err))
    finally:
        llm.close()
    if probe and out.get("model_available"):
        out["citation_probe"] = probe_citations(settings, out["num_ctx"])
    return out


def describe_probe(o: dict[str, Any]) -> str | None:
    """The probe's line for the terminal (None when there was no probe)."""
    p = o.get("citation_probe")
    if p is None:
        return None
    if "error" in p:
        return f"warn probe    the one-question citation probe failed: {p['error']}"
    took = f"{p['ms'] / 1000:.1f} s"
    if p["followed"]:
        which = (
            "the source that answers" if p["right_source"] else "a source, not the one that answers"
        )
        cites = "".join(f"[{n}]" for n in p["cited"])
        return f"ok   probe    {o['model']} cited {which} {cites} on a one-question probe ({took})"
    what = (
        f"cited sources that do not exist ({', '.join(f'[{n}]' for n in p['invalid'])})"
        if p["invalid"]
        else "cited nothing"
    )
    return (
        f"warn probe    {o['model']} {what} on a one-question probe ({took}): "
        f"“{p['reply'][:120]}”; its uncited answers will be set aside for quoted ones "
        "(a larger model follows the format more often)"
    )


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
        "ollama": check_ollama(settings, probe=not getattr(args, "no_probe", False)),
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
        if o.get("model_available"):
            window = f"{o['context_length']:,}" if o.get("context_length") else "unknown"
            detail += f", context window {window} tokens ({o['num_ctx']:,} used: num_ctx)"
    else:
        detail = o.get("error", "") + " Answers fall back to extractive."
    ollama_mark = mark[o["ok"]] if o["ok"] or require_llm else "warn"
    print(f"{ollama_mark} ollama   {detail}")
    probe_line = describe_probe(o)
    if probe_line:
        print(probe_line)
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
