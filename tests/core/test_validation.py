import copy
import json
import math

import pytest

from wagtail_umap.core.document import CONTROL_NAMES, FULL_FORM_CONTROLS
from wagtail_umap.core.errors import Location, MapDocumentError
from wagtail_umap.core.validation import (
    DEFAULT_LIMITS,
    Limits,
    check_size,
    validate_document,
    validate_features,
    validate_style,
)


def point(lng=2.35, lat=48.85, **properties):
    geometry = {"type": "Point", "coordinates": [lng, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def feature(geometry, **properties):
    return {"type": "Feature", "geometry": geometry, "properties": properties}


SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


def document(*layers, **top):
    return {"version": 1, "layers": list(layers), **top}


def layer(name="Écoles", features=None, **keys):
    return {"name": name, "features": features if features is not None else [point()], **keys}


def errors(value, limits=DEFAULT_LIMITS):
    with pytest.raises(MapDocumentError) as caught:
        validate_document(value, limits)
    return caught.value


def messages(value, limits=DEFAULT_LIMITS):
    return errors(value, limits).messages()


def feature_messages(features, limits=DEFAULT_LIMITS):
    with pytest.raises(MapDocumentError) as caught:
        validate_features(features, limits, layer=2, layer_name="Écoles")
    return caught.value.messages()


# --- the document as a whole -----------------------------------------------------------------


def test_minimal_document_is_filled_in():
    cleaned = validate_document({})
    assert cleaned == {
        "version": 1,
        "title": "",
        "summary": "",
        "options": {
            "basemap": "plan_ign",
            "center": None,
            "zoom": None,
            "controls": FULL_FORM_CONTROLS,
            "credits": "",
            "licence": {"name": "", "url": ""},
            "umap": {},
            "slideshow": {
                "enabled": False,
                "layer": None,
                "sort_field": "",
                "autoplay": False,
                "delay": 5,
            },
        },
        "layers": [],
    }


def test_validation_returns_a_new_copy():
    original = document(layer(features=[point(tags={"a": [1]})]))
    before = copy.deepcopy(original)
    cleaned = validate_document(original)
    cleaned["layers"][0]["features"][0]["properties"]["tags"]["a"].append(2)
    assert original == before


def test_cleaning_is_idempotent():
    cleaned = validate_document(document(layer(style={"weight": "3"})))
    assert validate_document(cleaned) == cleaned


@pytest.mark.parametrize("value", [[], "x", None, 3])
def test_document_must_be_an_object(value):
    assert messages(value) == ["the map document must be a JSON object, not " + json.dumps(value)]


def test_version():
    assert validate_document({"version": 1})["version"] == 1
    assert messages({"version": 2}) == ["unsupported map document version 2: expected 1"]
    assert messages({"version": True}) == ["unsupported map document version true: expected 1"]


def test_unknown_top_level_key():
    assert messages({"colour": "red"}) == ['unknown key "colour" in the map document']


def test_text_fields():
    assert messages({"title": 3}) == ['"title" must be text, not 3']
    assert messages({"title": "x" * 256}) == [
        '"title" is too long: 256 characters, the limit is 255'
    ]
    assert messages({"summary": "x" * 2001}) == [
        '"summary" is too long: 2001 characters, the limit is 2000'
    ]


def test_text_is_kept_as_is():
    title = "<b>Écoles</b>\u0007 & co"
    assert validate_document({"title": title})["title"] == title


def test_several_issues_are_reported_together():
    found = messages({"title": 1, "summary": 2, "foo": 3})
    assert len(found) == 3


# --- options -----------------------------------------------------------------------------------


def options(**values):
    return {"options": values}


def test_options_are_kept():
    cleaned = validate_document(
        options(
            basemap="osm",
            center={"lat": 48.8566142, "lng": 2.3522219},
            zoom=12,
            controls={"fullscreen": True},
            credits="Ville",
            licence={"name": "ODbL", "url": "https://opendatacommons.org/licenses/odbl/"},
            umap={"miniMap": True},
        )
    )["options"]
    assert cleaned["center"] == {"lat": 48.856614, "lng": 2.352222}
    assert cleaned["controls"] == {**FULL_FORM_CONTROLS, "fullscreen": True}
    assert cleaned["umap"] == {"miniMap": True}
    assert cleaned["zoom"] == 12 and cleaned["basemap"] == "osm"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"bogus": 1}, 'unknown map option "bogus"'),
        (
            {"basemap": "https://tiles/{z}"},
            'the basemap must be a short key such as "plan_ign" (letters, digits, "-", "_", "."), '
            'not "https://tiles/{z}"',
        ),
        ({"zoom": 23}, "the zoom must be a whole number from 0 to 22, not 23"),
        ({"zoom": -1}, "the zoom must be a whole number from 0 to 22, not -1"),
        ({"zoom": 5.5}, "the zoom must be a whole number from 0 to 22, not 5.5"),
        ({"zoom": True}, "the zoom must be a whole number from 0 to 22, not true"),
        ({"center": [2, 48]}, 'the centre must be an object with "lat" and "lng", or null'),
        ({"center": {"lat": 48}}, 'the centre must be an object with "lat" and "lng", or null'),
        ({"center": {"lat": 95, "lng": 2}}, "latitude 95 is outside -90..90"),
        ({"center": {"lat": 45, "lng": 200}}, "longitude 200 is outside -180..180"),
        ({"center": {"lat": "45", "lng": 2}}, '"lat" must be a number, not "45"'),
        (
            {"controls": {"minimap": True}},
            'unknown control "minimap": the controls are ' + ", ".join(CONTROL_NAMES),
        ),
        ({"controls": {"zoom": "yes"}}, '"controls.zoom" must be true or false, not "yes"'),
        ({"controls": []}, '"controls" must be a JSON object, not []'),
        ({"credits": 5}, '"credits" must be text, not 5'),
        ({"licence": {"name": "x", "version": 2}}, 'unknown key "version" in "licence"'),
        (
            {"licence": {"url": "javascript:alert(1)"}},
            'the licence address must start with http:// or https://, not "javascript:alert(1)"',
        ),
        ({"umap": "x"}, '"umap" must be a JSON object, not "x"'),
    ],
)
def test_option_rules(values, message):
    assert messages(options(**values)) == [message]


def test_options_must_be_an_object():
    assert messages({"options": []}) == ['"options" must be a JSON object, not []']


# --- layers --------------------------------------------------------------------------------


def test_layer_defaults_and_generated_id():
    cleaned = validate_document(document({"name": "Vide"}))["layers"][0]
    assert len(cleaned["id"]) == 12
    assert cleaned == {
        "id": cleaned["id"],
        "name": "Vide",
        "description": "",
        "shown_on_load": True,
        "style": {},
        "popup_template": "",
        "features": [],
        "umap": {},
        "representation": {"type": "plain"},
        "min_zoom": None,
        "max_zoom": None,
        "filters": [],
        "popup_layout": "default",
    }


def test_layer_id_is_kept():
    assert validate_document(document(layer(id="ab_C-9")))["layers"][0]["id"] == "ab_C-9"


@pytest.mark.parametrize(
    ("layer_value", "message"),
    [
        ([], "layer 1: a layer must be a JSON object, not []"),
        ({"features": []}, "layer 1: the layer needs a name"),
        ({"name": "  ", "features": []}, "layer 1: the layer needs a name"),
        ({"name": 5}, 'layer 1: "name" must be text, not 5'),
        (
            {"name": "x" * 201},
            'layer 1 "' + "x" * 201 + '": "name" is too long: 201 characters, the limit is 200',
        ),
        ({"name": "A", "colour": 1}, 'layer 1 "A": unknown layer key "colour"'),
        (
            {"name": "A", "id": "a b"},
            'layer 1 "A": the layer id must be 1 to 64 letters, digits, "-" or "_", not "a b"',
        ),
        (
            {"name": "A", "id": "x" * 65},
            'layer 1 "A": the layer id must be 1 to 64 letters, digits, "-" or "_", not "'
            + "x" * 58
            + "…",
        ),
        (
            {"name": "A", "shown_on_load": 1},
            'layer 1 "A": "shown_on_load" must be true or false, not 1',
        ),
        ({"name": "A", "features": {}}, 'layer 1 "A": "features" must be a list, not {}'),
        (
            {"name": "A", "popup_template": None},
            'layer 1 "A": "popup_template" must be text, not null',
        ),
        ({"name": "A", "umap": []}, 'layer 1 "A": "umap" must be a JSON object, not []'),
        (
            {"name": "A", "features": [], "data": {}},
            'layer 1 "A": a layer has either "features" or "data", not both',
        ),
    ],
)
def test_layer_rules(layer_value, message):
    assert messages(document(layer_value)) == [message]


def test_layers_must_be_a_list():
    assert messages({"layers": {}}) == ['"layers" must be a list, not {}']


def test_duplicate_layer_ids():
    found = messages(document(layer("A", id="same"), layer("B", id="same")))
    assert found == ['layer 2 "B": the layer id "same" is already used by layer 1']


DIGEST = "a" * 64


def test_data_reference():
    reference = {"digest": DIGEST, "feature_count": 3, "vertex_count": 17, "size": 1234}
    cleaned = validate_document(document({"name": "A", "data": reference}))["layers"][0]
    assert cleaned["data"] == reference
    assert "features" not in cleaned


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"digest": "A" * 64, "feature_count": 1, "vertex_count": 1, "size": 1},
            '"digest" must be 64 hexadecimal characters (SHA-256), not "' + "A" * 58 + "…",
        ),
        (
            {"digest": "abc", "feature_count": 1, "vertex_count": 1, "size": 1},
            '"digest" must be 64 hexadecimal characters (SHA-256), not "abc"',
        ),
        (
            {"digest": DIGEST, "feature_count": -1, "vertex_count": 1, "size": 1},
            '"data.feature_count" must be a whole number, 0 or more, not -1',
        ),
        (
            {"digest": DIGEST, "feature_count": 1, "vertex_count": True, "size": 1},
            '"data.vertex_count" must be a whole number, 0 or more, not true',
        ),
        ({"digest": DIGEST, "feature_count": 1, "vertex_count": 1}, '"data" lacks "size"'),
        (
            {"digest": DIGEST, "feature_count": 1, "vertex_count": 1, "size": 1, "url": "x"},
            'unknown key "url" in "data"',
        ),
        ("x", '"data" must be a JSON object, not "x"'),
    ],
)
def test_data_reference_rules(data, message):
    found = messages(document({"name": "A", "data": data}))
    assert 'layer 1 "A": ' + message in found


# --- features ------------------------------------------------------------------------------


def test_feature_location_in_message():
    features = [point() for _ in range(16)] + [point(2, 95)]
    assert feature_messages(features) == [
        'layer 2 "Écoles", feature 17: latitude 95 is outside -90..90'
    ]


def test_feature_location_in_a_document():
    found = messages(document(layer("A"), layer("Écoles", [point(), point(2, 95)])))
    assert found == ['layer 2 "Écoles", feature 2: latitude 95 is outside -90..90']
    assert errors(document(layer("A"), layer("Écoles", [point(2, 95)]))).issues[0].location == (
        Location(layer=2, layer_name="Écoles", feature=1)
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x", 'a feature must be a JSON object, not "x"'),
        (
            {"type": "Point", "coordinates": [1, 2]},
            'expected a GeoJSON "Feature", found type "Point"',
        ),
        ({"type": "Feature", "geometry": None}, "feature has no geometry"),
        ({"type": "Feature"}, "feature has no geometry"),
        ({"type": "Feature", "geometry": []}, "the geometry must be a JSON object, not []"),
        (feature({"type": "Circle", "coordinates": [1, 2]}), 'unknown geometry type "Circle"'),
        (feature({"coordinates": [1, 2]}), "unknown geometry type null"),
        (
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [1, 2]},
                "properties": [],
            },
            "feature properties must be a JSON object, not []",
        ),
        ({**point(), "id": 1.5}, "a feature id must be text or a whole number, not 1.5"),
        ({**point(), "id": True}, "a feature id must be text or a whole number, not true"),
        (point(name=["x"]), '"properties.name" must be text, not ["x"]'),
        (point(description={}), '"properties.description" must be text, not {}'),
        (point(_umap_options=[]), '"properties._umap_options" must be a JSON object, not []'),
        (point(_style={"colour": "red"}), 'unknown style key "colour"'),
    ],
)
def test_feature_rules(value, message):
    assert feature_messages([value]) == ['layer 2 "Écoles", feature 1: ' + message]


def test_features_must_be_a_list():
    assert feature_messages({}) == ['layer 2 "Écoles": "features" must be a list, not {}']


def test_null_properties_become_an_empty_object():
    cleaned = validate_features(
        [{"type": "Feature", "geometry": point()["geometry"], "properties": None}]
    )
    assert cleaned[0]["properties"] == {}


def test_feature_ids_and_foreign_members():
    cleaned = validate_features(
        [{**point(), "id": "a1", "bbox": [0, 0, 1, 1]}, {**point(), "id": 7}]
    )
    assert cleaned[0]["id"] == "a1" and cleaned[1]["id"] == 7
    assert set(cleaned[0]) == {"type", "geometry", "properties", "id"}


def test_free_properties_are_kept_and_numeric_names_become_text():
    cleaned = validate_features([point(name=2011, description=None, other={"a": [1, None]})])
    assert cleaned[0]["properties"] == {"name": "2011", "other": {"a": [1, None]}}


# --- geometries ----------------------------------------------------------------------------


def geometry_messages(geometry):
    return feature_messages([feature(geometry)])


def test_every_geometry_type_is_accepted_and_multi_forms_kept():
    geometries = [
        {"type": "Point", "coordinates": [1, 2, 30]},
        {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
        {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
        {"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]},
        {"type": "Polygon", "coordinates": [SQUARE]},
        {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]},
    ]
    cleaned = validate_features([feature(geometry) for geometry in geometries])
    assert [f["geometry"] for f in cleaned] == geometries


def test_coordinates_are_rounded_to_six_decimals():
    cleaned = validate_features([point(-0.1318359375, 51.474540439419755)])
    assert cleaned[0]["geometry"]["coordinates"] == [-0.131836, 51.47454]


def test_range_is_checked_before_rounding():
    assert geometry_messages({"type": "Point", "coordinates": [180.0000001, 0]}) == [
        'layer 2 "Écoles", feature 1: longitude 180.0000001 is outside -180..180'
    ]


def test_geometry_collection_is_flattened_with_copied_properties():
    collection = {
        "type": "GeometryCollection",
        "geometries": [
            {"type": "Point", "coordinates": [1, 2]},
            {
                "type": "GeometryCollection",
                "geometries": [{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}],
            },
        ],
    }
    cleaned = validate_features([{**feature(collection, name="X", tags=["a"]), "id": "f1"}])
    assert [f["geometry"]["type"] for f in cleaned] == ["Point", "LineString"]
    assert all(f["properties"] == {"name": "X", "tags": ["a"]} for f in cleaned)
    assert cleaned[0]["properties"]["tags"] is not cleaned[1]["properties"]["tags"]
    assert all("id" not in f for f in cleaned)  # an id must stay unique


def test_geometry_collection_of_one_keeps_the_id():
    collection = {"type": "GeometryCollection", "geometries": [point()["geometry"]]}
    assert validate_features([{**feature(collection), "id": 3}])[0]["id"] == 3


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "GeometryCollection", "geometries": []}, "the geometry collection is empty"),
        ({"type": "GeometryCollection"}, '"geometries" must be a list, not null'),
        (
            {"type": "Point", "coordinates": [1]},
            "a position must be a list of 2 or 3 numbers, not [1]",
        ),
        (
            {"type": "Point", "coordinates": [1, 2, 3, 4]},
            "a position must be a list of 2 or 3 numbers, not [1, 2, 3, 4]",
        ),
        ({"type": "Point"}, "a position must be a list of 2 or 3 numbers, not null"),
        ({"type": "Point", "coordinates": ["1", 2]}, 'coordinate "1" is not a number'),
        ({"type": "Point", "coordinates": [True, 2]}, "coordinate true is not a number"),
        ({"type": "Point", "coordinates": [1, 2, None]}, "coordinate null is not a number"),
        ({"type": "Point", "coordinates": [2, -90.5]}, "latitude -90.5 is outside -90..90"),
        ({"type": "MultiPoint", "coordinates": []}, "the geometry has no coordinates"),
        ({"type": "Polygon", "coordinates": []}, "the geometry has no coordinates"),
        ({"type": "LineString", "coordinates": "x"}, '"coordinates" must be a list, not "x"'),
    ],
)
def test_geometry_rules(geometry, message):
    found = geometry_messages(geometry)
    assert len(found) == 1
    assert found[0].startswith('layer 2 "Écoles", feature 1')
    assert found[0].endswith(": " + message)


def test_non_finite_coordinates_are_rejected():
    # Only Python callers can pass these: the JSON reader refuses NaN and Infinity.
    with pytest.raises(MapDocumentError) as caught:
        validate_features([point(math.inf, 2)])
    assert caught.value.messages() == ["the map holds a value that JSON cannot represent: Infinity"]


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            {"type": "LineString", "coordinates": [[1, 2]]},
            "feature 1, at coordinates: a line needs at least 2 positions, found 1",
        ),
        (
            {"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]], [[1, 2]]]},
            "feature 1, at coordinates[1]: a line needs at least 2 positions, found 1",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]},
            "feature 1, at coordinates[0]: a polygon ring needs at least 4 positions, found 3",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
            "feature 1, at coordinates[0]: a polygon ring must end at its first position",
        ),
        (
            {"type": "MultiPolygon", "coordinates": [[SQUARE, [[0, 0], [1, 0], [1, 1], [0, 2]]]]},
            "feature 1, at coordinates[0][1]: a polygon ring must end at its first position",
        ),
        (
            {"type": "LineString", "coordinates": [[1, 2], [3, 95]]},
            "feature 1, at coordinates[1]: latitude 95 is outside -90..90",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 91], [0, 0]]]},
            "feature 1, at coordinates[0][2]: latitude 91 is outside -90..90",
        ),
    ],
)
def test_line_and_ring_rules(geometry, message):
    assert geometry_messages(geometry) == ['layer 2 "Écoles", ' + message]


def test_both_coordinates_out_of_range_give_two_issues():
    assert geometry_messages({"type": "Point", "coordinates": [200, 95]}) == [
        'layer 2 "Écoles", feature 1: longitude 200 is outside -180..180',
        'layer 2 "Écoles", feature 1: latitude 95 is outside -90..90',
    ]


def test_many_bad_features_stop_at_twenty_issues():
    found = feature_messages([point(2, 95)] * 500)
    assert len(found) == 21
    assert found[-1] == "checking stopped after 20 errors: fix these first"


# --- styles --------------------------------------------------------------------------------


def test_style_values_are_cleaned():
    style = {
        "color": "Navy",
        "fill_color": "#ABCDEF80",
        "weight": "2",
        "opacity": "0.5",
        "fill_opacity": 1,
        "fill": False,
        "dash_array": "5, 10 2",
        "marker_shape": "drop",
    }
    cleaned = validate_style(style, Location())
    assert cleaned == {**style, "weight": 2, "opacity": 0.5}
    assert isinstance(cleaned["weight"], int)


@pytest.mark.parametrize("colour", ["#abc", "#abcd", "#a1b2c3", "#a1b2c3d4", "crimson", "CRIMSON"])
def test_good_colours(colour):
    assert validate_style({"color": colour}, Location()) == {"color": colour}


@pytest.mark.parametrize(
    ("style", "message"),
    [
        (
            {"color": "Bleu"},
            'bad colour "Bleu" for "color": use #rgb, #rrggbb, #rrggbbaa or a CSS colour name',
        ),
        (
            {"fill_color": "#12345"},
            'bad colour "#12345" for "fill_color": use #rgb, #rrggbb, #rrggbbaa or '
            "a CSS colour name",
        ),
        (
            {"color": "red; background: url(x)"},
            'bad colour "red; background: url(x)" for "color": use #rgb, #rrggbb, #rrggbbaa or '
            "a CSS colour name",
        ),
        ({"weight": 51}, '"weight" must be a number from 0 to 50, not 51'),
        ({"weight": True}, '"weight" must be a number from 0 to 50, not true'),
        ({"weight": "heavy"}, '"weight" must be a number from 0 to 50, not "heavy"'),
        ({"opacity": "1.5"}, '"opacity" must be a number from 0 to 1, not "1.5"'),
        ({"fill_opacity": -0.1}, '"fill_opacity" must be a number from 0 to 1, not -0.1'),
        ({"opacity": "nan"}, '"opacity" must be a number from 0 to 1, not "nan"'),
        ({"fill": "true"}, '"fill" must be true or false, not "true"'),
        (
            {"dash_array": "5,x"},
            '"dash_array" must be numbers separated by commas or spaces, not "5,x"',
        ),
        ({"dash_array": 5}, '"dash_array" must be numbers separated by commas or spaces, not 5'),
        (
            {"marker_shape": "star"},
            'unknown marker shape "star": use one of pin, circle, square, drop',
        ),
        ({"stroke": True}, 'unknown style key "stroke"'),
    ],
)
def test_style_rules(style, message):
    where = Location(layer=1, layer_name="A")
    with pytest.raises(MapDocumentError) as caught:
        validate_style(style, where)
    assert caught.value.messages() == ['layer 1 "A": ' + message]
    assert caught.value.issues[0].location == where


def test_style_must_be_an_object():
    assert messages(document(layer("A", style="red"))) == [
        'layer 1 "A": "style" must be a JSON object, not "red"'
    ]


def test_empty_dash_array_is_allowed():
    assert validate_style({"dash_array": ""}, Location()) == {"dash_array": ""}


def test_feature_style_override_is_cleaned():
    cleaned = validate_features([point(_style={"color": "red", "weight": "4"})])
    assert cleaned[0]["properties"]["_style"] == {"color": "red", "weight": 4}


# --- sizes ---------------------------------------------------------------------------------


def test_too_many_layers():
    assert messages(document(*[layer(str(i)) for i in range(4)]), Limits(max_layers=3)) == [
        "too many layers: 4, the limit is 3"
    ]


def test_huge_feature_count_is_rejected_with_the_limit():
    features = [point()] * 100_001
    assert messages(document(layer("A", features))) == [
        "too many features: 100001, the limit is 100000"
    ]


def test_feature_count_includes_stored_data():
    reference = {"digest": DIGEST, "feature_count": 10, "vertex_count": 10, "size": 1}
    found = messages(
        document(layer("A", [point()]), {"name": "B", "data": reference}), Limits(max_features=10)
    )
    assert found == ["too many features: 11, the limit is 10"]


def test_feature_count_after_flattening():
    collection = {"type": "GeometryCollection", "geometries": [point()["geometry"]] * 3}
    with pytest.raises(MapDocumentError) as caught:
        validate_features([feature(collection)], Limits(max_features=2))
    assert caught.value.messages() == ["too many features: 3, the limit is 2"]


def test_too_many_vertices():
    line = {"type": "LineString", "coordinates": [[1, 2]] * 6}
    found = messages(document(layer("A", [feature(line), point()])), Limits(max_vertices=5))
    assert found == ["too many points in geometries: 7, the limit is 5"]


def test_too_many_bytes():
    value = document(layer("A", [point(name="é" * 100)]))
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    assert messages(value, Limits(max_bytes=size - 1)) == [
        f"the map is too large: {size} bytes, the limit is {size - 1} bytes"
    ]
    assert validate_document(value, Limits(max_bytes=size))


def test_too_deep_in_properties():
    nested: object = "leaf"
    for _ in range(40):
        nested = {"a": nested}
    value = document(layer("A", [point(deep=nested)]))
    assert messages(value) == ["the data is nested too deeply: 46 levels, the limit is 32"]


def test_very_deep_input_is_rejected_without_recursion_error():
    nested: object = []
    for _ in range(100_000):
        nested = [nested]
    with pytest.raises(MapDocumentError) as caught:
        check_size({"layers": nested}, Limits())
    assert caught.value.messages() == [
        "the data is nested too deeply: 100002 levels, the limit is 32"
    ]
    with pytest.raises(MapDocumentError):
        validate_document({"layers": nested})


def test_values_json_cannot_hold_are_rejected():
    assert messages(document(layer("A", [point(when={1, 2})]))) == [
        "the map holds a value that JSON cannot represent: {1, 2}"
    ]


def test_container_subclasses_are_walked():
    from collections import OrderedDict

    nested = OrderedDict(a=OrderedDict(b=OrderedDict(c=1)))
    with pytest.raises(MapDocumentError) as caught:
        check_size(nested, Limits(max_depth=2))
    assert caught.value.messages() == ["the data is nested too deeply: 3 levels, the limit is 2"]


def test_tuples_are_read_as_lists():
    cleaned = validate_features([feature({"type": "LineString", "coordinates": ((1, 2), (3, 4))})])
    assert cleaned[0]["geometry"]["coordinates"] == [[1, 2], [3, 4]]


def test_three_dimensional_positions_are_checked_and_rounded():
    cleaned = validate_features([feature({"type": "Point", "coordinates": [1, 2, 35.1234567]})])
    assert cleaned[0]["geometry"]["coordinates"] == [1, 2, 35.123457]
    assert geometry_messages({"type": "Point", "coordinates": [1, 2, "3"]}) == [
        'layer 2 "Écoles", feature 1: coordinate "3" is not a number'
    ]
