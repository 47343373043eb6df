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


STATED_AIMS = [
    "Therefore, the current research aims to understand how caring shapes identity.",
    "This paper aims to describe how caring shapes identity.",
    "We sought to understand how caring shapes identity.",
    "The objective was to describe how caring shapes identity.",
    "This study explores how caring shapes identity.",
    "In this phenomenological study exploring how caring shapes identity, carers met twice.",
    "The aim of this qualitative study was to explore how caring shapes identity.",
    "Cette étude vise à comprendre comment le soin façonne l'identité.",
    "L’objectif de cette recherche est de décrire comment le soin façonne l'identité.",
    "Nous avons cherché à comprendre comment le soin façonne l'identité.",
]


@pytest.mark.parametrize("aim", STATED_AIMS)
def test_an_aim_stated_in_an_unlabelled_abstract_is_read_as_the_aim(aim):
    text = f"Caring is common in many families. {aim} Eight carers were interviewed."
    assert read_parts(Record(abstract=text)).part("aim") == (aim,)


@pytest.mark.parametrize("aim", STATED_AIMS)
def test_an_aim_stated_under_an_introduction_label_is_read_as_the_aim(aim):
    text = (
        f"Introduction Caring is common in many families. {aim} "
        "Method Eight carers were interviewed. Findings Three themes were identified."
    )
    parts = read_parts(Record(abstract=text))
    assert parts.part("aim") == (aim,)
    assert parts.part("background") == ("Caring is common in many families.",)


def test_a_research_question_stated_under_a_method_label_is_the_aim_and_the_method():
    question = (
        "A qualitative study was chosen to explore the following research question: "
        "How do managers see peers?"
    )
    text = f"Background Peers are employed. Methods {question} Four focus groups were held."
    parts = read_parts(Record(abstract=text))
    assert parts.part("aim") == (question,)
    assert parts.part("method")[0] == question


def test_labels_that_give_an_aim_decide_it():
    text = "Background This study aims to help. Objective To describe care. Methods Interviews."
    assert read_parts(Record(abstract=text)).part("aim") == ("To describe care.",)


@pytest.mark.parametrize(
    "background",
    [
        "Peer support interventions aim to reduce stigma in services.",
        "Earlier studies sought to explain why carers withdraw.",
        "The goal of therapeutic interventions in mental health care is recovery.",
        "Previous research has explored how caring shapes identity.",
        "Le programme vise à réduire la stigmatisation dans les services.",
    ],
)
def test_other_work_s_aims_in_the_background_are_not_the_paper_s_aim(background):
    text = f"{background} Eight carers were interviewed. Three themes emerged."
    parts = read_parts(Record(abstract=text))
    assert parts.part("aim") == ()
    assert parts.part("background") == (background,)


@pytest.mark.parametrize(
    ("sentence", "method"),
    [
        ("We used template analysis to guide the analysis.", "template analysis"),
        (
            "The results were identified using systematic text condensation.",
            "systematic text condensation",
        ),
        (
            "Transcripts were read with interpretative phenomenological analysis.",
            "interpretative phenomenological analysis",
        ),
        ("Framework analysis was used to chart the data.", "framework analysis"),
        ("Data were examined by qualitative content analysis.", "content analysis"),
        ("Interviews were coded following grounded theory.", "grounded theory"),
        ("A critical discourse analysis of the policies was carried out.", "discourse analysis"),
        ("The stories were read by narrative analysis.", "narrative analysis"),
        ("Les entretiens ont fait l'objet d'une analyse de contenu.", "content analysis"),
        ("Interview transcripts were analysed thematically.", "thematic analysis"),
        ("We used reflexive thematic analysis.", "thematic analysis"),
    ],
)
def test_the_analysis_method_is_named_as_the_paper_names_it(sentence, method):
    text = f"The aim of this study was to explore care. Twelve nurses were interviewed. {sentence}"
    designs = read_parts(Record(abstract=text)).values("design")
    assert method in designs
    if method != "thematic analysis":
        assert "thematic analysis" not in designs


def test_the_analysis_method_is_kept_beside_several_designs():
    text = (
        "This qualitative phenomenological study explored care. Nurses took part in "
        "interviews and focus groups, which were read by framework analysis."
    )
    designs = read_parts(Record(abstract=text)).values("design")
    assert {"qualitative", "interviews", "focus groups", "phenomenology"} <= set(designs)
    assert "framework analysis" in designs


@pytest.mark.parametrize(
    ("sentence", "not_own", "own"),
    [
        (
            "This research refers to ethnographic precedents to describe its method.",
            "ethnography",
            None,
        ),
        ("Unlike earlier trials, we interviewed twelve nurses.", "trial", "interviews"),
        (
            "Previous qualitative studies have used focus groups; we used a survey.",
            "focus groups",
            "survey",
        ),
        (
            "As in prior grounded theory studies, we interviewed carers.",
            "grounded theory",
            "interviews",
        ),
        (
            "In contrast to most randomised trials, this study used a case study design.",
            "randomised controlled trial",
            "case study",
        ),
        ("This systematic review of previous studies found six trials.", None, "systematic review"),
    ],
)
def test_a_design_named_as_other_work_is_not_the_paper_s_design(sentence, not_own, own):
    text = f"The aim of this study was to describe care. {sentence}"
    designs = read_parts(Record(abstract=text)).values("design")
    if not_own:
        assert not_own not in designs
    if own:
        assert own in designs


def test_a_design_in_a_french_sentence_on_earlier_work_is_not_the_paper_s_design():
    text = (
        "Cette étude vise à décrire les soins. Les études antérieures ont utilisé des "
        "groupes de discussion. Douze infirmières ont participé à des entretiens."
    )
    designs = read_parts(Record(abstract=text)).values("design")
    assert "focus groups" not in designs and "interviews" in designs


@pytest.mark.parametrize(
    "sentence",
    [
        "The teams have been operating for five years and have had over a hundred users so far.",
        "The clinic serves 300 patients a year across the region.",
        "Results Twelve volunteers now run the service every week.",
    ],
)
def test_a_count_of_people_that_is_not_the_sample_is_not_the_participants(sentence):
    text = f"The aim of this project was to describe a peer service. {sentence}"
    assert read_parts(Record(abstract=text)).values("participants") == []


@pytest.mark.parametrize(
    ("sentence", "people"),
    [
        ("Twelve nurses took part in the study.", "Twelve nurses"),
        ("We interviewed 20 carers recruited from two clinics.", "20 carers"),
        ("Semi-structured interviews were held with 9 managers.", "9 managers"),
        ("A purposive sample of 31 students completed a questionnaire.", "31 students"),
        ("Eighteen service users responded to the survey.", "Eighteen service users"),
        ("Forty participants described their care.", "Forty participants"),
        ("Des entretiens ont été menés auprès de 14 infirmières.", "14 infirmières"),
    ],
)
def test_a_count_of_people_who_took_part_is_the_participants(sentence, people):
    text = f"The aim of this study was to describe care. {sentence}"
    assert read_parts(Record(abstract=text)).values("participants") == [people]


def test_a_count_in_the_background_is_not_the_participants():
    text = (
        "Background Earlier work interviewed 40 nurses about care. "
        "Aim To describe care. Methods Twelve carers took part in interviews."
    )
    assert read_parts(Record(abstract=text)).values("participants") == ["Twelve carers"]


def test_a_capitalised_programme_after_the_article_a_is_not_a_place():
    abstract = (
        "Aim: This study evaluated a Housing First programme for care leavers in Glasgow. "
        "Methods: We interviewed 18 care leavers."
    )
    places = read_parts(Record(title="Housing First for care leavers", abstract=abstract)).values(
        "setting"
    )
    assert "Glasgow" in places and "Housing First" not in places
