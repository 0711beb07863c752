"""uMap 3.7+ layer groups: a .umap file's nested groups read into ours and written back."""

from __future__ import annotations

import json
from pathlib import Path

from wagtail_umap.core.validation_groups import flatten, tree
from wagtail_umap.formats import umap
from wagtail_umap.formats.stream import stream_map_file

FIXTURE = Path(__file__).parents[1] / "fixtures" / "umap_modern" / "groups.umap"


def _read():
    return umap.read(FIXTURE.read_bytes()).document


def _outline(document: dict) -> list[tuple[int, str]]:
    return [
        (depth, node["group"]["name"] if "group" in node else node["layer"]["name"])
        for depth, node in flatten(tree(document))
    ]


def test_groups_and_their_layers_are_read_in_order():
    document = _read()
    assert _outline(document) == [
        (0, "Écoles"),
        (1, "Maternelles"),
        (1, "Élémentaires"),
        (1, "Privées"),
        (2, "Sous contrat"),
        (0, "Mairie"),
    ]
    ecoles, privees = document["groups"]
    assert ecoles["parent"] is None and privees["parent"] == ecoles["id"]
    assert ecoles["description"] == "Toutes les écoles publiques"
    assert [layer.get("group") for layer in document["layers"]] == [
        ecoles["id"],
        ecoles["id"],
        privees["id"],
        None,
    ]


def test_a_layer_takes_what_uMap_makes_it_inherit_from_its_groups():
    maternelles, elementaires, sous_contrat, mairie = _read()["layers"]
    assert maternelles["style"]["color"] == "Orange"  # its own wins
    assert elementaires["style"] == {"color": "DarkBlue", "marker_shape": "circle"}
    assert sous_contrat["shown_on_load"] is False  # its group "Privées" is hidden on load
    assert mairie["style"] == {} and mairie["shown_on_load"] is True


def test_the_backup_nests_groups_as_uMap_does_and_reads_back_the_same():
    document = _read()
    written = json.loads(umap.write(document))
    ecoles, mairie = written["layers"]
    assert ecoles["properties"]["group"] is True and ecoles["features"] == []
    assert ecoles["properties"]["name"] == "Écoles"
    assert ecoles["properties"]["color"] == "DarkBlue"  # the group's own options, kept
    names = [child["properties"]["name"] for child in ecoles["layers"]]
    assert names == ["Maternelles", "Élémentaires", "Privées"]
    assert ecoles["layers"][2]["layers"][0]["properties"]["name"] == "Sous contrat"
    assert "layers" not in mairie and "group" not in mairie["properties"]
    assert umap.read(umap.write(document)).document == document


def test_uMap_api_form_with_ids_and_parents_is_read_too():
    value = {
        "type": "umap",
        "properties": {"name": "Flat"},
        "layers": [
            {"type": "FeatureCollection", "id": 7, "parent": None, "features": [],
             "properties": {"name": "Sport", "group": True}},
            {"type": "FeatureCollection", "id": 8, "parent": 7, "features": [],
             "properties": {"name": "Gymnases"}},
        ],
    }  # fmt: skip
    document = umap.from_value(value).document
    assert document["groups"] == [{"id": "7", "name": "Sport", "parent": None}]
    assert document["layers"][0]["group"] == "7"


def test_the_streamed_backup_is_the_written_one():
    document = _read()
    document["layers"].insert(0, document["layers"].pop())  # not in reading order
    features = {layer["id"]: layer["features"] for layer in document["layers"]}
    bare = {**document, "layers": [{**layer, "features": []} for layer in document["layers"]]}
    streamed = b"".join(stream_map_file(bare, "umap", lambda layer: [features[layer["id"]]]))
    assert streamed == umap.write(document)


def test_a_map_without_groups_is_written_as_before():
    document = _read()
    for layer in document["layers"]:
        layer.pop("group", None)
    del document["groups"]
    written = json.loads(umap.write(document))
    assert [layer["properties"]["name"] for layer in written["layers"]] == [
        "Maternelles",
        "Élémentaires",
        "Sous contrat",
        "Mairie",
    ]
