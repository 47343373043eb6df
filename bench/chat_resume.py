"""How long the chat takes to be usable: a fresh start against resuming a long conversation.

python bench/chat_resume.py [--exchanges 55] [--runs 5]

Each run is a new process (imports included, as a user meets them) over a scripted engine
(a fixed index size; nothing is asked), in a temporary ``ASSISTANT_HOME`` holding one saved
conversation of ``--exchanges`` exchanges (answers of ~150 words with a list, citations and
five sources each, like real ones). Two moments are timed: the question box has focus on a
drawn screen (the user can type), and the newest exchange is drawn (the user can read it).
Prints the median and range of each; record them in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

ANSWER = (
    "Service users value **hope** and the shared experience of peers [1]. Managers see peer "
    "workers as bridges between services and users [2], and several studies describe how "
    "peer workers model recovery, challenge stigma and make services feel less clinical [3]. "
    "Participants in online groups valued being understood without having to explain "
    "themselves [1][4].\n\n"
    "- Hope from others' recovery [1]\n"
    "- Practical help and being understood [1][2]\n"
    "- A bridge between users and staff [2][3]\n"
    "- Less stigma and more trust in services [3][5]\n\n"
    "The evidence is mostly qualitative and from Scandinavian services [4][5]; it says "
    "little about outcomes over years, and little about who does not take part."
)


def write_conversation(home: Path, exchanges: int) -> str:
    """Save one conversation of ``exchanges`` exchanges under ``home``; returns its id."""
    from assistant.answering.answer import Answer, Source
    from assistant.conversations import Conversation, Exchange, save

    sources = [
        Source(
            n=n,
            record_id=f"rec-{n}",
            title=f"A qualitative study of peer support, part {n}",
            authors=("Monica Strand", "Lars Sørensen Eng", "Deede Gammon"),
            year=2015 + n,
            venue="International Journal of Mental Health Systems",
            doi=f"10.1186/s13033-023-0058{n}-5",
            path=f"seeds/00{n}.txt",
            text="Peer support groups for people with long-term mental health problems are "
            "increasingly offered online. Participants valued sharing experiences. " * 3,
            score=0.7,
        )
        for n in range(1, 6)
    ]
    conversation = Conversation()
    for i in range(exchanges):
        question = f"Question {i + 1}: what do service users value in peer support?"
        answer = Answer(
            question,
            ANSWER,
            "llm",
            "llama3.2",
            sources,
            citations=[1, 2, 3, 4, 5],
            timings={"total_ms": 2345.0},
            standalone_question=question,
        )
        conversation.exchanges.append(Exchange(question, answer))
    save(conversation, home / "chats")
    return conversation.id


def probe(resume: str | None) -> None:
    """Child: start the app, print seconds from process start to usable, exit."""
    from assistant.config import load_settings
    from assistant.tui.app import make_app

    class Engine:
        def index_size(self) -> tuple[int, int]:
            return 23, 34

    app = make_app(load_settings(), engine=Engine(), resume=resume)  # type: ignore[arg-type]
    app.ollama_poll_seconds = 600.0

    async def usable(pilot) -> None:
        from assistant.tui.widgets.exchange import ExchangeView

        chat = pilot.app.chat
        want = len(chat.conversation.exchanges)
        typing = drawn_at = None
        for _ in range(60000):
            if typing is None and chat.is_mounted and chat.focused is chat.prompt:
                typing = time.monotonic() - START
            views = list(chat.query(ExchangeView)) if chat.is_mounted else []
            if typing is not None and (
                not want or (views and views[-1].number == want and views[-1].answer)
            ):
                drawn_at = time.monotonic() - START
                break
            await pilot.pause(0.001)
        print(f"{typing:.3f} {drawn_at:.3f} {len(views) if want else 0}", flush=True)
        pilot.app.exit()

    app.run(headless=True, size=(120, 40), auto_pilot=usable)


def run(home: Path, resume: str | None) -> tuple[float, float, int]:
    env = dict(os.environ, ASSISTANT_HOME=str(home), OLLAMA_HOST="http://127.0.0.1:9")
    env["PYTHONPATH"] = str(REPO)
    args = [sys.executable, __file__, "--probe", resume or ""]
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
    typing, drawn, views = out.split()[-3:]
    return float(typing), float(drawn), int(views)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=55)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--probe", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe is not None:
        probe(args.probe or None)
        return 0
    sys.path.insert(0, str(REPO))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        cid = write_conversation(home, args.exchanges)
        for label, resume in (("fresh start", None), (f"resume, {args.exchanges} exchanges", cid)):
            runs = [run(home, resume) for _ in range(args.runs)]
            typing = statistics.median(r[0] for r in runs)
            drawn = statistics.median(r[1] for r in runs)
            spread = f"{min(r[1] for r in runs):.2f}-{max(r[1] for r in runs):.2f}"
            rows.append((label, typing, drawn, spread, runs[-1][2]))
    print(f"median of {args.runs} runs, seconds from process start")
    print("| start | box takes keys | newest answer drawn (range) | exchanges drawn |")
    print("|---|---|---|---|")
    for label, typing, drawn, spread, views in rows:
        print(f"| {label} | {typing:.3f} | {drawn:.3f} ({spread}) | {views} |")
    return 0


START = time.monotonic()  # as early as this module runs: imports of the app are counted

if __name__ == "__main__":
    raise SystemExit(main())
