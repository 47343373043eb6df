"""Follow-ups: kept as they are when self-contained; a model's rewrite accepted only if safe."""

from __future__ import annotations

import pytest

from assistant.answering.condense import (
    accept_rewrite,
    clean_rewrite,
    is_self_contained,
    rule_condense,
)


@pytest.mark.parametrize(
    "followup",
    [
        "How do peer workers experience stigma in Norway?",
        "Which papers were published in 2018?",
        "What factors show that peer support helps recovery?",
        "Qu'est-ce qui aide les usagers à rester en contact avec une clinique ?",
    ],
)
def test_self_contained_followups(followup: str) -> None:
    assert is_self_contained(followup)
    assert rule_condense(followup, ["What did Strand et al. find?"]) == followup


@pytest.mark.parametrize(
    "followup",
    [
        "What did they find?",
        "And in 2020?",
        "What about Folker?",
        "Why?",
        "Tell me more about that study",
        "Who wrote it?",
        "Et pour les usagers de longue durée ?",
        "",
    ],
)
def test_followups_that_point_back(followup: str) -> None:
    assert not is_self_contained(followup)


def test_rule_keeps_the_topic_a_chain_of_followups_started_from() -> None:
    history = ["What did Strand find about online peer support?", "What about Folker?"]
    condensed = rule_condense("And in 2020?", history)
    assert condensed.startswith(history[0]) and condensed.endswith("And in 2020?")
    assert rule_condense("Why?", []) == "Why?"


@pytest.mark.parametrize(
    ("rewrite", "ok"),
    [
        ("What did Strand et al. find about stigma in online peer support?", True),
        ("Standalone question: What did Strand find about stigma?", True),
        ('"Which challenges of stigma did Strand et al. find?"', True),
        ("I could not find this in the sources.", False),
        ("Sorry, I cannot rewrite this question.", False),
        ("Stigma was reduced in the online groups.", False),
        ("What did Strand find?", False),  # lost "stigma"
        ("What did Strand find about stigma?\nI hope this helps!", False),
        ("", False),
    ],
)
def test_accept_rewrite(rewrite: str, ok: bool) -> None:
    assert accept_rewrite("What did they find about stigma?", rewrite) is ok


def test_clean_rewrite_drops_labels_and_quotes() -> None:
    assert clean_rewrite(' Rewritten question: "Who wrote it?" ') == "Who wrote it?"
