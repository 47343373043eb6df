"""``/collection NAME`` in the chat: like ``/author``, kept with the options, shown in the
status bar, applied to the next question; a name that is no collection is refused."""

from __future__ import annotations

from index.codec import ChunkMeta
from tests.tui.conftest import submit, wait_for
from tests.tui.scripted_engine import PacedEngine, scripted_app


class FiledEngine(PacedEngine):
    """A scripted engine whose index holds papers filed in Zotero collections."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[object] = []

    def papers(self) -> list[ChunkMeta]:
        return [
            ChunkMeta(record_id="a", title="A", collections=("Thesis/Methods",)),
            ChunkMeta(record_id="b", title="B", collections=("Teaching",)),
            ChunkMeta(record_id="c", title="C"),
        ]

    def stream(self, question, history=(), options=None, cancel=None):
        self.options.append(options)
        yield from super().stream(question, history, options, cancel)


def notes(app) -> list[str]:
    return [str(n.render()) for n in app.chat.query(".note")]


async def test_collection_narrows_the_next_questions_and_unknown_names_are_refused(ollama):
    engine = FiledEngine()
    app = scripted_app(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "/collection Nope")
        await wait_for(pilot, lambda: any("Nope" in n for n in notes(app)), "the refusal")
        refusal = notes(app)[-1]
        assert refusal == (
            "No collection is named 'Nope'; the index's collections are 'Teaching', "
            "'Thesis/Methods'."
        )
        assert app.chat.query(".note")[-1].has_class("error")
        assert app.chat.options.collection is None

        await submit(pilot, "/collection methods")
        await wait_for(pilot, lambda: app.chat.options.collection == "methods", "the filter")
        assert notes(app)[-1] == "Only papers filed in the collection methods."
        assert "collection methods" in app.chat.options.describe()
        await submit(pilot, "What do peers give?")
        await wait_for(pilot, lambda: engine.options, "the question")
        filters = engine.options[-1].filters
        assert filters.collection == "methods"
        assert filters.accepts(engine.papers()[0]) and not filters.accepts(engine.papers()[1])
        assert app.chat.options.saved()["collection"] == "methods"  # kept with the chat

        await submit(pilot, "/collection")
        await wait_for(pilot, lambda: app.chat.options.collection is None, "the clearing")
        assert notes(app)[-1] == "Collection filter cleared."
        await submit(pilot, "/collection Teaching")
        await wait_for(pilot, lambda: app.chat.options.collection == "Teaching", "the filter")
        await submit(pilot, "/filters clear")
        await wait_for(pilot, lambda: app.chat.options.collection is None, "filters cleared")
