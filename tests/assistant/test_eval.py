"""``assistant eval``: metric functions by hand, a tiny BEIR set end to end, own questions."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.evaluate import beir_records, collection_name, evaluate_beir, load_beir
from assistant.metrics import hit_at, mrr_at, ndcg_at, recall_at

pytestmark = pytest.mark.timeout(120)

DOCS = {
    "bees": ("Honey bees", "Honey bees build wax combs in the hive and make honey from nectar."),
    "volcano": ("Volcanoes", "A volcano erupts molten lava, ash and gas from the magma chamber."),
    "chess": ("Chess openings", "The Sicilian Defence is a chess opening answering e4 with c5."),
    "bread": ("Sourdough", "Sourdough bread rises with wild yeast and lactic acid bacteria."),
    "comet": ("Comets", "A comet is an icy body whose tail points away from the sun."),
    "violin": ("Violin", "The violin is a bowed string instrument with four strings."),
    "glacier": ("Glaciers", "Glaciers are slow rivers of ice carving valleys in mountains."),
    "tea": ("Green tea", "Green tea leaves are steamed or pan-fired to stop oxidation."),
    "copy-a": ("", "Penguins huddle together to survive the Antarctic winter wind."),
    "copy-b": ("", "Penguins huddle together to survive the Antarctic winter wind."),
    "rail": ("Steam locomotives", "Steam locomotives burn coal to boil water for the pistons."),
    "moss": ("Mosses", "Mosses are small flowerless plants that grow in damp shade."),
}
QUERIES = {
    "q-bees": "how do honey bees make honey in the hive",
    "q-lava": "volcano eruption lava and magma",
    "q-chess": "Sicilian Defence chess opening",
    "q-penguin": "penguins huddle in the Antarctic winter",
    "q-unjudged": "this query has no relevant document",
    "q-extra": "a query without judgements at all",
}
QRELS = [  # query, document, grade
    ("q-bees", "bees", 2),
    ("q-lava", "volcano", 1),
    ("q-chess", "chess", 3),
    ("q-penguin", "copy-a", 2),
    ("q-penguin", "copy-b", 1),
    ("q-unjudged", "moss", 0),
]


@pytest.fixture
def beir_dir(tmp_path: Path) -> Path:
    root = tmp_path / "tiny set"
    (root / "qrels").mkdir(parents=True)
    with open(root / "corpus.jsonl", "w", encoding="utf-8") as fh:
        for doc_id, (title, text) in DOCS.items():
            fh.write(json.dumps({"_id": doc_id, "title": title, "text": text}) + "\n")
    with open(root / "queries.jsonl", "w", encoding="utf-8") as fh:
        for qid, text in QUERIES.items():
            fh.write(json.dumps({"_id": qid, "text": text}) + "\n")
    lines = ["query-id\tcorpus-id\tscore"] + [f"{q}\t{d}\t{g}" for q, d, g in QRELS]
    (root / "qrels" / "test.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


# -- metrics by hand ----------------------------------------------------------------------
def test_ndcg_with_graded_gains():
    grades = {"a": 1, "c": 2, "d": 3, "z": 0}  # gains 2**g - 1: a=1, c=3, d=7
    dcg = 1 / math.log2(2) + 3 / math.log2(4)  # a at rank 1, c at rank 3
    idcg = 7 / math.log2(2) + 3 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(["a", "b", "c"], grades) == pytest.approx(dcg / idcg)
    assert ndcg_at(["a", "b", "c"], grades) == pytest.approx(0.26616, abs=1e-5)
    assert ndcg_at(["d", "c", "a"], grades) == pytest.approx(1.0)
    assert ndcg_at(["z", "x"], grades) == 0.0
    assert ndcg_at(["a"], {"z": 0}) == 0.0  # nothing relevant: no ideal to divide by
    ranked = [f"n{i}" for i in range(10)] + ["d"]
    assert ndcg_at(ranked, grades, k=10) == 0.0  # rank 11 is past the cut-off


def test_recall_mrr_and_hit():
    relevant = {"a", "c", "d"}
    assert recall_at(["a", "b", "c"], relevant) == pytest.approx(2 / 3, abs=1e-3)
    assert recall_at(["b"], relevant) == 0.0 and recall_at(["a"], set()) == 0.0
    assert mrr_at(["x", "y", "c", "a"], relevant) == pytest.approx(1 / 3)
    assert mrr_at(["x"] * 10 + ["a"], relevant) == 0.0
    assert hit_at(["w", "x", "y", "z", "a"], relevant, 5) == 1.0
    assert hit_at(["v", "w", "x", "y", "z", "a"], relevant, 5) == 0.0


# -- BEIR end to end ----------------------------------------------------------------------
def test_collection_names_are_valid_and_per_folder(tmp_path):
    one, two = tmp_path / "a" / "my data!", tmp_path / "b" / "my data!"
    for path in (one, two):
        path.mkdir(parents=True)
    name = collection_name(one)
    assert re.fullmatch(r"eval-my-data-[0-9a-f]{8}", name)
    assert collection_name(two) != name and collection_name(one) == name
    assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]", name)


def test_duplicate_documents_share_a_record_and_keep_both_ids(beir_dir):
    corpus = beir_records(load_beir(beir_dir))
    assert corpus.documents == 12 and len(corpus.records) == 11
    penguins = next(r for r in corpus.records if "Penguins" in r.abstract)
    assert corpus.docs_of(penguins.path) == ["copy-a", "copy-b"]


def test_tiny_beir_set_scores_as_computed_by_hand(beir_dir, settings):
    result = evaluate_beir(beir_dir, settings)
    assert result["queries"] == 4  # judged queries with a relevant document
    assert result["documents"] == 12 and result["records"] == 11
    assert result["embedded"] == 11
    for mode in ("hybrid", "dense", "lexical"):
        row = result["modes"][mode]
        # One unmistakable document per query, ranked first; the two penguin copies come
        # first and second in grade order, which is the ideal ordering: all scores are 1.
        assert row["ndcg@10"] == pytest.approx(1.0), mode
        assert row["recall@10"] == row["mrr@10"] == row["hit@5"] == 1.0, mode
    again = evaluate_beir(beir_dir, settings)
    assert again["embedded"] == 0  # incremental: nothing embedded the second time
    assert again["modes"] == {
        m: {**r, "ms_per_query": again["modes"][m]["ms_per_query"]}
        for m, r in result["modes"].items()
    }
    # The corpus went to its own collection, not the user's.
    from assistant.runtime import open_index

    assert open_index(settings).version() is None


def test_eval_cli_prints_a_table_and_json(beir_dir, capsys):
    assert main(["eval", str(beir_dir)]) == 0
    out = capsys.readouterr().out
    assert "4 queries over 12 documents" in out
    assert re.search(r"^hybrid\s+1\.000\s+1\.000\s+1\.000\s+1\.000", out, re.MULTILINE)
    assert main(["eval", str(beir_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["modes"]) == {"hybrid", "dense", "lexical"}
    assert set(data["modes"]["dense"]) == {
        "ndcg@10",
        "recall@10",
        "mrr@10",
        "hit@5",
        "ms_per_query",
    }
    assert data["embedded"] == 0


def test_bad_dataset_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "corpus.jsonl").write_text("{}\n", encoding="utf-8")
    assert main(["eval", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not a BEIR dataset folder" in err and "queries.jsonl" in err
    assert main(["eval", str(tmp_path / "missing")]) == 2


# -- a user's own questions ---------------------------------------------------------------
def test_own_questions_against_the_current_index(seeded_home, tmp_path, capsys):
    from assistant.commands.sources import list_records
    from assistant.config import load_settings

    records = list_records(load_settings())
    recovery = next(r for r in records if "Recovery-oriented" in (r["title"] or ""))
    cases = [
        {
            "question": "recovery-oriented professionals helping relationships",
            "relevant": [recovery["record_id"]],
        },
        {
            "question": "managers involving peer workers in Norwegian services",
            "relevant_paths": ["004_b03dd16b1e8ae871.txt", "seeds/002_8e891bfb3820edb3.txt"],
        },
        {"question": "something", "relevant": ["no-such-record"]},
    ]
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    assert main(["eval", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["queries"] == 3 and data["unknown_relevant"] == ["no-such-record"]
    hybrid = data["modes"]["hybrid"]
    assert set(hybrid) == {"recall@10", "mrr@10", "hit@5", "ms_per_query"}
    assert hybrid["hit@5"] == pytest.approx(
        2 / 3, abs=1e-3
    )  # the unknown record can never be found
    assert hybrid["mrr@10"] == pytest.approx(2 / 3, abs=1e-3)  # both found first
    assert 0.5 <= hybrid["recall@10"] <= 2 / 3  # 004 surely, 002 perhaps, the unknown never

    path.write_text('{"question": "no relevant list"}\n', encoding="utf-8")
    assert main(["eval", str(path)]) == 2
    assert "Line 1" in capsys.readouterr().err
