"""How a source is named: surnames, organisations, particles, untitled records, locators."""

from __future__ import annotations

from assistant.answering.answer import Source
from assistant.references import full_ref, short_authors, surname


def test_surnames_keep_particles_and_organisations_stay_whole():
    assert surname("Berry, Clio") == "Berry"
    assert surname("Anna P. Folker") == "Folker"
    assert surname("Ana van der Berg") == "van der Berg"
    assert surname("Red Sea Research Group") == "Red Sea Research Group"
    assert short_authors(["Ana van der Berg", "Sleep Cohort Consortium"]) == (
        "van der Berg & Sleep Cohort Consortium"
    )


def test_full_reference_carries_volume_pages_and_the_passage_page():
    source = Source(
        n=2, record_id="r", title="A title", authors=("Strand, Monica",), year=2019,
        venue="J. Ment. Health", doi="10.1/x", path="lib/a.pdf", text="text", score=0.5,
        volume="28 (3)", pages="101-110", page=4,
    )  # fmt: skip
    assert full_ref(source) == (
        "[2] Strand (2019). A title. J. Ment. Health, 28 (3), 101-110; p. 4. https://doi.org/10.1/x"
    )
