"""A bibliographic question that names its paper by topic is searched for by that topic,
not by the frame that asks for a field."""

from __future__ import annotations

import json

import pytest

from assistant.answering.question.kind import topic_of


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("who are the authors of the paper on liminality?", "liminality"),
        ("Who wrote the study on stigma among staff?", "stigma among staff"),
        ("What is the DOI of the article about recovery colleges?", "recovery colleges"),
        ("In which journal did the study of peer mentoring appear?", "peer mentoring appear"),
        ("Qui a écrit l'étude sur la stigmatisation ?", "la stigmatisation"),
        ("liminality paper: who wrote it?", "liminality paper"),
    ],
)
def test_the_topic_is_the_question_without_its_frame(question: str, topic: str) -> None:
    assert topic_of(question) == topic


@pytest.mark.parametrize("question", ["who wrote it?", "who wrote that?", "how is peer work?"])
def test_without_a_frame_or_a_topic_the_question_is_kept(question: str) -> None:
    assert topic_of(question) == question


def test_a_one_word_topic_finds_its_paper(seeded_home, capsys) -> None:
    """The frame ("who are the authors of the paper on") diluted the one-word topic below
    the relevance gate, and the answer said no paper could be identified."""
    from assistant.cli import main

    assert main(["ask", "who are the authors of the paper on liminality?", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["sources"] and answer["sources"][0]["title"].startswith("Liminality")
    assert "Simpson" in answer["answer"]
