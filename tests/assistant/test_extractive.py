"""Extractive answers: which sentences can be quoted, and which are chosen."""

import pytest

from assistant.answering.answer import Source
from assistant.answering.extractive import extractive_answer, labelled_sentences, sentences
from index.embedder import MiniLMEmbedder
from tests.conftest import model_dir


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


# -- choosing sentences (real MiniLM, as in retrieval) ------------------------------------

STRUCTURED = (
    "BACKGROUND Peer support groups are central to recovery-oriented care in Norway. "
    "METHODS Service users were interviewed in focus groups about the online portal. "
    "RESULTS Participants found that online peer support reduced loneliness and built "
    "new friendships. CONCLUSIONS Combining online and offline peer support helps people "
    "feel connected."
)


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(model_dir())


def _source(n: int, text: str, record_id: str = "", **fields: object) -> Source:
    return Source(
        n=n,
        record_id=record_id or f"r{n}",
        title=None,
        authors=(),
        year=None,
        venue=None,
        doi=None,
        path=None,
        text=text,
        score=1.0,
        **fields,
    )  # type: ignore[arg-type]


def test_labels_inside_a_run_of_text_start_a_section() -> None:
    text = (
        "Few studies exist on this topic in the local area "
        "CONCLUSIONS Peer workers matter a great deal here."
    )
    found = labelled_sentences(text + " Methods: we asked twelve people about their experiences.")
    assert ("Peer workers matter a great deal here.", "CONCLUSIONS") in found
    assert all(not s.startswith(("CONCLUSIONS", "Methods")) for s, _ in found)
    glued = labelled_sentences(
        "Managers can hinder peer workers in many ways.Methods A qualitative design was used here."
    )
    assert [s for s, _ in glued] == [
        "Managers can hinder peer workers in many ways.",
        "A qualitative design was used here.",
    ]


def test_findings_are_preferred_over_methods(embedder: MiniLMEmbedder) -> None:
    text, cited = extractive_answer(
        "What did the study on online peer support find?", [_source(1, STRUCTURED)], embedder, 1
    )
    assert "reduced loneliness" in text and cited == [1]


def test_top_sources_come_first_in_rank_order(embedder: MiniLMEmbedder) -> None:
    sources = [
        _source(
            1, "Peer support workers reduced readmissions after hospital discharge by a third."
        ),
        _source(2, "Peer support after discharge was valued by patients who had been in hospital."),
        _source(3, "Peer support after hospital discharge made patients ask for help earlier."),
    ]
    text, cited = extractive_answer(
        "What does peer support after discharge do?", sources, embedder, 3
    )
    assert cited == [1, 2, 3]
    assert [line[-3:] for line in text.splitlines()] == ["[1]", "[2]", "[3]"]


def test_the_version_in_the_questions_language_is_quoted(embedder: MiniLMEmbedder) -> None:
    english = "Readmissions within ninety days fell by a third after the peer programme started."
    french = (
        "Les réhospitalisations dans les quatre-vingt-dix jours ont diminué d'un tiers "
        "avec les pairs."
    )
    source = _source(1, english, "rec", language="en")
    question = "Qu'est-ce que le programme de pairs a changé pour les réhospitalisations ?"
    text, _ = extractive_answer(question, [source], embedder, 1, {"rec": {"fr": french}})
    assert "réhospitalisations" in text
    text, _ = extractive_answer(
        "What changed for readmissions?", [source], embedder, 1, {"rec": {"fr": french}}
    )
    assert "Readmissions" in text
    # The old call, without translations, still works.
    assert extractive_answer(question, [source], embedder)[1] == [1]


def test_a_sentence_from_an_unrelated_source_is_not_quoted(embedder: MiniLMEmbedder) -> None:
    sources = [
        _source(1, "Urban tree canopy lowered surface temperatures by up to three degrees."),
        _source(2, "Bark beetle outbreaks spread faster in spruce stands after dry summers."),
        _source(3, "Glaciers in the Alps lost a tenth of their ice volume in two years."),
    ]
    text, cited = extractive_answer(
        "How much did canopy cover lower surface temperature?", sources, embedder, 4
    )
    assert cited == [1] and "Bark beetle" not in text and "Glaciers" not in text
