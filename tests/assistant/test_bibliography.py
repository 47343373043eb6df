"""The bibliography's look-ups: author forms and accents, years, venues, DOIs, titles."""

from __future__ import annotations

from assistant.answering.question.bibliography import (
    BibEntry,
    Bibliography,
    surname_keys,
    venue_matches,
)
from tests.assistant.bibdata import seed_bibliography


def _entry(rid: str, authors: tuple[str, ...], year: int | None = None) -> BibEntry:
    return BibEntry(record_id=rid, title=None, authors=authors, year=year, venue=None, doi=None)


def test_both_name_forms_and_accents_find_the_same_person() -> None:
    bib = seed_bibliography()
    for name in ("Akerblom", "åkerblom", "Åkerblom, Kristina", "Kristina Bakke Åkerblom"):
        found = bib.by_author(name)
        assert len(found) == 2, name
    assert bib.display_surname("akerblom") == "Åkerblom"


def test_compound_and_hyphenated_surnames() -> None:
    bib = seed_bibliography()
    assert [e.authors[0] for e in bib.by_author("Stimac Grbic")] == ["D Stimac Grbic"]
    assert [e.authors[0] for e in bib.by_author("Ardill-Young")] == ["Ardill-Young, Oliver"]
    assert bib.by_author("Van Hecke")[0].authors[0] == "Vandewalle, Joeri"
    assert "van" not in surname_keys("Van Hecke, Ann")  # a particle never names anyone alone


def test_years_and_open_ranges() -> None:
    bib = seed_bibliography()
    assert {e.year for e in bib.by_year(2018, 2018)} == {2018}
    assert all(e.year and e.year >= 2023 for e in bib.by_year(2023, None))
    assert all(e.year and e.year <= 2010 for e in bib.by_year(None, 2010))
    assert bib.by_year(1990, 1995) == []


def test_venue_by_full_name_leading_part_abbreviation_and_initials() -> None:
    full = "International Journal of Mental Health Systems"
    assert venue_matches("international journal of mental health systems", full)
    assert venue_matches("Int J Ment Health Syst", full)
    assert venue_matches("IJMHS", full)
    assert venue_matches("Canadian Social Work", "Canadian Social Work Review")
    assert not venue_matches("Int J Nurs Stud", full)
    bib = seed_bibliography()
    assert [e.authors[0] for e in bib.by_venue("Int J Ment Health Nurs")] == ["Simpson, Alan"]


def test_doi_any_case_and_resolver_prefix() -> None:
    bib = seed_bibliography()
    entry = bib.by_doi("https://doi.org/10.1186/S13033-023-00588-5")
    assert entry is not None and entry.doi == "10.1186/s13033-023-00588-5"
    assert bib.by_doi("10.9999/nothing") is None


def test_title_phrase_ignores_case_and_punctuation() -> None:
    bib = seed_bibliography()
    assert len(bib.by_title("staying connected")) == 1
    assert len(bib.by_title("RECOVERY ORIENTED professionals")) == 1
    assert bib.by_title("connected staying") == []


def test_from_meta_reads_chroma_style_metadata() -> None:
    meta = {
        "record_id": "r1",
        "title": "T",
        "authors": "Berry, Clio; Hayward, Mark I.",
        "year": 2011,
        "venue": "J",
        "doi": "",
        "keywords": "a; b",
        "has_abstract": False,
    }
    entry = BibEntry.from_meta(meta)
    assert entry.authors == ("Berry, Clio", "Hayward, Mark I.")
    assert entry.keywords == ("a", "b") and entry.doi is None and not entry.has_abstract
    assert Bibliography([entry]).by_author("Hayward") == [entry]


def test_ordinary_words_come_from_the_corpus_text() -> None:
    bib = seed_bibliography()
    assert "support" in bib.ordinary_words
    assert "folker" not in bib.ordinary_words


def test_empty_bibliography() -> None:
    bib = Bibliography([])
    assert bib.by_author("Anyone") == [] and bib.by_year(2020, 2020) == []
    assert bib.by_title("x y") == [] and bib.venues == []
    entry = _entry("a", ("Anna Long",), year=2020)
    assert Bibliography([entry]).by_author("long") == [entry]
