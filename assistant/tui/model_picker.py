"""Pick one of the models Ollama has (``/model`` without a name, or F4)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.llm import model_matches
from assistant.tui.widgets.safe import safe


class ModelPicker(ModalScreen[str | None]):
    """Dismisses with the chosen model's name, or ``None`` on Escape."""

    CSS_PATH = "model_picker.tcss"
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, models: list[str], current: str) -> None:
        super().__init__()
        self.models = list(models)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                "Models in Ollama (Enter: use, Escape: keep the current one)", id="picker-title"
            )
            options = [
                Option(safe(("● " if model_matches(self.current, m) else "  ") + m))
                for m in self.models
            ]
            yield OptionList(*options, id="models")

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        current = [i for i, m in enumerate(self.models) if model_matches(self.current, m)]
        picker.highlighted = current[0] if current else 0
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Use the selected model."""
        event.stop()
        self.dismiss(self.models[event.option_index])

    def action_close(self) -> None:
        """Keep the current model."""
        self.dismiss(None)
