"""A stand-in engine for snapshot tests: fixed index size, fixed sources, a scripted answer.

Snapshots test how the UI draws things, so they must not change when ingest or retrieval
improve; the Pilot tests use the real engine and index.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

from assistant.answering.answer import Answer, Source
from assistant.answering.events import AskOptions, Done, Retrieved, Status, Token, Turn

SOURCES = [
    Source(
        n=1,
        record_id="rec-strand",
        title=None,
        authors=("Monica Strand", "Lars Sørensen Eng", "Deede Gammon"),
        year=2018,
        venue=None,
        doi=None,
        path="seeds/001_83ddec2a4e93f6b8.txt",
        text="Peer support groups for people with long-term mental health problems are "
        "increasingly offered online. Participants valued sharing experiences with peers "
        "and the hope that others' recovery gave them.",
        score=0.71,
        language="en",
    ),
    Source(
        n=2,
        record_id="rec-akerblom",
        title="Managers as peer workers’ allies: A qualitative study",
        authors=("Kristina Bakke Åkerblom", "Rita Sørly", "Marit Borg"),
        year=2023,
        venue="International Journal of Mental Health Systems",
        doi="10.1186/s13033-023-00588-5",
        path="seeds/004_b03dd16b1e8ae871.txt",
        text="Peer workers are portrayed as achieving societal obligations and help ensure that "
        "the outputs from service provision are more effective.",
        score=0.64,
        language="en",
        keywords=("peer workers", "managers"),
    ),
]
ANSWER = (
    "Service users value **hope** and the shared experience of peers [1]. Managers see "
    "peer workers as bridges between services and users [2].\n\n"
    "- Hope from others' recovery [1]\n- Practical help and being understood [1][2]"
)


class ScriptedEngine:
    """Implements the two calls the app makes: ``index_size`` and ``stream``."""

    def index_size(self) -> tuple[int, int]:
        return 23, 34

    def stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        options: AskOptions | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[object]:
        yield Status("Searching the corpus…")
        yield Retrieved(list(SOURCES), question)
        for word in ANSWER.split(" "):
            yield Token(word + " ")
        yield Done(
            Answer(
                question,
                ANSWER,
                "llm",
                "llama3.2",
                list(SOURCES),
                citations=[1, 2],
                timings={"total_ms": 1234.5},
                standalone_question=question,
            )
        )


class PacedEngine(ScriptedEngine):
    """Streams ``text`` word by word, ``delay`` seconds apart (a model writing at a pace).

    ``loaded`` gates ``index_size`` (a first run still building its index until it is set);
    ``cancel`` stops the stream as the real engine does.
    """

    def __init__(self, text: str = ANSWER, delay: float = 0.0, sources=None) -> None:
        self.text = text
        self.delay = delay
        self.sources = list(sources or SOURCES)
        self.loaded = threading.Event()
        self.loaded.set()
        self.questions: list[str] = []

    def index_size(self) -> tuple[int, int]:
        self.loaded.wait(30)
        return 23, 34

    def stream(self, question, history=(), options=None, cancel=None):
        self.questions.append(question)
        yield Status("Searching the corpus…")
        self.loaded.wait(30)
        yield Retrieved(list(self.sources), question)
        for word in self.text.split(" "):
            if cancel is not None and cancel.wait(self.delay):
                break
            yield Token(word + " ")
        yield Done(
            Answer(
                question,
                self.text,
                "llm",
                "llama3.2",
                list(self.sources),
                citations=sorted({s.n for s in self.sources}),
                standalone_question=question,
            )
        )


def scripted_app(engine=None, size_hint: str = ""):
    """The app over a scripted engine, timings hidden, Ollama looked at once."""
    from assistant.config import load_settings
    from assistant.tui.app import make_app

    app = make_app(load_settings(), engine=engine or ScriptedEngine())  # type: ignore[arg-type]
    app.show_timings = False
    app.ollama_poll_seconds = 60.0
    return app
