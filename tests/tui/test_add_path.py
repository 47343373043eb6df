"""``/add``'s small parts: the path it reads, Tab completing it, the note on what changed."""

from __future__ import annotations

from pathlib import Path

from assistant.tui.add_parts import complete, path_of
from assistant.tui.library import Change, diff
from assistant.tui.widgets.history_input import HistoryInput
from tests.tui.conftest import ready
from tests.tui.scripted_engine import scripted_app


def test_the_path_given_to_add():
    assert path_of("") is None and path_of("   ") is None
    assert path_of("'my papers/a b.pdf'") == Path("my papers/a b.pdf")
    assert path_of('"x.pdf"') == Path("x.pdf")
    assert path_of("~/papers") == Path.home() / "papers"


def test_completion_of_paths(tmp_path, monkeypatch):
    (tmp_path / "papers-2023").mkdir()
    (tmp_path / "papers-2024").mkdir()
    (tmp_path / "reading list.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden").mkdir()
    base = str(tmp_path)
    assert complete(f"/add {base}/pa") == f"/add {base}/papers-202"  # the common start
    assert complete(f"/add {base}/papers-2023") == f"/add {base}/papers-2023/"  # one folder
    assert complete(f"/add {base}/re") == f"/add {base}/reading list.pdf"
    assert complete(f"/add {base}/papers-202") is None  # nothing more to add: Tab as usual
    assert complete(f"/add {base}/zzz") is None
    assert complete(f"/add {base}/.h") == f"/add {base}/.hidden/"  # asked for by its dot
    assert complete(f"/ADD {base}/re") == f"/add {base}/reading list.pdf"
    assert complete(f"What about {base}/re") is None  # only /add completes
    assert complete("/add") is None
    monkeypatch.chdir(tmp_path)
    assert complete("/add rea") == "/add reading list.pdf"  # relative to where chat started
    assert complete("/add ") is None  # three names with nothing in common: nothing to add
    assert complete("/add p") == "/add papers-202"


def test_what_changed_in_one_sentence():
    assert diff({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 9, "d": 4}) == (1, 1, 1)
    assert Change(1, 0, 0, 24, 40).sentence() == "1 paper added (24 papers in the index)."
    assert Change(2, 1, 0, 25, 40).sentence() == (
        "2 papers added, 1 updated (25 papers in the index)."
    )
    assert Change(0, 0, 3, 1, 4).sentence() == "3 papers removed (1 paper in the index)."
    assert Change(0, 0, 0, 23, 37).sentence() == ""  # a generation that changed no paper


async def test_tab_completes_an_add_path_and_otherwise_moves_the_focus(ollama, tmp_path):
    (tmp_path / "papers-2023").mkdir()
    app = scripted_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        box = app.chat.query_one(HistoryInput)
        box.focus()
        box.value = f"/add {tmp_path}/pap"
        await pilot.press("tab")
        assert box.value == f"/add {tmp_path}/papers-2023/" and box.has_focus
        box.value = "What do peers give?"
        await pilot.press("tab")
        assert not box.has_focus and box.value == "What do peers give?"
