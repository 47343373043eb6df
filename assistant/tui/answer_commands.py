"""The answer controls: ``/system``, ``/temperature``, ``/length``, ``/style``.

Kept with the conversation (and with each exchange) like the other options. They shape
answers written by the model; an extractive answer quotes the sources as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.tui.options import LENGTHS, MAX_TEMPERATURE, MAX_TEXT, valid_temperature

if TYPE_CHECKING:
    from assistant.tui.host import ChatView

_CLEAR = {"", "off", "clear", "none", "-", "default"}


class AnswerControls:
    """``cmd_system`` and the others, mixed into the slash commands."""

    screen: ChatView

    def _changed(self, text: str, **options: object) -> None:
        raise NotImplementedError

    def _text_option(self, name: str, arg: str, what: str) -> None:
        if arg.lower() in _CLEAR:
            self._changed(f"{what} cleared.", **{name: None})
            return
        text = " ".join(arg.split())
        if len(text) > MAX_TEXT:
            self.screen.note(f"{what} is too long: {MAX_TEXT} characters at most.", error=True)
            return
        self._changed(
            f"{what} for this conversation: {text} (answers from the model only).", **{name: text}
        )

    def cmd_system(self, arg: str) -> None:
        """``/system TEXT``: extra instructions for the model; ``/system`` alone clears."""
        self._text_option("system", arg, "System prompt")

    def cmd_style(self, arg: str) -> None:
        """``/style TEXT`` (e.g. ``3 bullet points``); ``/style`` alone clears."""
        self._text_option("style", arg, "Answer style")

    def cmd_temperature(self, arg: str) -> None:
        """``/temperature X`` (0 to 2); ``/temperature`` alone: the configured one."""
        if arg.lower() in _CLEAR:
            configured = self.screen.settings.temperature
            self._changed(f"Temperature back to the configured {configured:g}.", temperature=None)
            return
        try:
            value = valid_temperature(float(arg))
        except ValueError:
            value = None
        if value is None:
            self.screen.note(
                f"Usage: /temperature X, with X from 0 to {MAX_TEMPERATURE:g} "
                "(low: answers stick to the sources); /temperature alone: the configured one.",
                error=True,
            )
            return
        self._changed(
            f"Temperature {value:g} for this conversation (answers from the model).",
            temperature=value,
        )

    def cmd_length(self, arg: str) -> None:
        """``/length short|normal|long``; ``/length`` alone: as the prompt says."""
        word = arg.lower()
        if word in _CLEAR:
            self._changed("Answer length back to the default.", length=None)
        elif word in LENGTHS:
            self._changed(f"Answers will be {word} (answers from the model).", length=word)
        else:
            self.screen.note(
                "Usage: /length short|normal|long (for a form such as “3 bullet points”: /style).",
                error=True,
            )
