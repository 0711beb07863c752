"""Reading a file holds one copy of its features at a time (issue 13: "peak memory under 10×
the file's size").

Each reader hands its document over to validation (``validate_document(owned=True)``), which
takes it apart as it cleans it; XML readers let go of the elements they have read; the size
check never holds the document's whole JSON text. These tests check that the results and the
messages are those of a copying validation, and measure peaks with ``tracemalloc`` (allocated
bytes, not time: the same on any machine). ``benchmarks/hostile_files.py`` measures the
process's RSS at 1 and 20 MB.
"""

from __future__ import annotations

import copy
import json
import tracemalloc
from pathlib import Path

import pytest

from benchmarks import hostile_files as bench
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import Limits, check_size, validate_document
from wagtail_umap.formats import FormatError, read_map_file
from wagtail_umap.formats.csv import parse_number


def document(features: list) -> dict:
    return {"version": 1, "layers": [{"name": "Lieux", "features": features}]}


def point(lng: float, lat: float, **properties: object) -> dict:
    geometry = {"type": "Point", "coordinates": [lng, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


MIXED = [
    point(2.1234567, 48.7654321, name=2011, description="<p>ok</p><script>x</script>"),
    point(2, 48, _style={"color": "red"}, nested={"a": [1, {"b": 2}]}),
    {
        "type": "Feature",
        "id": 7,
        "geometry": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Point", "coordinates": [1, 2]},
                {"type": "LineString", "coordinates": [[1, 2], [3, 4, 5]]},
            ],
        },
        "properties": {"name": "deux", "tags": ["a", "b"]},
    },
    point(3, 45, _style={}),
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4, 44]}},
]


def test_an_owned_document_cleans_to_the_same_document():
    expected = validate_document(copy.deepcopy(document(MIXED)))
    given = copy.deepcopy(document(MIXED))
    features = given["layers"][0]["features"]
    cleaned = validate_document(given, owned=True)
    cleaned["layers"][0]["id"] = expected["layers"][0]["id"]  # a new random id each time
    assert cleaned == expected
    assert features == [None] * len(MIXED)  # each raw feature let go once cleaned


def test_an_owned_document_gets_the_same_messages():
    bad = [
        point(200, 48),
        {"type": "Feature", "geometry": None, "properties": {}},
        point(2, 48, name=["liste"]),
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2, 95]}, "id": 1.5},
        "pas un objet",
    ]
    with pytest.raises(MapDocumentError) as copied:
        validate_document(copy.deepcopy(document(bad)))
    with pytest.raises(MapDocumentError) as owned:
        validate_document(copy.deepcopy(document(bad)), owned=True)
    assert owned.value.messages() == copied.value.messages()
    assert len(owned.value.messages()) == 6


@pytest.mark.parametrize("count", [1, 99, 100, 101, 250, 3001])
def test_the_size_check_counts_every_byte_without_the_whole_text(count):
    features = [point(2.5, 48.123456, name=f"Lieu é {index}", n=index) for index in range(count)]
    value = {**document(features), "title": "Carte ✓", "options": {"x": [1, 2, {"y": None}]}}
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    with pytest.raises(MapDocumentError) as caught:
        check_size(value, Limits(max_bytes=size - 1))
    assert caught.value.messages() == [
        f"the map is too large: {size} bytes, the limit is {size - 1} bytes"
    ]
    check_size(value, Limits(max_bytes=size))  # exactly at the limit: accepted


def test_the_size_check_still_finds_a_lone_surrogate_in_a_batch():
    features = [point(2, 48, name="ok") for _ in range(500)]
    features[321]["properties"]["name"] = "a\ud800b"
    with pytest.raises(MapDocumentError) as caught:
        check_size(document(features), Limits())
    [message] = caught.value.messages()
    assert message.startswith('layer 1 "Lieux", feature 322')


# --- peaks -------------------------------------------------------------------------------------

SIZE = 400_000
# Under the 10× with room for what tracemalloc does not see (the allocator's own).
PEAK_RATIO = 8.5


@pytest.mark.parametrize(
    "make, suffix",
    [
        (bench.geojson_normal, ".geojson"),
        (bench.umap_normal, ".umap"),
        (bench.csv_normal, ".csv"),
        (bench.kml_normal, ".kml"),
        (bench.gpx_normal, ".gpx"),
        (bench.gpx_tiny_elements, ".gpx"),
        (bench.georss_normal, ".rss"),
    ],
)
def test_reading_a_normal_file_peaks_under_the_aim(tmp_path: Path, make, suffix):
    path = tmp_path / f"lieux{suffix}"
    make(path, SIZE)
    data = path.read_bytes()
    read_map_file(path.name, data)  # modules and caches loaded before measuring
    tracemalloc.start()
    try:
        result = read_map_file(path.name, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.document["layers"][0]["features"]
    assert peak < PEAK_RATIO * len(data), f"{peak / len(data):.1f}× the file's size"


# --- GPX read as it is parsed --------------------------------------------------------------------

GPX = '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">{}</gpx>'
TRACK = "<trk><name>{}</name><trkseg>{}</trkseg></trk>"
ROUTE = "<rte><name>{}</name>{}</rte>"


def test_gpx_errors_come_in_the_order_of_kinds_whatever_the_file_order():
    # A bad track first in the file, a bad waypoint after it: waypoints are read first.
    body = TRACK.format("T", '<trkpt lat="x" lon="2"/><trkpt lat="1" lon="2"/>') + (
        '<wpt lat="48" lon="2"/><wpt lat="48"/>'
    )
    with pytest.raises(FormatError) as caught:
        read_map_file("f.gpx", GPX.format(body).encode())
    assert caught.value.messages() == ['<wpt> number 2 has no "lon" attribute']


def test_gpx_xml_errors_come_before_reading_errors():
    data = GPX.format('<wpt lat="48"/><wpt lat="1" lon="2">').encode()  # unclosed
    with pytest.raises(FormatError) as caught:
        read_map_file("f.gpx", data)
    assert caught.value.messages()[0].startswith("the file is not valid XML")


def test_gpx_notes_come_in_the_order_of_kinds():
    short_track = TRACK.format("Court", '<trkpt lat="1" lon="2"/>')
    short_route = ROUTE.format("Bref", '<rtept lat="1" lon="2"/>')
    good = ROUTE.format("Bon", '<rtept lat="1" lon="2"/><rtept lat="1.5" lon="2"/>')
    result = read_map_file("f.gpx", GPX.format(short_track + short_route + good).encode())
    # The track is first in the file; routes are read before tracks.
    assert [note.params["element"] for note in result.notes] == ["rte", "trkseg"]
    assert [note.params["name"] for note in result.notes] == ['"Bref"', '"Court"']


def test_gpx_elements_the_reader_does_not_read_change_nothing():
    plain = '<wpt lat="48" lon="2"><ele>35</ele><name>Borne</name></wpt>'
    rich = (
        '<metadata><link href="https://exemple.fr"><text>x</text></link></metadata>'
        '<wpt lat="48" lon="2"><ele>35</ele><link href="https://exemple.fr"/><name>Borne</name>'
        "<extensions><a><b>1</b></a></extensions></wpt><extensions><c/></extensions>"
    )
    one = read_map_file("f.gpx", GPX.format(plain).encode()).document
    other = read_map_file("f.gpx", GPX.format(rich).encode()).document
    for doc in (one, other):
        doc["layers"][0].pop("id")
    assert one == other
    assert one["layers"][0]["features"][0]["properties"] == {"name": "Borne", "ele": "35"}


# --- CSV numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("48.85", 48.85),
        (" 48,85 ", 48.85),
        ("-1.5e1", -15.0),
        ("1\u00a0000", 1000.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("１２", 12.0),  # full-width digits, as before
        ("nan", None),
        ("inf", None),
        ("-Infinity", None),
        ("1_000", None),
        ("0x10", None),
        ("1,2,3", None),
        ("", None),
    ],
)
def test_csv_numbers_read_as_before(text, expected):
    assert parse_number(text) == expected


def test_a_csv_number_too_large_for_a_float_is_still_infinite():
    assert parse_number("1e999") == float("inf")  # validation refuses it, naming the row


# --- KML elements the reader does not read -------------------------------------------------------

KML = '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}</Document></kml>'


def test_kml_elements_the_reader_does_not_read_change_nothing():
    plain = (
        '<Style id="s"><LineStyle><color>ff0000ff</color></LineStyle></Style>'
        "<Placemark><name>A <b>gras</b> fin</name><styleUrl>#s</styleUrl>"
        "<LineString><coordinates>2,48 3,49</coordinates></LineString></Placemark>"
    )
    noisy = (
        "<open>1</open><Region><LatLonAltBox><north>1</north></LatLonAltBox></Region>"
        '<Snippet maxLines="2">x</Snippet><Folder_x/>'
        # A Style inside an unknown element is still found, as before.
        '<Wrapper><Style id="s"><LineStyle><color>ff0000ff</color><gx:w xmlns:gx="g"/>'
        "</LineStyle></Style></Wrapper>"
        # Unknown elements inside a text that is read stay: their text is part of it.
        "<Placemark><TimeStamp><when>2024</when></TimeStamp><name>A <b>gras</b> fin</name>"
        "<styleUrl>#s</styleUrl><LineString><extrude>1</extrude><coordinates>2,48 3,49"
        "</coordinates></LineString></Placemark>"
    )
    one = read_map_file("f.kml", KML.format(plain).encode()).document
    other = read_map_file("f.kml", KML.format(noisy).encode()).document
    for doc in (one, other):
        for layer in doc["layers"]:
            layer.pop("id")
    assert one == other
    [feature] = one["layers"][0]["features"]
    assert feature["properties"]["name"] == "A gras fin"
    assert one["layers"][0]["style"]["color"] == "#ff0000"


def test_kml_of_many_unknown_elements_keeps_none_of_them(tmp_path: Path):
    path = tmp_path / "vide.kml"
    bench.kml_tiny_elements(path, SIZE)
    data = path.read_bytes()
    read_map_file(path.name, data)
    tracemalloc.start()
    try:
        read_map_file(path.name, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # 100,000 elements of 4 bytes: about 80 bytes each (20× the file) if they were kept.
    assert peak < 2 * len(data)
