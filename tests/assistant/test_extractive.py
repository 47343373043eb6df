"""Extractive answers: which sentences can be quoted."""

from assistant.extractive import sentences


def test_structured_abstract_labels_are_not_quoted():
    text = (
        "Challenges and lessons learned The key take-away is that access to phones matters. "
        "Findings The unintentional nature of peer support is a valid methodology here. "
        "Results: Service users valued professionals who conveyed hope and shared power."
    )
    assert sentences(text) == [
        "The key take-away is that access to phones matters.",
        "The unintentional nature of peer support is a valid methodology here.",
        "Service users valued professionals who conveyed hope and shared power.",
    ]
