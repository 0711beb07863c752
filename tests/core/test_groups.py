"""Groups of layers in the map document: the schema, validation and the tree."""

from __future__ import annotations

import pytest

from wagtail_umap.core import schema
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import validate_document
from wagtail_umap.core.validation_groups import flatten, tree


def _layer(layer_id: str, group: str | None = None) -> dict:
    layer = {"id": layer_id, "name": layer_id.upper(), "features": []}
    if group:
        layer["group"] = group
    return layer


def _messages(document: dict, gettext=str) -> list[str]:
    with pytest.raises(MapDocumentError) as caught:
        validate_document({"title": "t", "layers": [], **document})
    return [issue.render(gettext) for issue in caught.value.issues]


def test_groups_are_declared_in_the_schema():
    assert "groups" in schema.keys("document")
    assert schema.keys("group")[:3] == ("id", "name", "parent")
    assert schema.option("layer", "group").sparse


def test_a_document_without_groups_is_unchanged():
    cleaned = validate_document({"title": "t", "layers": [_layer("a")]})
    assert "groups" not in cleaned and "group" not in cleaned["layers"][0]


def test_groups_make_a_tree_in_document_order():
    cleaned = validate_document(
        {
            "title": "t",
            "layers": [_layer("a", "g1"), _layer("b"), _layer("c", "g2"), _layer("d", "g1")],
            "groups": [
                {"id": "g1", "name": "Écoles"},
                {"id": "g2", "name": "Maternelles", "parent": "g1"},
                {"id": "g3", "name": "Vide"},
            ],
        }
    )
    outline = [
        (depth, node["group"]["name"] if "group" in node else node["layer"]["id"])
        for depth, node in flatten(tree(cleaned))
    ]
    assert outline == [
        (0, "Écoles"),
        (1, "a"),
        (1, "Maternelles"),
        (2, "c"),
        (1, "d"),
        (0, "b"),
        (0, "Vide"),
    ]


def test_unknown_parent_and_unknown_group_of_a_layer():
    messages = _messages(
        {"groups": [{"id": "g1", "name": "Écoles", "parent": "zz"}], "layers": [_layer("a", "no")]}
    )
    assert 'group 1 "Écoles": its parent "zz" is not a group of this map' in messages[0]
    assert messages[1] == 'layer 1 "A": the layer\'s group "no" is not a group of this map'


def test_a_cycle_is_refused():
    messages = _messages(
        {
            "groups": [
                {"id": "g1", "name": "A", "parent": "g2"},
                {"id": "g2", "name": "B", "parent": "g1"},
            ]
        }
    )
    assert "is inside itself (through A › B › A)" in messages[0]


def test_depth_is_limited():
    groups = [
        {"id": f"g{i}", "name": f"N{i}", "parent": f"g{i - 1}" if i else None} for i in range(5)
    ]
    messages = _messages({"groups": groups})
    assert messages == ['groups: group 5 "N4" is nested 5 levels deep, the limit is 4']


def test_duplicate_id_missing_name_bad_id_and_unknown_key():
    messages = _messages(
        {
            "groups": [
                {"id": "g1", "name": "A"},
                {"id": "g1", "name": " "},
                {"id": "a b", "name": "C", "colour": "red"},
            ]
        }
    )
    assert "group 2 has no name" in messages[0]
    assert 'the id "g1" is already used by group 1' in messages[1]
    assert any('unknown key "colour"' in text for text in messages)
    assert any('not "a b"' in text for text in messages)


def test_messages_are_in_french():
    from django.utils import translation

    with translation.override("fr"):
        messages = _messages(
            {"groups": [{"id": "g1", "name": "Écoles", "parent": "zz"}]}, translation.gettext
        )
    assert messages[0].endswith(
        'groupe 1 « Écoles » : son parent "zz" n’est pas un groupe de cette carte'
    )


def test_an_imported_file_s_groups_are_kept_apart_from_the_map_s():
    from wagtail_umap.core.validation_groups import merge_groups

    existing = [{"id": "g1", "name": "Écoles", "parent": None}]
    imported = [
        {"id": "g1", "name": "Sport", "parent": None},
        {"id": "g2", "name": "Gymnases", "parent": "g1"},
    ]
    layers = [_layer("a", "g1"), _layer("b", "g2")]
    merged = merge_groups(existing, imported, layers)
    sport, gymnases = merged[1:]
    assert merged[0] == existing[0] and sport["id"] != "g1" and sport["name"] == "Sport"
    assert gymnases == {"id": "g2", "name": "Gymnases", "parent": sport["id"]}
    assert [layer["group"] for layer in layers] == [sport["id"], "g2"]
    assert imported[0]["id"] == "g1"  # the file's own list is not changed
    validate_document({"title": "t", "layers": layers, "groups": merged})
