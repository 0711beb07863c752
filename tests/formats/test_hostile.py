"""Hostile input costs no more than its size (issue 13): nesting, columns and properties are
capped with located messages, huge integers and lone surrogates are refused, and what the XML
and CSV writers emit is always safe to open.

Time and memory are measured by ``benchmarks/hostile_files.py``, not here: these tests check
that each cap says where the problem is, in English and in French, and that refusals happen
before the costly work (a generated file far over a cap is refused quickly without a timing
assertion: a regression shows as a test that takes minutes).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils import translation

from wagtail_umap.core.errors import Location, MapDocumentError
from wagtail_umap.core.validation import Limits
from wagtail_umap.formats import FormatError, read_map_file, write_map_file
from wagtail_umap.formats.csv import LineLocation
from wagtail_umap.formats.safexml import xml_text

KML_HEAD = '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
PLACEMARK = "<Placemark><Point><coordinates>2.35,48.85</coordinates></Point></Placemark>"


def refused(filename: str, data: bytes | str, limits: Limits | None = None) -> MapDocumentError:
    """The MapDocumentError reading ``data`` raises (any other exception fails the test)."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(MapDocumentError) as caught:
        read_map_file(filename, data, limits or Limits())
    return caught.value


def french(error: MapDocumentError) -> list[str]:
    with translation.override("fr"):
        return error.messages(translation.gettext)


# --- KML: folders ----------------------------------------------------------------------------


def nested_folders(depth: int, name: str = "Dossier ") -> str:
    folders = "".join(f"<Folder><name>{name}{level}</name>" for level in range(1, depth + 1))
    return KML_HEAD + folders + PLACEMARK + "</Folder>" * depth + "</Document></kml>"


def test_folders_nested_to_the_limit_are_read():
    result = read_map_file("arbre.kml", nested_folders(32, "D").encode())
    [layer] = result.document["layers"]
    assert layer["name"] == " / ".join(f"D{level}" for level in range(1, 33))


def test_folders_nested_over_the_limit_name_the_folder():
    error = refused("arbre.kml", nested_folders(33))
    assert type(error) is FormatError
    assert error.messages() == [
        "folders are nested more than 32 levels deep, in the folder "
        '"Dossier 1 / Dossier 2 / … / Dossier 31 / Dossier 32"'
    ]
    assert french(error) == [
        "les dossiers sont imbriqués sur plus de 32 niveaux, dans le dossier "
        '"Dossier 1 / Dossier 2 / … / Dossier 31 / Dossier 32"'
    ]


def test_the_folder_limit_follows_max_depth():
    error = refused("arbre.kml", nested_folders(4), Limits(max_depth=3))
    assert error.messages() == [
        'folders are nested more than 3 levels deep, in the folder "Dossier 1 / Dossier 2 / '
        'Dossier 3"'
    ]


def test_the_issues_deep_folders_are_refused_at_once():
    # The issue's case: 1.7 MB of nested folders took 27 s (quadratic), 3.4 MB 231 s. Parsing
    # now stops at the 33rd folder; without a timing assertion, a regression shows as a slow
    # test.
    data = nested_folders(60_000).encode()
    assert len(data) > 2_000_000
    error = refused("arbre.kml", data)
    assert error.messages()[0].startswith("folders are nested more than 32 levels deep")


def test_deep_folders_inside_a_kmz_are_refused_too():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.kml", nested_folders(40))
    error = refused("arbre.kmz", buffer.getvalue())
    assert error.messages()[0].startswith("folders are nested more than 32 levels deep")


def test_huge_folder_names_are_cut_in_layer_paths():
    # Each sub-folder's layer name repeats its parents' names: cut, they cost no more than the
    # file (the layer name is still refused as too long, as before).
    long_name = "n" * 100_000
    folders = f"<Folder><name>{long_name}</name>{PLACEMARK}" * 30
    data = KML_HEAD + folders + "</Folder>" * 30 + "</Document></kml>"
    error = refused("noms.kml", data)
    assert len(error.messages()) > 1
    assert all(len(message) < 400 for message in error.messages())
    assert '"name" is too long: 201 characters, the limit is 200' in error.messages()[0]


def test_too_many_layers_stop_the_kml_reader_early():
    folders = f"<Folder>{PLACEMARK}</Folder>" * 5
    error = refused("dossiers.kml", KML_HEAD + folders + "</Document></kml>", Limits(max_layers=3))
    assert error.messages() == ["too many layers: 4, the limit is 3"]


# --- XML: elements nested deeply, counted while parsing ---------------------------------------


def test_kml_elements_nested_too_deeply_give_line_and_column():
    description = "<b>" * 300 + "x" + "</b>" * 300
    data = (
        KML_HEAD
        + f"\n<Placemark><description>{description}</description></Placemark></Document></kml>"
    )
    error = refused("profond.kml", data)
    # <kml>, <Document>, <Placemark>, <description>, then <b> number 253 goes over 256.
    column = len("<Placemark><description>") + 252 * 3 + 1
    assert error.messages() == [
        f"the file's elements are nested more than 256 levels deep: at line 2, column {column}"
    ]
    assert french(error) == [
        "les éléments du fichier sont imbriqués sur plus de 256 niveaux : ligne 2, colonne "
        f"{column}"
    ]


def test_gpx_elements_nested_too_deeply_are_refused_while_parsing():
    depth = 100_000
    data = '<gpx><wpt lat="1" lon="2"><extensions>' + "<x>" * depth + "</x>" * depth
    error = refused("profond.gpx", data + "</extensions></wpt></gpx>")
    assert error.messages()[0].startswith(
        "the file's elements are nested more than 256 levels deep: at line 1, column "
    )


def test_too_many_waypoints_are_refused_while_parsing():
    data = "<gpx>" + '<wpt lat="1" lon="2"/>' * 11 + "</gpx>"
    error = refused("points.gpx", data, Limits(max_features=10))
    assert type(error) is FormatError
    assert error.messages() == ["too many features: 11, the limit is 10"]


def test_waypoints_inside_extensions_are_not_counted():
    nested = "<extensions>" + '<wpt lat="1" lon="2"/>' * 20 + "</extensions>"
    data = f'<gpx><wpt lat="1" lon="2">{nested}</wpt></gpx>'
    result = read_map_file("points.gpx", data.encode(), Limits(max_features=10))
    assert len(result.document["layers"][0]["features"]) == 1


# --- properties and columns --------------------------------------------------------------------


def geojson_with_properties(count: int) -> bytes:
    properties = {f"p{index}": index for index in range(count)}
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
        "properties": properties,
    }
    collection = {"type": "FeatureCollection", "features": [dict(feature, properties={}), feature]}
    return json.dumps(collection).encode()


def test_a_thousand_properties_are_read():
    result = read_map_file("mairies.geojson", geojson_with_properties(1000))
    assert len(result.document["layers"][0]["features"][1]["properties"]) == 1000


@pytest.mark.parametrize("filename", ["mairies.geojson", "mairies.json"])
def test_too_many_properties_name_the_feature(filename):
    error = refused(filename, geojson_with_properties(1001))
    assert error.messages() == [
        'layer 1 "mairies", feature 2: too many properties: 1001, the limit per feature is 1000'
    ]
    assert error.issues[0].location == Location(layer=1, layer_name="mairies", feature=2)
    assert french(error) == [
        "calque 1 « mairies », élément 2 : trop de propriétés : 1001, la limite par élément "
        "est de 1000"
    ]


def test_too_many_properties_in_a_umap_layer():
    collection = json.loads(geojson_with_properties(6))
    collection["_umap_options"] = {"name": "Écoles"}
    backup = {"type": "umap", "properties": {"name": "Carte"}, "layers": [{}, collection]}
    backup["layers"][0] = {"type": "FeatureCollection", "features": []}
    error = refused("carte.umap", json.dumps(backup), Limits(max_properties=5))
    assert error.messages() == [
        'layer 2 "Écoles", feature 2: too many properties: 6, the limit per feature is 5'
    ]


def test_too_many_extended_data_fields_in_kml():
    fields = "".join(f'<Data name="f{index}"><value>{index}</value></Data>' for index in range(6))
    point = "<Point><coordinates>2,48</coordinates></Point>"
    placemark = f"<Placemark><ExtendedData>{fields}</ExtendedData>{point}</Placemark>"
    data = KML_HEAD + "<Folder><name>Écoles</name>" + placemark + "</Folder></Document></kml>"
    error = refused("ecoles.kml", data, Limits(max_properties=5))
    assert error.messages() == [
        'layer 1 "Écoles", feature 1: too many properties: 6, the limit per feature is 5'
    ]


def test_a_csv_header_of_a_million_columns_is_refused_before_it_is_split():
    header = ",".join(["latitude", "longitude", *(f"c{index}" for index in range(1_000_000))])
    error = refused("large.csv", header + "\n48.85,2.35\n")
    assert type(error) is FormatError
    assert error.messages() == ["line 1: the header line has 1000002 columns, the limit is 1000"]
    assert error.issues[0].location == LineLocation(line=1)
    assert french(error) == [
        "ligne 1 : la ligne d’en-tête a 1000002 colonnes, la limite est de 1000"
    ]


def test_a_quoted_csv_header_over_the_limit_is_refused_after_splitting():
    header = '"lat","lon",' + ",".join(f'"a, {index}"' for index in range(1000))
    error = refused("large.csv", "\n\n" + header + "\n48.85,2.35\n")
    assert error.messages() == ["line 3: the header line has 1002 columns, the limit is 1000"]


def test_a_csv_header_at_the_limit_is_read():
    header = ",".join(["latitude", "longitude", *(f"c{index}" for index in range(998))])
    result = read_map_file("large.csv", (header + "\n48.85,2.35," + "x," * 998 + "\n").encode())
    assert len(result.document["layers"][0]["features"][0]["properties"]) == 998


def test_repeated_csv_column_names_stay_unique():
    header = ",".join(["lat", "lon", *(["a"] * 500), "a_2"])
    result = read_map_file("a.csv", (header + "\n48,2" + ",x" * 501 + "\n").encode())
    keys = list(result.document["layers"][0]["features"][0]["properties"])
    assert keys[:3] == ["a", "a_2", "a_3"]
    assert keys[-1] == "a_2_2"
    assert len(set(keys)) == 501


def test_sniffing_reads_only_the_start_of_the_file():
    # A first line of several megabytes: the sniffer looks at 64 KB of it.
    header = ";".join(["lat", "lon", *(f"c{index}" for index in range(900))])
    row = ";".join(["48.85", "2.35", *("x" * 5000 for _ in range(900))])
    result = read_map_file("large.csv", (header + "\n" + row + "\n").encode())
    assert len(result.document["layers"][0]["features"][0]["properties"]) == 900


# --- huge integers -----------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["nombre.geojson", "nombre.json", "nombre.umap"])
def test_a_five_thousand_digit_integer_is_refused_where_it_is(filename):
    head = (
        '{"type": "umap", "layers": [], "properties": {"n":\n  '
        if filename.endswith(".umap")
        else '{"type": "Feature", "geometry": null, "properties": {"n":\n  '
    )
    error = refused(filename, head + "-" + "7" * 5000 + "}}")
    assert type(error) is FormatError
    assert error.messages() == [
        "the file holds a number of 5000 digits at line 2, column 3: the limit is 4300 digits"
    ]
    assert french(error) == [
        "le fichier contient un nombre de 5000 chiffres ligne 2, colonne 3 : la limite est de "
        "4300 chiffres"
    ]


def test_long_decimals_and_long_digit_strings_are_not_integers():
    properties = '{"pi": 3.' + "1" * 5000 + ', "code": "' + "9" * 5000 + '"}'
    data = '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [2, 48]}, '
    result = read_map_file("x.geojson", (data + '"properties": ' + properties + "}").encode())
    properties = result.document["layers"][0]["features"][0]["properties"]
    assert properties["code"] == "9" * 5000
    assert properties["pi"] == pytest.approx(3.111111)


def test_an_integer_of_4300_digits_is_still_read():
    data = '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [2, 48]}, '
    data += '"properties": {"n": ' + "1" * 4300 + "}}"
    result = read_map_file("x.geojson", data.encode())
    assert result.document["layers"][0]["features"][0]["properties"]["n"] == int("1" * 4300)


def test_huge_integers_are_refused_when_python_has_no_cap(monkeypatch):
    # With the interpreter's cap off, converting them would take time quadratic in their length.
    import sys

    monkeypatch.setattr(sys, "get_int_max_str_digits", lambda: 0)
    head = '{"type": "Feature", "geometry": null, "properties": {"n": '
    error = refused("x.geojson", head + "1" * 5000 + "}}")
    assert error.messages() == [
        f"the file holds a number of 5000 digits at line 1, column {len(head) + 1}: the limit "
        "is 4300 digits"
    ]


def test_a_lower_python_cap_is_the_limit():
    import sys

    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(1000)
    head = '{"type": "Feature", "geometry": null, "properties": {"n": '
    try:
        error = refused("x.geojson", head + "1" * 1001 + "}}")
    finally:
        sys.set_int_max_str_digits(old)
    assert error.messages() == [
        f"the file holds a number of 1001 digits at line 1, column {len(head) + 1}: the limit "
        "is 1000 digits"
    ]


def test_a_huge_integer_in_a_kml_typed_field_stays_text():
    schema = '<Schema id="s"><SimpleField name="n" type="int"/></Schema>'
    typed = '<ExtendedData><SchemaData schemaUrl="#s"><SimpleData name="n">'
    data = (
        KML_HEAD + schema + "<Placemark>" + typed + "9" * 5000 + "</SimpleData></SchemaData>"
        "</ExtendedData><Point><coordinates>2,48</coordinates></Point></Placemark></Document></kml>"
    )
    result = read_map_file("n.kml", data.encode())
    assert result.document["layers"][0]["features"][0]["properties"]["n"] == "9" * 5000


# --- lone surrogates ---------------------------------------------------------------------------


POINT = '{"type": "Point", "coordinates": [2.35, 48.85]}'


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        (
            '{"name": "\\ud800cole"}',
            'feature 1, at properties.name: the text "\\ud800cole" holds \\ud800, half of a '
            "character (a lone surrogate): remove it or write the whole character",
        ),
        (
            '{"ok": "\\ud83d\\ude00", "horaires \\udfff": "9h"}',
            'feature 1, at properties: the text "horaires \\udfff" holds \\udfff, half of a '
            "character (a lone surrogate): remove it or write the whole character",
        ),
        (
            '{"liste": [1, {"a b": "x\\udbff"}]}',
            'feature 1, at properties.liste[1]["a b"]: the text "x\\udbff" holds \\udbff, half '
            "of a character (a lone surrogate): remove it or write the whole character",
        ),
        (
            # An escaped backslash, then a real escape: "\\ud800" is text, \udc00 is lone.
            '{"name": "\\\\ud800\\udc00"}',
            'feature 1, at properties.name: the text "\\\\ud800\\udc00" holds \\udc00, half of a '
            "character (a lone surrogate): remove it or write the whole character",
        ),
    ],
    ids=["value", "key", "nested", "after an escaped backslash"],
)
def test_a_lone_surrogate_is_refused_where_it_is(properties, expected):
    data = '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
    error = refused("x.geojson", data + POINT + ', "properties": ' + properties + "}]}")
    assert type(error) is FormatError
    assert error.messages() == [expected]


def test_a_lone_surrogate_message_in_french():
    feature = '{"type": "Feature", "geometry": ' + POINT + ', "properties": {"name": "a\\ud800"}}'
    error = refused("x.geojson", '{"type": "FeatureCollection", "features": [' + feature + "]}")
    assert french(error) == [
        'élément 1, en properties.name : le texte "a\\ud800" contient \\ud800, une moitié de '
        "caractère (un « surrogate » UTF-16 isolé) : supprimez-la ou écrivez le caractère entier"
    ]


def test_surrogate_pairs_are_characters():
    data = (
        '{"type": "Feature", "geometry": ' + POINT + ', "properties": {"name": "\\ud83d\\uddfa"}}'
    )
    result = read_map_file("x.geojson", data.encode())
    assert result.document["layers"][0]["features"][0]["properties"]["name"] == "🗺"


def test_a_lone_surrogate_in_a_umap_map_option():
    data = '{"type": "umap", "properties": {"name": "Carte \\ud800"}, "layers": []}'
    error = refused("carte.umap", data)
    assert error.messages() == [
        'properties.name: the text "Carte \\ud800" holds \\ud800, half of a character (a lone '
        "surrogate): remove it or write the whole character"
    ]


# --- XML writers: whatever the text, the output is well-formed ---------------------------------

# Every character XML 1.0 forbids (C0 controls but tab, newline, carriage return; U+FFFE,
# U+FFFF; a lone surrogate of each half), beside characters it allows.
FORBIDDEN = "".join(chr(code) for code in range(32) if code not in (9, 10, 13))
FORBIDDEN += "\ufffe\uffff\ud800\udfff"
HOSTILE_TEXT = "Mairie" + FORBIDDEN + " & <école> \u0085\u2028 fin"
CLEAN_TEXT = "Mairie & <école> \u0085\u2028 fin"


def hostile_document() -> dict:
    properties = {
        "name": HOSTILE_TEXT,
        "description": HOSTILE_TEXT,
        "time": HOSTILE_TEXT,
        "cmt": HOSTILE_TEXT,
        HOSTILE_TEXT: HOSTILE_TEXT,
        "nombre": 3,
        "_kml_icon": HOSTILE_TEXT,
    }
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.35, 48.85]}}
    line = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[2.35, 48.85], [2.36, 48.86]]},
    }
    return {
        "version": 1,
        "title": HOSTILE_TEXT,
        "summary": HOSTILE_TEXT,
        "options": {},
        "layers": [
            {
                "id": "ecoles",
                "name": HOSTILE_TEXT,
                "description": HOSTILE_TEXT,
                "features": [
                    {**point, "properties": properties},
                    {**line, "properties": properties},
                ],
            }
        ],
    }


def test_the_forbidden_characters_are_the_ones_xml_refuses():
    for character in FORBIDDEN:
        with pytest.raises(Exception):  # noqa: B017 - expat's error or an encoding error
            safe_fromstring(f"<a>{character}</a>".encode("utf-8", "surrogatepass"))
    assert xml_text(HOSTILE_TEXT) == CLEAN_TEXT


def test_kml_output_is_well_formed_whatever_the_text():
    data = write_map_file(hostile_document(), "kml")
    root = safe_fromstring(data)
    texts = [element.text for element in root.iter() if element.text and element.text.strip()]
    assert CLEAN_TEXT in texts
    assert not any(set(text) & set(FORBIDDEN) for text in texts)
    names = [element.get("name") for element in root.iter() if element.get("name")]
    assert CLEAN_TEXT in names
    # And it reads back, text cleaned.
    back = read_map_file("export.kml", data).document
    assert back["title"] == CLEAN_TEXT
    assert back["layers"][0]["features"][0]["properties"]["name"] == CLEAN_TEXT


def test_gpx_output_is_well_formed_whatever_the_text():
    data = write_map_file(hostile_document(), "gpx")
    root = safe_fromstring(data)
    texts = [element.text for element in root.iter() if element.text and element.text.strip()]
    assert CLEAN_TEXT in texts
    assert not any(set(text) & set(FORBIDDEN) for text in texts)
    back = read_map_file("export.gpx", data).document
    assert back["layers"][0]["features"][0]["properties"]["name"] == CLEAN_TEXT


# --- CSV: formulas neutralised in the header too -----------------------------------------------

FORMULA_KEYS = [
    '=HYPERLINK("http://evil","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\tcache",
    "\rretour",
    "'=déjà",
    "latitude",  # one of the writer's columns: suffixed, then read back
]


def formula_document() -> dict:
    properties = {key: f"v{index}" for index, key in enumerate(FORMULA_KEYS)}
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
        "properties": {"name": "Mairie", **properties},
    }
    return {"version": 1, "options": {}, "layers": [{"name": "Lieux", "features": [feature]}]}


def test_csv_header_cells_are_neutralised():
    data = write_map_file(formula_document(), "csv")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[3:-3] == [
        '\'=HYPERLINK("http://evil","x")',
        "'+1+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(A1:A9)",
        "'\tcache",
        "'\rretour",
        "''=déjà",
        "latitude (property)",
    ]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in header)


def test_csv_header_keys_read_back_unchanged():
    data = write_map_file(formula_document(), "csv")
    back = read_map_file("export.csv", data).document
    properties = back["layers"][0]["features"][0]["properties"]
    assert properties == {"name": "Mairie", **{k: f"v{i}" for i, k in enumerate(FORMULA_KEYS)}}


def test_a_foreign_csv_header_is_read_like_its_cells():
    result = read_map_file("x.csv", b"lat,lon,'=total\n48,2,'=1\n")
    assert result.document["layers"][0]["features"][0]["properties"] == {"=total": "=1"}


def test_csv_lines_split_on_newlines_only():
    # Read line by line without io.StringIO's copy: other line breaks stay inside their cell.
    data = 'lat,lon,name\r\n48,2,a\u2028b\x0cc\r\n49,3,"x\ny"\n'.encode()
    features = read_map_file("x.csv", data).document["layers"][0]["features"]
    assert [f["properties"]["name"] for f in features] == ["a\u2028b\x0cc", "x\ny"]
