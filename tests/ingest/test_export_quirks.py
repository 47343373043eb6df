"""Quirks of real exports (issue 23 defect 9, issue 25 item 13), each in a file written here."""

from __future__ import annotations

from pathlib import Path

from ingest.documents import records_from_file
from ingest.merge import merge_records
from vocab.record import Record

MAX = 10**7


def read(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> list[Record]:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return list(records_from_file(path, path.read_bytes(), name, MAX))


def test_csl_json_date_parts_with_an_underscore_and_a_doi_in_the_note(tmp_path):
    (rec,) = read(
        tmp_path,
        "zotero.json",
        '[{"id": "1", "type": "chapter", "title": "Peer support work",'
        ' "author": [{"family": "Strand", "given": "Monica"}],'
        ' "issued": {"date_parts": [[2018, 3]]},'
        ' "note": "Some remark\\nDOI: 10.1007/978-3-319-12345-6_7"}]',
    )
    assert rec.year == 2018
    assert rec.doi == "10.1007/978-3-319-12345-6_7"


def test_biblatex_subtitle_and_hyphen_macro(tmp_path):
    (rec,) = read(
        tmp_path,
        "library.bib",
        "@article{a, title={Peer support}, subtitle={A study of co\\hyphen{}production},"
        " author={Strand, Monica}, date={2018}, journaltitle={BMJ}}\n",
    )
    assert rec.title == "Peer support: A study of co-production"


def test_scopus_inline_markup_is_removed(tmp_path):
    (rec,) = read(
        tmp_path,
        "scopus.csv",
        "Authors,Author full names,Title,Year,Source title,DOI,Abstract\n"
        '"Smith J.","Smith, John (123)","CO<inf>2</inf> capture with <sup>13</sup>C labels",'
        '2020,Energy,10.1016/j.energy.2020.1,"We capture CO<inf>2</inf>."\n',
    )
    assert rec.title == "CO2 capture with 13C labels"
    assert rec.abstract == "We capture CO2."


def test_ris_title_only_in_st(tmp_path):
    (rec,) = read(
        tmp_path, "lib.ris", "TY  - JOUR\nST  - The short title\nAU  - Strand, M\nER  - \n"
    )
    assert rec.title == "The short title"


def test_ris_without_er_lines_keeps_every_entry(tmp_path):
    text = "".join(
        f"TY  - JOUR\nTI  - Paper number {n} on peer support\nAU  - Author{n}, A\nPY  - 201{n}\n"
        for n in range(3)
    )
    records = read(tmp_path, "noer.ris", text)
    assert [r.title for r in records] == [f"Paper number {n} on peer support" for n in range(3)]
    assert [r.authors for r in records] == [(f"Author{n}, A",) for n in range(3)]


def test_mendeley_duplicated_accented_author_keeps_the_accents(tmp_path):
    (rec,) = read(
        tmp_path,
        "mendeley.ris",
        "TY  - JOUR\nTI  - A paper\nAU  - Sore, Elodie\nAU  - Soré, Élodie\nAU  - Berry, C\n"
        "ER  - \n",
    )
    assert rec.authors == ("Soré, Élodie", "Berry, C")


def test_two_wos_records_alike_but_for_a_doi_stay_two(tmp_path):
    entry = (
        "PT J\nAU Strand, M\nAF Strand, Monica\nTI Peer support in mental health care\n"
        "SO BMJ\nPY 2018\n{doi}ER\n\n"
    )
    text = "FN Clarivate Analytics Web of Science\nVR 1.0\n"
    text += entry.format(doi="DI 10.1136/bmj.k1\n") + entry.format(doi="") + "EF\n"
    records = read(tmp_path, "savedrecs.txt", text)
    assert len(records) == 2
    merged = merge_records(records)
    assert len(merged) == 2 and len({m.record_id for m in merged}) == 2
    assert sorted(m.doi or "" for m in merged) == ["", "10.1136/bmj.k1"]
