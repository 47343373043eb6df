"""The facts an answer states from a paper's parts, quoted as readable sentences."""

from __future__ import annotations

from assistant.answering.asked import _line, stated
from vocab.parts import Fact, Parts


def test_a_title_quoted_before_a_sentence_is_closed_not_run_into_it():
    title = "Carers as allies: A qualitative study of carers in rural services"
    method = "Two researchers conducted five focus groups with 21 carers."
    parts = Parts(
        {"method": (method,)},
        {"design": (Fact("qualitative", title), Fact("focus groups", method))},
    )
    line = _line(stated("method", parts), 1, None)
    assert f"“{title}. {method}”" in line
    assert "services Two researchers" not in line


def test_sentences_that_end_as_sentences_are_quoted_as_they_are():
    first = "Twelve nurses were interviewed."
    second = "Data were analysed using “framework analysis.”"
    parts = Parts({"method": (second,)}, {"design": (Fact("interviews", first),)})
    assert f"“{first} {second}”" in _line(stated("method", parts), 2, "Roe (2020)")
