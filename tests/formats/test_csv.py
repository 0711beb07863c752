from pathlib import Path

import pytest

from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import Limits, validate_document
from wagtail_umap.formats import FormatError, read_map_file, write_map_file
from wagtail_umap.formats import csv as csv_format
from wagtail_umap.formats.csv import (
    LineLocation,
    centroid,
    normalise_header,
    parse_number,
    parse_wkt,
    sniff_delimiter,
    to_wkt,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def read(text: str | bytes, filename: str = "ecoles.csv", **kwargs):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return csv_format.read_file(data, filename=filename, **kwargs)


def features(text: str | bytes, filename: str = "ecoles.csv") -> list[dict]:
    (layer,) = read(text, filename).document["layers"]
    return layer["features"]


def messages(text: str | bytes, filename: str = "ecoles.csv") -> list[str]:
    with pytest.raises(MapDocumentError) as caught:
        read(text, filename)
    return caught.value.messages()


# --- the uMap fixture -------------------------------------------------------------------------


def test_upload_data_gives_two_points_with_their_columns():
    result = read_map_file("test_upload_data.csv", (FIXTURES / "test_upload_data.csv").read_bytes())
    (layer,) = result.document["layers"]
    assert layer["name"] == "test_upload_data"
    assert layer["label_key"] == "title"  # the column keeps its name and names the features
    assert layer["features"] == [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [14.5, 48.5]},
            "properties": {
                "Foo": "bar",
                "title": "a point somewhere",
                "description": "the description of this point",
            },
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [14.7, 45.7]},
            "properties": {
                "Foo": "bar",
                "title": "a point somewhere else",
                "description": "the description of this other point",
            },
        },
    ]
    assert result.notes == []
    assert validate_document(result.document) == result.document


# --- separators, encodings, headers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nom,lat,lon\na,1,2\n", ","),
        ("nom;lat;lon\na;48,85;2,35\nb;48,86;2,36\n", ";"),
        ("nom\tlat\tlon\na\t1\t2\n", "\t"),
        ("nom|lat|lon\na|1|2\n", "|"),
        ("nom;lat;lon\n", ";"),  # one line: the sniffer gives up, the count decides
        ("lat\n1\n", ","),
    ],
)
def test_delimiter_is_sniffed(text, expected):
    assert sniff_delimiter(text) == expected


def test_semicolons_and_decimal_commas_as_french_spreadsheets_write_them():
    (feature,) = features("Nom;Latitude;Longitude;Adresse\nMairie; 48,8566 ;2,3522;1 place\n")
    assert feature["geometry"]["coordinates"] == [2.3522, 48.8566]
    assert feature["properties"] == {"Nom": "Mairie", "Adresse": "1 place"}


def test_tsv_extension_means_tab_even_when_commas_abound():
    text = "nom\tlat\tlon\nA, B, C et D\t48.1\t2.1\n"
    (feature,) = features(text, "lieux.tsv")
    assert feature["properties"] == {"nom": "A, B, C et D"}


def test_windows_1252_is_read_with_a_note():
    data = "nom;lat;lon\nÉcole Émile Zola;48,1;2,1\nŒuvre;48,2;2,2\n".encode("cp1252")
    result = read(data)
    names = [f["properties"]["nom"] for f in result.document["layers"][0]["features"]]
    assert names == ["École Émile Zola", "Œuvre"]
    assert [note.render() for note in result.notes] == [
        "the file is not UTF-8: it was read as Windows-1252"
    ]


def test_latin1_is_the_last_resort():
    data = b"nom;lat;lon\nCaf\xe9 \x81;48,1;2,1\n"  # 0x81 is undefined in Windows-1252
    result = read(data)
    assert result.document["layers"][0]["features"][0]["properties"]["nom"] == "Café \x81"
    assert result.notes[0].render() == "the file is not UTF-8: it was read as Latin-1"


def test_utf8_bom_is_dropped_from_the_first_header():
    (feature,) = features("\ufefflatitude,longitude,nom\n1,2,é\n".encode())
    assert feature["properties"] == {"nom": "é"}


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        ("lat", "lon"),
        ("Latitude", "Longitude"),
        ("LAT", "LNG"),
        ("y", "x"),
        ("geo_latitude", "geo_longitude"),
        ("lat_wgs84", "long_wgs84"),
        ("Coordonnée latitude", "Coordonnée longitude"),
        ("Latitude (WGS84)", "Longitude (WGS84)"),
        ("GPS Lat", "GPS Long"),
    ],
)
def test_position_columns_are_found_by_header(latitude, longitude):
    (feature,) = features(f"nom;{latitude};{longitude}\nA;48,5;2,5\n")
    assert feature["geometry"]["coordinates"] == [2.5, 48.5]
    assert feature["properties"] == {"nom": "A"}


def test_latitude_is_preferred_over_y_which_may_be_projected():
    text = "x;y;latitude;longitude\n652000;6862000;48,85;2,35\n"
    (feature,) = features(text)
    assert feature["geometry"]["coordinates"] == [2.35, 48.85]
    assert feature["properties"] == {"x": "652000", "y": "6862000"}


def test_header_normalisation():
    assert normalise_header("  Géo Longitude ") == "geo_longitude"
    assert normalise_header("Latitude (WGS84)") == "latitude_wgs84"


def test_name_columns_and_empty_cells():
    text = "titre,nom,Description,Commentaire,lat,lon\nT,N,D,,1,2\n"
    (layer,) = read(text).document["layers"]
    # Every column keeps its header (as in every format); "nom" wins over "titre" as the
    # layer's label_key; the empty cell is dropped.
    assert layer["features"][0]["properties"] == {"titre": "T", "nom": "N", "description": "D"}
    assert layer["label_key"] == "nom"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Nom de l'équipement", "Nom de l'équipement"),
        ("libellé", "libellé"),
        ("LIBELLE_SITE", "LIBELLE_SITE"),
        ("Appellation officielle", "Appellation officielle"),
        ("Intitulé", "Intitulé"),
        ("nom_commune", None),  # the place a feature is in, not its name
        ("Nom du responsable", None),
        ("commentaire", None),
    ],
)
def test_the_column_naming_the_features_becomes_the_label_key(header, expected):
    text = f"{header};commune;lat;lon\nPiscine;Dijon;47,3;5,0\n"
    (layer,) = read(text).document["layers"]
    assert layer.get("label_key") == expected
    assert layer["features"][0]["properties"][header] == "Piscine"  # kept as is


def test_a_name_column_needs_no_label_key():
    (layer,) = read("name;nom;lat;lon\nA;B;1;2\n").document["layers"]
    assert "label_key" not in layer
    assert layer["features"][0]["properties"] == {"name": "A", "nom": "B"}


def test_one_name_for_the_same_column_in_csv_and_geojson():
    import json

    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [5.0, 47.3]},
                "properties": {"Nom de l'équipement": "Piscine"},
            }
        ],
    }
    from_csv = read_map_file("a.csv", "Nom de l'équipement;lat;lon\nPiscine;47,3;5,0\n".encode())
    from_json = read_map_file("a.geojson", json.dumps(geojson).encode())
    for result in (from_csv, from_json):
        (layer,) = result.document["layers"]
        assert layer["label_key"] == "Nom de l'équipement"
        assert layer["features"][0]["properties"] == {"Nom de l'équipement": "Piscine"}


def test_repeated_and_blank_headers_keep_every_cell():
    (feature,) = features("lat,lon,tag,tag,\n1,2,a,b,c\n")
    assert feature["properties"] == {"tag": "a", "tag_2": "b", "column 5": "c"}


def test_short_rows_and_blank_lines_are_fine():
    text = "lat,lon,commune,code\n\n1,2,Paris\n\n3,4\n"
    result = features(text)
    assert [f["properties"] for f in result] == [{"commune": "Paris"}, {}]


def test_quoted_cells_on_several_lines_keep_later_line_numbers_right():
    text = 'nom,lat,lon\n"Mairie\nannexe",1,2\nÉcole,95,2\n'
    assert messages(text) == [
        'layer 1 "ecoles", line 4: no usable position: latitude 95 is outside -90..90'
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("48.85", 48.85),
        (" 48,85 ", 48.85),
        ("-1.5e1", -15.0),
        ("+2", 2.0),
        (",5", 0.5),
        ("1\u202f000", 1000.0),
    ],
)
def test_parse_number_accepts_spreadsheet_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity", "1_000", "48°51'", "1.2.3", ""])
def test_parse_number_refuses_the_rest(text):
    assert parse_number(text) is None


# --- geometry columns -------------------------------------------------------------------------


def test_wkt_column_with_every_geometry_type():
    text = (
        "nom;wkt\n"
        "p;point (2.35 48.85)\n"
        "l;LINESTRING(2 48, 3 49)\n"
        "h;POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1))\n"
        "mp;MULTIPOINT ((1 2), (3 4))\n"
        "mp2;MULTIPOINT (1 2, 3 4)\n"
        "ml;MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))\n"
        "mpoly;MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))\n"
        "z;POINT Z (2.35 48.85 35.5)\n"
        "m;LINESTRING M (1 2 7, 3 4 8)\n"
        "zm;POINT ZM (1 2 3 4)\n"
        'e;"SRID=4326;POINT (1 2)"\n'
    )
    geometries = [f["geometry"] for f in features(text)]
    assert geometries == [
        {"type": "Point", "coordinates": [2.35, 48.85]},
        {"type": "LineString", "coordinates": [[2, 48], [3, 49]]},
        {
            "type": "Polygon",
            "coordinates": [
                [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
                [[1, 1], [2, 1], [2, 2], [1, 1]],
            ],
        },
        {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
        {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
        {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]], [[2, 2], [3, 3]]]},
        {
            "type": "MultiPolygon",
            "coordinates": [
                [[[0, 0], [1, 0], [1, 1], [0, 0]]],
                [[[5, 5], [6, 5], [6, 6], [5, 5]]],
            ],
        },
        {"type": "Point", "coordinates": [2.35, 48.85, 35.5]},
        {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},  # M values dropped
        {"type": "Point", "coordinates": [1, 2, 3]},
        {"type": "Point", "coordinates": [1, 2]},
    ]


def test_geojson_geometry_column():
    text = 'nom,geometry\nA,"{""type"": ""LineString"", ""coordinates"": [[1, 2], [3, 4]]}"\n'
    (feature,) = features(text)
    assert feature["geometry"] == {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}
    assert feature["properties"] == {"nom": "A"}


def test_geometry_column_wins_and_latitude_longitude_fill_its_gaps():
    text = 'nom,wkt,latitude,longitude\nA,"LINESTRING (1 2, 3 4)",2,3\nB,,10,20\n'
    geometries = [f["geometry"] for f in features(text)]
    assert geometries == [
        {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
        {"type": "Point", "coordinates": [20, 10]},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "LINESTRING (1 2",
            'no usable position: "LINESTRING (1 2" is not valid WKT: unexpected text at '
            "character 16",
        ),
        (
            "POINT (1)",
            'no usable position: "POINT (1)" is not valid WKT: unexpected text at character 9',
        ),
        (
            "POINT (1 2) x",
            'no usable position: "POINT (1 2) x" is not valid WKT: unexpected text at character 13',
        ),
        (
            "POINT (1 2 # 3)",
            'no usable position: "POINT (1 2 # 3)" is not valid WKT: unexpected text at '
            "character 12",
        ),
        ("point empty", 'no usable position: the WKT geometry "POINT" is empty'),
        (
            "GEOMETRYCOLLECTION (POINT (1 2))",
            'no usable position: the WKT type "GEOMETRYCOLLECTION" is not supported: use POINT, '
            "LINESTRING, POLYGON or their MULTI forms",
        ),
        (
            "SRID=27572;POINT (600000 2428000)",
            'the file uses the coordinate system "EPSG:27572": export it in WGS 84 (EPSG:4326)',
        ),
    ],
)
def test_bad_wkt(text, message):
    with pytest.raises(MapDocumentError) as caught:
        parse_wkt(text)
    assert caught.value.messages() == [message]


def test_wkt_written_and_read_back():
    geometries = [
        {"type": "Point", "coordinates": [2.35, 48.85, 35]},
        {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 0]]]},
        {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]},
        {"type": "MultiLineString", "coordinates": [[[0.00001, 0], [1, 1]]]},
    ]
    assert to_wkt(geometries[0]) == "POINT Z (2.35 48.85 35)"
    assert to_wkt(geometries[4]) == "MULTILINESTRING ((0.00001 0, 1 1))"
    for geometry in geometries:
        assert parse_wkt(to_wkt(geometry)) == geometry


# --- errors -----------------------------------------------------------------------------------


def test_every_bad_row_is_reported_by_line():
    text = "nom;lat;lon\nA;48;2\nB;abc;2\nC;48;\nD;-91;2\nE;48;181\nF;48;2\n"
    assert messages(text) == [
        'layer 1 "ecoles", line 3: no usable position: latitude "abc" is not a number',
        'layer 1 "ecoles", line 4: no usable position: the cell of column "lon" is empty',
        'layer 1 "ecoles", line 5: no usable position: latitude -91 is outside -90..90',
        'layer 1 "ecoles", line 6: no usable position: longitude 181 is outside -180..180',
    ]


def test_issues_stop_at_twenty():
    text = "lat,lon\n" + "x,1\n" * 50
    found = messages(text)
    assert len(found) == 21
    assert found[0] == 'layer 1 "ecoles", line 2: no usable position: latitude "x" is not a number'
    assert found[-1] == "checking stopped after 20 errors: fix these first"


def test_validation_issues_are_located_by_line():
    text = "nom;wkt\nA;POINT (1 2)\nB;POLYGON ((0 0, 1 0, 1 1, 0 1))\n"
    with pytest.raises(MapDocumentError) as caught:
        read(text)
    (issue,) = caught.value.issues
    assert issue.location == LineLocation(
        layer=1, layer_name="ecoles", detail="coordinates[0]", line=3
    )
    assert caught.value.messages() == [
        'layer 1 "ecoles", line 3, at coordinates[0]: a polygon ring must end at its first position'
    ]


def test_line_location_is_translated():
    french = {
        "line %(line)s": "ligne %(line)s",
        'layer %(layer)s "%(layer_name)s"': "calque %(layer)s « %(layer_name)s »",
    }
    location = LineLocation(layer=1, layer_name="écoles", line=7)
    assert location.render(lambda text: french.get(text, text)) == "calque 1 « écoles », ligne 7"
    assert LineLocation(line=3).render() == "line 3"


def test_too_many_rows_stop_early():
    text = "lat,lon\n" + "1,2\n" * 11
    with pytest.raises(FormatError) as caught:
        read(text, limits=Limits(max_features=10))
    assert caught.value.messages() == ["too many features: 11, the limit is 10"]


def test_file_over_the_size_cap():
    with pytest.raises(FormatError) as caught:
        read("lat,lon\n1,2\n", limits=Limits(max_bytes=5))
    assert caught.value.messages() == ["the file is too large: 12 bytes, the limit is 5 bytes"]


def test_large_wkt_cell_is_read():
    ring = ", ".join(f"{i / 10000} {i / 20000}" for i in range(20000))
    text = f'nom,wkt\nA,"LINESTRING ({ring})"\n'
    assert len(text) > 131072  # over the csv module's default cell limit
    (feature,) = features(text)
    assert len(feature["geometry"]["coordinates"]) == 20000


# --- writing ----------------------------------------------------------------------------------


def document(*layers: tuple[str, list[dict]]) -> dict:
    raw = {"layers": [{"name": name, "features": feats} for name, feats in layers]}
    return validate_document(raw)


def feature(shape: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": shape, "properties": properties}


POINT = {"type": "Point", "coordinates": [2.351234, 48.856789]}
LINE = {"type": "LineString", "coordinates": [[0, 0], [3, 0], [3, 1]]}
HOLED = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
        [[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]],
    ],
}


def test_writer_columns_and_bom():
    doc = document(
        ("Écoles", [feature(POINT, name="A", ville="Paris", _style={"color": "red"})]),
        ("Parcs", [feature(LINE, description="d", surface=12.5, ouvert=True, ville="Lyon")]),
    )
    data = write_map_file(doc, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [
        "layer,name,description,ville,surface,ouvert,wkt,latitude,longitude",
        "Écoles,A,,Paris,,,POINT (2.351234 48.856789),48.856789,2.351234",
        'Parcs,,d,Lyon,12.5,true,"LINESTRING (0 0, 3 0, 3 1)",0.125,1.875',
    ]


def test_writer_quotes_and_reserved_names():
    doc = document(("L", [feature(POINT, name='Dit "le grand", 2e', latitude="x", wkt="y")]))
    lines = write_map_file(doc, "csv").decode("utf-8-sig").splitlines()
    assert lines == [
        "layer,name,description,latitude (property),wkt (property),wkt,latitude,longitude",
        'L,"Dit ""le grand"", 2e",,x,y,POINT (2.351234 48.856789),48.856789,2.351234',
    ]


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        (POINT, (2.351234, 48.856789)),
        ({"type": "MultiPoint", "coordinates": [[0, 0], [2, 4]]}, (1, 2)),
        (LINE, (1.875, 0.125)),  # length 3 centred at (1.5, 0), length 1 at (3, 0.5)
        (
            {"type": "MultiLineString", "coordinates": [[[0, 0], [2, 0]], [[0, 2], [0, 4]]]},
            (0.5, 1.5),
        ),
        (HOLED, (2.333333, 2.333333)),  # 16 at (2, 2) minus 4 at (1, 1)
        # The same hole wound the other way round gives the same centroid.
        (
            {
                "type": "Polygon",
                "coordinates": [HOLED["coordinates"][0], HOLED["coordinates"][1][::-1]],
            },
            (2.333333, 2.333333),
        ),
        (
            {
                "type": "MultiPolygon",
                "coordinates": [
                    [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]],
                    [[[10, 0], [11, 0], [11, 1], [10, 1], [10, 0]]],
                ],
            },
            (2.9, 0.9),  # areas 4 at (1, 1) and 1 at (10.5, 0.5)
        ),
        ({"type": "LineString", "coordinates": [[1, 1], [1, 1]]}, (1, 1)),  # no length
    ],
)
def test_centroid(geometry, expected):
    assert centroid(geometry) == pytest.approx(expected)


def test_round_trip_read_write_read():
    text = (
        "nom;wkt;commune\n"
        "Mairie;POINT Z (2.351234 48.856789 35);Paris\n"
        "Quai;LINESTRING (2.3 48.8, 2.4 48.9);Paris\n"
        "Parc;POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1));Lyon\n"
        "Îles;MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)));\n"
    )
    first = read(text).document
    again = read(write_map_file(first, "csv"), "export.csv").document
    (before,), (after,) = first["layers"], again["layers"]
    assert after["name"] == "ecoles"  # our own export: the layer column names the layer
    assert after["features"] == before["features"]


def test_own_export_gives_its_layers_and_properties_back():
    doc = document(
        ("Écoles", [feature(POINT, name="A", layer="1", lat="x", **{"geometry": "center"})]),
        ("Parcs", [feature(LINE, **{"wkt (property)": "w"})]),
        ("Écoles", [feature(HOLED, name="B")]),  # same name: read back as one layer
    )
    data = write_map_file(doc, "csv")
    assert data.decode("utf-8-sig").splitlines()[0] == (
        "layer,name,description,layer (property),lat,geometry,wkt (property) (property),"
        "wkt,latitude,longitude"
    )
    again = read(data, "export.csv").document
    assert [(layer["name"], len(layer["features"])) for layer in again["layers"]] == [
        ("Écoles", 2),
        ("Parcs", 1),
    ]
    assert again["layers"][0]["features"][0]["properties"] == {
        "name": "A",
        "layer": "1",
        "lat": "x",
        "geometry": "center",
    }
    assert again["layers"][1]["features"][0]["properties"] == {"wkt (property)": "w"}
    assert again["layers"][0]["features"][1]["geometry"] == HOLED


def test_own_export_errors_name_their_line():
    text = (
        "layer,name,description,wkt,latitude,longitude\n"
        "A,,,POINT (1 2),2,1\n"
        "B,,,POINT (1 95),95,1\n"
    )
    assert messages(text) == ['layer 2 "B", line 3: latitude 95 is outside -90..90']


def test_round_trip_keeps_points_exactly_and_properties_as_text():
    doc = document(
        ("A", [feature({"type": "Point", "coordinates": [-0.000001, 89.999999]}, n=3)]),
    )
    (read_back,) = read(write_map_file(doc, "csv"), "export.csv").document["layers"][0]["features"]
    assert read_back["geometry"] == {"type": "Point", "coordinates": [-0.000001, 89.999999]}
    assert read_back["properties"] == {"n": "3"}


def test_write_empty_document():
    data = write_map_file(document(), "csv")
    assert data.decode("utf-8-sig") == ("layer,name,description,wkt,latitude,longitude\r\n")


def test_hundred_thousand_rows_are_read(tmp_path):
    # Correctness at size only: the timing is measured by the benchmark, not asserted here.
    rows = "".join(f"P{i};{40 + i % 10},{i % 1000};{i % 100}.5\n" for i in range(100_000))
    result = read("nom;lat;lon\n" + rows, "big.csv")
    layer = result.document["layers"][0]
    assert len(layer["features"]) == 100_000
    assert layer["features"][12345]["geometry"]["coordinates"] == [45.5, 45.345]


def test_formulas_stay_text_in_spreadsheets_and_come_back_unchanged():
    names = ['=HYPERLINK("http://evil")', "+33 1 23", "@SUM(A1)", "-x", "-3.5", "'=déjà", "Mairie"]
    document = {
        "version": 1,
        "options": {},
        "layers": [
            {
                "name": "=cmd",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [2, 48]},
                        "properties": {"name": name},
                    }
                    for name in names
                ],
            }
        ],
    }
    text = csv_format.write(document).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+33 1 23" in text and "'@SUM" in text and "'-x" in text
    assert ",-3.5," in text  # a number is no formula
    assert "''=déjà" in text
    back = csv_format.read_file(text.encode(), filename="export.csv").document
    assert [layer["name"] for layer in back["layers"]] == ["=cmd"]
    assert [f["properties"]["name"] for f in back["layers"][0]["features"]] == names
