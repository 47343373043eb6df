"""Several conversations at once: Ctrl+T opens a tab, F9 and /tab N move between them, a
tab in the background keeps answering, /tab close closes one (never the last)."""

from __future__ import annotations

from assistant.tui.chat_screen import ChatScreen
from tests.tui.conftest import ready, submit, wait_for
from tests.tui.scripted_engine import PacedEngine, scripted_app


async def test_tabs_keep_their_own_conversations(ollama):
    engine = PacedEngine(delay=0.02)
    app = scripted_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        first = app.chat
        await submit(pilot, "/k 3")
        await pilot.pause()
        assert not first.query_one("#tabs").has_class("shown")  # one tab: no strip
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: len(app.chats) == 2 and app.screen is app.chats[1], "tab")
        second = app.chat
        assert second is not first and second.options.k == 3  # the current options
        assert second.query_one("#tabs").has_class("shown")
        # Ask in the second tab, go back to the first while it answers.
        await submit(pilot, "What helps in tab two?")
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.screen is first, "the first tab")
        await wait_for(pilot, lambda: second.conversation.exchanges and second.job is None, "bg")
        assert not first.conversation.exchanges
        assert second.conversation.id != first.conversation.id
        strip = str(first.query_one("#tabs").render())
        assert "▸1" in strip and "2 What helps in tab two?" in strip
        await submit(pilot, "/tab 2")
        await wait_for(pilot, lambda: app.screen is second, "tab 2")
        await submit(pilot, "/tab close")
        await wait_for(pilot, lambda: app.chats == [first] and app.screen is first, "closed")
        assert not first.query_one("#tabs").has_class("shown")
        await submit(pilot, "/tab close")
        await pilot.pause()
        assert app.chats == [first] and isinstance(app.screen, ChatScreen)
        notes = "\n".join(str(n.render()) for n in first.query(".note"))
        assert "This is the only tab" in notes
