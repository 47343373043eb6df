"""The catalogue kept in each snapshot: updated for the records a run touched, equal to a
fresh build, and read by the bibliography without loading the corpus."""

from pathlib import Path

import pytest

from assistant.answering.question.bibliography import BibEntry, Bibliography
from index.catalog import Catalog
from index.codec import ChunkMeta, to_store
from index.lexical import CorpusSnapshot

STAMP = {"collection": "c"}


def chunk_rows(
    rid: str, title: str, authors: list[str], year: int, texts: list[str], **extra: str
) -> list[tuple[str, str, dict]]:
    meta = ChunkMeta(
        record_id=rid,
        title=title,
        authors=tuple(authors),
        year=year,
        n_chunks=len(texts),
        path=f"/lib/{rid}.ris",
        **extra,  # type: ignore[arg-type]
    )
    return [
        (
            f"{rid}-{i:03d}-h{abs(hash(t)) % 10**6}",
            t,
            to_store(ChunkMeta(**{**meta.__dict__, "chunk": i})),
        )
        for i, t in enumerate(texts)
    ]


def library() -> dict[str, list[tuple[str, str, dict]]]:
    return {
        "a": chunk_rows("a", "Peer support in recovery", ["Folker, Anna", "Strand, M."], 2018,
                        ["Peer workers offer hope.", "Service users value shared experience."]),
        "b": chunk_rows("b", "Hope and recovery", ["Long, Sarah"], 2020,
                        ["Recovery takes a long time."], venue="Journal of Mental Health"),
        "c": chunk_rows("c", "Stigma among staff", ["van Hecke, Nele"], 2016,
                        ["Staff attitudes were measured."], doi="10.1000/XYZ"),
    }  # fmt: skip


def catalogue(path: Path) -> dict[str, list]:
    snap = CorpusSnapshot(path)
    return {
        table: sorted(snap.query(f"SELECT * FROM {table}"))
        for table in ("records", "author_keys", "title_words")
    }


@pytest.mark.parametrize("keep_text", [False, True])
def test_an_updated_catalogue_equals_a_fresh_one(tmp_path: Path, keep_text: bool) -> None:
    lib = library()
    CorpusSnapshot.create(tmp_path / "u", 1, STAMP, [r for v in lib.values() for r in v], keep_text)
    # One record removed, one edited (new title, a chunk replaced, one kept), one added.
    edited = chunk_rows("a", "Peer support at work", ["Folker, Anna"], 2019,
                        ["Peer workers offer hope.", "Employers were unsure."])  # fmt: skip
    added = chunk_rows("d", "Housing first", ["Åkerblom, K."], 2021, ["Housing helps."])
    old_ids = {r[0] for r in lib["a"] + lib["c"]}
    CorpusSnapshot.update(tmp_path / "u", 2, STAMP, old_ids, edited + added, keep_text)
    now = edited + lib["b"] + added
    CorpusSnapshot.create(tmp_path / "f", 2, STAMP, now, keep_text)
    assert catalogue(tmp_path / "u") == catalogue(tmp_path / "f")

    cat = Catalog(CorpusSnapshot(tmp_path / "u").query)
    assert [rid for rid, _, _ in cat.rows()] == ["a", "b", "d"]
    assert cat.ids_with_author_key("folker") == ["a"]
    assert not cat.has_author_key("strand")  # dropped from the edited record
    assert not cat.has_author_key("hecke")  # its record was removed
    assert cat.ids_with_author_key("akerblom") == ["d"]
    assert cat.ids_in_years(2019, 2021) == ["a", "b", "d"]
    assert cat.ids_with_title_words(["peer", "work"]) == ["a"]
    assert cat.rows(["a"])[0][2].title == "Peer support at work"
    assert cat.rows(["a"])[0][1] == 2
    assert cat.is_lower_word("unsure") and cat.is_lower_word("hope")


def test_a_record_whose_first_chunk_is_unknown_forces_a_rebuild(tmp_path: Path) -> None:
    """An update that cannot name a record's first chunk refuses (the index rebuilds)."""
    lib = library()
    CorpusSnapshot.create(tmp_path / "s", 1, STAMP, lib["a"], keep_text=False)
    # Drop only the first chunk: the record keeps a chunk whose metadata the update lacks.
    with pytest.raises(ValueError):
        CorpusSnapshot.update(tmp_path / "s", 2, STAMP, {lib["a"][0][0]}, [], keep_text=False)
    assert CorpusSnapshot(tmp_path / "s").generation == 1  # the old one is untouched


class _NoWholeReads:
    """A catalogue that fails the test when the whole bibliography is read."""

    def __init__(self, inner: Catalog) -> None:
        self._inner = inner

    def rows(self, record_ids=None):  # noqa: ANN001, ANN201
        assert record_ids is not None, "the whole catalogue was read"
        return self._inner.rows(record_ids)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._inner, name)


def test_questions_about_some_papers_read_only_those() -> None:
    from assistant.answering.question.read import matching, read_question

    def name(i: int) -> str:
        return "Kar" + "".join("bdfgklmnprstv"[int(d)] for d in str(i)) + "ov"

    entries = [
        BibEntry(record_id=f"r{i}", title=f"Paper {i} on topic {i % 7}",
                 authors=(f"{name(i)}, A.",), year=1990 + i % 30,
                 venue="Journal of Things" if i % 5 == 0 else None, doi=f"10.1000/{i}")
        for i in range(300)
    ]  # fmt: skip
    full = Bibliography(entries)
    bib = Bibliography(catalog=_NoWholeReads(full.catalog))  # type: ignore[arg-type]
    for question, want in [
        (f"What did {name(17)} et al. find?", ["r17"]),
        ("Which papers are from 2001?", [e.record_id for e in entries if e.year == 2001]),
        ("What is 10.1000/42 about?", ["r42"]),
        ("Which papers appeared in Journal of Things?", [f"r{i}" for i in range(0, 300, 5)]),
    ]:
        interp = read_question(question, bib)
        assert [e.record_id for e in matching(interp, bib)] == want, question
