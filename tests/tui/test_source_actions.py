"""Issue 24: from a source, open its file at its page or its DOI; the passage highlights the
sentences the answer used.

The app's opener is replaced by a recorder: the tests see the exact URL or command that
would run, and nothing is launched.
"""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

from assistant.tui.opener import (
    Launch,
    OpenFailed,
    SystemOpener,
    plan_file,
    plan_url,
    run,
    source_launch,
    system_command,
)
from assistant.tui.passage_marks import answer_sentences, used_spans
from assistant.tui.source_modal import SourceModal
from tests.tui.conftest import RecordingOpener, ready, submit, wait_for
from tests.tui.scripted_engine import SOURCES, PacedEngine, scripted_app

PASSAGE = (
    "Peer support was offered in four community clinics. "
    "Twelve peer workers took part in the interviews. "
    "Service users said that peers gave them hope for their own recovery. "
    "The clinics were funded by the regional health authority."
)
ANSWER = "Peers gave service users hope for their own recovery [1]. Clinics vary [2]."


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


# -- what is opened (pure) ---------------------------------------------------------------------
def test_a_pdf_opens_at_its_page_with_the_viewer_the_browser_or_the_system_opener(tmp_path):
    pdf = tmp_path / "paper one.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    shown = str(pdf.resolve())

    viewer = plan_file(pdf, 7, "zathura -P {page} {path}", "linux", {})
    assert viewer.command == ("zathura", "-P", "7", shown) and viewer.page == 7
    assert plan_file(pdf, 7, "okular", "linux", {}).command == ("okular", shown)

    desktop = plan_file(pdf, 7, None, "linux", {"DISPLAY": ":0"})
    assert desktop.url == pdf.resolve().as_uri() + "#page=7" and not desktop.command
    assert desktop.url.startswith("file:///") and "%20" in desktop.url

    console = plan_file(pdf, 7, None, "linux", {})
    assert console.command == ("xdg-open", shown) and console.page == 7
    assert "at page 7" in console.describe()

    assert plan_file(pdf, None, "zathura -P {page} {path}", "linux", {}).command == (
        "xdg-open",
        shown,
    )
    assert plan_file(pdf, 3, None, "darwin", {}).url.endswith("#page=3")
    text = tmp_path / "notes.txt"
    text.write_text("x", encoding="utf-8")
    assert plan_file(text, 3, None, "darwin", {}).command == ("open", str(text.resolve()))


def test_a_doi_opens_with_the_platform_opener():
    url = "https://doi.org/10.1/x"
    assert plan_url(url, "linux").command == ("xdg-open", url)
    assert plan_url(url, "darwin").command == ("open", url)
    assert plan_url(url, "win32").command == ("startfile", url)
    assert system_command("/a b.pdf", "linux") == ("xdg-open", "/a b.pdf")


def test_what_a_source_opens_or_why_not(tmp_path):
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    base = replace(SOURCES[1], path=str(pdf), page=2)
    assert isinstance(got := source_launch(base, "file"), Launch) and got.path == str(pdf)
    assert source_launch(base, "doi").url == "https://doi.org/10.1186/s13033-023-00588-5"
    no_file = replace(base, path="seeds/not-here.txt")
    assert source_launch(no_file, "file").url.startswith("https://doi.org/")
    neither = replace(no_file, doi=None)
    assert source_launch(neither, "file") == (
        "This source has no file on this machine and no DOI to open."
    )
    assert (
        source_launch(replace(base, doi=None), "doi")
        == "This source has no DOI (O opens its file)."
    )


def test_a_path_the_index_names_relative_is_looked_up_from_the_chats_folder(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    pdf = tmp_path / "corpus" / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    monkeypatch.chdir(tmp_path)
    launch = source_launch(replace(SOURCES[0], path="corpus/a.pdf", page=2), "file")
    assert isinstance(launch, Launch) and launch.path == str(pdf.resolve())
    monkeypatch.chdir(tmp_path / "corpus")  # elsewhere: not found, and no DOI to fall back on
    assert source_launch(replace(SOURCES[0], path="corpus/a.pdf"), "file") == (
        "This source has no file on this machine and no DOI to open."
    )


def test_a_relative_path_is_found_beside_the_index_roots_from_any_folder(tmp_path, monkeypatch):
    """``assistant ingest /home/me/papers`` names its files ``papers/…``; the chat is started
    anywhere: the file is looked up beside the roots the index keeps."""
    library = tmp_path / "home" / "papers"
    (library / "sub").mkdir(parents=True)
    pdf = library / "sub" / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    source = replace(SOURCES[0], path="papers/sub/a.pdf", page=3, doi=None)
    assert source_launch(source, "file") == (
        "This source has no file on this machine and no DOI to open."
    )
    launch = source_launch(source, "file", roots=[str(tmp_path / "other"), str(library)])
    assert isinstance(launch, Launch) and launch.path == str(pdf.resolve()) and launch.page == 3
    # A root that is one file (``assistant ingest ~/papers/sub/a.pdf`` names it ``a.pdf``).
    single = source_launch(replace(source, path="a.pdf"), "file", roots=[str(pdf)])
    assert isinstance(single, Launch) and single.path == str(pdf.resolve())


def test_the_chat_looks_beside_its_own_index_roots(tmp_path):
    from assistant.tui.opener import index_roots

    class Index:
        def roots(self) -> list[str]:
            return [str(tmp_path / "papers")]

    class Runtime:
        index = Index()

    class App:
        runtime = Runtime()

    class Broken:
        class runtime:  # noqa: N801 - a stand-in whose index cannot be read
            class index:  # noqa: N801
                @staticmethod
                def roots() -> list[str]:
                    raise OSError("gone")

    assert index_roots(App()) == [str(tmp_path / "papers")]
    assert index_roots(Broken()) == [] and index_roots(object()) == []


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX commands")
def test_the_system_opener_reports_a_failure_in_one_sentence(tmp_path):
    run(("true",))
    with pytest.raises(OpenFailed, match=r"false could not open false \(exit status 1\)"):
        run(("false",))
    with pytest.raises(OpenFailed, match="Cannot run"):
        run((str(tmp_path / "no-such-opener"), "x"))


def test_in_the_browser_a_doi_opens_there_and_a_file_is_sent_to_it(tmp_path):
    """``chat --web``: Textual's web driver opens URLs and delivers files in the browser."""

    class WebApp:
        is_web = True

        def __init__(self) -> None:
            self.calls: list[tuple] = []

        def call_from_thread(self, fn, *args, **kwargs):
            self.calls.append((fn.__name__, args, kwargs))

        def open_url(self, url):  # pragma: no cover - only named
            pass

        def deliver_binary(self, *args, **kwargs):  # pragma: no cover - only named
            pass

    app = WebApp()
    opener = SystemOpener(app)  # type: ignore[arg-type]
    opener.open(plan_url("https://doi.org/10.1/x"))
    assert app.calls == [("open_url", ("https://doi.org/10.1/x",), {})]
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    opener.open(plan_file(pdf, 3, None, "linux", {}))
    name, args, kwargs = app.calls[1]
    assert name == "deliver_binary" and args[0].read() == b"%PDF-1.4\n"
    assert kwargs["open_method"] == "browser" and kwargs["mime_type"] == "application/pdf"


# -- in the dialog -----------------------------------------------------------------------------
async def dialog_for(pilot, number: int) -> SourceModal:
    app = pilot.app
    await ready(pilot)
    await submit(pilot, "What do peers give?")
    await wait_for(pilot, lambda: app.chat.conversation.exchanges and not app.chat.job, "answer")
    await submit(pilot, f"/source {number}")
    await wait_for(pilot, lambda: isinstance(app.screen, SourceModal), "the dialog")
    return app.screen


async def test_o_opens_the_file_at_its_page_and_d_the_doi(ollama, tmp_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("ASSISTANT_PDF_VIEWER", "myviewer --page={page} {path}")
    pdf = tmp_path / "strand 2018.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    sources = [replace(SOURCES[0], path=str(pdf), page=4), replace(SOURCES[1], path="gone/x.txt")]
    app = scripted_app(PacedEngine(sources=sources))
    app.opener = opener = RecordingOpener()
    async with app.run_test(size=(100, 30)) as pilot:
        await dialog_for(pilot, 1)
        await pilot.press("o")
        await wait_for(pilot, lambda: opener.opened, "the file opened")
        launch = opener.opened[0]
        assert launch.command == ("myviewer", "--page=4", str(pdf.resolve()))
        assert any(f"Opening {pdf.resolve()} at page 4" == n for n in notes(app))
        await pilot.press("d")  # source 1 has no DOI: said, nothing opened
        await wait_for(pilot, lambda: "This source has no DOI (O opens its file)." in notes(app))
        assert len(opener.opened) == 1
        await pilot.press("escape")

        await submit(pilot, "/open 2")  # no file here: its DOI, and the toast says why
        await wait_for(pilot, lambda: len(opener.opened) == 2, "the DOI opened")
        assert opener.opened[1].url == "https://doi.org/10.1186/s13033-023-00588-5"
        assert any(n.startswith("No file of this source on this machine") for n in notes(app))
        await submit(pilot, "/open 1 doi")
        await wait_for(
            pilot, lambda: notes(app).count("This source has no DOI (O opens its file).") == 2
        )
        await submit(pilot, "/open 9")
        await wait_for(pilot, lambda: any(n.startswith("Usage: /open N [doi]") for n in notes(app)))
        assert len(opener.opened) == 2


async def test_an_opener_that_fails_says_so(ollama):
    app = scripted_app(PacedEngine())
    app.opener = opener = RecordingOpener(fail="xdg-open could not open it (exit status 3).")
    async with app.run_test(size=(100, 30)) as pilot:
        await dialog_for(pilot, 2)
        await pilot.press("d")
        await wait_for(pilot, lambda: opener.opened, "the attempt")
        await wait_for(
            pilot,
            lambda: any(
                n.message == "xdg-open could not open it (exit status 3)." and n.severity == "error"
                for n in app._notifications
            ),
            "the failure toast",
        )
        assert isinstance(app.screen, SourceModal)


# -- the sentences the answer used -------------------------------------------------------------
def test_the_passage_sentences_an_answer_sentence_rests_on():
    spans = used_spans(PASSAGE, ["Peers gave service users hope for their own recovery [1]."])
    assert [PASSAGE[s:e] for s, e in spans] == [
        "Service users said that peers gave them hope for their own recovery."
    ]
    joined = used_spans(
        PASSAGE, ["Twelve peer workers in four community clinics were interviewed [1]."]
    )
    assert [PASSAGE[s:e][:20] for s, e in joined] == [
        "Peer support was off",
        "Twelve peer workers ",
    ]
    assert used_spans(PASSAGE, ["Budgets rose sharply in 2020 [1]."]) == []


def test_which_answer_sentences_rest_on_a_source():
    from assistant.answering.answer import Answer

    plain = Answer("q", ANSWER, "extractive", None, [], citations=[1, 2])
    assert answer_sentences(plain, 1) == [
        "Peers gave service users hope for their own recovery [1]."
    ]
    checked = replace(
        plain,
        support=[
            {"text": "A [1].", "cited": [1], "supported": True, "source": 1, "repair": None},
            {"text": "B [1].", "cited": [1], "supported": False, "source": 1, "repair": None},
            {"text": "C.", "cited": [], "supported": True, "source": 1, "repair": 1},
            {"text": "D [2].", "cited": [2], "supported": True, "source": 2, "repair": None},
        ],
    )
    assert answer_sentences(checked, 1) == ["A [1].", "C."]


def highlighted_app():
    sources = [
        replace(SOURCES[0], text=PASSAGE),
        replace(SOURCES[1], n=2),
    ]
    app = scripted_app(PacedEngine(ANSWER, sources=sources))
    return app


async def test_the_dialog_highlights_what_the_answer_used(ollama):
    from textual.widgets import Static

    from assistant.tui.source_modal import USED

    app = highlighted_app()
    async with app.run_test(size=(100, 30)) as pilot:
        modal = await dialog_for(pilot, 1)
        passage = modal.query_one("#passage", Static)
        content = passage.visual
        marked = [content.plain[s.start : s.end] for s in content.spans if str(s.style) == USED]
        assert marked == ["Service users said that peers gave them hope for their own recovery."]
        assert passage.border_subtitle == "highlighted: what answer 1 used"


def test_snapshot_the_passage_highlights_what_the_answer_used(snap_compare, ollama):
    from tests.tui.test_snapshots import steady

    async def run_before(pilot) -> None:
        await dialog_for(pilot, 1)

    assert snap_compare(highlighted_app(), terminal_size=(100, 30), run_before=steady(run_before))
