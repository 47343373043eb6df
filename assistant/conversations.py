"""Saved chat conversations: one JSON file per conversation under ``ASSISTANT_HOME/chats/``.

UI-free (the TUI and any script can use it). Files are written atomically (a temporary file
in the same folder, flushed, then renamed over the old one), so a crash mid-save leaves the
previous version intact, and the next save of that conversation sweeps away the temporary
file a killed save left. Files are untrusted input: an id is only ever joined to a path after
it matched :data:`_ID` (and a file's id must be its own name), and a damaged file (deep
nesting, ``1e400``, wrong types) is skipped when listing and refused in one sentence when
loaded, never fatal.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.answering.answer import Answer
from assistant.errors import UsageError
from assistant.files import atomic_write

FORMAT_VERSION = 1
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")


class ConversationNotFound(UsageError):
    """``--resume ID`` named a conversation that is not saved (or not readable)."""


class BadConversationFile(ValueError):
    """A conversation file that is not what this module writes."""


def valid_id(conversation_id: object) -> bool:
    """Whether ``conversation_id`` is safe to name a file with (letters, digits, ``-_``)."""
    return isinstance(conversation_id, str) and bool(_ID.fullmatch(conversation_id))


def path_for(folder: Path, conversation_id: str, suffix: str = ".json") -> Path:
    """``folder/<id><suffix>``; raises :class:`ConversationNotFound` for an unsafe id."""
    if not valid_id(conversation_id):
        raise ConversationNotFound(f"{safe_repr(conversation_id)} is not a conversation id.")
    return folder / f"{conversation_id}{suffix}"


def safe_repr(value: object) -> str:
    """A short, printable form of an untrusted value for an error sentence."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


def now_iso() -> str:
    """The current UTC time, ISO 8601 (microseconds: saves in one second still sort)."""
    return datetime.now(timezone.utc).isoformat()


def new_id() -> str:
    """A sortable, unique id such as ``20250101-120000-3fa2``."""
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


@dataclass
class Exchange:
    """One question and the answer it got."""

    question: str
    answer: Answer
    cancelled: bool = False
    asked_at: str = field(default_factory=now_iso)
    options: dict[str, Any] = field(default_factory=dict)
    """The chat options this answer was asked with (a regenerate reuses them); empty in
    files saved before they were kept."""

    def to_json(self) -> dict[str, Any]:
        """The saved form (the answer contract plus what a resume needs)."""
        data = self.answer.to_json()
        data["standalone_question"] = self.answer.standalone_question
        data["complete"] = self.answer.complete
        saved = {
            "question": self.question,
            "asked_at": self.asked_at,
            "cancelled": self.cancelled,
            "answer": data,
        }
        if self.options:
            saved["options"] = self.options
        return saved

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Exchange:
        """Inverse of :meth:`to_json`."""
        if not isinstance(data["question"], str):
            raise TypeError("question")
        return cls(
            data["question"],
            answer_from_json(data["answer"]),
            bool(data.get("cancelled", False)),
            str(data.get("asked_at") or ""),
            option_values(data.get("options")),
        )


@dataclass
class Conversation:
    """A conversation: its id, when it began, and its exchanges in order."""

    id: str = field(default_factory=new_id)
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)
    exchanges: list[Exchange] = field(default_factory=list)
    name: str = ""
    """A title the user gave it (``/rename``); empty: named after the first question."""
    options: dict[str, Any] = field(default_factory=dict)
    """The chat options in use (model, k, mode, filters), restored on resume."""

    @property
    def title(self) -> str:
        """The user's name for it, or the first question shortened."""
        if self.name.strip():
            return " ".join(self.name.split())[:80]
        if not self.exchanges:
            return "(empty conversation)"
        first = " ".join(self.exchanges[0].question.split())
        return first if len(first) <= 80 else first[:79].rstrip() + "…"

    def to_json(self) -> dict[str, Any]:
        """The saved form."""
        return {
            "version": FORMAT_VERSION,
            "id": self.id,
            "created": self.created,
            "updated": self.updated,
            "title": self.title,
            "name": self.name,
            "options": self.options,
            "exchanges": [e.to_json() for e in self.exchanges],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Conversation:
        """Inverse of :meth:`to_json`; raises :class:`BadConversationFile` on anything else."""
        if not isinstance(data, dict) or not valid_id(data.get("id")):
            raise BadConversationFile("no valid id")
        exchanges = data.get("exchanges") or []
        if not isinstance(exchanges, list) or not isinstance(data.get("options") or {}, dict):
            raise BadConversationFile("wrong types")
        try:
            return cls(
                str(data["id"]),
                str(data.get("created") or ""),
                str(data.get("updated") or ""),
                [Exchange.from_json(e) for e in exchanges],
                str(data.get("name") or ""),
                option_values(data.get("options")),
            )
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as err:
            raise BadConversationFile(type(err).__name__) from None


@dataclass
class ConversationInfo:
    """What a picker shows about a saved conversation, without its full text."""

    id: str
    title: str
    updated: str
    exchanges: int
    questions: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    """The answers' text and their cited papers (authors, year, title, venue, DOI)."""

    def matches(self, search: str) -> bool:
        """Whether the id, title, a question, an answer or a cited paper contains ``search``
        (case-insensitive)."""
        needle = search.strip().casefold()
        haystack = [self.id, self.title, *self.questions, *self.mentions]
        return not needle or any(needle in text.casefold() for text in haystack)


def option_values(options: Any) -> dict[str, Any]:
    """Saved options with plain values only (text, numbers, ``None``); anything else,
    or no options at all (an older file), is left out."""
    if not isinstance(options, dict):
        return {}
    return {str(k): v for k, v in options.items() if isinstance(v, (str, int, float, type(None)))}


def _text(value: Any) -> str | None:
    """A saved text field: a string, or ``None`` for anything else."""
    return value if isinstance(value, str) else None


def _year(value: Any) -> int | None:
    return value if type(value) is int and -9999 < value < 10000 else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def answer_from_json(data: dict[str, Any]) -> Answer:
    """An :class:`Answer` back from its saved JSON (fields of the wrong type are dropped)."""
    return Answer.from_json(data)


def sweep_temporary(path: Path) -> None:
    """Remove temporary files that killed saves of ``path`` left behind."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        tmp.unlink(missing_ok=True)


def save(conversation: Conversation, folder: Path) -> Path:
    """Write the conversation to ``folder/<id>.json`` atomically; returns the path."""
    path = path_for(folder, conversation.id)
    conversation.updated = now_iso()
    atomic_write(path, json.dumps(conversation.to_json(), ensure_ascii=False, indent=1) + "\n")
    sweep_temporary(path)
    return path


def _read(path: Path) -> Any:
    """The JSON in ``path``; any way it can be damaged becomes :class:`BadConversationFile`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:  # nesting deeper than Python's stack
        raise BadConversationFile("nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as err:
        raise BadConversationFile(type(err).__name__) from None
    if not isinstance(data, dict) or data.get("id") != path.stem:
        raise BadConversationFile("its id is not its file name")
    return data


def load(folder: Path, conversation_id: str) -> Conversation:
    """The saved conversation with this id; raises :class:`ConversationNotFound`."""
    path = path_for(folder, conversation_id)
    try:
        return Conversation.from_json(_read(path))
    except FileNotFoundError:
        raise ConversationNotFound(
            f"No saved conversation {conversation_id!r} in {folder}."
        ) from None
    except (OSError, BadConversationFile) as err:
        raise ConversationNotFound(
            f"The conversation file {path} cannot be read ({err or type(err).__name__})."
        ) from None


def _info(path: Path) -> ConversationInfo:
    # Parsed in full: a file that lists but cannot be resumed would only fail later.
    conversation = Conversation.from_json(_read(path))
    return ConversationInfo(
        conversation.id,
        conversation.title,
        conversation.updated,
        len(conversation.exchanges),
        [e.question for e in conversation.exchanges],
        [text for e in conversation.exchanges for text in _mentions(e.answer)],
    )


def _mentions(answer: Answer) -> list[str]:
    """What a search may find in an answer: its text and the papers it cites."""
    cited = [s for s in answer.sources if s.n in set(answer.citations)]
    papers = [
        " ".join([*s.authors, str(s.year or ""), s.title or "", s.venue or "", s.doi or ""])
        for s in cited
    ]
    return [answer.answer, *papers]


def list_conversations(folder: Path, search: str = "") -> list[ConversationInfo]:
    """Saved conversations, most recently updated first (unreadable files skipped).

    ``search`` keeps those whose id, title or any question contains it (case-insensitive).
    """
    found: list[ConversationInfo] = []
    for path in folder.glob("*.json") if folder.is_dir() else []:
        if not valid_id(path.stem):
            continue
        try:
            info = _info(path)
        except (OSError, BadConversationFile, RecursionError):
            continue
        if info.matches(search):
            found.append(info)
    found.sort(key=lambda info: (info.updated, info.id), reverse=True)
    return found


def rename(folder: Path, conversation_id: str, name: str) -> Conversation:
    """Give a saved conversation a title (empty: named after its first question again)."""
    conversation = load(folder, conversation_id)
    conversation.name = " ".join(name.split())[:80]
    save(conversation, folder)
    return conversation


def delete(folder: Path, conversation_id: str) -> None:
    """Remove a saved conversation; raises :class:`ConversationNotFound` if there is none."""
    path = path_for(folder, conversation_id)
    try:
        path.unlink()
    except FileNotFoundError:
        raise ConversationNotFound(
            f"No saved conversation {conversation_id!r} in {folder}."
        ) from None
    sweep_temporary(path)


def latest(folder: Path) -> Conversation | None:
    """The most recently updated saved conversation, if any."""
    for info in list_conversations(folder):
        try:
            return load(folder, info.id)
        except ConversationNotFound:
            continue
    return None
