"""The papers view (F8, /papers): browse the index by author, year, venue and title, narrow
by typing, ask about one paper (its questions search that paper only), and back again."""

from __future__ import annotations

from index import ChunkMeta
from tests.tui.conftest import ready, submit, wait_for
from tests.tui.scripted_engine import PacedEngine, scripted_app

PAPERS = [
    ChunkMeta(
        record_id="rec-strand",
        title=None,
        authors=("Strand, Monica", "Eng, Lars", "Gammon, D"),
        year=2018,
        venue="J Med Internet Res",
    ),
    ChunkMeta(
        record_id="rec-akerblom",
        title="Managers as peer workers' allies",
        authors=("Åkerblom, Kristina",),
        year=2023,
        venue="Int J Ment Health Syst",
        doi="10.1186/x",
    ),
    ChunkMeta(
        record_id="rec-krogh",
        title="Recovery colleges [bold]in[/] Denmark",
        authors=(),
        year=2021,
        venue="Psychiatric Services",
    ),
]


class PapersEngine(PacedEngine):
    def __init__(self) -> None:
        super().__init__()
        self.options: list[object] = []

    def papers(self):
        return list(PAPERS)

    def stream(self, question, history=(), options=None, cancel=None):
        self.options.append(options)
        yield from super().stream(question, history, options, cancel)


def table_rows(app) -> list[tuple]:
    from textual.widgets import DataTable

    table = app.screen.query_one("#papers", DataTable)
    return [tuple(table.get_row_at(i)) for i in range(table.row_count)]


async def test_browse_narrow_sort_and_ask_about_a_paper(ollama):
    from assistant.tui.papers_screen import PapersScreen

    engine = PapersEngine()
    app = scripted_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, PapersScreen), "the papers view")
        await wait_for(pilot, lambda: len(table_rows(app)) == 3, "the papers")
        # By author first; untrusted text is shown literally.
        assert [r[1] for r in table_rows(app)] == ["2023", "2018", "2021"]  # Å, S, none
        assert any("[bold]in[/]" in r[3] for r in table_rows(app))
        await pilot.press("ctrl+s")  # by year, newest first
        await pilot.pause()
        assert [r[1] for r in table_rows(app)] == ["2023", "2021", "2018"]
        await pilot.press(*"strand")
        await wait_for(pilot, lambda: len(table_rows(app)) == 1, "one paper")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, PapersScreen), "closed")
        assert app.chat.options.paper == "rec-strand"
        assert "paper: Strand et al. 2018" in app.chat.options.describe()
        await submit(pilot, "What did they find?")
        await wait_for(pilot, lambda: engine.options and app.chat.job is None, "the answer")
        assert engine.options[-1].filters.record_ids == frozenset({"rec-strand"})
        await submit(pilot, "/paper")
        await pilot.pause()
        assert app.chat.options.paper is None
        assert app.chat.options.filters.record_ids is None


async def test_an_engine_without_papers_says_so(ollama):
    from assistant.tui.papers_screen import PapersScreen

    app = scripted_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await submit(pilot, "/papers")
        await wait_for(pilot, lambda: isinstance(app.screen, PapersScreen), "the papers view")
        count = app.screen.query_one("#papers-count")
        await wait_for(pilot, lambda: "Cannot list papers" in str(count.render()), "the reason")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PapersScreen), "closed")


async def test_ctrl_o_opens_a_papers_doi_through_the_apps_opener(ollama):
    """The papers view opens through the same opener as a source's dialog (a recorder here:
    nothing is launched); a paper with neither a DOI nor a file here says so."""
    from assistant.tui.papers_screen import PapersScreen
    from tests.tui.conftest import RecordingOpener

    app = scripted_app(PapersEngine())
    app.opener = RecordingOpener()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, PapersScreen), "the papers view")
        await wait_for(pilot, lambda: len(table_rows(app)) == 3, "the papers")
        await pilot.press("ctrl+o")  # the first row, by author: Åkerblom, with a DOI
        await wait_for(pilot, lambda: app.opener.opened, "the DOI opened")
        assert app.opener.opened[0].url == "https://doi.org/10.1186/x"
        await pilot.press("down", "ctrl+o")  # Strand: no DOI, no file on this machine
        await wait_for(
            pilot,
            lambda: any("no file on this machine" in n.message for n in app._notifications),
            "why nothing opened",
        )
        assert len(app.opener.opened) == 1
