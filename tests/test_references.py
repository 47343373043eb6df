"""Issue 24 defects 4 and 13, and the export formats: every way a source is written out,
from :mod:`assistant.references`, valid for reference managers."""

from __future__ import annotations

import json

from assistant.answering.answer import Answer, Source
from assistant.conversations import Conversation, Exchange
from assistant.export import export_files
from assistant.references import (
    TitleBook,
    apa,
    bibtex,
    csl_json,
    full_ref,
    name_parts,
    ris,
    vancouver,
    volume_issue,
)


def article(**changes) -> Source:
    fields = dict(
        n=1,
        record_id="r1",
        title="Peer support in mental health",
        authors=["Strand, Monica", "Deede Gammon", "Lars Sørensen Eng"],
        year=2018,
        venue="Nordic Journal of Psychiatry",
        doi="10.1080/x.2018.1",
        path="seeds/001.txt",
        text="Peer support groups are offered online.",
        score=0.8,
        volume="23 (2)",
        pages="45-67",
    )
    fields.update(changes)
    return Source(**fields)  # type: ignore[arg-type]


def untitled(n: int, text: str) -> Source:
    return Source(
        n=n,
        record_id="r9",
        title=None,
        authors=("Voyce, Andrew",),
        year=None,
        venue=None,
        doi=None,
        path="s.txt",
        text=text,
        score=0.5,
    )


def test_bibtex_is_what_reference_managers_import():
    entry = bibtex([article()])
    assert entry.startswith("@article{strand2018peer,")
    assert "volume = {23}," in entry and "number = {2}," in entry and "pages = {45--67}" in entry
    bare = bibtex([untitled(1, "Purpose The purpose of this paper is to validate peer support")])
    assert bare.startswith("@misc{voyce")
    assert "title =" not in bare and "year =" not in bare and "n.d." not in bare
    assert "note = {Untitled; begins “Purpose The purpose" in bare


def test_volume_and_issue_are_split():
    assert volume_issue("23 (2)") == ("23", "2")
    assert volume_issue("23(2)") == ("23", "2")
    assert volume_issue("7") == ("7", "")
    assert volume_issue(None) == ("", "")


def test_apa_and_vancouver_citation_strings():
    assert apa(article()) == (
        "Strand, M., Gammon, D., & Eng, L. S. (2018). Peer support in mental health. "
        "Nordic Journal of Psychiatry, 23(2), 45–67. https://doi.org/10.1080/x.2018.1"
    )
    assert vancouver(article()) == (
        "Strand M, Gammon D, Eng LS. Peer support in mental health. Nordic Journal of "
        "Psychiatry. 2018;23(2):45-67. doi:10.1080/x.2018.1"
    )
    assert apa(untitled(1, "Some words")).startswith("Voyce, A. (n.d.). “Some words”")


def test_ris_and_csl_json_carry_the_same_fields():
    record = ris([article()])
    for line in (
        "TY  - JOUR",
        "AU  - Strand, Monica",
        "TI  - Peer support in mental health",
        "T2  - Nordic Journal of Psychiatry",
        "PY  - 2018",
        "VL  - 23",
        "IS  - 2",
        "SP  - 45",
        "EP  - 67",
        "DO  - 10.1080/x.2018.1",
        "ER  - ",
    ):
        assert line in record.splitlines()
    (item,) = csl_json([article()])
    assert item["type"] == "article-journal" and item["issued"] == {"date-parts": [[2018]]}
    assert item["author"][1] == {"family": "Gammon", "given": "Deede"}
    assert (item["volume"], item["issue"], item["page"]) == ("23", "2", "45-67")
    assert name_parts("World Health Organization") == ("World Health Organization", "")


def test_one_untitled_paper_has_one_pseudo_title_everywhere(tmp_path):
    first = untitled(1, "Peer workers bridge services and users in several ways.")
    second = untitled(1, "Later passage of the same paper, opening differently.")
    titles = TitleBook()
    assert full_ref(first, titles).split(" [")[0] == full_ref(second, titles).split(" [")[0]
    answers = [
        Answer("q1", "One [1].", "llm", "m", [first], citations=[1]),
        Answer("q2", "Two [1].", "llm", "m", [second], citations=[1]),
    ]
    conv = Conversation(id="c1", exchanges=[Exchange(a.question, a) for a in answers])
    files = export_files(conv, tmp_path, scope="all")
    markdown = files.markdown.read_text(encoding="utf-8")
    assert markdown.count("“Peer workers bridge") == 2 and "“Later passage" not in markdown
    assert "Later passage" not in files.bibtex.read_text(encoding="utf-8")
    assert json.loads(files.csl_json.read_text(encoding="utf-8"))[0]["note"].startswith(
        "Untitled; begins “Peer workers"
    )


def test_exports_hold_the_cited_sources_or_all_and_a_single_answer(tmp_path):
    cited, other = article(), article(n=2, record_id="r2", title="Other", doi=None)
    answers = [
        Answer("q1", "One [1].", "llm", "m", [cited, other], citations=[1]),
        Answer("q2", "Two.", "llm", "m", [other.__class__(**{**other.__dict__, "n": 1})]),
    ]
    conv = Conversation(id="c2", exchanges=[Exchange(a.question, a) for a in answers])
    assert export_files(conv, tmp_path).sources == 1
    everything = export_files(conv, tmp_path, scope="all")
    assert everything.sources == 2 and everything.ris.read_text().count("TY  - ") == 2
    single = export_files(conv, tmp_path, number=2)
    assert single.markdown.name == "c2-answer2.md"
    assert "q1" not in single.markdown.read_text(encoding="utf-8")
