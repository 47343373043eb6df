"""Answers that are not answers, caught while streaming or at the end
(assistant.answering.degenerate). Real SmolLM2-135M outputs are in
tests/data/smollm2_outputs.jsonl, captured from the real-model server."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from assistant.answering.degenerate import DegenerateCheck, degenerate, repetition, words
from tests.conftest import REPO
from tests.fakes.ollama_server import split_pieces


@dataclass
class Src:
    n: int
    authors: tuple[str, ...] = ()
    year: int | None = None
    title: str | None = None


SOURCES = [
    Src(1, ("Monica Strand", "Deede Gammon"), 2018, "Combining online and offline peer support"),
    Src(2, ("David Rosenberg", "Elisabeth Argentzell"), 2018, "Service users experience of peer"),
    Src(3, (), 2009, "Recovery-oriented professionals: Helping relationships"),
]


def stream(text: str | list[str], sources=SOURCES) -> tuple[str | None, int | None, str | None]:
    """(reason from feed, characters streamed when it came, reason from finish)."""
    check = DegenerateCheck(sources)
    streamed = 0
    for piece in split_pieces(text) if isinstance(text, str) else text:
        streamed += len(piece)
        reason = check.feed(piece)
        if reason is not None:
            return reason, streamed, check.finish()
    return None, None, check.finish()


# -- loops, while streaming ------------------------------------------------------------------
def test_a_word_loop_is_caught_early_while_streaming():
    pieces = split_pieces("Peer support is valued by ") + ["YOU", "-"] * 300  # as tokens
    reason, at, final = stream(pieces)
    assert reason == "The model repeated itself: 'you' 8 times in a row."
    assert at is not None and at < 80  # stopped after a few repeats, not at the length cap
    assert final == reason


def test_a_sentence_loop_is_caught_while_streaming():
    text = "Peer workers help. " + "Service users value hope and shared power in care [1]. " * 10
    reason, at, _ = stream(text)
    assert reason is not None and reason.startswith("The model repeated itself: 'service users")
    assert at is not None and at < len(text) // 2


def test_a_repeated_line_is_a_loop():
    text = "\n".join(["- Peer support groups help members [1]", "- Hope matters [2]"] * 3)
    assert degenerate(text, {1, 2}) is not None
    assert "the line" in (degenerate(text, {1, 2}) or "")


def test_ordinary_prose_with_repeated_words_is_not_a_loop():
    text = (
        "Peer support groups online and offline had different strengths [1]. Online groups "
        "were available at any time, while offline groups gave members a place to meet [1]. "
        "Service users valued professionals who conveyed hope [3], and peer support was a "
        "tipping point in the care-giving culture [2]. Support, support and more support was "
        "what members asked for [1]."
    )
    reason, _, final = stream(text)
    assert reason is None and final is None
    assert repetition(text, words(text)) is None


# -- shapes, at the end -------------------------------------------------------------------
def test_only_citation_markers_is_not_an_answer():
    assert stream("1. [1] 2. [2] 3. [3]")[2] == (
        "The answer is only citation markers, with nothing said."
    )
    assert degenerate("[1][2][3]", {1, 2, 3}) is not None
    assert degenerate("Hope [1], power [2], time [3].", {1, 2, 3}) is not None


def test_only_a_list_of_the_sources_is_not_an_answer():
    text = (
        "1. Strand et al. (2018)\n2. Rosenberg & Argentzell (2018). Service users experience "
        "of peer support\n3. Recovery-oriented professionals: Helping relationships"
    )
    assert stream(text)[2] == "The answer only lists sources, with nothing said about them."


def test_a_list_of_findings_is_an_answer():
    text = (
        "- Strand et al. (2018) found that online and offline groups complement each other [1].\n"
        "- Service users valued professionals who conveyed hope [3].\n"
        "- Peer support was described as a tipping point in the care-giving culture [2]."
    )
    assert stream(text)[2] is None


def test_an_answer_citing_nothing_is_caught_unless_it_says_the_sources_do_not_answer():
    assert stream("Peer support is very helpful for people in recovery.")[2] == (
        "The answer cites none of the sources it was given."
    )
    assert stream("The sources do not answer this question.")[2] is None
    assert stream("The provided sources contain no information about Croatia.")[2] is None
    # without sources, an uncited answer is not degenerate
    assert stream("Peer support is very helpful for people in recovery.", [])[2] is None


def test_citing_only_numbers_that_name_no_source_is_citing_nothing():
    assert stream("Peer support is very helpful for people in recovery [7].")[2] == (
        "The answer cites none of the sources it was given."
    )


def test_an_empty_answer():
    assert stream("")[2] == "The model wrote nothing."
    assert stream("  \n ")[2] == "The model wrote nothing."


def test_feed_reports_a_reason_once_and_finish_keeps_it():
    check = DegenerateCheck(SOURCES)
    reasons = [check.feed("go ") for _ in range(20)]
    assert [r for r in reasons if r] == ["The model repeated itself: 'go' 8 times in a row."]
    assert check.finish() == reasons[7]


# -- real SmolLM2-135M outputs --------------------------------------------------------------
REAL = REPO / "tests/data/smollm2_outputs.jsonl"
OUTPUTS = (
    [json.loads(line) for line in REAL.read_text("utf-8").splitlines()] if REAL.exists() else []
)


@pytest.mark.parametrize(
    "case", OUTPUTS, ids=[f"{c['id']}-{c['expect'] or 'answer'}" for c in OUTPUTS]
)
def test_real_model_outputs(case):
    """Each captured answer is judged as labelled: a loop, markers only, a list of sources,
    no citation, or an answer (``expect`` null)."""
    sources = [Src(s["n"], tuple(s["authors"]), s["year"], s["title"]) for s in case["sources"]]
    _, _, final = stream(case["output"], sources)
    expect = case["expect"]
    if expect is None:
        assert final is None
    else:
        assert final is not None and expect in final


def test_real_model_outputs_were_captured():
    kinds = {c["expect"] for c in OUTPUTS}
    assert len(OUTPUTS) >= 6 and None in kinds and len(kinds) >= 3
