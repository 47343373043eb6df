"""Issue 24: a ready citation and the DOI from a source; exports in every format, of the cited
sources or all, of one answer; an export during an answer says what it leaves out."""

from __future__ import annotations

from assistant.tui.source_modal import SourceModal
from tests.tui.conftest import RecordingOpener, flat, ready, screen_text, submit, wait_for
from tests.tui.scripted_engine import PacedEngine, scripted_app


async def answered(pilot, engine) -> None:
    chat = pilot.app.chat
    await ready(pilot)
    await submit(pilot, "What do peers give?")
    await wait_for(pilot, lambda: chat.job is None and chat.conversation.exchanges, "answer")


async def test_the_source_dialog_copies_apa_and_vancouver_and_opens_the_doi(ollama):
    engine = PacedEngine()
    app = scripted_app(engine)
    app.opener = opener = RecordingOpener()
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(pilot, engine)
        await submit(pilot, "/source 2")
        await wait_for(pilot, lambda: isinstance(app.screen, SourceModal), "the dialog")
        await pilot.press("a")
        assert app.clipboard.startswith("Åkerblom, K. B., Sørly, R., & Borg, M. (2023).")
        await pilot.press("v")
        assert app.clipboard.startswith("Åkerblom KB, Sørly R, Borg M. Managers as peer")
        await pilot.press("d")
        await wait_for(pilot, lambda: opener.opened, "the DOI opened")
        assert [launch.url for launch in opener.opened] == [
            "https://doi.org/10.1186/s13033-023-00588-5"
        ]
        assert "A/V: copy APA/Vancouver" in screen_text(app)


async def test_export_all_of_one_answer_and_during_an_answer(ollama, settings):
    engine = PacedEngine("Peers give hope [1] and bridges [2]. " * 40, delay=0.02)
    app = scripted_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await answered(pilot, engine)
        chat = app.chat
        await submit(pilot, "/export 1 all")
        folder = settings.home / "exports"
        stem = f"{chat.conversation.id}-answer1"
        for suffix in (".md", ".bib", ".ris", ".csl.json"):
            assert (folder / f"{stem}{suffix}").is_file()
        assert (folder / f"{stem}.ris").read_text(encoding="utf-8").count("TY  - ") == 2
        await submit(pilot, "/export 7")
        assert "There is no answer 7" in screen_text(app)
        await submit(pilot, "And more?")
        await wait_for(pilot, lambda: chat.job is not None, "the second answer starting")
        await submit(pilot, "/export")
        await wait_for(
            pilot,
            lambda: flat("still being written is not in it") in flat(screen_text(app)),
            "note",
        )
