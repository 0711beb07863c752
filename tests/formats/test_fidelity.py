"""Round trips on every fixture our readers take: read → write → read loses nothing it can carry.

What each format cannot carry (and so is not compared after a trip through it):

- GeoJSON (one layer): nothing is lost; several layers merge into one collection and lose their
  layer options (the per-feature properties and ``_style`` stay).
- ``.umap``: nothing is lost; layer ids that are numbers come back as strings ("109").
- CSV: one flat table: layer options and styles are not written; property values come back as
  text (``6.7`` → ``"6.7"``), ``null`` as empty.
- KML: styles of features and layer options beyond colour/width/icon; properties as text.
- GPX: points and lines only (no polygons); properties beyond name/desc/ele/time.
"""

from __future__ import annotations

import importlib
import json
from collections import Counter
from pathlib import Path

import pytest

from wagtail_umap.formats import EXPORT_FORMATS, read_map_file, write_map_file

FIXTURES = Path(__file__).parent.parent / "fixtures"
JSON_FIXTURES = [
    "test_upload_data.umap",
    "test_upload_data.json",
    "test_upload_simple_marker.json",
    "categorized_highway.geojson",
    "choropleth_region_chomage.geojson",
    "heatmap_data.json",
    "test_circles_layer.geojson",
]
OTHER_FIXTURES = ["test_upload_data.csv", "test_upload_data.kml", "test_upload_data.gpx"]
MODULE_OF = {".csv": "csv", ".kml": "kml", ".gpx": "gpx"}


def module_exists(name: str) -> bool:
    try:
        importlib.import_module(f"wagtail_umap.formats.{name}")
    except ModuleNotFoundError:
        return False
    return True


def read(name: str):
    return read_map_file(name, (FIXTURES / name).read_bytes())


def geometry_types(document: dict) -> Counter:
    return Counter(
        feature["geometry"]["type"] for layer in document["layers"] for feature in layer["features"]
    )


def rounded(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


def features_of(document: dict) -> list[dict]:
    return [feature for layer in document["layers"] for feature in layer["features"]]


def comparable(feature: dict, *, styles=True, text=False, keep=None) -> dict:
    """A feature reduced to what a format carries: geometry to 6 decimals, properties."""
    properties = dict(feature["properties"])
    if not styles:
        properties.pop("_style", None)
        properties.pop("_umap_options", None)
    if keep is not None:
        properties = {key: value for key, value in properties.items() if key in keep}
    if text:
        properties = {
            key: ("" if value is None else value if isinstance(value, str) else json.dumps(value))
            for key, value in properties.items()
        }
    geometry = {"type": feature["geometry"]["type"]}
    geometry["coordinates"] = rounded(feature["geometry"]["coordinates"])
    return {"geometry": geometry, "properties": properties}


# --- per fixture: counts and styles after import --------------------------------------------


def test_umap_backup_counts_and_styles():
    document = read("test_upload_data.umap").document
    assert document["title"] == "Imported map"
    assert document["summary"] == "Map description"
    assert document["options"]["center"] == {"lat": 50.6269, "lng": 3.0528}
    assert document["options"]["zoom"] == 6
    assert document["options"]["credits"] == "the illustrious mapmaker"
    assert [layer["name"] for layer in document["layers"]] == ["Cities", "Tunnels"]
    assert geometry_types(document) == Counter({"Point": 1, "LineString": 1, "Polygon": 1})
    cities, tunnels = document["layers"]
    assert cities["description"] == "A layer with some cities"
    assert cities["style"] == {
        "color": "Navy",
        "fill_color": "Blue",
        "fill_opacity": 0.5,
        "fill": True,
        "dash_array": "5,1",
        "marker_shape": "drop",
    }
    assert cities["umap"] == {"displayOnLoad": True, "remoteData": {}, "smoothFactor": "1"}
    bruxelles, lille = cities["features"]
    assert bruxelles["properties"] == {"name": "Bruxelles", "description": "polygon"}
    assert lille["properties"]["_style"] == {"color": "Orange"}
    assert tunnels["id"] == "109" and tunnels["style"] == {}
    assert tunnels["features"][0]["properties"]["_style"] == {"weight": 4}


GEOJSON_FIXTURES = {
    # name: (layer name, geometry counts, layer style, kept uMap layer type)
    "test_upload_data.json": (
        "test_upload_data",
        {"Point": 2, "LineString": 1, "Polygon": 2},
        {},
        None,
    ),
    "test_upload_simple_marker.json": ("test_upload_simple_marker", {"Point": 1}, {}, None),
    "categorized_highway.geojson": (
        "Grisy-sur-Seine",
        {"LineString": 32},
        {"weight": 3, "opacity": 0.9},
        "Categorized",
    ),
    "choropleth_region_chomage.geojson": (
        "Taux de chômage",
        {"Polygon": 12, "MultiPolygon": 1},
        {},
        "Choropleth",
    ),
    "heatmap_data.json": ("Calque 1", {"Point": 68}, {}, "Heat"),
    "test_circles_layer.geojson": ("Calque 1", {"Point": 10}, {}, "Circles"),
}


@pytest.mark.parametrize(
    ("name", "layer_name", "types", "style", "kept_type"),
    [(name, *expected) for name, expected in GEOJSON_FIXTURES.items()],
)
def test_geojson_fixture_counts_and_styles(name, layer_name, types, style, kept_type):
    document = read(name).document
    [layer] = document["layers"]
    assert layer["name"] == layer_name
    assert geometry_types(document) == Counter(types)
    assert layer["style"] == style
    assert layer["umap"].get("type") == kept_type


def test_geojson_fixture_details():
    london = features_of(read("test_upload_data.json").document)[0]
    # A plain "color" property is data, not a style (uMap reads styles from _umap_options).
    assert london["properties"] == {
        "name": "London",
        "description": "London description",
        "color": "Pink",
    }
    highway = read("categorized_highway.geojson").document["layers"][0]
    assert highway["popup_template"] == "# {name}\n{highway}"
    assert highway["umap"]["categorized"] == {"property": "highway"}
    chomage = read("choropleth_region_chomage.geojson").document["layers"][0]
    assert chomage["umap"]["choropleth"] == {"property": "taux"}
    assert chomage["label_key"] == "{nom} ({taux})"  # applied: it names the features


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", JSON_FIXTURES)
def test_umap_round_trip_keeps_the_whole_document(name):
    document = read(name).document
    again = read_map_file("again.umap", write_map_file(document, "umap")).document
    assert again == document


@pytest.mark.parametrize("name", JSON_FIXTURES)
def test_umap_write_is_stable(name):
    once = write_map_file(read(name).document, "umap")
    assert write_map_file(read_map_file("x.umap", once).document, "umap") == once


@pytest.mark.parametrize("name", JSON_FIXTURES)
def test_geojson_round_trip(name):
    document = read(name).document
    again = read_map_file("again.geojson", write_map_file(document, "geojson")).document
    if len(document["layers"]) == 1:
        # One layer travels whole: its options are written as uMap writes them.
        assert again["layers"] == document["layers"]
    else:
        # Several layers merge into one collection: features stay, layer options do not.
        assert features_of(again) == features_of(document)


def test_umap_backup_keeps_every_option_known_and_kept():
    original = json.loads((FIXTURES / "test_upload_data.umap").read_bytes())
    written = json.loads(write_map_file(read("test_upload_data.umap").document, "umap"))
    # Every map option comes back with its value (numeric strings we map become numbers).
    numbers = {"fillOpacity": 0.5, "weight": 2, "opacity": 0.9}
    for key, value in original["properties"].items():
        assert written["properties"][key] == numbers.get(key, value), key
    assert written["geometry"] == original["geometry"]
    for before, after in zip(original["layers"], written["layers"], strict=True):
        for key, value in before["properties"].items():
            expected = {"fillOpacity": 0.5}.get(key, value)  # numeric strings we map
            expected = str(expected) if key == "id" else expected  # 109 → "109"
            assert after["properties"][key] == expected, key
        assert after["_umap_options"] == after["properties"]
        for old, new in zip(before["features"], after["features"], strict=True):
            assert rounded(new["geometry"]) == rounded(old["geometry"])
            options = old["properties"].get("_umap_options", {})
            expected = {key: (4 if key == "weight" else value) for key, value in options.items()}
            assert new["properties"].get("_umap_options", {}) == expected
            for key, value in old["properties"].items():
                if key != "_umap_options":
                    assert new["properties"][key] == value


def test_umap_ball_icon_survives():
    document = {
        "type": "umap",
        "properties": {"name": "B"},
        "layers": [
            {
                "type": "FeatureCollection",
                "features": [],
                "_umap_options": {"name": "L", "iconClass": "Ball"},
            }
        ],
    }
    result = read_map_file("b.umap", json.dumps(document).encode())
    layer = result.document["layers"][0]
    assert layer["style"] == {"marker_shape": "circle"}
    assert result.notes == []
    written = json.loads(write_map_file(result.document, "umap"))
    assert written["layers"][0]["properties"]["iconClass"] == "Ball"
    layer["style"]["marker_shape"] = "drop"  # an editor's change wins over the kept value
    written = json.loads(write_map_file(result.document, "umap"))
    assert written["layers"][0]["properties"]["iconClass"] == "Drop"


def test_umap_relative_icon_urls_are_resolved_against_uri():
    backup = {
        "type": "umap",
        "uri": "https://umap.openstreetmap.fr/fr/map/ecoles_123",
        "properties": {"name": "I", "iconUrl": "/uploads/pictogram/school.svg"},
        "layers": [
            {
                "type": "FeatureCollection",
                "_umap_options": {"name": "L", "iconUrl": "/static/umap/img/marker.svg"},
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
                        "properties": {"_umap_options": {"iconUrl": "/uploads/pictogram/bike.svg"}},
                    },
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [2.36, 48.86]},
                        "properties": {"_umap_options": {"iconUrl": "https://x.fr/a.png"}},
                    },
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [2.37, 48.87]},
                        "properties": {"_umap_options": {"iconUrl": "🚲"}},
                    },
                ],
            }
        ],
    }
    document = read_map_file("i.umap", json.dumps(backup).encode()).document
    host = "https://umap.openstreetmap.fr"
    assert document["options"]["umap"]["iconUrl"] == host + "/uploads/pictogram/school.svg"
    layer = document["layers"][0]
    assert layer["umap"]["iconUrl"] == host + "/static/umap/img/marker.svg"
    icons = [feature["properties"]["_umap_options"]["iconUrl"] for feature in layer["features"][:2]]
    assert icons == [host + "/uploads/pictogram/bike.svg", "https://x.fr/a.png"]
    assert layer["features"][2]["properties"] == {"_style": {"pictogram": "🚲"}}
    # Written back absolute: the backup imports into any uMap with its pictures.
    written = json.loads(write_map_file(document, "umap"))
    assert written["properties"]["iconUrl"] == host + "/uploads/pictogram/school.svg"


def test_relative_icon_url_without_uri_is_kept_as_is():
    backup = {
        "type": "umap",
        "properties": {"iconUrl": "/uploads/pictogram/school.svg"},
        "layers": [],
    }
    document = read_map_file("i.umap", json.dumps(backup).encode()).document
    assert document["options"]["umap"]["iconUrl"] == "/uploads/pictogram/school.svg"


def test_legacy_storage_layer_with_laydescription():
    backup = {
        "type": "umap",
        "properties": {"name": "Old"},
        "layers": [
            {
                "type": "FeatureCollection",
                "features": [],
                "_storage": {
                    "name": "Vieux",
                    "laydescription": "avant 1.0",
                    "displayOnLoad": False,
                },
            }
        ],
    }
    layer = read_map_file("old.umap", json.dumps(backup).encode()).document["layers"][0]
    assert (layer["name"], layer["description"], layer["shown_on_load"]) == (
        "Vieux",
        "avant 1.0",
        False,
    )
    assert layer["umap"] == {}


# --- the other engineers' formats ------------------------------------------------------------


def _needs(module: str):
    if not module_exists(module):
        pytest.skip(f"wagtail_umap.formats.{module} is not written yet")


# What survives a trip through each format, beyond geometry (see the module docstring).
CARRIES = {
    "csv": {"styles": False, "text": True},
    "kml": {"styles": False, "text": True},
    "gpx": {"styles": False, "text": True, "keep": {"name", "description", "ele", "time"}},
}
GPX_TYPES = {"Point", "LineString", "MultiPoint", "MultiLineString"}


@pytest.mark.parametrize("name", JSON_FIXTURES)
@pytest.mark.parametrize("format_name", ["csv", "kml", "gpx"])
def test_round_trip_through_other_formats(name, format_name):
    _needs(format_name)
    document = read(name).document
    features = features_of(document)
    if format_name == "gpx":
        features = [f for f in features if f["geometry"]["type"] in GPX_TYPES]
        if not features:
            pytest.skip("GPX carries no polygons: nothing of this fixture to compare")
        document = {
            **document,
            "layers": [{**layer, "features": [f for f in layer["features"] if f in features]}
                       for layer in document["layers"]],
        }  # fmt: skip
    data = write_map_file(document, format_name)
    again = read_map_file("again" + EXPORT_FORMATS[format_name].extension, data).document
    carried = CARRIES[format_name]
    before = [comparable(feature, **carried) for feature in features]
    after = [comparable(feature, **carried) for feature in features_of(again)]
    assert [f["geometry"] for f in after] == [f["geometry"] for f in before]
    for old, new in zip(before, after, strict=True):
        # A format may add columns of its own (CSV's centroid latitude/longitude): every
        # property we had must come back with the same value.
        # Text formats do not tell an empty value from a missing one.
        missing = "" if carried.get("text") else None
        got = {key: new["properties"].get(key, missing) for key in old["properties"]}
        assert got == old["properties"]


@pytest.mark.parametrize("name", OTHER_FIXTURES)
def test_other_fixtures_round_trip_through_geojson_and_umap(name):
    _needs(MODULE_OF[Path(name).suffix])
    document = read(name).document
    assert features_of(document), name
    for format_name in ("geojson", "umap"):
        data = write_map_file(document, format_name)
        extension = EXPORT_FORMATS[format_name].extension
        again = read_map_file("again" + extension, data).document
        assert [comparable(f) for f in features_of(again)] == [
            comparable(f) for f in features_of(document)
        ]


@pytest.mark.parametrize(
    ("name", "types"),
    [
        ("test_upload_data.csv", {"Point": 2}),
        ("test_upload_data.gpx", {"Point": 1, "LineString": 1}),
    ],
)
def test_other_fixture_counts(name, types):
    _needs(MODULE_OF[Path(name).suffix])
    assert geometry_types(read(name).document) == Counter(types)


def test_kml_fixture_has_points_lines_and_polygons():
    _needs("kml")
    types = geometry_types(read("test_upload_data.kml").document)
    assert {"Point", "LineString", "Polygon"} <= {t.removeprefix("Multi") for t in types}
