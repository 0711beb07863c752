"""Malformed and hostile KML/KMZ files: each gives our located error, never another exception."""

import io
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wagtail_umap.core.errors import Location, MapDocumentError
from wagtail_umap.core.validation import Limits
from wagtail_umap.formats import FormatError, read_map_file
from wagtail_umap.formats.kml import MAX_KMZ_RATIO, kml_from_kmz

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "bad" / "kml"
ECOLES = 'layer 1 "Écoles", feature 2'
DTD = "the file declares a DTD or entities, which are refused for safety"
UNSAFE = "the KMZ archive holds a file with an unsafe name: "
NO_KML = "the KMZ archive has no .kml file at its root"


def bad_feature(detail=None):
    return Location(layer=1, layer_name="Écoles", feature=2, detail=detail)


# file → (error class, rendered message, location of the issue)
CASES = {
    "deep_folders.kml": (
        FormatError,
        'folders are nested more than 32 levels deep, in the folder "D1 / D2 / … / D31 / D32"',
        Location(),
    ),
    "deep_elements.kml": (
        FormatError,
        "the file's elements are nested more than 256 levels deep: at line 3, column 801",
        Location(),
    ),
    "malformed.kml": (
        FormatError,
        "the file is not valid XML: error at line 4, column 21",
        Location(),
    ),
    "truncated.kml": (
        FormatError,
        "the file is not valid XML: error at line 3, column 66",
        Location(),
    ),
    "empty.kml": (FormatError, "the file is not valid XML: error at line 1, column 1", Location()),
    "xxe.kml": (FormatError, DTD, Location()),
    "billion_laughs.kml": (FormatError, DTD, Location()),
    "doctype.kml": (FormatError, DTD, Location()),
    "geojson_behind.kml": (
        FormatError,
        "the file is not KML but JSON: give it a .geojson or .json name",
        Location(),
    ),
    "gpx_behind.kml": (
        FormatError,
        'the file is not KML: its root element is "gpx", not kml',
        Location(),
    ),
    "no_placemark.kml": (
        FormatError,
        "the file has no placemark with a geometry to import",
        Location(),
    ),
    "placemark_without_geometry.kml": (
        FormatError,
        "the file has no placemark with a geometry to import",
        Location(),
    ),
    "latitude_95.kml": (
        MapDocumentError,
        f"{ECOLES}: latitude 95 is outside -90..90",
        bad_feature(),
    ),
    "longitude_200.kml": (
        MapDocumentError,
        f"{ECOLES}: longitude 200 is outside -180..180",
        bad_feature(),
    ),
    "coordinates_text.kml": (
        FormatError,
        f'{ECOLES}, at coordinates[1]: coordinate "abc" is not a number',
        bad_feature("coordinates[1]"),
    ),
    "coordinates_nan.kml": (
        FormatError,
        f'{ECOLES}, at coordinates[0]: coordinate "nan" is not a number',
        bad_feature("coordinates[0]"),
    ),
    "coordinates_1e400.kml": (
        FormatError,
        f'{ECOLES}, at coordinates[0]: coordinate "1e400" is not a finite number',
        bad_feature("coordinates[0]"),
    ),
    "ring_of_2.kml": (
        MapDocumentError,
        f"{ECOLES}, at coordinates[0]: a polygon ring needs at least 4 positions, found 2",
        bad_feature("coordinates[0]"),
    ),
    "line_of_1.kml": (
        MapDocumentError,
        f"{ECOLES}, at coordinates: a line needs at least 2 positions, found 1",
        bad_feature("coordinates"),
    ),
    "polygon_no_outer.kml": (
        FormatError,
        f"{ECOLES}: the polygon has no outer boundary (outerBoundaryIs)",
        bad_feature(),
    ),
    "point_no_coordinates.kml": (
        FormatError,
        f"{ECOLES}: the geometry has no coordinates",
        bad_feature(),
    ),
    "empty_multigeometry.kml": (
        MapDocumentError,
        f"{ECOLES}: the geometry collection is empty",
        bad_feature(),
    ),
    "deep_multigeometry.kml": (
        FormatError,
        'layer 1 "deep_multigeometry", feature 1: the data is nested too deeply: '
        "the limit is 32 levels",
        Location(layer=1, layer_name="deep_multigeometry", feature=1),
    ),
    "not_a_zip.kmz": (FormatError, "the file is not a KMZ: it is not a zip archive", Location()),
    "path_traversal.kmz": (FormatError, UNSAFE + '"../../evil.kml"', Location()),
    "absolute_name.kmz": (FormatError, UNSAFE + '"/etc/evil.kml"', Location()),
    "backslash_name.kmz": (FormatError, UNSAFE + '"..\\\\evil.kml"', Location()),
    "no_kml.kmz": (FormatError, NO_KML, Location()),
    "kml_only_in_folder.kmz": (FormatError, NO_KML, Location()),
    "too_many_files.kmz": (
        FormatError,
        "the KMZ archive holds too many files: 101, the limit is 100",
        Location(),
    ),
    "bad_kml_inside.kmz": (
        FormatError,
        "the file is not valid XML: error at line 1, column 17",
        Location(),
    ),
}


def caught(filename, data, limits=None):
    """The MapDocumentError reading ``data`` raises (any other exception fails the test)."""
    with pytest.raises(MapDocumentError) as error:
        read_map_file(filename, data, limits or Limits())
    return error.value


def test_the_corpus_is_complete():
    assert sorted(path.name for path in BAD.iterdir()) == sorted(CASES)
    assert len(CASES) >= 12


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file(name):
    error_class, message, location = CASES[name]
    error = caught(name, (BAD / name).read_bytes())
    assert type(error) is error_class
    assert error.messages() == [message]
    assert error.issues[0].location == location


# --- KMZ built in the tests: bombs are small to store but we keep binaries out of the repo ----


KML = (
    b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>'
    b"<name>A</name><Point><coordinates>2.35,48.85</coordinates></Point></Placemark></kml>"
)


def kmz(*members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression, compresslevel=9) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_over_the_size_cap():
    limits = Limits()
    data = kmz(("doc.kml", KML + b" " * limits.max_bytes))
    assert len(data) < 100_000  # tiny on disk, 20 MB once inflated
    error = caught("bomb.kmz", data, limits)
    assert error.messages() == ["the KMZ archive unpacks to more than 20000000 bytes"]


def test_zip_bomb_over_the_size_cap_across_members():
    limits = Limits(max_bytes=3_000_000)
    members = [(f"part{index}.png", b"\0" * 1_000_000) for index in range(4)]
    error = caught("bomb.kmz", kmz(("doc.kml", KML), *members), limits)
    assert error.messages() == ["the KMZ archive unpacks to more than 3000000 bytes"]


def test_zip_bomb_over_the_compression_ratio():
    error = caught("ratio.kmz", kmz(("doc.kml", KML + b" " * 2_000_000)))
    assert error.messages() == [
        f'the KMZ member "doc.kml" is compressed more than {MAX_KMZ_RATIO} to 1: '
        "it looks like a zip bomb"
    ]


def test_small_repetitive_kml_is_not_taken_for_a_bomb():
    # 200:1 but only 100 kB: ordinary indented XML compresses that well.
    data = kmz(("doc.kml", KML.replace(b"<kml ", b"<kml " + b" " * 100_000)))
    result = read_map_file("small.kmz", data)
    assert result.document["layers"][0]["features"][0]["properties"] == {"name": "A"}


def with_central_size(data, file_size):
    """The archive with its central directory's uncompressed size of the first member patched."""
    offset = data.rindex(b"PK\x01\x02") + 24
    return data[:offset] + struct.pack("<I", file_size) + data[offset + 4 :]


def test_a_lying_size_header_is_caught_while_reading():
    data = with_central_size(kmz(("doc.kml", KML + b" " * 3_000_000)), 1000)
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].file_size == 1000
    error = caught("liar.kmz", data)
    assert error.messages() == [
        "the KMZ archive cannot be read: it is damaged, encrypted or uses an unsupported "
        "compression"
    ]


def test_bytes_are_counted_while_reading(monkeypatch):
    # Even if the headers were believed, inflating stops at the cap.
    data = kmz(("doc.kml", KML + b" " * 5000))
    monkeypatch.setattr("wagtail_umap.formats.kml._check_members", lambda *args: None)
    with pytest.raises(FormatError) as error:
        kml_from_kmz(data, Limits(max_bytes=1000))
    assert error.value.messages() == ["the KMZ archive unpacks to more than 1000 bytes"]


def test_unsupported_compression_method():
    data = bytearray(kmz(("doc.kml", KML)))
    central = data.rindex(b"PK\x01\x02")
    data[central + 10 : central + 12] = struct.pack("<H", 99)  # compression method 99 (AES)
    data[10:12] = struct.pack("<H", 99)
    error = caught("aes.kmz", bytes(data))
    assert error.messages() == [
        "the KMZ archive cannot be read: it is damaged, encrypted or uses an unsupported "
        "compression"
    ]


def test_truncated_kmz():
    error = caught("cut.kmz", kmz(("doc.kml", KML))[:60])
    assert error.messages() == ["the file is not a KMZ: it is not a zip archive"]


def test_kmz_over_the_file_size_cap():
    error = caught("big.kmz", kmz(("doc.kml", KML)), Limits(max_bytes=50))
    assert error.messages()[0].startswith("the file is too large: ")


def test_too_many_placemarks_are_refused_before_being_built():
    placemark = b"<Placemark><Point><coordinates>2,48</coordinates></Point></Placemark>"
    data = b'<kml xmlns="http://www.opengis.net/kml/2.2">' + placemark * 11 + b"</kml>"
    error = caught("many.kml", data, Limits(max_features=10))
    assert type(error) is FormatError
    assert error.messages() == ["too many features: 11, the limit is 10"]


def test_too_many_folders_are_refused():
    folder = (
        b"<Folder><Placemark><Point><coordinates>2,48</coordinates></Point></Placemark></Folder>"
    )
    data = b"<kml>" + folder * 3 + b"</kml>"
    error = caught("folders.kml", data, Limits(max_layers=2))
    assert error.messages() == ["too many layers: 3, the limit is 2"]


# --- generated input: only our own error may come out ----------------------------------------

XML_BITS = st.sampled_from(
    [
        "<kml>",
        "</kml>",
        '<kml xmlns="http://www.opengis.net/kml/2.2">',
        "<Document>",
        "</Document>",
        "<Folder>",
        "</Folder>",
        "<name>x</name>",
        "<Placemark>",
        "</Placemark>",
        "<Point>",
        "</Point>",
        "<LineString>",
        "</LineString>",
        "<Polygon>",
        "</Polygon>",
        "<outerBoundaryIs><LinearRing>",
        "</LinearRing></outerBoundaryIs>",
        "<MultiGeometry>",
        "</MultiGeometry>",
        "<coordinates>",
        "</coordinates>",
        "2.35,48.85 ",
        "1,2,3,4 ",
        ",,",
        "-200,95 ",
        "<Style id='s'><LineStyle><color>zz</color><width>-1</width></LineStyle></Style>",
        "<styleUrl>#s</styleUrl>",
        "<ExtendedData><Data name='_style'><value>x</value></Data></ExtendedData>",
        "<![CDATA[<b>",
        "]]>",
        "&amp;",
        "&x;",
        "<!DOCTYPE kml>",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(XML_BITS, max_size=30))
def test_generated_kml_gives_only_our_error(bits):
    try:
        read_map_file("generated.kml", "".join(bits).encode())
    except MapDocumentError as error:
        assert error.messages()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_give_only_our_error(data):
    for name in ("random.kml", "random.kmz"):
        try:
            read_map_file(name, data)
        except MapDocumentError as error:
            assert error.messages()
