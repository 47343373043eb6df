"""A model's own reference lists and links never reach the reader, streamed or final."""

from __future__ import annotations

import pytest

from assistant.answering.citations import StreamFilter, check_citations, strip_unsourced

FABRICATED = (
    "Peer workers offer hope [1] and share power [2].\n\n"
    "Sources:\n"
    "[1] Fake Author (1999). A study that never was. doi 10.9999/fake\n"
    "[2] Other, B. (2003). Made up. https://example.org/fake\n"
)


def stream(text: str, valid: set[int], size: int) -> str:
    f = StreamFilter(valid)
    shown = "".join(f.feed(text[i : i + size]) for i in range(0, len(text), size))
    return shown + f.flush()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FABRICATED, "Peer workers offer hope [1] and share power [2]."),
        (
            "Hope matters [1].\n\n**References:**\n- Smith J (2019) Fake. *Journal*.\n",
            "Hope matters [1].",
        ),
        (
            "Hope matters [1].\n\n## Bibliography\n\n1. Smith (2019)\n2. Lee (2020)",
            "Hope matters [1].",
        ),
        ("Hope [1].\nSources: [1] Fake Author (1999) doi 10.9999/fake", "Hope [1]."),
        ("Hope [1].\n\nReferences used:\n[1]: https://fake.example/x", "Hope [1]."),
        ("Hope [1].\nSources", "Hope [1]."),
    ],
)
def test_a_trailing_reference_list_is_dropped(text, expected):
    assert strip_unsourced(text).strip() == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sources of stress include workload [1].",
        "References to recovery were common [2].\nThey mattered.",
        "Sources:\n- peer workers (2019)\nTaken together, hope matters most [1].",
        "The source: a survey of 200 users [1].",
    ],
)
def test_prose_that_only_looks_like_a_heading_is_kept(text):
    assert strip_unsourced(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hope [1](http://fake.example/paper) matters.", "Hope [1] matters."),
        ("See [the protocol](https://x.org/p?a=(1)) here.", "See the protocol here."),
        ('As [Smith](www.fake.org "Smith 1999") says.', "As Smith says."),
        ("Shown [2,3](doi:10.9999/x).", "Shown [2,3]."),
        ("A year [1](2019) stays.", "A year [1](2019) stays."),
        ("An aside [1](p. 5) stays.", "An aside [1](p. 5) stays."),
    ],
)
def test_markdown_links_become_plain_text_or_the_bare_citation(text, expected):
    assert strip_unsourced(text) == expected


def test_the_stream_never_shows_the_list_or_a_link_and_matches_the_final_text():
    text = (
        "Hope matters [1](https://fake.example/a) and so does [the study](http://x.org) [9].\n"
        + FABRICATED.split("\n", 1)[1]
    )
    valid = {1, 2}
    final = check_citations(strip_unsourced(text), valid).text
    assert "fake" not in final.lower() and "http" not in final and "Sources" not in final
    for size in (1, 2, 3, 7, 50):
        f = StreamFilter(valid)
        shown = [f.feed(text[i : i + size]) for i in range(0, len(text), size)]
        assert not any("http" in s or "Fake" in s or "Sources" in s for s in shown)
        assert ("".join(shown) + f.flush()).strip() == final


@pytest.mark.parametrize(
    "text",
    [
        "Sources of stress include workload [1].\nReferences:\n- Fake (1999)\n",
        "Plain answer [1] with [a note] and [2](2019).\n",
        "Sources:\n- a list (2019)\nand then prose [1]\n",
        "# Sources\n\n[1] x (2001)\n[2] y (2002)",
        "x [1](http://a.org) [b](/rel) [c](  ",
    ],
)
def test_stream_and_final_agree_at_every_split(text):
    for size in (1, 2, 4, 9):
        assert stream(text, {1, 2}, size) == stream(text, {1, 2}, len(text) + 1)
    assert stream(text, {1, 2}, 1).strip() == check_citations(strip_unsourced(text), {1, 2}).text
