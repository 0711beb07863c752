import json
from collections import Counter
from pathlib import Path

import pytest

from wagtail_umap.core.validation import Limits, validate_document
from wagtail_umap.formats import FormatError, geojson

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def read_fixture(name: str, layer_name: str = "Import"):
    return geojson.read((FIXTURES / name).read_bytes(), layer_name=layer_name, limits=Limits())


def read_value(value: object, layer_name: str = "Import"):
    return geojson.read(json.dumps(value).encode(), layer_name=layer_name)


def geometry_types(layer: dict) -> Counter:
    return Counter(feature["geometry"]["type"] for feature in layer["features"])


def test_upload_data_gives_two_points_and_three_paths():
    result = read_fixture("test_upload_data.json")
    (layer,) = result.document["layers"]
    assert layer["name"] == "Import"
    assert geometry_types(layer) == {"Point": 2, "Polygon": 2, "LineString": 1}
    assert [f["properties"]["name"] for f in layer["features"]] == [
        "London",
        "Antwerpen",
        "2011",
        "test",
        "test polygon 2",
    ]
    # Free properties stay as they are, even one uMap would read as a colour.
    assert layer["features"][0]["properties"]["color"] == "Pink"
    assert layer["features"][0]["geometry"]["coordinates"] == [-0.131836, 51.47454]
    assert result.notes == []


def test_simple_marker():
    (layer,) = read_fixture("test_upload_simple_marker.json").document["layers"]
    assert layer["features"] == [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-1.09314, 50.791718]},
            "properties": {"name": "Portsmouth"},
        }
    ]


def test_result_is_a_validated_full_document():
    document = read_fixture("test_upload_data.json").document
    assert validate_document(document) == document
    assert document["options"]["basemap"] == "plan_ign"


def test_umap_layer_export_keeps_its_options():
    result = read_fixture("categorized_highway.geojson")
    (layer,) = result.document["layers"]
    assert layer["name"] == "Grisy-sur-Seine"
    assert layer["id"] == "769b2bb0-920d-4531-8055-dd198a33456a"
    assert layer["style"] == {"weight": 3, "opacity": 0.9}
    assert layer["popup_template"] == "# {name}\n{highway}"
    assert geometry_types(layer) == {"LineString": 32}
    assert layer["features"][0]["id"] == "IxNjM"
    assert layer["umap"]["type"] == "Categorized"
    assert layer["umap"]["categorized"] == {"property": "highway"}
    notes = [note.render() for note in result.notes]
    # uMap's "Categorized" type is drawn (a representation), so it gets no "not shown" note.
    assert layer["representation"] == {"type": "categorized", "field": "highway", "categories": []}
    assert not any('"categorized"' in note or '"type"' in note for note in notes)
    assert not any('"permissions"' in note or '"remoteData"' in note for note in notes)


@pytest.mark.parametrize(
    ("name", "layer_name", "types"),
    [
        (
            "choropleth_region_chomage.geojson",
            "Taux de chômage",
            {"Polygon": 12, "MultiPolygon": 1},
        ),
        ("test_circles_layer.geojson", "Calque 1", {"Point": 10}),
        ("heatmap_data.json", "Calque 1", {"Point": 68}),
    ],
)
def test_other_umap_fixtures(name, layer_name, types):
    (layer,) = read_fixture(name).document["layers"]
    assert layer["name"] == layer_name
    assert geometry_types(layer) == types


def test_a_single_feature():
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}
    (layer,) = read_value(feature, "Mairie").document["layers"]
    assert layer["name"] == "Mairie"
    assert layer["features"] == [{**feature, "properties": {}}]


def test_a_bare_geometry():
    (layer,) = read_value({"type": "LineString", "coordinates": [[1, 2], [3, 4]]}).document[
        "layers"
    ]
    assert layer["features"][0]["geometry"]["type"] == "LineString"


def test_a_bare_geometry_collection_is_flattened():
    collection = {
        "type": "GeometryCollection",
        "geometries": [{"type": "Point", "coordinates": [1, 2]}] * 2,
    }
    (layer,) = read_value(collection).document["layers"]
    assert len(layer["features"]) == 2


def test_qgis_collection_name_becomes_the_layer_name():
    value = {
        "type": "FeatureCollection",
        "name": "ecoles_2024",
        "features": [],
        "bbox": [0, 0, 1, 1],
    }
    assert read_value(value).document["layers"][0]["name"] == "ecoles_2024"


def test_wgs84_crs_is_accepted():
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    value = {"type": "FeatureCollection", "crs": crs, "features": []}
    assert read_value(value).document["layers"][0]["features"] == []


def test_projected_crs_is_refused_clearly():
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27572"}}
    value = {"type": "FeatureCollection", "crs": crs, "features": []}
    with pytest.raises(FormatError) as caught:
        read_value(value)
    assert caught.value.messages() == [
        'the file uses the coordinate system "urn:ogc:def:crs:EPSG::27572": '
        "export it in WGS 84 (EPSG:4326)"
    ]


@pytest.mark.parametrize(("value", "shown"), [({"type": "Topology"}, '"Topology"'), ([], "null")])
def test_not_geojson(value, shown):
    with pytest.raises(FormatError) as caught:
        read_value(value)
    assert caught.value.messages() == [f"the file is not GeoJSON: unexpected type {shown}"]


def test_umap_feature_options_in_plain_geojson_are_split():
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [1, 2]},
        "properties": {"name": "A", "_umap_options": {"color": "Red", "popupShape": "Panel"}},
    }
    result = read_value({"type": "FeatureCollection", "features": [feature]})
    properties = result.document["layers"][0]["features"][0]["properties"]
    assert properties == {
        "name": "A",
        "_style": {"color": "Red"},
        "_umap_options": {"popupShape": "Panel"},
    }
    assert [note.render() for note in result.notes] == [
        'layer 1 "Import": uMap feature option "popupShape" is kept but not shown yet'
    ]


def test_write_layer_round_trips():
    document = read_fixture("test_upload_data.json").document
    layer = document["layers"][0]
    data = geojson.write_layer(layer)
    written = json.loads(data)
    assert written["type"] == "FeatureCollection" and written["name"] == "Import"
    again = geojson.read(data, layer_name="other").document["layers"][0]
    assert again["name"] == "Import"
    assert again["features"] == layer["features"]


def test_write_document_merges_layers():
    first = read_fixture("test_upload_data.json").document["layers"][0]
    second = read_fixture("test_upload_simple_marker.json").document["layers"][0]
    stored = {"name": "S", "data": {"digest": "a" * 64}}
    document = {"layers": [first, second, stored]}
    written = json.loads(geojson.write(document))
    assert written == {
        "type": "FeatureCollection",
        "features": first["features"] + second["features"],
    }


def test_written_geojson_is_utf8_not_escaped():
    layer = {"name": "Écoles", "features": []}
    assert "Écoles".encode() in geojson.write_layer(layer)
