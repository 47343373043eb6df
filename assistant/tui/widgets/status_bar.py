"""The bottom line: model, Ollama's state, index size, the last answer's timing, options."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from assistant.llm import model_matches
from assistant.tui.messages import OllamaState
from assistant.tui.widgets.safe import safe_line


class StatusBar(Static):
    """Re-rendered from its fields by :meth:`set`; all text is shown literally."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.model = ""
        self.ollama = OllamaState()
        self.index = "index: loading…"
        self.last = ""
        self.options = ""

    def set(self, **fields: object) -> None:
        """Change some fields (``model``, ``ollama``, ``index``, ``last``, ``options``)."""
        for name, value in fields.items():
            setattr(self, name, value)
        self.update(self.render_bar())

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
        parts: list[str | tuple[str, str]] = [
            (f"model {safe_line(self.model)}", "bold"),
            sep,
            self.ollama_text(),
            sep,
            self.index,
        ]
        if self.options:
            parts += [sep, self.options]
        if self.last:
            parts += [sep, f"last: {self.last}"]
        return Content.assemble(*parts)


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
