"""Import breadth (issue 12, part 5): open data exports, Lambert-93, OSM JSON, GeoRSS.

Accepted files are in ``tests/fixtures/``, refused ones in ``tests/fixtures/bad/``; every
message is asserted in English and in French.
"""

from pathlib import Path

import pytest
from django.utils import translation

from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.formats import read_map_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def read(name: str):
    path = FIXTURES / name
    return read_map_file(path.name, path.read_bytes())


def features(name: str) -> list[dict]:
    return read(name).document["layers"][0]["features"]


def notes(name: str) -> tuple[list[str], list[str]]:
    result = read(name)
    english = [issue.render() for issue in result.notes]
    with translation.override("fr"):
        french = [issue.render(translation.gettext) for issue in result.notes]
    return english, french


def refusal(name: str) -> tuple[list[str], list[str]]:
    with pytest.raises(MapDocumentError) as caught:
        read(name)
    with translation.override("fr"):
        french = caught.value.messages(translation.gettext)
    return caught.value.messages(), french


def near(position: list[float], expected: tuple[float, float]) -> bool:
    return abs(position[0] - expected[0]) < 1e-5 and abs(position[1] - expected[1]) < 1e-5


LAMBERT93_NOTE = (
    ["the coordinates are Lambert-93 metres (EPSG:2154): they were converted to WGS 84"],
    ["les coordonnées sont en mètres Lambert-93 (EPSG:2154) : elles ont été converties en WGS 84"],
)


# --- OpenDataSoft and data.gouv.fr CSV exports -------------------------------------------------


def test_opendatasoft_export_prefers_the_shape_and_drops_the_point_with_a_note():
    shape, point = features("ods_equipements.csv")
    assert shape["geometry"]["type"] == "Polygon"
    assert "Geo Point" not in shape["properties"] and "Geo Shape" not in shape["properties"]
    # A row without a shape falls back on its "Geo Point" (latitude, longitude).
    assert point["geometry"] == {"type": "Point", "coordinates": [2.3498, 48.8418]}
    assert notes("ods_equipements.csv") == (
        [
            'the column "Geo Point" (the centre of each shape) was not kept: the shapes of the '
            'column "Geo Shape" are used'
        ],
        [
            'la colonne "Geo Point" (le centre de chaque forme) n’a pas été gardée : les formes '
            'de la colonne "Geo Shape" sont utilisées'
        ],
    )


def test_geo_point_2d_is_latitude_then_longitude():
    paris, lyon = features("datagouv_geo_point_2d.csv")
    assert paris["geometry"]["coordinates"] == [2.3522, 48.8566]
    assert lyon["geometry"]["coordinates"] == [4.8344, 45.7676]
    assert notes("datagouv_geo_point_2d.csv") == ([], [])


def test_geo_point_that_is_not_a_pair_is_refused():
    assert refusal("bad/csv/geo_point_not_a_pair.csv") == (
        [
            'layer 1 "geo_point_not_a_pair", line 2: no usable position: "48.8566" is not a '
            '"latitude, longitude" pair such as "48.8566, 2.3522"'
        ],
        [
            "calque 1 « geo_point_not_a_pair », ligne 2 : aucune position utilisable : "
            '"48.8566" n’est pas une paire « latitude, longitude » comme « 48.8566, 2.3522 »'
        ],
    )


# --- Lambert-93 ----------------------------------------------------------------------------------

RENNES, NANTES = (-1.6794, 48.1113), (-1.5536, 47.2184)


@pytest.mark.parametrize("name", ["lambert93_xy.csv", "lambert93_plain_xy.csv"])
def test_lambert93_columns_are_converted(name):
    rennes, nantes = features(name)
    assert near(rennes["geometry"]["coordinates"], RENNES)
    assert near(nantes["geometry"]["coordinates"], NANTES)
    assert notes(name) == LAMBERT93_NOTE


def test_lambert93_geojson_is_converted():
    point, polygon = features("lambert93.geojson")
    assert near(point["geometry"]["coordinates"], (2.3522, 48.8566))
    ring = polygon["geometry"]["coordinates"][0]
    assert near(ring[0], (2.347, 48.853)) and ring[0] == ring[-1]
    assert notes("lambert93.geojson") == LAMBERT93_NOTE


def test_lambert93_wkt_is_converted():
    data = b'nom,wkt\nParc,"SRID=2154;POINT (648237.30 6862271.68)"\n'
    result = read_map_file("parcs.csv", data)
    (feature,) = result.document["layers"][0]["features"]
    assert near(feature["geometry"]["coordinates"], (2.2945, 48.8584))
    assert [issue.render() for issue in result.notes] == LAMBERT93_NOTE[0]


def test_x_y_neither_degrees_nor_lambert93_is_refused_naming_epsg_2154():
    assert refusal("bad/csv/xy_neither_degrees_nor_lambert93.csv") == (
        [
            'layer 1 "xy_neither_degrees_nor_lambert93", line 2: no usable position: X "652000", '
            'Y "862000" are neither degrees nor Lambert-93 (EPSG:2154) metres of France: export '
            "the file in WGS 84 (EPSG:4326) with latitude and longitude columns, or in "
            "Lambert-93 with X and Y columns"
        ],
        [
            "calque 1 « xy_neither_degrees_nor_lambert93 », ligne 2 : aucune position "
            'utilisable : X "652000", Y "862000" ne sont ni des degrés ni des mètres '
            "Lambert-93 (EPSG:2154) en France : exportez le fichier en WGS 84 (EPSG:4326) avec "
            "des colonnes latitude et longitude, ou en Lambert-93 avec des colonnes X et Y"
        ],
    )


def test_small_x_y_are_still_degrees():
    result = read_map_file("points.csv", b"nom,x,y\nMairie,2.35,48.85\n")
    assert result.document["layers"][0]["features"][0]["geometry"]["coordinates"] == [2.35, 48.85]
    assert result.notes == []
