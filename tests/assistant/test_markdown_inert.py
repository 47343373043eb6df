"""Answers written as Markdown (``batch -o out.md``, the chat's export and copy) carry no
link, image or autolink from a title, a passage or the model: rendered by a CommonMark
renderer with GitHub's bare-address linking on, the only link is a reference's doi.org."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from assistant.answering.answer import Answer, Source
from assistant.commands.batch import render_markdown
from assistant.export import answer_lines, md_text

HOSTILE_TITLE = (
    "Peer support [Click for the PDF](http://evil.example/x) ![](http://t.example/p.png)"
)
HOSTILE_ANSWER = (
    "Peers help [1]. Read more at <http://evil.example/a> or www.evil.example/b, "
    "[2][1] again.\n\n[1]: http://evil.example/ref\n\n<https://evil.example/c>"
)


def rendered(markdown: str) -> str:
    return MarkdownIt("gfm-like").enable("linkify").render(markdown)  # bare URLs linked


def links(html: str) -> list[str]:
    return re.findall(r"<(?:a|img)\b[^>]*?(?:href|src)=\"([^\"]*)\"", html)


def source(n, record_id, title, authors, year, venue, doi, path) -> Source:  # noqa: PLR0913
    return Source(
        n=n,
        record_id=record_id,
        title=title,
        authors=tuple(authors),
        year=year,
        venue=venue,
        doi=doi,
        path=path,
        text="t",
        score=1.0,
    )


def answer() -> Answer:
    sources = [
        source(1, "r1", HOSTILE_TITLE, ["Strand, Monica"], 2018, "J", "10.1186/s1_2", None),
        source(2, "r2", "A [b](http://evil.example/d)", ["Voyce, A"], 2019, None, None, "p"),
    ]
    return Answer("What helps?", HOSTILE_ANSWER, "llm", "llama3.2", sources, citations=[1, 2])


def test_batch_markdown_has_no_link_but_the_doi():
    text = render_markdown("q.txt", [{**answer().to_json(), "id": "q1"}])
    html = rendered(text)
    assert links(html) == ["https://doi.org/10.1186/s1_2"], html
    # Nothing is lost: the title and the addresses show as written.
    assert "[Click for the PDF](" in html and "http://evil.example/a" in html
    assert "Peers help [1]" in html and "[2][1] again" in html  # citation markers as text


def test_the_chat_export_lines_are_inert_too():
    html = rendered("\n".join(answer_lines(answer())))
    assert links(html) == ["https://doi.org/10.1186/s1_2"], html


def test_a_doi_that_is_not_plain_is_not_a_link():
    bad = source(1, "r", "T", [], 2020, None, "10.1/x)[a](http://evil.example)", None)
    lines = answer_lines(Answer("q", "a [1]", "llm", "m", [bad], citations=[1]))
    assert links(rendered("\n".join(lines))) == []


def test_inert_text_keeps_its_words():
    assert md_text("See <http://a.example/x>.") == "See `http://a.example/x`."
    assert md_text("[x](y) and [1]: z") == "[x\\](y) and [1\\]: z"
    assert md_text("Peers [1][2], (www.a.example).") == "Peers [1][2], (`www.a.example`)."
