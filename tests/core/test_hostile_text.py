"""Validation refuses, with a located message, what would make a later save fail: lone
surrogates in any string, too many properties on a feature (issue 13).

These are the paths that do not go through a file reader: the admin form's document (already
parsed by Django), the API, ``Map.set_document``: all call ``validate_document`` or
``validate_features``.
"""

import json

import pytest

from wagtail_umap.core import messages as m
from wagtail_umap.core.errors import Issue, Location, MapDocumentError, shown
from wagtail_umap.core.validation import (
    Limits,
    check_encodable,
    check_size,
    validate_document,
    validate_features,
)

SURROGATE = "half of a character (a lone surrogate): remove it or write the whole character"


def point(**properties):
    geometry = {"type": "Point", "coordinates": [2.35, 48.85]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def refused(document, limits=None) -> MapDocumentError:
    with pytest.raises(MapDocumentError) as caught:
        validate_document(document, limits or Limits())
    return caught.value


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            {"layers": [{"name": "Écoles", "features": [point(), point(name="é\ud800")]}]},
            f'layer 1 "Écoles", feature 2, at properties.name: the text "é\\ud800" holds '
            f"\\ud800, {SURROGATE}",
        ),
        (
            {"layers": [{"name": "A"}, {"name": "B", "features": [point(**{"k\udfff": 1})]}]},
            f'layer 2 "B", feature 1, at properties: the text "k\\udfff" holds \\udfff, '
            f"{SURROGATE}",
        ),
        (
            {"title": "Carte\udc00"},
            f'title: the text "Carte\\udc00" holds \\udc00, {SURROGATE}',
        ),
        (
            {"layers": [{"name": "x\ud800", "features": []}]},
            f'layer 1, at name: the text "x\\ud800" holds \\ud800, {SURROGATE}',
        ),
        (
            {"options": {"umap": {"a b": ["ok", "\udbff"]}}},
            f'options.umap["a b"][1]: the text "\\udbff" holds \\udbff, {SURROGATE}',
        ),
    ],
    ids=["feature name", "property key", "title", "layer name", "kept uMap option"],
)
def test_a_lone_surrogate_anywhere_in_a_document_is_refused_where_it_is(document, expected):
    error = refused({"version": 1, **document})
    assert error.messages() == [expected]


def test_a_lone_surrogate_in_a_list_of_features():
    with pytest.raises(MapDocumentError) as caught:
        validate_features([point(), point(nom="\ud800")], layer=3, layer_name="Parcs")
    assert caught.value.messages() == [
        f'layer 3 "Parcs", feature 2, at properties.nom: the text "\\ud800" holds \\ud800, '
        f"{SURROGATE}"
    ]
    assert caught.value.issues[0].location == Location(3, "Parcs", 2, "properties.nom")


def test_valid_characters_beyond_the_basic_plane_are_kept():
    cleaned = validate_document({"layers": [{"name": "🗺", "features": [point(name="🏫")]}]})
    assert cleaned["layers"][0]["features"][0]["properties"]["name"] == "🏫"


def test_check_encodable_and_check_size_agree():
    value = {"a": ["b", {"c\ud800": 1}]}
    with pytest.raises(MapDocumentError) as by_size:
        check_size(value, Limits())
    with pytest.raises(MapDocumentError) as by_encoding:
        check_encodable(value)
    assert by_size.value.messages() == by_encoding.value.messages()
    assert by_size.value.messages() == [f'a[1]: the text "c\\ud800" holds \\ud800, {SURROGATE}']
    check_encodable({"a": "é😀"})  # no error


def test_messages_never_carry_a_lone_surrogate():
    # Rendered as an escape, so that showing the message (HTML, JSON, a log) cannot fail.
    assert shown("a\ud800") == '"a\\ud800"'
    error = refused({"version": 1, "layers": [{"name": "é\ud800" * 50, "features": "x"}]})
    for message in error.messages():
        message.encode("utf-8")


def test_long_layer_names_are_cut_in_locations():
    issue = Issue(m.NO_GEOMETRY, {}, Location(1, "n" * 5000, 2))
    assert issue.render() == f'layer 1 "{"n" * 255}…", feature 2: feature has no geometry'


# --- properties per feature ----------------------------------------------------------------


def test_a_feature_at_the_properties_limit_is_accepted():
    properties = {f"p{index}": index for index in range(1000)}
    cleaned = validate_document({"layers": [{"name": "L", "features": [point(**properties)]}]})
    assert len(cleaned["layers"][0]["features"][0]["properties"]) == 1000


def test_too_many_properties_are_refused_before_anything_else():
    properties = {f"p{index}": index for index in range(1001)}
    document = {
        "layers": [
            {"name": "A", "features": [point()]},
            {"name": "Écoles", "features": [point(), point(**properties), "not a feature"]},
        ]
    }
    error = refused(document)
    assert error.messages() == [
        'layer 2 "Écoles", feature 2: too many properties: 1001, the limit per feature is 1000'
    ]


def test_too_many_properties_in_a_list_of_features():
    with pytest.raises(MapDocumentError) as caught:
        validate_features([point(a=1, b=2, c=3)], Limits(max_properties=2))
    assert caught.value.messages() == [
        "feature 1: too many properties: 3, the limit per feature is 2"
    ]


def test_the_limit_is_a_field_of_limits():
    assert Limits().max_properties == 1000
    assert json.loads(json.dumps(Limits(max_properties=5).__dict__))["max_properties"] == 5
