"""A paper's parts and study facts, read offline at ingest (ingest/parts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parts import labelled_segments, read_parts, split_sentences, with_parts
from vocab.parts import Parts
from vocab.record import Record

DATA = Path(__file__).parent.parent / "data" / "parts"


def parts_of(name: str, title: str | None = None) -> Parts:
    return read_parts(Record(title=title, abstract=(DATA / name).read_text(encoding="utf-8")))


def test_a_structured_english_abstract_is_read_by_its_labels():
    parts = parts_of("structured_en.txt")
    assert parts.labelled
    assert parts.part("aim")[0].startswith("To examine how community pharmacists")
    assert parts.part("setting") == ("Community pharmacies in Lisbon and Porto.",)
    assert parts.values("participants") == ["212 pharmacists"]
    assert parts.values("ages") == ["24-61"]
    assert {"survey", "cross-sectional"} <= set(parts.values("design"))
    assert "Portugal" in parts.values("setting")
    # each value keeps the sentence it came from
    assert parts.fact("participants")[0].sentence.startswith("212 pharmacists aged 24-61")


def test_french_labels_with_accents_and_spaced_colons():
    parts = parts_of("structured_fr.txt")
    assert parts.labelled
    assert parts.part("method")[0].startswith("Des entretiens semi-dirigés")
    assert parts.part("results")[0].startswith("Les participants décrivent")
    assert parts.values("participants") == ["18 bibliothécaires"]
    assert "interviews" in parts.values("design")
    assert {"Canada", "Montréal"} <= set(parts.values("setting"))


@pytest.mark.parametrize(
    ("name", "aim", "result", "people", "design", "place"),
    [
        (
            "unstructured_en.txt",
            "The aim of this study",
            "Three themes emerged",
            "twenty-two beekeepers",
            "interviews",
            "Berlin",
        ),
        (
            "unstructured_fr.txt",
            "Cette recherche explore",
            "Les résultats montrent",
            "15 parents",
            "focus groups",
            "France",
        ),
    ],
)
def test_unlabelled_abstracts_are_classified_sentence_by_sentence(
    name, aim, result, people, design, place
):
    parts = parts_of(name)
    assert not parts.labelled
    assert parts.part("aim")[0].startswith(aim)
    assert parts.part("results")[0].startswith(result)
    assert parts.part("conclusions")
    assert people in parts.values("participants")
    assert design in parts.values("design")
    assert place in parts.values("setting")


def test_words_that_open_sentences_are_not_labels():
    text = "We studied care. Results show that care helps. Design of the study was simple."
    assert labelled_segments(text) == [(None, text)]


def test_the_title_gives_design_and_country_of_a_title_only_record():
    parts = read_parts(Record(title="Peer work in Norwegian services: a literature review"))
    assert "literature review" in parts.values("design")
    assert parts.values("setting") == ["Norway"]
    assert not parts.sections


def test_parts_travel_with_the_record_without_changing_its_id():
    record = Record(title="T", abstract=(DATA / "structured_en.txt").read_text())
    before = record.record_id
    with_parts(record)
    assert record.record_id == before
    again = Record.from_dict(record.to_dict())
    assert Parts.from_json(again.parts).values("participants") == ["212 pharmacists"]
    assert Parts.from_json(Parts.from_json(again.parts).dumps()) == Parts.from_json(again.parts)
    assert "parts" not in Record(title="T").to_dict()  # old fingerprints hold


def test_a_full_stop_inside_a_quotation_does_not_split_the_sentence():
    text = (
        "Two themes were named “Finding a rhythm” and “Being seen by others.” "
        "Participants also said “We matter. Nobody asks us.” when asked about care. "
        "An “unclosed quote does not swallow the rest. Next sentence."
    )
    assert split_sentences(text) == [
        "Two themes were named “Finding a rhythm” and “Being seen by others.”",
        "Participants also said “We matter. Nobody asks us.” when asked about care.",
        "An “unclosed quote does not swallow the rest.",
        "Next sentence.",
    ]


def test_a_title_repeated_at_the_start_of_the_abstract_is_not_run_into_a_sentence():
    title = "Carers as allies: A qualitative study of carers' views in rural services"
    abstract = (
        "Carers as allies: A qualitative study of carers’ views in rural services\n"
        "Two researchers conducted five focus groups with 21 carers. "
        "Three themes were identified: trust, time and turf."
    )
    parts = read_parts(Record(title=title, abstract=abstract))
    assert parts.part("method")[0].startswith("Two researchers conducted")
    assert not any(s.startswith("Carers as allies") for p in parts.sections.values() for s in p)
