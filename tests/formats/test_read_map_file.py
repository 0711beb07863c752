import json
from pathlib import Path

import pytest

from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import Limits
from wagtail_umap.formats import SUPPORTED_EXTENSIONS, FormatError, read_map_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def format_messages(filename, data, limits=None):
    with pytest.raises(FormatError) as caught:
        read_map_file(filename, data, limits or Limits())
    return caught.value.messages()


def test_supported_extensions():
    assert SUPPORTED_EXTENSIONS == (
        ".geojson",
        ".json",
        ".umap",
        ".csv",
        ".tsv",
        ".kml",
        ".kmz",
        ".gpx",
        ".rss",
        ".atom",
        ".georss",
    )


def test_format_error_is_a_map_document_error():
    assert issubclass(FormatError, MapDocumentError)


def test_geojson_by_extension_names_the_layer_after_the_file():
    result = read_map_file("Bureaux de vote.GEOJSON", fixture("test_upload_simple_marker.json"))
    assert [layer["name"] for layer in result.document["layers"]] == ["Bureaux de vote"]


def test_umap_by_extension():
    result = read_map_file("backup.umap", fixture("test_upload_data.umap"))
    assert result.document["title"] == "Imported map"


def test_json_holding_a_umap_map_goes_to_the_umap_reader():
    result = read_map_file("backup.json", fixture("test_upload_data.umap"))
    assert [layer["name"] for layer in result.document["layers"]] == ["Cities", "Tunnels"]


def test_unsupported_extension():
    choices = ".geojson, .json, .umap, .csv, .tsv, .kml, .kmz, .gpx, .rss, .atom, .georss"
    assert format_messages("carte.shp", b"\x00") == [
        f'unsupported file type ".shp": use a file in {choices}'
    ]
    assert format_messages("carte", b"{}") == [
        f'unsupported file type "carte": use a file in {choices}'
    ]


def test_size_is_checked_before_parsing():
    assert format_messages("a.geojson", b"x" * 101, Limits(max_bytes=100)) == [
        "the file is too large: 101 bytes, the limit is 100 bytes"
    ]


def test_not_utf8():
    assert format_messages("a.geojson", b'{"type": "\xff"}') == [
        "the file is not UTF-8 text: unreadable byte at position 10"
    ]


def test_utf8_bom_is_accepted():
    data = "\ufeff".encode() + fixture("test_upload_simple_marker.json")
    assert len(read_map_file("a.json", data).document["layers"][0]["features"]) == 1


def test_bad_json_gives_line_and_column():
    data = b'{\n  "type": "FeatureCollection",\n  "features": [,]\n}'
    assert format_messages("a.geojson", data) == [
        "the file is not valid JSON: error at line 3, column 16"
    ]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(constant):
    data = ('{"type": "Point", "coordinates": [' + constant + ", 1]}").encode()
    assert format_messages("a.geojson", data) == [
        f"the file contains {constant}, which JSON does not allow"
    ]


def test_deeply_nested_json_is_rejected_without_recursion_error():
    data = b"[" * 100_000 + b"]" * 100_000
    assert format_messages("a.geojson", data) == [
        "the data is nested too deeply: the limit is 32 levels"
    ]


def test_nesting_beyond_the_limit_but_parseable_is_measured():
    data = json.dumps({"type": "Feature", "properties": {"a": [[[[[[1]]]]]]}}).encode()
    assert format_messages("a.geojson", data, Limits(max_depth=5)) == [
        "the data is nested too deeply: 8 levels, the limit is 5"
    ]


def test_validation_errors_come_out_located():
    data = json.dumps({"type": "Point", "coordinates": [2, 95]}).encode()
    with pytest.raises(MapDocumentError) as caught:
        read_map_file("écoles.geojson", data)
    assert caught.value.messages() == [
        'layer 1 "écoles", feature 1: latitude 95 is outside -90..90'
    ]
