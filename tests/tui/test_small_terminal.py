"""Issue 24 defects 6 and 10: a small terminal keeps the question box, the footer's main keys,
room for the answer, and readable help."""

from __future__ import annotations

from textual.widgets._toast import Toast

from tests.tui.conftest import ready, screen_text, submit, wait_for
from tests.tui.scripted_engine import PacedEngine, scripted_app


async def test_toasts_leave_the_question_box_free_at_80x24(ollama):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await submit(pilot, "/k 3")
        await wait_for(pilot, lambda: list(app.screen.query(Toast)), "a toast")
        await pilot.pause()
        box = app.chat.prompt.region
        toasts = [t.region for t in app.screen.query(Toast)]
        assert toasts and not any(t.overlaps(box) for t in toasts)


async def test_the_footer_at_80_columns_names_quit_copy_and_new(ollama):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        footer = screen_text(app).splitlines()[-1]
        for label in ("Help", "Quit", "Copy", "New"):
            assert label in footer, footer
        # every word on the line is a whole key or label (no letter cut off at the edge)
        assert footer.rstrip().split()[-1] in {"Quit", "^q", "Palette"}


async def test_at_60_columns_the_answer_keeps_the_width(ollama):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        chat = app.chat
        await submit(pilot, "What do peers give?")
        await wait_for(pilot, lambda: chat.job is None and chat.conversation.exchanges, "answer")
        assert chat.log_view.region.width >= 55
        await pilot.press("f3")  # the sources are one key away, over the conversation
        await pilot.pause()
        assert chat.sources_panel.has_focus and chat.sources_panel.region.width >= 40
        await pilot.press("f3")
        await pilot.pause()
        assert chat.prompt.has_focus and chat.log_view.region.width >= 55


async def test_help_descriptions_wrap_under_themselves(ollama):
    app = scripted_app(PacedEngine())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        # At 80 columns "cancel the answer being written  [cancel]" wraps: the rest of the
        # line continues under the description, not under the keys.
        row = next(i for i, line in enumerate(lines) if "cancel the answer being" in line)
        column = lines[row].index("cancel the answer being")
        rest = lines[row] if "[cancel]" in lines[row] else lines[row + 1]
        assert rest.index("[cancel]") >= column
