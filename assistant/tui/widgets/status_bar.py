"""The bottom line (model, Ollama's state, index size, options, the last answer) and the
banner at the top that says why answers are extractive.

Both are drawn from the chat screen's reactive state (:mod:`assistant.tui.chat_state`),
bound with ``data_bind``: when the app's index or Ollama state or the conversation's
options change, they redraw themselves; nobody calls a refresh.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from assistant.llm import model_matches
from assistant.tui.messages import IndexState, OllamaState
from assistant.tui.options import ChatOptions
from assistant.tui.widgets.safe import safe, safe_line


class StatusBar(Widget):
    """All text is shown literally."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    options: reactive[ChatOptions | None] = reactive(None)
    ollama: reactive[OllamaState] = reactive(OllamaState)
    index: reactive[IndexState] = reactive(IndexState)
    last: reactive[str] = reactive("")
    """The last answer's summary (``llm · llama3.2 · 2.3 s``)."""

    def ollama_text(self) -> tuple[str, str]:
        """(text, style) for the Ollama part."""
        state = self.ollama
        if state.online is None:
            return "Ollama: checking…", "$text-muted"
        if not state.online:
            return "Ollama: offline", "$text-error"
        return f"Ollama {safe_line(state.version)}", "$text-success"

    def render_bar(self) -> Content:
        """The whole line."""
        sep = (" │ ", "$text-muted")
        model = self.options.model if self.options else ""
        parts: list[str | tuple[str, str]] = [
            (f"model {safe_line(model)}", "bold"),
            sep,
            self.ollama_text(),
            sep,
            self.index.text or "index: loading…",
        ]
        if self.options:
            parts += [sep, self.options.describe()]
        if self.last:
            parts += [sep, f"last: {self.last}"]
        return Content.assemble(*parts)

    def render(self) -> Content:
        return self.render_bar()


class Banner(Widget):
    """Why answers are (or will be) extractive; shown (class ``shown``) only then."""

    DEFAULT_CSS = """
    Banner { display: none; height: auto; background: $error 25%; color: $text; padding: 0 1; }
    Banner.shown { display: block; }
    """

    options: reactive[ChatOptions | None] = reactive(None)
    ollama: reactive[OllamaState] = reactive(OllamaState)
    index: reactive[IndexState] = reactive(IndexState)

    def __init__(self, host: str, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.host = host

    def text(self) -> str:
        """What the banner says now (empty: all is well)."""
        model = self.options.model if self.options else ""
        return banner_text(self.ollama, model, self.host, self.index.error)

    def render(self) -> Content:
        return safe(self.text())

    def _changed(self) -> None:
        self.set_class(bool(self.text()), "shown")

    watch_options = watch_ollama = watch_index = _changed


def banner_text(state: OllamaState, model: str, host: str, index_error: str = "") -> str:
    """Why answers are (or will be) extractive, for the banner; empty when all is well."""
    if index_error:
        return f"The index could not be loaded: {index_error}"
    if state.online is False:
        return (
            f"Ollama is offline ({host}): answers are extractive, quoted from the sources, "
            "until it is back. Checking every few seconds."
        )
    if state.online and not any(model_matches(model, m) for m in state.models):
        return (
            f"Model {model} is not in Ollama: answers are extractive. Pick another with "
            f"/model, or run `ollama pull {model}`."
        )
    return ""
