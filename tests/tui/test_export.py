"""Export: the conversation as Markdown with references, the cited sources as BibTeX."""

from __future__ import annotations

from assistant.answering.answer import Answer, Source
from assistant.conversations import Conversation, Exchange
from assistant.export import conversation_bibtex, conversation_markdown, export_conversation
from assistant.references import bibtex_entry, bibtex_escape
from tests.tui.conftest import ask, flat, ready, submit, widget_text


def sources() -> list[Source]:
    return [
        Source(
            n=1,
            record_id="r1",
            title="Peer support & {recovery}: 100% of $users_ #1",
            authors=("Strand, Monica", "Eng, Lars", "Gammon, Deede"),
            year=2018,
            venue="J. Ment. Health",
            doi="10.1186/s1_2",
            path="seeds/001.txt",
            text="Passage one.",
            score=0.9,
            volume="12",
            pages="100 - 110",
        ),
        Source(
            n=2,
            record_id="r2",
            title=None,
            authors=("Voyce, Andrew",),
            year=2019,
            venue=None,
            doi=None,
            path="seeds/002.txt",
            text="Passage two about peers.",
            score=0.7,
        ),
        Source(
            n=3,
            record_id="r3",
            title="Never cited",
            authors=("Nobody",),
            year=2020,
            venue=None,
            doi=None,
            path="seeds/003.txt",
            text="x",
            score=0.5,
        ),
    ]


def conversation() -> Conversation:
    first = Answer(
        "What helps?",
        "Hope helps [1]. Peers help [2].",
        "llm",
        "llama3.2",
        sources(),
        citations=[1, 2],
        standalone_question="What helps?",
    )
    second = Answer(
        "And Strand?",
        "Strand found hope [1].",
        "extractive",
        None,
        sources()[:1],
        citations=[1],
        warnings=["Extractive answer."],
        standalone_question="What did Strand find about hope?",
    )
    return Conversation(
        id="20250101-120000-abcd",
        created="2025-01-01T12:00:00+00:00",
        exchanges=[Exchange("What helps?", first), Exchange("And Strand?", second, cancelled=True)],
    )


EXPECTED_MD = """\
# What helps?

Conversation 20250101-120000-abcd, started 2025-01-01 12:00 UTC.

## 1. What helps?

Hope helps [1]. Peers help [2].

*llm answer by llama3.2.*

**References** (cited in the answer)

- [1] Strand et al. (2018). Peer support & {recovery}: 100% of $users_ #1. J. Ment. Health, \
12, 100 - 110. https://doi.org/10.1186/s1_2
- [2] Voyce (2019). “Passage two about peers.” [seeds/002.txt]

**Also retrieved, not cited**

- [3] Nobody (2020). Never cited. [seeds/003.txt]

## 2. And Strand?

Strand found hope [1].

*Searched as:* What did Strand find about hope?

*Incomplete: the answer above was not finished.*

*extractive answer.*

> Note: Extractive answer.

**References** (cited in the answer)

- [1] Strand et al. (2018). Peer support & {recovery}: 100% of $users_ #1. J. Ment. Health, \
12, 100 - 110. https://doi.org/10.1186/s1_2
"""

EXPECTED_BIB = r"""@article{strand2018peer,
  author = {Strand, Monica and Eng, Lars and Gammon, Deede},
  title = {Peer support \& \{recovery\}: 100\% of \$users\_ \#1},
  journal = {J. Ment. Health},
  volume = {12},
  pages = {100--110},
  year = {2018},
  doi = {10.1186/s1_2}
}

@misc{voyce2019,
  author = {Voyce, Andrew},
  year = {2019},
  note = {Untitled; begins “Passage two about peers.”}
}
"""


def test_markdown_export_lists_each_answers_references():
    assert conversation_markdown(conversation()) == EXPECTED_MD


def test_bibtex_export_has_the_cited_sources_once_escaped():
    assert conversation_bibtex(conversation()) == EXPECTED_BIB


def test_bibtex_escaping_and_keys():
    assert bibtex_escape(r"a\b ~x^ {y}") == (
        r"a\textbackslash{}b \textasciitilde{}x\textasciicircum{} \{y\}"
    )
    source = Source(
        n=1,
        record_id="r",
        title="The Åkerblom study",
        authors=("Åkerblom, Kristina", "Research and Development Unit"),
        year=None,
        venue=None,
        doi="{10.1/x}",
        path=None,
        text="",
        score=0.1,
    )
    entry = bibtex_entry(source, "akerblom")
    assert "author = {Åkerblom, Kristina and {Research and Development Unit}}" in entry
    assert "doi = {10.1/x}" in entry
    # an unknown year is left out: reference managers read "n.d." as a broken year
    assert "year" not in entry and "n.d." not in entry
    from assistant.references import bibtex_key

    taken: set[str] = set()
    assert bibtex_key(source, taken) == "akerblomndakerblom"
    assert bibtex_key(source, taken) == "akerblomndakerblomb"


def test_export_writes_both_files(tmp_path):
    md, bib = export_conversation(conversation(), tmp_path / "exports")
    assert md.read_text(encoding="utf-8") == EXPECTED_MD
    assert bib.read_text(encoding="utf-8") == EXPECTED_BIB
    assert md.name == "20250101-120000-abcd.md" and bib.name == "20250101-120000-abcd.bib"


async def test_export_command_writes_files_and_shows_where(make, ollama, settings):
    ollama.enqueue("Hope and shared experience [1][2].")
    app = make()
    async with app.run_test(size=(160, 40)) as pilot:
        await submit(pilot, "/export")
        await pilot.pause()
        assert "Nothing to export yet" in str(app.chat.query(".note")[-1].render())
        await ready(pilot)
        await ask(pilot, "What do service users value in peer support?")
        await pilot.press("f6")
        await pilot.pause()
        conv = app.chat.conversation
        md = settings.home / "exports" / f"{conv.id}.md"
        bib = settings.home / "exports" / f"{conv.id}.bib"
        assert md.read_text(encoding="utf-8") == conversation_markdown(conv)
        assert bib.read_text(encoding="utf-8") == conversation_bibtex(conv)
        assert bib.read_text().count("@") == 2
        assert flat(f"Exported to {md}") in flat(widget_text(app, app.chat.log_view))
