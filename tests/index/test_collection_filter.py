"""``--collection``: which names find a collection path, the filter, the catalogue's table,
and the one sentence for a name that is no collection."""

from __future__ import annotations

import pytest

from assistant.flags import unknown_collection
from index.catalog import Catalog
from index.codec import ChunkMeta, from_store, to_store
from index.filters import Filters, in_collection


@pytest.mark.parametrize(
    ("name", "path", "found"),
    [
        ("Methods", "Thesis/Methods", True),  # the leaf's name
        ("Thesis", "Thesis/Methods", True),  # a collection it sits in
        ("thesis/methods", "Thesis/Methods", True),  # the path, any letter case
        (" Thesis / Methods ", "Thesis/Methods", True),
        ("Thesis/Methods", "PhD/Thesis/Methods", True),  # part of the path
        ("Méthodes", "These/Methodes", True),  # accents as --author treats them
        ("Meth", "Thesis/Methods", False),  # a name, not a substring
        ("Methods/Thesis", "Thesis/Methods", False),  # the path runs from the top
        ("Thesis/Teaching", "Thesis/Methods", False),
        ("/", "Thesis/Methods", False),
    ],
)
def test_a_collection_is_found_by_its_name_path_or_a_collection_it_sits_in(name, path, found):
    assert in_collection(name, path) is found


def test_the_filter_keeps_papers_filed_in_the_collection():
    filed = ChunkMeta(record_id="a", collections=("Thesis/Methods", "Teaching"))
    unfiled = ChunkMeta(record_id="b")
    methods = Filters.parse(collection=" methods ")
    assert methods and methods.collection == "methods"
    assert methods.accepts(filed) and not methods.accepts(unfiled)
    assert not Filters.parse(collection="Reading").accepts(filed)
    assert not Filters.parse(collection="  ")  # blank: no filter
    both = Filters.parse("2018", "Strand", "Thesis")
    assert both.describe() == "2018, author ~ Strand, collection Thesis"
    assert both.chroma_where() == {"$and": [{"year": {"$gte": 2018}}, {"year": {"$lte": 2018}}]}


def test_collections_survive_the_store_and_names_may_hold_semicolons():
    meta = ChunkMeta(record_id="a", collections=("Reading; to do", "Thesis/Methods"))
    assert to_store(meta)["collections"] == "Reading; to do\nThesis/Methods"
    assert from_store(to_store(meta)).collections == meta.collections
    assert from_store({"record_id": "old"}).collections == ()  # written before they were


def test_the_catalogue_lists_collections_and_their_records():
    catalog = Catalog.in_memory(
        [
            ChunkMeta(record_id="a", collections=("Thesis/Methods",)),
            ChunkMeta(record_id="b", collections=("Thesis", "teaching")),
            ChunkMeta(record_id="c"),
        ]
    )
    assert catalog.collections() == ["teaching", "Thesis", "Thesis/Methods"]
    assert catalog.ids_in_collection("THESIS") == ["a", "b"]
    assert catalog.ids_in_collection("methods") == ["a"]
    assert catalog.ids_in_collection("Nope") == []


def test_an_unknown_collection_is_one_sentence_naming_the_known_ones():
    assert unknown_collection("methods", ["Thesis/Methods"]) is None
    message = unknown_collection("Nope", ["Teaching", "Thesis", "Thesis/Methods"])
    assert message == (
        "No collection is named 'Nope'; the index's collections are 'Teaching', 'Thesis', "
        "'Thesis/Methods'."
    )
    many = unknown_collection("Nope", [f"C{i:02d}" for i in range(30)])
    assert many is not None and "'C11' and 18 more." in many and "'C12'" not in many
    none = unknown_collection("Nope", [])
    assert none is not None and "Zotero" in none and "\n" not in none
