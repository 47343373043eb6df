"""The ``assistant`` command line: parse, dispatch, and turn errors into one sentence.

Kept thin and import-light so ``assistant --help`` is instant: each command's module is
imported only when that command runs.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import traceback
from pathlib import Path

from assistant import __version__

EXIT_CODES = """exit codes:
  0  success
  1  internal error (a bug; the message names the log file with the traceback)
  2  usage error: bad flags, missing or unreadable input
  3  store error: index locked by another writer, corrupt, or built with other settings
  4  language model unavailable or failed (with --require-llm)
  5  batch finished but some questions failed (their errors are in the output)
  6  the file system refused: disk full, read-only, or permission denied
  130 interrupted (Ctrl-C); re-running resumes
"""


# Commands whose work is kept as it goes, so a re-run picks up where Ctrl-C stopped them.
RESUMABLE = {"ingest", "batch", "eval"}
# Commands that end without the interpreter's teardown once their work is on disk: after
# a write through chromadb, tearing down its ~1,500 modules and its client's threads took
# 0.6-0.8 s of a one-file ingest. Their run() closes the index before it returns.
QUICK_EXIT = {"ingest", "forget"}
# Commands that must write under ASSISTANT_HOME (the others can read a read-only one).
WRITES_HOME = {"ingest", "chat"}


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _add_answer_flags(p: argparse.ArgumentParser) -> None:
    """The flags every answering command shares (``ask``, ``batch``)."""
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--no-llm", action="store_true", help="answer extractively from the sources, without Ollama"
    )
    mode.add_argument(
        "--require-llm",
        action="store_true",
        help="fail (exit 4; in batch: record an error) instead of falling back to extractive",
    )
    p.add_argument("--model", help="Ollama chat model (default: ASSISTANT_MODEL or llama3.2)")
    p.add_argument("-k", type=_positive_int, dest="top_k", help="number of sources (default 5)")


def _add_collection_flag(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--collection",
        metavar="NAME",
        help=f"only {what} filed in this collection of a Zotero library (its name or "
        "path, e.g. Thesis/Methods; any letter case)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="A local research assistant: cited answers over a corpus of scholarly "
        "abstracts (Chroma + Ollama + a terminal UI).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"assistant {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help="read documents into the index (default: bundled seeds)")
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders (.txt .md .html .pdf); default: the bundled seeds/",
    )
    p.add_argument(
        "--rebuild", action="store_true", help="drop the index and build it again from these paths"
    )
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument(
        "--watch",
        action="store_true",
        help="keep running: ingest files as they appear, change or go (default PATH: the "
        "folders already ingested); Ctrl-C stops",
    )
    p.add_argument(
        "--poll",
        action="store_true",
        help="with --watch: scan for changes instead of waiting for file events "
        "(network shares and other file systems that send none)",
    )

    p = sub.add_parser("sources", help="list the records in the index")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument(
        "--missing-metadata",
        action="store_true",
        help="only records without a title, authors or year (to fix in your library)",
    )
    _add_collection_flag(p, "records")

    p = sub.add_parser(
        "papers",
        help="the evidence table: each paper's aim, design, participants, setting, findings",
    )
    p.add_argument(
        "--format",
        choices=("terminal", "csv", "md", "json"),
        default="terminal",
        help="terminal table (default), CSV, Markdown or JSON (each cell with its sentence)",
    )
    p.add_argument("--year", help="only papers from this year or range, e.g. 2018 or 2018-2021")
    p.add_argument("--author", help="only papers with an author whose name contains this")
    _add_collection_flag(p, "papers")

    p = sub.add_parser("ask", help="answer one question with cited sources")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print one answer object")
    _add_answer_flags(p)
    p.add_argument("--year", help="only sources from this year or range, e.g. 2018 or 2018-2021")
    p.add_argument("--author", help="only sources with an author whose name contains this")
    _add_collection_flag(p, "sources")

    p = sub.add_parser("chat", help="open the terminal chat")
    p.add_argument(
        "--resume",
        nargs="?",
        const="latest",
        metavar="ID",
        help="resume the last conversation, or the one with this id",
    )
    p.add_argument("--model", help="Ollama chat model")
    p.add_argument(
        "--web",
        action="store_true",
        help="serve the same chat to a browser (needs the [web] extra)",
    )
    p.add_argument(
        "--host",
        help="with --web: address to listen on (default 127.0.0.1, this machine only; "
        "another address lets anyone who reaches it use the chat: there is no password)",
    )
    p.add_argument("--port", type=int, help="with --web: port (default 8000)")

    p = sub.add_parser("batch", help="answer a file of questions")
    p.add_argument("file", type=Path, help="questions: .txt (one per line), .jsonl or .csv")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help="output file, a regular file (default: beside FILE); - for standard output",
    )
    p.add_argument("--format", choices=["jsonl", "csv", "md"], help="default: from -o, else jsonl")
    p.add_argument(
        "--force",
        action="store_true",
        help="overwrite an output file that is not this batch's own (by default it is refused)",
    )
    _add_answer_flags(p)
    p.add_argument(
        "--concurrency",
        type=_positive_int,
        default=2,
        help="questions answered at once (default 2)",
    )
    _add_collection_flag(p, "sources")

    p = sub.add_parser("forget", help="remove files or folders (and their papers) from the index")
    p.add_argument("paths", nargs="+", type=Path, help="files or folders that were ingested")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")

    p = sub.add_parser(
        "eval",
        help="measure retrieval on a BEIR-layout dataset or your questions; with --model, "
        "the answers",
    )
    p.add_argument(
        "dataset",
        type=Path,
        help="folder with corpus.jsonl, queries.jsonl, qrels/; or a .jsonl of questions "
        "(with --model also a .txt, one per line)",
    )
    p.add_argument(
        "--model",
        help="measure answer quality with this Ollama model (and extractively) per kind of "
        "question, instead of retrieval",
    )
    p.add_argument("-k", type=_positive_int, dest="top_k", help="with --model: sources per answer")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("doctor", help="check Ollama, the model, the index and the embedder")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--require-llm",
        action="store_true",
        help="exit 4 when Ollama or the model is missing (by default that only warns)",
    )
    p.add_argument(
        "--no-probe",
        action="store_true",
        help="skip the one-question probe of whether the model cites its sources",
    )
    return parser


def _log_path() -> Path:
    base = os.environ.get("ASSISTANT_HOME")
    if base:
        return Path(base).expanduser() / "logs" / "assistant.log"
    from assistant.config import default_home

    return default_home() / "logs" / "assistant.log"


def _report_bug(err: BaseException) -> int:
    """Write the traceback to the log and tell the user one sentence."""
    path = _log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(err)))
        where = f"; the details are in {path}"
    except OSError:
        where = ""
    print(f"assistant: internal error ({type(err).__name__}: {err}){where}.", file=sys.stderr)
    return 1


def _check_text_arguments(args: argparse.Namespace) -> None:
    """Refuse text arguments holding bytes that are not UTF-8 (they arrive as surrogates).

    File paths may hold any bytes and are left alone; a question, a model name or a filter
    with such bytes would fail deep inside (JSON, HTTP, the tokenizer) instead.
    """
    from vocab.errors import UsageError

    for name, value in vars(args).items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                flag = name if name in ("question", "command") else "--" + name.replace("_", "-")
                raise UsageError(
                    f"The {flag} argument is not valid UTF-8 text; check the terminal's "
                    "character encoding (e.g. LANG=en_US.UTF-8)."
                ) from None


def _prepare_home(home: Path, writes: bool) -> None:
    """Create ASSISTANT_HOME, and check it is writable when the command must write there."""
    from assistant.errors import FilesystemError

    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise FilesystemError(
            f"ASSISTANT_HOME {home} cannot be created ({err.strerror}); "
            "set ASSISTANT_HOME to a folder you can write."
        ) from None
    if writes and not os.access(home, os.W_OK):  # also False on a read-only file system
        raise FilesystemError(
            f"ASSISTANT_HOME {home} is not writable (read-only or no permission); "
            "set ASSISTANT_HOME to a folder you can write."
        )


def _silence_stdout() -> None:
    """Send what is left for stdout nowhere, so the flush at exit cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _quick_exit(code: int) -> None:
    """End the process now: everything is written (the index closed, its snapshot fsynced
    by its writer, stdout flushed), so the interpreter's teardown would only free memory."""
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def _stdout_failed() -> bool:
    """Flush stdout; True when it cannot take more (closed pipe, full disk)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _no_closed_streams() -> None:
    """Give a closed standard output or error (``>&-``) somewhere to go: Python leaves it
    ``None``, and every print or flush would then fail with a traceback."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def _require_terminal() -> None:
    """The chat draws on a terminal and reads keys from one: refuse anything else."""
    from vocab.errors import UsageError

    def tty(stream: object) -> bool:
        try:
            return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
        except (OSError, ValueError):  # closed
            return False

    if "web_driver" in os.environ.get("TEXTUAL_DRIVER", ""):
        return  # a browser tab's chat (``chat --web``): textual-serve is its terminal
    if not (tty(sys.stdin) and tty(sys.stdout)):
        raise UsageError(
            "The chat needs a terminal for its input and output; in scripts use "
            "`assistant ask` or `assistant batch`."
        )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    _no_closed_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from assistant.errors import filesystem_error
    from assistant.exits import EXIT_INTERRUPTED, exit_code
    from vocab.errors import AssistantError

    try:
        _check_text_arguments(args)
        in_browser = any(
            getattr(args, k, None) not in (None, False) for k in ("web", "host", "port")
        )
        if args.command == "chat" and not in_browser:  # --web serves it; --host alone: usage
            _require_terminal()
        from assistant.config import load_settings

        settings = load_settings(
            model=getattr(args, "model", None), top_k=getattr(args, "top_k", None)
        )
        _prepare_home(settings.home, args.command in WRITES_HOME)
        module = importlib.import_module(f"assistant.commands.{args.command}")
        code = int(module.run(args, settings))
        sys.stdout.flush()  # a full or closed stdout fails here, inside the handlers below
        if argv is None and args.command in QUICK_EXIT:  # the process's own command line
            _quick_exit(code)
        return code
    except AssistantError as err:
        print(f"assistant: {err}", file=sys.stderr)
        return exit_code(err)
    except KeyboardInterrupt:
        if args.command in RESUMABLE:
            print(
                "\nassistant: interrupted; run the same command again to resume "
                "(nothing already stored was lost).",
                file=sys.stderr,
            )
        else:
            print("\nassistant: interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a message.
        _silence_stdout()
        return 0
    except Exception as err:  # noqa: BLE001 - the last line of defence against tracebacks
        stdout_failed = _stdout_failed()
        if stdout_failed:
            _silence_stdout()
        known = filesystem_error(err, "standard output" if stdout_failed else "the output")
        if known is None:
            return _report_bug(err)
        print(f"assistant: {known}", file=sys.stderr)
        return exit_code(known)
