"""Reading a question against the bibliography: the rules beyond the question sets."""

from __future__ import annotations

import pytest

from assistant.answering.question.bibliography import BibEntry, Bibliography, surname
from assistant.answering.question.read import matching, read_question
from assistant.answering.question.years import find_years
from tests.assistant.bibdata import (
    PAGES,
    REPO,
    pages_bibliography,
    records_of,
    seed_bibliography,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("papers in 2020", [(2020, 2020)]),
        ("after 2019", [(2020, None)]),
        ("since 2018", [(2018, None)]),
        ("before 2015", [(None, 2014)]),
        ("the 2018–2021 studies", [(2018, 2021)]),
        ("between 2018 and 2021", [(2018, 2021)]),
        ("from 2020", [(2020, 2020)]),
        ("from 2020 onwards", [(2020, None)]),
        ("from 2018 to 2021", [(2018, 2021)]),
        ("2019 or later", [(2019, None)]),
        ("up to 2016", [(None, 2016)]),
        ("in the 2010s", [(2010, 2019)]),
        ("depuis 2018", [(2018, None)]),
        ("entre 2018 et 2021", [(2018, 2021)]),
        ("avant 2015", [(None, 2014)]),
        ("doi 10.1186/s13033-023-00588-5, vol 12, n = 140", []),
        ("Mpango et al. 2020 on COVID-19", [(2020, 2020)]),
        ("from 2020 on.", [(2020, None)]),
    ],
)
def test_years_and_ranges(text: str, expected: list[tuple[int | None, int | None]]) -> None:
    assert find_years(text)[0] == expected


@pytest.mark.parametrize(
    "question",
    [
        "Which Norwegian studies discuss peer workers?",
        "What do Peer Support Workers say about Recovery?",
        "How did COVID change mental health services?",
        "Does peer support give hope to young people?",
        "What did participants report about the ReConnect portal?",
        "Mental health care in Croatia: what works?",
        "Which papers by Norwegian authors are there?",
    ],
)
def test_capitalised_ordinary_words_are_not_names(question: str) -> None:
    interp = read_question(question, seed_bibliography())
    assert not interp.authors and not interp.missing, interp.to_json()


def test_a_surname_that_is_an_ordinary_word_needs_a_name_context() -> None:
    bib = pages_bibliography()  # has authors named Long and Hope
    assert read_question("Is long-term support better?", bib).authors == ()
    assert read_question("Does it give people hope?", bib).authors == ()
    assert read_question("What did Hope et al. conclude?", bib).authors == ("Hope",)
    assert read_question("papers by Long", bib).authors == ("Long",)
    assert read_question("Which papers did Long and Adeyemi write?", bib).authors == (
        "Long",
        "Adeyemi",
    )


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("What did Kowalczyk et al. find?", ["Kowalczyk"]),
        ("papers by John Smith", ["Smith"]),
        ("What did Smith and Jones (2017) report?", ["Smith", "Jones", "2017"]),
        ("Summarise Nguyen's 2020 study", ["Nguyen"]),
        ("Qu'a montré l'étude de Dupont ?", ["Dupont"]),
        ("What did Strand and Kowalczyk find?", ["Kowalczyk"]),
        ("papers by Smith published in 2019", ["Smith"]),
        (
            "Who wrote 'A Theory of Everything in Psychiatry'?",
            ["“A Theory of Everything in Psychiatry”"],
        ),
        ("What is the DOI 10.1234/abc.5678 about?", ["10.1234/abc.5678"]),
    ],
)
def test_names_and_years_not_in_the_index_are_reported(question: str, missing: list[str]) -> None:
    bib = seed_bibliography()
    interp = read_question(question, bib)
    assert list(interp.missing) == missing
    assert matching(interp, bib) == []
    assert "in the index" in interp.describe()


def test_json_has_only_what_was_recognised() -> None:
    bib = seed_bibliography()
    assert read_question("What did Folker et al. (2019) find?", bib).to_json() == {
        "kind": "paper",
        "author": "Folker",
        "year": [2019, 2019],
        "facet": "findings",  # what it asks of the paper's parts
    }
    assert read_question("How does peer support help recovery?", bib).to_json() == {"kind": "topic"}
    interp = read_question("What is the DOI of 10.7202/1100664AR?", bib)
    assert interp.to_json() == {"kind": "bibliographic", "field": "doi", "doi": "10.7202/1100664ar"}


def test_describe_is_one_line() -> None:
    interp = read_question("Which papers by Strand appeared after 2017?", seed_bibliography())
    line = interp.describe()
    assert "\n" not in line and "Strand" in line and "2018 or later" in line


def test_lower_case_and_accentless_names() -> None:
    bib = seed_bibliography()
    assert read_question("what did folker find", bib).authors == ("Folker",)
    assert read_question("papers by akerblom", bib).authors == ("Åkerblom",)
    assert read_question("What did STRAND find?", bib).authors == ("Strand",)


def test_several_authors_of_different_papers_give_each_paper() -> None:
    bib = seed_bibliography()
    interp = read_question("Compare the papers by Strand and Folker", bib)
    firsts = sorted(e.authors[0] for e in matching(interp, bib))
    assert firsts == ["Anna P. Folker", "Monica Strand"]


def test_no_constraint_matches_everything() -> None:
    bib = seed_bibliography()
    assert len(matching(read_question("List all papers", bib), bib)) == len(bib)


@pytest.mark.parametrize(
    "question", ["", "   ", "?", "[/]\x1b[31m", "é" * 5000, "2020 " * 500, "by " * 300]
)
def test_odd_input_never_raises(question: str) -> None:
    interp = read_question(question, seed_bibliography())
    assert interp.kind in ("catalogue", "bibliographic", "paper", "topic")


def test_empty_bibliography_reports_names_as_missing() -> None:
    interp = read_question("What did Folker et al. find in 2019?", Bibliography([]))
    assert interp.missing == ("Folker", "2019")


def test_matching_scales_to_a_large_bibliography() -> None:
    entries = [
        BibEntry(
            record_id=f"r{i}",
            title=f"Paper {i}",
            authors=(_surname(i % 40) + ", A.",),
            year=2000 + i % 17,
            venue=None,
            doi=None,
        )
        for i in range(400)
    ]
    bib = Bibliography(entries)
    interp = read_question("Which papers were published in 2005?", bib)
    assert matching(interp, bib) == [e for e in entries if e.year == 2005]
    interp = read_question(f"papers by {_surname(7)} since 2010", bib)
    expected = [e for e in entries if e.authors[0].startswith(_surname(7)) and e.year >= 2010]  # type: ignore[operator]
    assert len(expected) > 1 and matching(interp, bib) == expected


def _surname(i: int) -> str:
    return "Kar" + "abcdefghij"[i % 10] + "mno"[i // 10 % 3] + "vski"[i // 30 % 4]


def test_french_question_quoting_an_english_title() -> None:
    interp = read_question("Qui a écrit « Staying Connected » ?", seed_bibliography())
    assert (interp.language, interp.kind, interp.field) == ("fr", "bibliographic", "authors")
    assert interp.titles == ("Staying Connected",)


def _all_pages_bibliography() -> Bibliography:
    paths = [
        *sorted((REPO / "seeds").iterdir()),
        *sorted((REPO / "tests" / "data" / "pages").iterdir()),
        *sorted(PAGES.glob("*.txt")),
    ]
    return Bibliography.from_records(records_of(paths))


def test_every_author_venue_and_title_of_every_test_page_is_found() -> None:
    """Not only the question sets' examples: each name, venue and title the ingest read."""
    bib = _all_pages_bibliography()
    for entry in bib.entries:
        for i, author in enumerate(entry.authors):
            name = surname(author)
            # "X et al." names the first author; "papers by X" any of them.
            asked = [f"papers by {name}"] + ([f"What did {name} et al. find?"] if i == 0 else [])
            for question in asked:
                interp = read_question(question, bib)
                assert entry in matching(interp, bib) and not interp.missing, question
        if entry.title:
            for question in (f'Who wrote "{entry.title}"?', f"When was {entry.title} published?"):
                interp = read_question(question, bib)
                assert interp.kind == "bibliographic" and entry in matching(interp, bib), question
    for venue in bib.venues:
        interp = read_question(f"Which papers appeared in {venue}?", bib)
        assert venue in interp.venues
        assert all(e.venue == venue for e in matching(interp, bib))


def test_given_names_before_an_unknown_surname() -> None:
    interp = read_question("What did John Smith find?", seed_bibliography())
    assert interp.missing == ("Smith",)
    assert read_question("What did Monica Strand find?", seed_bibliography()).authors == ("Strand",)


def test_quotes_mark_terms_as_well_as_titles() -> None:
    bib = seed_bibliography()
    term = read_question('What do papers say about "shared decision making"?', bib)
    assert term.to_json() == {"kind": "topic"} and term.language == "en"
    partial = read_question('Who wrote "Managers as peer workers"?', bib)
    assert partial.titles == ("Managers as peer workers",) and len(matching(partial, bib)) == 1
    unknown = read_question('Summarise the study "A Theory of Everything in Psychiatry"', bib)
    assert unknown.kind == "paper" and matching(unknown, bib) == []
