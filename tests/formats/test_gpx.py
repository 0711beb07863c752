from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from django.utils import translation

from wagtail_umap.core.validation import Limits, validate_document
from wagtail_umap.formats import FormatError, gpx, read_map_file, write_map_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NS = "{http://www.topografix.com/GPX/1/1}"


def gpx_text(body: str, version: str = "1.1") -> bytes:
    namespace = f"http://www.topografix.com/GPX/{version.replace('.', '/')}"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx version="{version}" creator="test" xmlns="{namespace}">{body}</gpx>'
    ).encode()


def read(data: bytes, filename: str = "rando.gpx"):
    return gpx.read_file(data, filename=filename)


def test_upload_data_gives_a_waypoint_layer_and_a_track_layer():
    result = read_map_file("test_upload_data.gpx", (FIXTURES / "test_upload_data.gpx").read_bytes())
    waypoints, tracks = result.document["layers"]
    assert waypoints["name"] == "test_upload_data (waypoints)"
    assert tracks["name"] == "test_upload_data (tracks)"
    assert waypoints["features"] == [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-121.72904, 45.44283, 1374.0]},
            "properties": {
                "name": "Simple Point",
                "description": "Simple description",
                "ele": "1374",
            },
        }
    ]
    (track,) = tracks["features"]
    assert track["properties"] == {"name": "Simple path", "description": "Simple description"}
    assert track["geometry"]["type"] == "LineString"
    assert len(track["geometry"]["coordinates"]) == 3
    assert track["geometry"]["coordinates"][0] == [-121.729546, 45.443164]
    assert result.notes == []
    assert validate_document(result.document) == result.document


def test_one_kind_gives_one_layer_named_after_the_file():
    data = gpx_text('<wpt lat="48.85" lon="2.35"><name>Mairie</name></wpt>')
    (layer,) = read(data, "bureaux.gpx").document["layers"]
    assert layer["name"] == "bureaux"


def test_gpx_1_0_and_no_namespace():
    for data in (
        gpx_text('<rte><rtept lat="1" lon="2"/><rtept lat="3" lon="4"/></rte>', "1.0"),
        b'<gpx><rte><rtept lat="1" lon="2"/><rtept lat="3" lon="4"/></rte></gpx>',
    ):
        (layer,) = read(data).document["layers"]
        assert layer["features"][0]["geometry"] == {
            "type": "LineString",
            "coordinates": [[2, 1], [4, 3]],
        }


def test_all_properties_and_heights():
    data = gpx_text(
        '<wpt lat="48.85" lon="2.35"><ele>35.5</ele><time>2024-05-01T08:00:00Z</time>'
        "<name>Départ</name><cmt>c</cmt><desc>d &amp; e</desc><sym>Flag</sym>"
        "<type>start</type><extensions><x>ignored</x></extensions></wpt>"
        '<rte><name>Navette</name><rtept lat="1" lon="2"><ele>10</ele></rtept>'
        '<rtept lat="3" lon="4"><ele>20</ele></rtept></rte>'
        '<trk><name>Mixte</name><trkseg><trkpt lat="1" lon="2"><ele>10</ele></trkpt>'
        '<trkpt lat="3" lon="4"/></trkseg></trk>'
    )
    waypoints, routes, tracks = read(data).document["layers"]
    assert [layer["name"] for layer in (waypoints, routes, tracks)] == [
        "rando (waypoints)",
        "rando (routes)",
        "rando (tracks)",
    ]
    assert waypoints["features"][0] == {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [2.35, 48.85, 35.5]},
        "properties": {
            "name": "Départ",
            "description": "d & e",
            "cmt": "c",
            "type": "start",
            "sym": "Flag",
            "time": "2024-05-01T08:00:00Z",
            "ele": "35.5",
        },
    }
    assert routes["features"][0]["geometry"]["coordinates"] == [[2, 1, 10], [4, 3, 20]]
    # A line is 3D only when every point has a height.
    assert tracks["features"][0]["geometry"]["coordinates"] == [[2, 1], [4, 3]]


def test_track_segments():
    data = gpx_text(
        "<trk><name>Deux</name>"
        '<trkseg><trkpt lat="1" lon="2"/><trkpt lat="3" lon="4"/></trkseg>'
        '<trkseg><trkpt lat="5" lon="6"/><trkpt lat="7" lon="8"/></trkseg>'
        "</trk>"
        '<trk><name>Une</name><trkseg><trkpt lat="1" lon="2"/></trkseg>'
        '<trkseg><trkpt lat="1" lon="2"/><trkpt lat="1" lon="3"/></trkseg></trk>'
        "<trk><name>Vide</name></trk>"
    )
    result = read(data)
    (layer,) = result.document["layers"]
    assert [f["geometry"] for f in layer["features"]] == [
        {"type": "MultiLineString", "coordinates": [[[2, 1], [4, 3]], [[6, 5], [8, 7]]]},
        {"type": "LineString", "coordinates": [[2, 1], [3, 1]]},
    ]
    assert [note.render() for note in result.notes] == [
        '<trkseg> number 3 of "Une" has fewer than 2 points: it was skipped',
        '<trk> number 3 of "Vide" has fewer than 2 points: it was skipped',
    ]
    with translation.override("fr"):
        assert [note.render(translation.gettext) for note in result.notes] == [
            '<trkseg> numéro 3 de "Une" a moins de 2 points : il a été ignoré',
            '<trk> numéro 3 de "Vide" a moins de 2 points : il a été ignoré',
        ]


def test_too_many_vertices_stop_early():
    points = "".join(f'<trkpt lat="1" lon="{i}"/>' for i in range(11))
    with pytest.raises(FormatError) as caught:
        gpx.read_file(
            gpx_text(f"<trk><trkseg>{points}</trkseg></trk>"),
            filename="a.gpx",
            limits=Limits(max_vertices=10),
        )
    assert caught.value.messages() == ["too many points in geometries: 11, the limit is 10"]


# --- writing ----------------------------------------------------------------------------------


def document(features: list[dict]) -> dict:
    return validate_document({"layers": [{"name": "L", "features": features}]})


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def test_writer_output_is_gpx_1_1():
    doc = document(
        [
            feature(
                {"type": "LineString", "coordinates": [[2, 48], [3, 49]]},
                name="Quai <Rive> & co",
                time="not a date",
            ),
            feature(
                {"type": "Point", "coordinates": [2.35, 48.85, 35]},
                name="Mairie",
                description="d",
                time="2024-05-01T08:00:00Z",
                sym="Flag",
                other="dropped",
            ),
            feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}),
            feature({"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]}, name="M"),
        ]
    )
    data = write_map_file(doc, "gpx")
    root = SafeET.fromstring(data)
    assert root.tag == NS + "gpx"
    assert root.get("creator") == "wagtail-umap"
    assert root.get("version") == "1.1"
    children = [child.tag.removeprefix(NS) for child in root]
    assert children == ["wpt", "wpt", "wpt", "trk"]  # waypoints first, the polygon skipped
    waypoint = root[0]
    assert waypoint.attrib == {"lat": "48.85", "lon": "2.35"}
    assert [(c.tag.removeprefix(NS), c.text) for c in waypoint] == [
        ("ele", "35"),
        ("time", "2024-05-01T08:00:00Z"),
        ("name", "Mairie"),
        ("desc", "d"),
        ("sym", "Flag"),
    ]
    track = root[3]
    assert [c.tag.removeprefix(NS) for c in track] == ["name", "trkseg"]
    assert track[0].text == "Quai <Rive> & co"  # escaped in the file, read back as written
    assert b"Quai &lt;Rive&gt; &amp; co" in data


def test_writer_drops_characters_xml_cannot_hold():
    doc = document([feature({"type": "Point", "coordinates": [1, 2]}, name="a\x00b\x1fc")])
    root = SafeET.fromstring(write_map_file(doc, "gpx"))
    assert root[0][0].text == "abc"


def test_round_trip_read_write_read():
    data = gpx_text(
        '<wpt lat="48.85" lon="2.35"><ele>35.5</ele><time>2024-05-01T08:00:00Z</time>'
        "<name>Départ</name><cmt>c</cmt><desc>d</desc><sym>Flag</sym><type>start</type></wpt>"
        "<trk><name>Deux</name><desc>x</desc><type>hike</type>"
        '<trkseg><trkpt lat="1" lon="2"><ele>1</ele></trkpt><trkpt lat="3" lon="4"><ele>2</ele>'
        '</trkpt></trkseg><trkseg><trkpt lat="5" lon="6"/><trkpt lat="7" lon="8"/></trkseg></trk>'
    )
    first = read(data).document
    again = read(write_map_file(first, "gpx")).document
    strip = [[f for f in layer["features"]] for layer in first["layers"]]
    assert [layer["features"] for layer in again["layers"]] == strip
    assert [layer["name"] for layer in again["layers"]] == ["rando (waypoints)", "rando (tracks)"]
