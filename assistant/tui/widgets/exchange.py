"""One question and its answer in the conversation view, streamed as it arrives."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from assistant.answering.answer import Answer, Source
from assistant.textsafe import plain
from assistant.tui.widgets.markdown_view import SafeMarkdown, link_citations
from assistant.tui.widgets.safe import safe


def seconds(ms: float | None) -> str:
    """``812`` -> ``0.8 s``."""
    return f"{(ms or 0.0) / 1000:.1f} s"


def answer_summary(answer: Answer, cancelled: bool, show_timings: bool = True) -> str:
    """``llm · llama3.2 · 2.3 s``; ``cancelled`` / ``failed`` / ``incomplete`` when it applies.

    How an answer was made is named only when there is answer text to name: a failed or
    cancelled question with nothing written was not "extractive".
    """
    from assistant.answering.answer import INTERRUPTED

    parts = []
    if answer.error and not answer.answer.strip():
        parts.append("failed")
    elif INTERRUPTED in answer.warnings:
        parts.append("interrupted")  # the app was closed mid-answer: not the user's Escape
    elif cancelled:
        parts.append("cancelled")
    elif not answer.complete:
        parts.append("incomplete")
    if answer.answer.strip():
        parts.append(answer.mode)
        if answer.model:
            parts.append(answer.model)
    if show_timings and "total_ms" in answer.timings:
        parts.append(seconds(answer.timings["total_ms"]))
    return " · ".join(parts)


class ExchangeView(Vertical):
    """The question, the (streaming) Markdown answer, a status line and any warnings."""

    DEFAULT_CSS = """
    ExchangeView { height: auto; margin: 0 0 1 0; }
    ExchangeView > .question { color: $text-accent; text-style: bold; }
    ExchangeView > .why { color: $text-secondary; display: none; }
    ExchangeView > .why.shown { display: block; }
    ExchangeView > SafeMarkdown { margin: 0; padding: 0 0 0 2; }
    ExchangeView > .status { color: $text-muted; padding: 0 0 0 2; }
    ExchangeView > .notes { color: $text-warning; padding: 0 0 0 2; }
    ExchangeView.cancelled > .status { color: $text-error; }
    """

    def __init__(self, question: str, job: int | None = None, number: int = 0) -> None:
        super().__init__()
        self.question = question
        self.job = job
        self.number = number
        """The exchange's position in the conversation (1-based)."""
        self.answer: Answer | None = None
        self.sources: list[Source] = []
        """Sources retrieved while the answer streams (the final answer's once finished)."""
        self.partial = ""
        """The text streamed so far (kept if the app quits mid-answer)."""
        self.cancelled = False
        self.standalone: str | None = None
        self.read_as: str | None = None  # what the question was read as (authors, years…)
        self._stream: MarkdownStream | None = None

    def compose(self) -> ComposeResult:
        yield Static(safe(f"› {self.question}"), classes="question")
        yield Static("", classes="why")
        yield SafeMarkdown(classes="answer")
        yield Static("", classes="status")
        yield Static("", classes="notes")

    @property
    def markdown(self) -> SafeMarkdown:
        """The answer widget."""
        return self.query_one(SafeMarkdown)

    def set_status(self, text: str) -> None:
        """Show what is happening (``Searching the corpus…``)."""
        self.query_one(".status", Static).update(safe(text))

    def set_standalone(self, text: str, read_as: str | None = None) -> None:
        """Remember the question as searched, and what it was read as (shown by
        :meth:`show_why`)."""
        self.standalone = text
        self.read_as = read_as
        line = f"  searched as: {text}" + (f"\n  read as: {read_as}" if read_as else "")
        self.query_one(".why", Static).update(safe(line))

    def show_why(self, shown: bool = True) -> None:
        """Show or hide the standalone question the sources were searched with."""
        if self.standalone is None:
            self.set_standalone(self.question)
        self.query_one(".why").set_class(shown, "shown")

    async def append(self, text: str) -> None:
        """Add streamed answer text (already checked and stripped)."""
        if self._stream is None:
            self._stream = Markdown.get_stream(self.markdown)
            self.set_status("Writing… (Escape cancels)")
        self.partial += text
        await self._stream.write(text)

    async def finish(self, answer: Answer, cancelled: bool, show_timings: bool = True) -> None:
        """Show the final answer text, how it was made, and its warnings."""
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
        self.answer, self.cancelled = answer, cancelled
        if answer.standalone_question or answer.read_as:
            self.set_standalone(answer.standalone_question or self.question, answer.read_as)
        text = plain(answer.answer).strip()
        if not text:
            text = "*(cancelled before any answer text arrived)*" if cancelled else "*(no answer)*"
        await self.markdown.update(link_citations(text))
        self.sources = list(answer.sources)
        self.set_class(cancelled, "cancelled")
        self.set_status(answer_summary(answer, cancelled, show_timings))
        self.query_one(".notes", Static).update(safe("\n".join(answer_notes(answer, cancelled))))


def answer_notes(answer: Answer, cancelled: bool) -> list[str]:
    """Warnings worth a line: a failure shows only its error; "cancelled" is in the status."""
    if answer.error:
        return [f"✗ {answer.error}"]
    from assistant.answering.answer import CANCELLED

    quiet = {CANCELLED} if cancelled else set()  # "the app was closed" stays: it says why
    return [f"⚠ {w}" for w in answer.warnings if w not in quiet]
