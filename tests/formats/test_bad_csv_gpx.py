"""Every malformed or hostile CSV and GPX file gives our own located error, nothing else."""

from pathlib import Path

import pytest

from wagtail_umap.core.errors import Location, MapDocumentError
from wagtail_umap.formats import read_map_file
from wagtail_umap.formats.csv import LineLocation

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "bad"


def line(number: int, layer_name: str | None = None, detail: str | None = None) -> LineLocation:
    layer = None if layer_name is None else 1
    return LineLocation(layer=layer, layer_name=layer_name, detail=detail, line=number)


# file name → (the messages, the location of the first issue)
EXPECTED = {
    "csv/no_position_column.csv": (
        'no position column found among the columns "nom", "adresse", "commune": name them '
        "latitude and longitude (or lat, y and lon, lng, long, x), or give the geometry as WKT "
        "or GeoJSON in a column named geometry, geom, wkt, the_geom or geojson",
        Location(),
    ),
    "csv/latitude_only.csv": (
        'a latitude column "latitude" was found but no longitude column: name it longitude, '
        "lon, lng, long or x",
        Location(),
    ),
    "csv/latitude_not_number.csv": (
        'layer 1 "latitude_not_number", line 3: no usable position: latitude "abc" is not a number',
        line(3, "latitude_not_number"),
    ),
    "csv/latitude_95.csv": (
        'layer 1 "latitude_95", line 2: no usable position: latitude 95 is outside -90..90',
        line(2, "latitude_95"),
    ),
    "csv/longitude_200.csv": (
        'layer 1 "longitude_200", line 2: no usable position: longitude 200 is outside -180..180',
        line(2, "longitude_200"),
    ),
    "csv/empty_latitude.csv": (
        'layer 1 "empty_latitude", line 3: no usable position: the cell of column "lat" is empty',
        line(3, "empty_latitude"),
    ),
    "csv/nan_coordinate.csv": (
        'layer 1 "nan_coordinate", line 2: no usable position: latitude "NaN" is not a number',
        line(2, "nan_coordinate"),
    ),
    "csv/ring_of_three_points.csv": (
        'layer 1 "ring_of_three_points", line 2, at coordinates[0]: a polygon ring needs at '
        "least 4 positions, found 3",
        line(2, "ring_of_three_points", "coordinates[0]"),
    ),
    "csv/truncated_wkt.csv": (
        'layer 1 "truncated_wkt", line 2: no usable position: "POLYGON ((2.3 48.8, 2.4 48.8, '
        "2.4 48.9… is not valid WKT: unexpected text at character 50",
        line(2, "truncated_wkt"),
    ),
    "csv/unsupported_wkt.csv": (
        'layer 1 "unsupported_wkt", line 2: no usable position: the WKT type "CIRCULARSTRING" '
        "is not supported: use POINT, LINESTRING, POLYGON or their MULTI forms",
        line(2, "unsupported_wkt"),
    ),
    "csv/geojson_string_coordinates.csv": (
        'layer 1 "geojson_string_coordinates", line 2: coordinate "2.35" is not a number',
        line(2, "geojson_string_coordinates"),
    ),
    "csv/xy_neither_degrees_nor_lambert93.csv": (
        'layer 1 "xy_neither_degrees_nor_lambert93", line 2: no usable position: X "652000", '
        'Y "862000" are neither degrees nor Lambert-93 (EPSG:2154) metres of France: export the '
        "file in WGS 84 (EPSG:4326) with latitude and longitude columns, or in Lambert-93 with "
        "X and Y columns",
        line(2, "xy_neither_degrees_nor_lambert93"),
    ),
    "csv/geo_point_not_a_pair.csv": (
        'layer 1 "geo_point_not_a_pair", line 2: no usable position: "48.8566" is not a '
        '"latitude, longitude" pair such as "48.8566, 2.3522"',
        line(2, "geo_point_not_a_pair"),
    ),
    "csv/lambert2_wkt.csv": (
        'layer 1 "lambert2_wkt", line 2: the file uses the coordinate system "EPSG:27572": '
        "export it in WGS 84 (EPSG:4326)",
        line(2, "lambert2_wkt"),
    ),
    "csv/bad_quotes.csv": (
        "line 3: a quoted cell is followed by other characters: put the whole cell in quotes "
        '("") and double the quotes inside it',
        line(3),
    ),
    "csv/unclosed_quote.csv": (
        'line 3: a quoted cell (") starting on this line is never closed',
        line(3),
    ),
    "csv/decimal_comma_with_comma_separator.csv": (
        'layer 1 "decimal_comma_with_comma_separator", line 2: the row has 5 cells but the '
        "header line has 3: check the separator and the quotes",
        line(2, "decimal_comma_with_comma_separator"),
    ),
    "csv/empty.csv": ("the CSV file is empty", Location()),
    "csv/header_only.csv": ("the CSV file has a header line but no data rows", Location()),
    "csv/mixed_encodings.csv": (
        "the file mixes UTF-8 with another encoding: line 3 is not UTF-8; save the whole file "
        "as UTF-8",
        Location(),
    ),
    "csv/spreadsheet_renamed.csv": (
        "the file is a spreadsheet (xlsx, ods), not CSV: save it as CSV (UTF-8) from your "
        "spreadsheet program",
        Location(),
    ),
    "csv/null_byte.csv": ("the file is not text: it contains a null byte at line 2", Location()),
    "gpx/no_points.gpx": (
        "the GPX file has no waypoints, routes or tracks with points",
        Location(),
    ),
    "gpx/single_point_track.gpx": (
        "the GPX file has no waypoints, routes or tracks with points",
        Location(),
    ),
    "gpx/external_entity.gpx": (
        "the file declares a DTD or entities, which are refused for safety",
        Location(),
    ),
    "gpx/billion_laughs.gpx": (
        "the file declares a DTD or entities, which are refused for safety",
        Location(),
    ),
    "gpx/truncated.gpx": ("the file is not valid XML: error at line 6, column 1", Location()),
    "gpx/empty.gpx": ("the file is not valid XML: error at line 1, column 1", Location()),
    "gpx/kml_renamed.gpx": (
        'the file is not GPX: its root element is "kml", expected gpx',
        Location(),
    ),
    "gpx/latitude_not_number.gpx": (
        '<wpt> number 2: "lat" must be a number, not "quarante-huit"',
        Location(),
    ),
    "gpx/missing_lon.gpx": ('<rtept> number 2 has no "lon" attribute', Location()),
    "gpx/deep_extensions.gpx": (
        "the file's elements are nested more than 256 levels deep: at line 1, column 819",
        Location(),
    ),
    "gpx/latitude_95.gpx": (
        'layer 1 "latitude_95", feature 1, at coordinates[1]: latitude 95 is outside -90..90',
        Location(layer=1, layer_name="latitude_95", feature=1, detail="coordinates[1]"),
    ),
}


def test_the_corpus_is_complete():
    on_disk = {
        str(path.relative_to(BAD)) for folder in ("csv", "gpx") for path in (BAD / folder).iterdir()
    }
    assert on_disk == set(EXPECTED)
    assert sum(name.startswith("csv/") for name in on_disk) >= 10
    assert sum(name.startswith("gpx/") for name in on_disk) >= 6
    assert all((BAD / name).stat().st_size < 2000 for name in on_disk)  # small and readable


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_one_located_error(name):
    message, location = EXPECTED[name]
    path = BAD / name
    with pytest.raises(MapDocumentError) as caught:
        read_map_file(path.name, path.read_bytes())
    assert caught.value.messages() == [message]
    assert caught.value.issues[0].location == location
