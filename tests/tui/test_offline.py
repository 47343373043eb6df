"""Without Ollama: a clear banner, extractive answers; the banner clears when Ollama is back."""

from __future__ import annotations

from urllib.parse import urlsplit

from assistant.tui.widgets.status_bar import StatusBar
from tests.conftest import unmarked
from tests.tui.conftest import ask, flat, ready, serve_fake_on, wait_for, widget_text


async def test_offline_banner_extractive_answer_and_recovery(make, settings):
    app = make(poll=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        banner = app.chat.query_one("#banner")
        assert app.ollama.online is False
        assert banner.has_class("shown")
        assert flat(f"Ollama is offline ({settings.ollama_host})") in flat(widget_text(app, banner))
        assert "Ollama: offline" in str(app.chat.query_one(StatusBar).render_bar())

        exchange = await ask(pilot, "What do service users value in peer support?")
        assert exchange.answer.mode == "extractive"
        assert exchange.answer.sources and exchange.answer.citations
        assert any("not reachable" in w for w in exchange.answer.warnings)

        fake = serve_fake_on(urlsplit(settings.ollama_host).port)
        try:
            await wait_for(pilot, lambda: app.ollama.online is True, "Ollama to come back")
            await pilot.pause()
            assert not banner.has_class("shown")
            assert "Ollama 0.12.0" in str(app.chat.query_one(StatusBar).render_bar())
            fake.enqueue(
                "What do service users value in peer support online?",
                "From the model now: peer workers offer hope and shared experience [1].",
            )
            again = await ask(pilot, "And online?")
            assert again.answer.mode == "llm"
            assert unmarked(again.answer.answer) == (
                "From the model now: peer workers offer hope and shared experience [1]."
            )
        finally:
            fake.stop()


async def test_missing_model_is_explained_in_the_banner(make, ollama):
    ollama.models = ["mistral:latest"]
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        banner = app.chat.query_one("#banner")
        await pilot.pause()
        assert banner.has_class("shown")
        assert flat("Model llama3.2 is not in Ollama") in flat(widget_text(app, banner))
        await pilot.press(*"/model mistral", "enter")
        await pilot.pause()
        assert not banner.has_class("shown")
