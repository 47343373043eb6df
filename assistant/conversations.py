"""Saved chat conversations: one JSON file per conversation under ``ASSISTANT_HOME/chats/``.

UI-free (the TUI and any script can use it). Files are written atomically (a temporary file
in the same folder, flushed, then renamed over the old one), so a crash mid-save leaves the
previous version intact. Unreadable files are skipped when listing, never fatal.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.answer import Answer, Source
from assistant.errors import UsageError

FORMAT_VERSION = 1
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")


class ConversationNotFound(UsageError):
    """``--resume ID`` named a conversation that is not saved (or not readable)."""


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

    def to_json(self) -> dict[str, Any]:
        """The saved form (the answer contract plus what a resume needs)."""
        data = self.answer.to_json()
        data["standalone_question"] = self.answer.standalone_question
        data["complete"] = self.answer.complete
        return {
            "question": self.question,
            "asked_at": self.asked_at,
            "cancelled": self.cancelled,
            "answer": data,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Exchange:
        """Inverse of :meth:`to_json`."""
        return cls(
            str(data["question"]),
            answer_from_json(data["answer"]),
            bool(data.get("cancelled", False)),
            str(data.get("asked_at") or ""),
        )


@dataclass
class Conversation:
    """A conversation: its id, when it began, and its exchanges in order."""

    id: str = field(default_factory=new_id)
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The first question, shortened: how a picker names the conversation."""
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
            "exchanges": [e.to_json() for e in self.exchanges],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Conversation:
        """Inverse of :meth:`to_json`."""
        return cls(
            str(data["id"]),
            str(data.get("created") or ""),
            str(data.get("updated") or ""),
            [Exchange.from_json(e) for e in data.get("exchanges") or []],
        )


@dataclass
class ConversationInfo:
    """What a picker shows about a saved conversation, without its full text."""

    id: str
    title: str
    updated: str
    exchanges: int


def answer_from_json(data: dict[str, Any]) -> Answer:
    """An :class:`Answer` back from its saved JSON."""
    sources = [Source.from_json(s) for s in data.get("sources") or []]
    return Answer(
        question=str(data.get("question") or ""),
        answer=str(data.get("answer") or ""),
        mode=str(data.get("mode") or "extractive"),
        model=data.get("model"),
        sources=sources,
        citations=[int(n) for n in data.get("citations") or []],
        warnings=[str(w) for w in data.get("warnings") or []],
        error=data.get("error"),
        timings={k: float(v) for k, v in (data.get("timings") or {}).items()},
        id=data.get("id"),
        standalone_question=data.get("standalone_question"),
        complete=bool(data.get("complete", True)),
        interpreted=data["interpreted"] if isinstance(data.get("interpreted"), dict) else None,
    )


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step (temp file in the same folder + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(conversation: Conversation, folder: Path) -> Path:
    """Write the conversation to ``folder/<id>.json`` atomically; returns the path."""
    conversation.updated = now_iso()
    path = folder / f"{conversation.id}.json"
    write_atomic(path, json.dumps(conversation.to_json(), ensure_ascii=False, indent=1) + "\n")
    return path


def load(folder: Path, conversation_id: str) -> Conversation:
    """The saved conversation with this id; raises :class:`ConversationNotFound`."""
    if not _ID.fullmatch(conversation_id):
        raise ConversationNotFound(f"{conversation_id!r} is not a conversation id.")
    path = folder / f"{conversation_id}.json"
    try:
        return Conversation.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ConversationNotFound(
            f"No saved conversation {conversation_id!r} in {folder}."
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ConversationNotFound(
            f"The conversation file {path} cannot be read ({type(err).__name__})."
        ) from None


def list_conversations(folder: Path) -> list[ConversationInfo]:
    """Saved conversations, most recently updated first (unreadable files skipped)."""
    found: list[ConversationInfo] = []
    for path in folder.glob("*.json") if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found.append(
                ConversationInfo(
                    str(data["id"]),
                    str(data.get("title") or ""),
                    str(data.get("updated") or ""),
                    len(data.get("exchanges") or []),
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
    found.sort(key=lambda info: (info.updated, info.id), reverse=True)
    return found


def latest(folder: Path) -> Conversation | None:
    """The most recently updated saved conversation, if any."""
    for info in list_conversations(folder):
        try:
            return load(folder, info.id)
        except ConversationNotFound:
            continue
    return None
