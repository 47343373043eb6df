"""Corpus text, file names and model output are data: markup and escapes never act.

A document whose title, text and file name carry Rich/Textual markup (``[/]``,
``[link=…]``, ``[@click=app.quit]``) and a model answer carrying the same plus a
window-title escape must show literally everywhere (minus the escape), open no link,
quit nothing, and leave the terminal title alone.
"""

from __future__ import annotations

from pathlib import Path

from assistant.cli import main as cli_main
from assistant.tui.chat_screen import ChatScreen
from assistant.tui.source_modal import SourceModal
from assistant.tui.widgets.markdown_view import link_citations
from assistant.tui.widgets.sources_panel import SourcesPanel
from tests.conftest import unmarked
from tests.tui.conftest import ask, flat, ready, screen_text, wait_for, widget_text

TITLE = "Zebrafish lanterns [/] in [link=https://x]peer[/link] support [@click=app.quit]circles[/]"
FILE = "zebra [@click=app.quit] [link=https___x].md"
BODY = (
    "Zebrafish lanterns were studied as a metaphor in peer support circles [/] with "
    "[link=https://x]links[/link] and [@click=app.quit]actions[/] hidden in the text "
    "\x1b]0;pwned\x07and colours \x1b[31mred\x1b[0m. Participants described the zebrafish "
    "lantern metaphor as helpful for recovery conversations."
)
ANSWER = (
    "Zebrafish lanterns [/] support hope [1]. See [link=https://x]this[/link] and "
    "[@click=app.quit]quit[/] \x1b]0;pwned\x07now \x1b[1mbold\x1b[0m."
)
SHOWN_ANSWER = (
    "Zebrafish lanterns [/] support hope [1]. See [link=https://x]this[/link] and "
    "[@click=app.quit]quit[/] now bold."
)
MARKUP = ("[/]", "[link=https://x]", "[@click=app.quit]")


def terminal_output(app) -> str:
    """The exact characters Textual would send to a terminal for the current screen."""
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


def assert_clean(app) -> None:
    out = terminal_output(app)
    assert "pwned" not in out and "\x07" not in out
    assert "\x1b]0;" not in out and "\x1b]2;" not in out
    assert app.title == "Research assistant" and app.is_running


async def click_text(pilot, widget, needle: str) -> bool:
    """Click on the first place ``needle`` shows inside ``widget``; False if not visible."""
    lines = widget_text(pilot.app, widget).splitlines()
    for row, line in enumerate(lines):
        col = line.find(needle)
        if col >= 0:
            region = widget.region
            await pilot.click(offset=(region.x + col + 2, region.y + row))
            await pilot.pause()
            return True
    return False


async def test_hostile_document_and_answer_show_literally_and_do_nothing(
    make, ollama, tmp_path: Path, settings
):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / FILE).write_text(f"# {TITLE}\n\n{BODY}\n", encoding="utf-8")
    assert cli_main(["ingest", str(folder)]) == 0

    ollama.enqueue(ANSWER)
    app = make()
    opened: list[str] = []
    app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        exchange = await ask(pilot, "What do zebrafish lanterns mean in peer support circles?")
        chat = app.chat
        source = exchange.answer.sources[0]
        assert source.title == TITLE and source.path.endswith(FILE)

        # the answer: literal markup, no escape
        log_text = flat(unmarked(widget_text(app, chat.log_view)))
        assert flat(SHOWN_ANSWER) in log_text
        shown = chat.query_one("ExchangeView").markdown.source
        assert unmarked(shown) == link_citations(SHOWN_ANSWER)
        # the sources panel
        panel = chat.query_one(SourcesPanel)
        assert flat(f"[1] Anonymous (n.d.) {TITLE}") in flat(widget_text(app, panel))
        assert_clean(app)

        # clicking the would-be actions and links does nothing
        for needle in ("[@click=app.quit]", "https://x"):
            assert await click_text(pilot, chat.log_view, needle), needle
        assert isinstance(app.screen, ChatScreen) and app.is_running and not opened
        # the click reached the link (Textual's Markdown makes bare URLs links): shown only
        assert any(n.message == "Link not opened: https://x" for n in app._notifications)

        # the passage modal: title, file name, passage
        panel.focus()
        panel.highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SourceModal), "source modal")
        await pilot.pause()
        modal_text = flat(screen_text(app))
        for shown in (
            TITLE,
            FILE,
            "[link=https://x]links[/link] and [@click=app.quit]actions[/]",
            "hidden in the text and colours red.",
        ):
            assert flat(shown) in modal_text, shown
        assert_clean(app)
        assert await click_text(pilot, app.screen.query_one("#passage"), "[@click=app.quit]")
        assert isinstance(app.screen, SourceModal) and app.is_running and not opened
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "modal closed")

        # the export
        await pilot.press("f6")
        await pilot.pause()
        md = (settings.home / "exports" / f"{chat.conversation.id}.md").read_text("utf-8")
        bib = (settings.home / "exports" / f"{chat.conversation.id}.bib").read_text("utf-8")
        # Markdown is inert: the markup is kept as text, a web address shown as code.
        inert = SHOWN_ANSWER.replace("https://x", "`https://x`")
        assert inert in unmarked(md) and "\x1b" not in md and "pwned" not in md
        assert TITLE.replace("https://x", "`https://x`") in md
        for text in MARKUP:
            assert text.replace("https://x", "`https://x`") in md
        assert "\x1b" not in bib and r"Zebrafish lanterns [/] in [link=https://x]peer" in bib
        assert_clean(app)
    assert app.return_code is None or app.return_code == 0
    assert not opened
