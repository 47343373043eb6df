"""Answers from the bibliography: every match listed and cited in order; fields as stored."""

from __future__ import annotations

import re

from assistant.answering.question.bibliography import BibEntry, Bibliography
from assistant.answering.question.catalogue import bibliographic_answer, catalogue_answer
from assistant.answering.question.read import matching, read_question
from assistant.references import list_ref
from tests.assistant.bibdata import seed_bibliography

DEFAULT_TOP_K = 5


def _big_bibliography() -> Bibliography:
    """240 records, most years shared by a dozen papers: far more than a top k."""
    names = ["Berg", "Ndiaye", "Okafor", "Lindqvist", "Moreau", "Tanaka"]
    return Bibliography(
        BibEntry(
            record_id=f"r{i:03d}",
            title=f"Study number {i} of peer support",
            authors=(f"{names[i % 6]}, Kim", f"Ola {names[(i + 1) % 6]}"),
            year=2000 + i % 20,
            venue="Journal of Peer Work" if i % 4 < 2 else None,
            doi=f"10.5555/{i}" if i % 2 else None,
        )
        for i in range(240)
    )


def test_catalogue_lists_every_match_not_a_top_k() -> None:
    bib = _big_bibliography()
    interp = read_question("Which papers were published in 2007?", bib)
    entries = matching(interp, bib)
    assert len(entries) > DEFAULT_TOP_K
    answer = catalogue_answer(interp, entries)
    assert answer.text.startswith(f"{len(entries)} papers in the index match")
    cited = [int(n) for n in re.findall(r"^\[(\d+)\]", answer.text, flags=re.M)]
    assert cited == list(range(1, len(entries) + 1))
    assert {e.record_id for e in answer.entries} == {e.record_id for e in entries}
    for n, entry in enumerate(answer.entries, 1):
        assert f"[{n}] {list_ref(entry)}" in answer.text


def test_catalogue_by_author_and_venue_on_a_large_bibliography() -> None:
    bib = _big_bibliography()
    interp = read_question("List the papers by Okafor in the Journal of Peer Work", bib)
    entries = matching(interp, bib)
    expected = [e for e in bib.entries if e.venue and any("Okafor" in a for a in e.authors)]
    assert entries == expected and len(entries) > DEFAULT_TOP_K
    assert catalogue_answer(interp, entries).text.count("\n[") == len(entries)


def test_catalogue_is_in_reading_order() -> None:
    bib = seed_bibliography()
    interp = read_question("Which papers were published after 2020?", bib)
    years = [e.year for e in catalogue_answer(interp, matching(interp, bib)).entries]
    assert years == sorted(years)


def test_nothing_matches_says_so_and_names_what_is_missing() -> None:
    bib = seed_bibliography()
    interp = read_question("papers by Kowalczyk from 2019", bib)
    text = catalogue_answer(interp, matching(interp, bib)).text
    assert text.startswith("No paper in the index matches")
    assert "No paper by Kowalczyk in the index." in text
    assert "[1]" not in text


def test_bibliographic_field_is_given_exactly_as_stored() -> None:
    bib = seed_bibliography()
    entry = bib.by_doi("10.1186/s13033-023-00588-5")
    assert entry is not None
    for field, value in (("venue", entry.venue), ("doi", entry.doi), ("title", entry.title)):
        answer = bibliographic_answer(field, [entry])
        assert str(value) in answer.text and "[1]" in answer.text
    authors = bibliographic_answer("authors", [entry]).text
    assert all(name in authors for name in entry.authors)


def test_unknown_field_is_never_guessed() -> None:
    entry = BibEntry(record_id="r", title="A title", authors=(), year=None, venue=None, doi=None)
    for field in ("authors", "year", "venue", "doi"):
        text = bibliographic_answer(field, [entry]).text
        assert "not stated on the page" in text and "[1]" in text


def test_several_entries_each_get_their_own_number() -> None:
    bib = seed_bibliography()
    entries = bib.by_author("Akerblom")
    text = bibliographic_answer("doi", entries).text
    assert "[1]" in text and "[2]" in text
    assert "10.1186/s13033-023-00588-5" in text and "not stated on the page" in text


def test_french_questions_get_french_sentences() -> None:
    bib = seed_bibliography()
    interp = read_question("Quels articles ont été publiés en 2020 ?", bib)
    assert catalogue_answer(interp, matching(interp, bib)).text.startswith("3 articles de l’index")
    assert "pas indiqué" in bibliographic_answer("doi", bib.by_author("Voyce"), "fr").text


def test_no_entry_for_a_bibliographic_question() -> None:
    assert "No paper in the index" in bibliographic_answer("doi", []).text


def test_a_list_longer_than_the_limit_gives_the_count_and_names_the_first() -> None:
    """A library of thousands asked "how many papers…" gets the count, the first
    ``LIST_LIMIT`` papers and how many more there are, never megabytes of references."""
    from assistant.answering.question.catalogue import LIST_LIMIT

    total = LIST_LIMIT + 37
    bib = Bibliography(
        BibEntry(
            record_id=f"r{i:04d}",
            title=f"Paper {i}",
            authors=(f"Author{i % 9}, A.",),
            year=1990 + i % 30,
            venue=None,
            doi=None,
        )
        for i in range(total)
    )
    interp = read_question("How many papers does the index hold?", bib)
    answer = catalogue_answer(interp, matching(interp, bib))
    assert answer.text.startswith(f"{total} papers in the index match")
    cited = [int(n) for n in re.findall(r"^\[(\d+)\]", answer.text, flags=re.M)]
    assert cited == list(range(1, LIST_LIMIT + 1))
    assert len(answer.entries) == LIST_LIMIT  # the sources are the papers listed
    assert answer.text.splitlines()[-1].startswith("… and 37 more:")
    assert "assistant sources" in answer.text.splitlines()[-1]


def test_a_cut_list_of_untitled_papers_keeps_its_count(settings) -> None:
    """Untitled records are named by their opening words, which re-renders the list: the
    count still covers every match, not the papers shown."""
    from assistant.answering.events import AskOptions
    from assistant.answering.question.catalogue import LIST_LIMIT
    from tests.fakes.memory_index import Paper, memory_engine

    total = LIST_LIMIT + 5
    papers = [
        Paper(None, [], 2001, f"Opening words of abstract {i} about housing.", record_id=f"u{i}")
        for i in range(total)
    ]
    engine = memory_engine(settings, papers)
    extractive = AskOptions(mode="extractive")
    answer = engine.ask("How many papers does the index hold?", options=extractive)
    assert answer.answer.startswith(f"{total} papers in the index match")
    assert len(answer.sources) == LIST_LIMIT
    assert "“Opening words of abstract" in answer.answer
