"""Malformed and hostile JSON, GeoJSON and uMap files (tests/fixtures/bad/json, bad/umap).

Each goes through ``read_map_file`` and must raise ``MapDocumentError`` with the exact English
message (its location included), never another exception.

Duplicate keys: the last one wins, as in every JSON parser (Python's and the browser's
``JSON.parse``), so what we store is what any other tool would read from the same file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.formats import DEFAULT_LIMITS, FormatError, Limits, read_map_file

BAD = Path(__file__).parent.parent / "fixtures" / "bad"

EXPECTED = {
    "json/truncated.geojson": "the file is not valid JSON: error at line 1, column 120",
    "json/empty.geojson": "the file is not valid JSON: error at line 1, column 1",
    "json/nan.geojson": "the file contains NaN, which JSON does not allow",
    "json/infinity.geojson": "the file contains -Infinity, which JSON does not allow",
    # json.loads turns 1e400 into an infinite float; the size walk refuses it.
    "json/overflow_1e400.geojson": "the map holds a value that JSON cannot represent: Infinity",
    "json/lat_95.geojson": 'layer 1 "lat_95", feature 2: latitude 95 is outside -90..90',
    "json/lon_200.geojson": 'layer 1 "lon_200", feature 1: longitude 200 is outside -180..180',
    "json/booleans_as_coordinates.geojson": (
        'layer 1 "booleans_as_coordinates", feature 1: coordinate true is not a number'
    ),
    "json/string_coordinate.geojson": (
        'layer 1 "string_coordinate", feature 1: coordinate "2.35" is not a number'
    ),
    "json/ring_of_two.geojson": (
        'layer 1 "ring_of_two", feature 1, at coordinates[0]: '
        "a polygon ring needs at least 4 positions, found 2"
    ),
    "json/line_of_one.geojson": (
        'layer 1 "line_of_one", feature 1, at coordinates: '
        "a line needs at least 2 positions, found 1"
    ),
    "json/position_of_four.geojson": (
        'layer 1 "position_of_four", feature 1: '
        "a position must be a list of 2 or 3 numbers, not [1, 2, 3, 4]"
    ),
    "json/kml_behind.geojson": "the file is not valid JSON: error at line 1, column 1",
    "json/csv_behind.json": "the file is not valid JSON: error at line 1, column 1",
    "json/latin1.geojson": "the file is not UTF-8 text: unreadable byte at position 57",
    "json/not_geojson_type.geojson": 'the file is not GeoJSON: unexpected type "Topology"',
    "json/top_level_list.json": "the file is not GeoJSON: unexpected type null",
    "json/osm_no_tagged_element.json": (
        "the OpenStreetMap file has no node, way or relation with a position to import"
    ),
    "json/osm_latitude_95.json": (
        'layer 1 "osm_latitude_95", feature 2: latitude 95 is outside -90..90'
    ),
    "json/lambert93_declared_degrees.geojson": (
        "the file declares Lambert-93 (EPSG:2154) but holds the position [2.3522, 48.8566], "
        'which is not Lambert-93 metres in France: correct its "crs" member, or export it in '
        "WGS 84 (EPSG:4326)"
    ),
    "json/lambert2_etendu.geojson": (
        'the file uses the coordinate system "urn:ogc:def:crs:EPSG::27572": '
        "export it in WGS 84 (EPSG:4326)"
    ),
    "json/features_not_list.geojson": (
        'layer 1 "features_not_list": "features" must be a list, not {"a": 1}'
    ),
    "json/unknown_geometry.geojson": (
        'layer 1 "unknown_geometry", feature 1: unknown geometry type "Circle"'
    ),
    "json/properties_list.geojson": (
        'layer 1 "properties_list", feature 1: feature properties must be a JSON object, not [1, 2]'
    ),
    "json/big_integer.geojson": (
        "the file holds a number of 5000 digits at line 3, column 31: the limit is 4300 digits"
    ),
    "json/lone_surrogate.geojson": (
        'feature 2, at properties.name: the text "\\ud800cole" holds \\ud800, half of a character '
        "(a lone surrogate): remove it or write the whole character"
    ),
    "json/lone_surrogate_key.json": (
        'properties: the text "horaires \\udc00" holds \\udc00, half of a character (a lone '
        "surrogate): remove it or write the whole character"
    ),
    "umap/big_integer.umap": (
        "the file holds a number of 5000 digits at line 1, column 58: the limit is 4300 digits"
    ),
    "umap/lone_surrogate.umap": (
        'layer 1, feature 1, at properties.contact["téléphone"][1]: the text "\\udbff" holds '
        "\\udbff, half of a character (a lone surrogate): remove it or write the whole character"
    ),
    "umap/layers_not_list.umap": '"layers" must be a list, not {"a": {}}',
    "umap/bare_umap.json": '"layers" must be a list, not 5',
    "umap/features_not_list.umap": 'layer 1 "Écoles": "features" must be a list, not "none"',
    "umap/layer_not_object.umap": 'layer 2: a layer must be a JSON object, not "layer"',
    "umap/not_umap.umap": (
        'the file is not a uMap map: expected "type": "umap", found "FeatureCollection"'
    ),
    "umap/bad_zoom_center.umap": [
        "latitude 100 is outside -90..90",
        "the zoom must be a whole number from 0 to 22, not 99",
    ],
    "umap/title_not_text.umap": '"title" must be text, not ["a"]',
    "umap/licence_javascript.umap": (
        'the licence address must start with http:// or https://, not "javascript:alert(1)"'
    ),
}


def test_every_bad_file_has_an_expectation():
    on_disk = {
        str(path.relative_to(BAD))
        for path in BAD.glob("*/*")
        if path.parent.name in ("json", "umap")
    }
    on_disk.discard("json/duplicate_keys.geojson")  # accepted: see its own test
    assert on_disk == set(EXPECTED)
    assert len(EXPECTED) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_refused_with_a_located_message(name):
    expected = EXPECTED[name]
    with pytest.raises(MapDocumentError) as caught:
        read_map_file(Path(name).name, (BAD / name).read_bytes())
    assert caught.value.messages() == (expected if isinstance(expected, list) else [expected])


def test_duplicate_keys_last_wins():
    # The first "geometry" (95, 95) would be refused: it is overridden, as JSON parsers do.
    data = (BAD / "json/duplicate_keys.geojson").read_bytes()
    [feature] = read_map_file("duplicate_keys.geojson", data).document["layers"][0]["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [2.35, 48.85]}
    assert feature["properties"] == {"name": "last"}


DEEP = 10_000


@pytest.mark.parametrize("extension", [".geojson", ".json", ".umap"])
@pytest.mark.parametrize(
    "data",
    [
        b"[" * DEEP + b"]" * DEEP,
        b'{"a":' * DEEP + b"1" + b"}" * DEEP,
        b'{"type":"Point","coordinates":' + b"[" * DEEP + b"]" * DEEP + b"}",
    ],
    ids=["lists", "objects", "coordinates"],
)
def test_ten_thousand_deep_nesting(data, extension):
    with pytest.raises(FormatError) as caught:
        read_map_file("deep" + extension, data)
    assert caught.value.messages() == ["the data is nested too deeply: the limit is 32 levels"]


def test_nesting_just_over_the_limit_is_measured():
    nested = b'{"a":' * 40 + b"1" + b"}" * 40
    data = b'{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":'
    with pytest.raises(FormatError) as caught:
        read_map_file("deep.geojson", data + nested + b"}")
    assert caught.value.messages() == ["the data is nested too deeply: 41 levels, the limit is 32"]


@pytest.mark.parametrize("extension", [".geojson", ".json", ".umap"])
def test_file_over_a_small_cap(extension):
    data = b'{"type": "Point", "coordinates": [2.35, 48.85]}'
    with pytest.raises(FormatError) as caught:
        read_map_file("big" + extension, data, Limits(max_bytes=len(data) - 1))
    assert caught.value.messages() == [
        f"the file is too large: {len(data)} bytes, the limit is {len(data) - 1} bytes"
    ]


def test_file_just_over_the_default_cap_is_not_read(monkeypatch):
    import json

    def never(*args, **kwargs):  # pragma: no cover - reaching it is the failure
        raise AssertionError("a file over the cap was parsed")

    monkeypatch.setattr(json, "loads", never)
    cap = DEFAULT_LIMITS.max_bytes
    data = b" " * (cap + 1)
    for name in ("big.geojson", "big.json", "big.umap"):
        with pytest.raises(FormatError) as caught:
            read_map_file(name, data)
        assert caught.value.messages() == [
            f"the file is too large: {cap + 1} bytes, the limit is {cap} bytes"
        ]


def test_unsupported_extension():
    with pytest.raises(FormatError) as caught:
        read_map_file("carte.shp", b"\x00\x00\x27\x0a")
    assert caught.value.messages() == [
        'unsupported file type ".shp": use a file in '
        ".geojson, .json, .umap, .csv, .tsv, .kml, .kmz, .gpx, .rss, .atom, .georss"
    ]
