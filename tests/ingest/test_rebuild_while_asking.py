"""Questions during ``ingest --rebuild`` are answered from the last published snapshot."""

from __future__ import annotations

import json

from assistant.cli import main
from index import IndexWriter


def test_questions_during_a_rebuild_are_answered_from_the_last_snapshot(
    seeded_home, capsys, monkeypatch
):
    capsys.readouterr()
    assert main(["sources", "--json"]) == 0
    before = {r["record_id"] for r in json.loads(capsys.readouterr().out)}
    during: list[tuple[int, str, str]] = []
    real_write = IndexWriter.write

    def write_while_asked(self, items, embed):
        if not during:  # the rebuild has dropped the old index and is writing the new one
            for argv in (
                ["ask", "What do service users value in peer support?", "--no-llm", "--json"],
                ["ask", "Which papers are from 2018?", "--no-llm", "--json"],
                ["sources", "--json"],
            ):
                capsys.readouterr()
                code = main(argv)
                out, err = capsys.readouterr()
                during.append((code, out, err))
        return real_write(self, items, embed)

    monkeypatch.setattr(IndexWriter, "write", write_while_asked)
    assert main(["ingest", "--rebuild", "--json"]) == 0
    assert len(during) == 3
    for code, _out, err in during:
        assert code == 0, err
        assert "internal error" not in err and "being written" not in err
    assert json.loads(during[0][1])["sources"]
    assert json.loads(during[1][1])["sources"]
    assert {r["record_id"] for r in json.loads(during[2][1])} == before
    capsys.readouterr()
    assert main(["sources", "--json"]) == 0  # and after it, the rebuilt index
    assert {r["record_id"] for r in json.loads(capsys.readouterr().out)} == before
    assert not list(seeded_home.glob("index/*/manifest.previous*"))
