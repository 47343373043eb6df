"""Issue 21 item 2, the chat half: the evidence table of an answer's papers (F10, /table).

Over the real seeded index (extractive answers), so the rows are the ones ``assistant
papers`` prints for the same papers.
"""

from __future__ import annotations

from textual.widgets import DataTable, Static

from assistant.answering.evidence import COLUMNS, flat, rows_for
from assistant.tui.evidence_screen import EvidenceScreen
from tests.tui.conftest import ask, ready, screen_text, submit, wait_for


async def test_f10_shows_the_evidence_table_of_the_papers_the_answer_cites(make, ollama):
    app = make()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await submit(pilot, "/mode extractive")
        exchange = await ask(pilot, "How many peer workers took part, and where?")
        answer = exchange.answer
        cited = [s.record_id for s in answer.sources if s.n in answer.citations]
        assert cited, "the extractive answer cites its sources"
        expected = rows_for(app.get_engine(), cited)

        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, EvidenceScreen), "the table")
        screen = app.screen
        await wait_for(pilot, lambda: screen.rows, "the rows")
        assert [r["record_id"] for r in screen.rows] == list(dict.fromkeys(cited))
        assert screen.rows == expected
        grid = screen.query_one("#evidence", DataTable)
        assert [str(c.label) for c in grid.columns.values()] == [
            "Paper",
            "Title",
            *(c.capitalize() for c in COLUMNS),
        ]
        assert grid.row_count == len(expected)
        assert f"papers cited by answer {len(app.chat.conversation.exchanges)}" in screen_text(app)
        # the row under the cursor in full, each cell with the sentence behind it
        detail = str(screen.query_one("#evidence-row", Static).render())
        first = expected[0]
        for column in COLUMNS:
            if first[column]:
                assert flat(first, column)[:30] in " ".join(detail.split())
            else:
                assert f"{column}: not reported" in detail
        await pilot.press("c")
        assert app.clipboard.startswith("| paper | title | aim | design | participants |")
        assert app.clipboard.count("\n") == len(expected) + 2
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.chat, "back")

        await submit(pilot, "/table 1 all")
        await wait_for(pilot, lambda: isinstance(app.screen, EvidenceScreen), "all papers")
        await wait_for(pilot, lambda: app.screen.rows, "the rows")
        everything = dict.fromkeys(s.record_id for s in answer.sources)
        assert [r["record_id"] for r in app.screen.rows] == list(everything)
        assert "retrieved for answer 1" in screen_text(app)
        await pilot.press("escape")

        await submit(pilot, "/table 5")
        await wait_for(pilot, lambda: "There is no answer 5" in screen_text(app), "the refusal")
        await submit(pilot, "/table many")
        await wait_for(pilot, lambda: "Usage: /table [N] [all]" in screen_text(app), "usage")


async def test_the_table_before_any_answer_says_so(make):
    app = make()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f10")
        await wait_for(
            pilot, lambda: "No answer to tabulate yet" in screen_text(app), "the sentence"
        )
        assert app.screen is app.chat
