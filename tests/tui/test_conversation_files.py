"""Issue 13 item 7: saved conversations are untrusted input; killed saves leave nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from assistant.answering.answer import Answer
from assistant.conversations import (
    Conversation,
    ConversationNotFound,
    Exchange,
    latest,
    list_conversations,
    load,
    save,
)
from assistant.export import export_conversation
from assistant.tui.resume_picker import ResumePicker
from tests.tui.conftest import ready, wait_for
from tests.tui.scripted_engine import scripted_app

CORRUPT = {
    "deep": "[" * 100_000 + "]" * 100_000,
    "huge": json.dumps({"id": "huge", "exchanges": []}).replace("[]", "[1e400]"),
    "inf-n": json.dumps(
        {"id": "inf-n", "exchanges": [{"question": "q", "answer": {"sources": [{"n": 0}]}}]}
    ).replace('"n": 0', '"n": 1e400'),
    "types": json.dumps({"id": "types", "exchanges": "not a list", "options": 3}),
    "types2": json.dumps({"id": "types2", "exchanges": [{"question": 5, "answer": []}]}),
    "list": "[1, 2]",
    "binary": "\udcff",
}


def write_corrupt(folder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in CORRUPT.items():
        (folder / f"{name}.json").write_text(text, encoding="utf-8", errors="surrogateescape")


def good(folder) -> Conversation:
    conv = Conversation(exchanges=[Exchange("q?", Answer("q?", "a.", "extractive", None, []))])
    save(conv, folder)
    return conv


def test_corrupt_files_are_skipped_when_listing_and_refused_when_loaded(settings):
    folder = settings.chats_dir
    write_corrupt(folder)
    conv = good(folder)
    assert [c.id for c in list_conversations(folder)] == [conv.id]
    assert latest(folder).id == conv.id
    for name in CORRUPT:
        with pytest.raises(ConversationNotFound):
            load(folder, name)


def test_an_id_is_never_used_as_a_path_unchecked(settings, tmp_path):
    folder = settings.chats_dir
    folder.mkdir(parents=True)
    # a crafted file naming another folder as its id
    (folder / "evil.json").write_text(json.dumps({"id": "../../outside", "exchanges": []}))
    assert list_conversations(folder) == []
    with pytest.raises(ConversationNotFound):
        load(folder, "evil")
    for bad in ("../x", "a/b", "", ".hidden", "x" * 200):
        with pytest.raises(ConversationNotFound):
            load(folder, bad)
        with pytest.raises(ConversationNotFound):
            save(Conversation(id=bad), folder)
        with pytest.raises(ConversationNotFound):
            export_conversation(Conversation(id=bad), tmp_path / "exports")
    assert not (tmp_path / "outside").exists()


async def test_resume_and_the_picker_survive_corrupt_files(ollama, settings):
    write_corrupt(settings.chats_dir)
    good(settings.chats_dir)
    app = scripted_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ResumePicker), "picker")
        assert len(app.screen.conversations) == 1


def test_resume_of_a_corrupt_conversation_is_one_sentence(settings):
    from assistant.tui.app import make_app

    write_corrupt(settings.chats_dir)
    for name in CORRUPT:
        app = make_app(settings, resume=name)
        assert app.conversation is None and "cannot be read" in app.resume_problem


def test_a_killed_save_leaves_no_temporary_file_behind(settings):
    folder = settings.chats_dir
    conv = good(folder)
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from assistant import conversations as c
        os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)  # die mid-save
        conv = c.load(Path({str(folder)!r}), {conv.id!r})
        c.save(conv, Path({str(folder)!r}))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=60)
    assert done.returncode != 0
    assert list(folder.glob("*.tmp")) or list(folder.glob(".*.tmp"))  # what a kill leaves
    assert load(folder, conv.id).exchanges  # the previous version is intact
    save(load(folder, conv.id), folder)
    assert not list(folder.glob(".*.tmp")) and not list(folder.glob("*.tmp"))
