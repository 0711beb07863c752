import copy
import json
from pathlib import Path

import pytest

from wagtail_umap.core.document import FULL_FORM_CONTROLS, empty_document, new_layer
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import validate_document
from wagtail_umap.formats import FormatError, umap

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UMAP_FILE = (FIXTURES / "test_upload_data.umap").read_bytes()


@pytest.fixture(scope="module")
def result():
    return umap.read(UMAP_FILE)


def read_value(value: object):
    return umap.read(json.dumps(value).encode())


def a_map(*layers, **properties):
    return {"type": "umap", "properties": properties, "layers": list(layers)}


def a_layer(options_key="properties", features=(), **options):
    return {"type": "FeatureCollection", "features": list(features), options_key: options}


def point(**properties):
    geometry = {"type": "Point", "coordinates": [2.35, 48.85]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


# --- reading the fixture -------------------------------------------------------------------


def test_map_options(result):
    document = result.document
    assert document["title"] == "Imported map"
    assert document["summary"] == "Map description"
    options = document["options"]
    assert options["center"] == {"lat": 50.6269, "lng": 3.0528}
    assert options["zoom"] == 6
    assert options["credits"] == "the illustrious mapmaker"
    assert options["licence"] == {"name": "No licence set", "url": ""}
    # The fixture names zoom and scale controls; the others take our defaults.
    assert options["controls"] == {**FULL_FORM_CONTROLS, "zoom": True, "scale": True}


def test_basemap_is_not_taken_but_kept(result):
    options = result.document["options"]
    assert options["basemap"] == "plan_ign"
    assert options["umap"]["tilelayer"]["name"] == "OSM Humanitarian (OSM-FR)"
    assert (
        'the uMap basemap "OSM Humanitarian (OSM-FR)" is not used: the map shows the site\'s '
        "default basemap"
    ) in [note.render() for note in result.notes]


def test_unmapped_map_options_are_kept_verbatim(result):
    kept = result.document["options"]["umap"]
    assert kept["miniMap"] is True
    assert kept["shortCredit"] == "the mapmaker"
    assert kept["smoothFactor"] == "1"
    assert kept["umap_id"] == 666
    for mapped in ("name", "description", "zoom", "longCredit", "licence", "fillColor", "weight"):
        assert mapped not in kept
    # Explicit values equal to what an absent key means are kept, so they go back as they came.
    assert (kept["zoomControl"], kept["scaleControl"], kept["datalayersControl"]) == (True,) * 3


def test_map_default_style_is_applied(result):
    # The map's style options are the default style of every layer and feature.
    assert result.document["options"]["style"] == {
        "color": "Red",
        "fill_color": "Crimson",
        "weight": 2,
        "opacity": 0.9,
        "fill_opacity": 0.5,
        "fill": True,
        "dash_array": "5,5",
        "marker_shape": "drop",
    }


def test_layers(result):
    cities, tunnels = result.document["layers"]
    assert (cities["name"], tunnels["name"]) == ("Cities", "Tunnels")
    assert cities["description"] == "A layer with some cities"
    assert cities["shown_on_load"] is True and tunnels["shown_on_load"] is True
    assert cities["style"] == {
        "color": "Navy",
        "marker_shape": "drop",
        "dash_array": "5,1",
        "fill_opacity": 0.5,
        "fill_color": "Blue",
        "fill": True,
    }
    assert cities["umap"] == {"displayOnLoad": True, "remoteData": {}, "smoothFactor": "1"}
    assert tunnels["id"] == "109"
    assert len(cities["id"]) == 12


def test_features_and_their_styles(result):
    cities, tunnels = result.document["layers"]
    bruxelles, lille = cities["features"]
    assert bruxelles["geometry"]["type"] == "Polygon"
    assert bruxelles["properties"] == {"name": "Bruxelles", "description": "polygon"}
    assert lille["geometry"] == {"type": "Point", "coordinates": [3.0528, 50.6269]}
    assert lille["properties"] == {
        "name": "Lille",
        "description": "une ville",
        "_style": {"color": "Orange"},
    }
    (tunnel,) = tunnels["features"]
    assert tunnel["geometry"]["type"] == "LineString"
    assert len(tunnel["geometry"]["coordinates"]) == 5
    assert tunnel["properties"] == {"name": "tunnel sous la Manche", "_style": {"weight": 4}}


def test_one_note_per_unsupported_option(result):
    notes = [note.render() for note in result.notes]
    expected_map_options = [
        "captionBar",
        "smoothFactor",
        "tilelayersControl",
        "onLoadPanel",
        "displayPopupFooter",
        "miniMap",
        "moreControl",
        "scrollWheelZoom",
        "shortCredit",
    ]
    for name in expected_map_options:
        assert notes.count(f'uMap option "{name}" is kept but not shown yet') == 1
    assert 'layer 1 "Cities": uMap layer option "smoothFactor" is kept but not shown yet' in notes
    # Empty values and server bookkeeping are kept without a note.
    assert not any(f'"{name}"' in note for note in notes for name in ("slideshow", "umap_id"))
    assert len(notes) == len(expected_map_options) + 2  # + the basemap + the layer option


def test_result_is_validated(result):
    assert validate_document(result.document) == result.document


# --- round trip and writing ----------------------------------------------------------------


def test_round_trip(result):
    assert umap.read(umap.write(result.document)).document == result.document


def test_round_trip_twice_gives_the_same_bytes(result):
    once = umap.write(result.document)
    assert umap.write(umap.read(once).document) == once


def test_written_file_has_umap_shape(result):
    data = umap.write(result.document)
    assert b"\n" not in data and b'", "' not in data  # compact JSON
    written = json.loads(data)
    assert written["type"] == "umap"
    assert written["geometry"] == {"type": "Point", "coordinates": [3.0528, 50.6269]}
    properties = written["properties"]
    assert properties["name"] == "Imported map"
    assert properties["zoom"] == 6
    assert properties["longCredit"] == "the illustrious mapmaker"
    assert properties["shortCredit"] == "the mapmaker"
    assert properties["miniMap"] is True
    assert properties["fillColor"] == "Crimson" and properties["iconClass"] == "Drop"
    # The source's controls go back as they came; none is added (uMap's defaults differ from
    # ours: an added "searchControl": false would hide uMap's search).
    assert properties["zoomControl"] is True
    for absent in ("fullscreenControl", "locateControl", "searchControl", "permalinkControl"):
        assert absent not in properties
    assert "wagtail_umap" not in properties  # uMap's keys carry every option of this map
    cities = written["layers"][0]
    assert cities["type"] == "FeatureCollection"
    assert cities["properties"]["name"] == "Cities"
    assert cities["properties"]["fillColor"] == "Blue"
    assert cities["properties"]["iconClass"] == "Drop"
    assert cities["properties"]["smoothFactor"] == "1"
    assert cities["_umap_options"] == cities["properties"]
    lille = cities["features"][1]
    assert lille["properties"]["_umap_options"] == {"color": "Orange"}
    assert "_style" not in lille["properties"]


def test_write_without_centre_omits_geometry():
    document = validate_document({**empty_document(), "layers": [new_layer("A")]})
    written = json.loads(umap.write(document))
    assert "geometry" not in written
    assert "zoom" not in written["properties"]
    assert written["layers"][0]["features"] == []


def test_write_maps_marker_shapes_to_icon_classes():
    layers = [new_layer(shape, style={"marker_shape": shape}) for shape in ("pin", "square")]
    document = validate_document({**empty_document(), "layers": layers})
    written = json.loads(umap.write(document))
    assert [layer["properties"]["iconClass"] for layer in written["layers"]] == [
        "Default",
        "Default",
    ]


def test_write_does_not_change_the_document(result):
    before = copy.deepcopy(result.document)
    umap.write(result.document)
    assert result.document == before


# --- other uMap versions and odd files -----------------------------------------------------


@pytest.mark.parametrize("options_key", ["properties", "_umap_options", "_storage"])
def test_layer_options_from_every_umap_version(options_key):
    value = a_map(a_layer(options_key, [point()], name="Écoles", displayOnLoad=False))
    (layer,) = read_value(value).document["layers"]
    assert layer["name"] == "Écoles" and layer["shown_on_load"] is False


def test_pre_1_0_feature_options():
    value = a_map(
        a_layer(features=[point(_storage_options={"color": "Red", "zoomTo": 12})], name="A")
    )
    properties = read_value(value).document["layers"][0]["features"][0]["properties"]
    assert properties == {"_style": {"color": "Red"}, "_umap_options": {"zoomTo": 12}}


def test_icon_classes():
    layers = [a_layer(name=icon, iconClass=icon) for icon in ("Default", "Circle", "Drop", "Ball")]
    document = read_value(a_map(*layers)).document
    assert [layer["style"]["marker_shape"] for layer in document["layers"]] == [
        "pin",
        "circle",
        "drop",
        "circle",
    ]


def test_style_values_we_cannot_show_are_kept_with_a_note():
    value = a_map(a_layer(name="A", color="var(--x)", iconClass="Rocket", weight=""))
    result = read_value(value)
    (layer,) = result.document["layers"]
    assert layer["style"] == {}
    assert layer["umap"] == {"color": "var(--x)", "iconClass": "Rocket"}
    assert [note.render() for note in result.notes] == [
        'layer 1 "A": uMap option "color" has a value this site cannot show ("var(--x)"): '
        "it is kept as is",
        'layer 1 "A": uMap option "iconClass" has a value this site cannot show ("Rocket"): '
        "it is kept as is",
    ]


def test_feature_option_notes_are_not_repeated_per_feature():
    features = [point(_umap_options={"zoomTo": 12}) for _ in range(50)]
    result = read_value(a_map(a_layer(features=features, name="A")))
    assert [note.render() for note in result.notes] == [
        'layer 1 "A": uMap feature option "zoomTo" is kept but not shown yet'
    ]


def test_layer_without_name_is_named_after_the_file():
    value = a_map(a_layer(features=[point()]))
    result = umap.read(json.dumps(value).encode(), default_layer_name="sauvegarde")
    assert result.document["layers"][0]["name"] == "sauvegarde 1"


def test_duplicate_umap_layer_ids_are_regenerated():
    value = a_map(a_layer(name="A", id="x1"), a_layer(name="B", id="x1"))
    first, second = read_value(value).document["layers"]
    assert first["id"] == "x1" and second["id"] != "x1"
    assert "id" not in second["umap"]


def test_string_zoom_and_null_controls():
    value = a_map(zoom="7", zoomControl=None, scaleControl=None, datalayersControl=False)
    document = read_value(value).document
    assert document["options"]["zoom"] == 7
    assert document["options"]["controls"]["layers"] is False
    # null is uMap's third state of its nullable controls ("in the menu"), and nothing for
    # the others: the first is kept, the second dropped.
    assert document["options"]["umap"] == {"zoomControl": None}
    written = json.loads(umap.write(document))["properties"]
    assert written["zoomControl"] is None and "scaleControl" not in written
    assert written["zoom"] == 7


def test_short_credit_alone_becomes_the_credits():
    assert read_value(a_map(shortCredit="Mairie")).document["options"]["credits"] == "Mairie"


def test_not_a_umap_file():
    with pytest.raises(FormatError) as caught:
        read_value({"type": "FeatureCollection", "features": []})
    assert caught.value.messages() == [
        'the file is not a uMap map: expected "type": "umap", found "FeatureCollection"'
    ]


def test_bad_coordinates_in_a_umap_file_are_located():
    bad = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2, 95]}}
    with pytest.raises(MapDocumentError) as caught:
        read_value(a_map(a_layer(name="A"), a_layer(features=[point(), bad], name="Écoles")))
    assert caught.value.messages() == [
        'layer 2 "Écoles", feature 2: latitude 95 is outside -90..90'
    ]
