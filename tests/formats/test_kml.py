"""Reading and writing KML and KMZ."""

import io
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from wagtail_umap.core.errors import Location
from wagtail_umap.core.validation import validate_document
from wagtail_umap.formats import read_map_file, write_map_file
from wagtail_umap.formats.kml import KML_NS, css_to_kml, kml_to_css, read_file, write

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NS = {"k": KML_NS}


def read_kml(body, filename="carte.kml", namespace=KML_NS):
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    data = f'<?xml version="1.0" encoding="UTF-8"?><kml{xmlns}>{body}</kml>'.encode()
    return read_file(data, filename=filename)


def point(name="P", coordinates="2.35,48.85", extra=""):
    return (
        f"<Placemark><name>{name}</name>{extra}"
        f"<Point><coordinates>{coordinates}</coordinates></Point></Placemark>"
    )


def features(result, layer=0):
    return result.document["layers"][layer]["features"]


def layer_names(result):
    return [layer["name"] for layer in result.document["layers"]]


# --- the uMap fixture ------------------------------------------------------------------------


def test_umap_fixture_counts_and_names():
    result = read_map_file("test_upload_data.kml", (FIXTURES / "test_upload_data.kml").read_bytes())
    assert layer_names(result) == ["test_upload_data"]
    found = features(result)
    assert Counter(f["geometry"]["type"] for f in found) == {
        "Point": 1,
        "LineString": 1,
        "Polygon": 1,
    }
    assert [f["properties"] for f in found] == [
        {"name": "Simple point", "description": "Here is a simple description."},
        {"name": "Simple path", "description": "Simple description"},
        {"name": "Simple polygon", "description": "A description."},
    ]
    assert found[0]["geometry"]["coordinates"] == [-122.082204, 37.42229, 0.0]
    assert len(found[1]["geometry"]["coordinates"]) == 3
    assert found[2]["geometry"]["coordinates"][0][0] == [-77.057885, 38.872533, 100.0]
    assert result.notes == []


def test_umap_fixture_round_trip():
    first = read_map_file("test_upload_data.kml", (FIXTURES / "test_upload_data.kml").read_bytes())
    second = read_map_file("again.kml", write_map_file(first.document, "kml"))
    assert layer_names(second) == ["test_upload_data"]
    assert features(second) == features(first)


# --- namespaces and structure ----------------------------------------------------------------


@pytest.mark.parametrize(
    "namespace", [KML_NS, "http://earth.google.com/kml/2.1", "http://earth.google.com/kml/2.2", ""]
)
def test_namespaces(namespace):
    result = read_kml(point(), namespace=namespace)
    assert features(result)[0]["geometry"] == {"type": "Point", "coordinates": [2.35, 48.85]}


def test_folders_become_layers_and_nested_folders_are_flattened():
    body = (
        "<Document><name>Ma carte</name><description>Les lieux.</description>"
        + point("loose")
        + "<Folder><name>Écoles</name>"
        + point("école")
        + "<Folder><name>Maternelles</name>"
        + point("maternelle")
        + "</Folder>"
        + "<Folder><name>Vide</name></Folder>"
        + "</Folder>"
        + "<Folder><description>sans nom</description>"
        + point("anonyme")
        + "</Folder>"
        + "</Document>"
    )
    result = read_kml(body)
    assert result.document["title"] == "Ma carte"
    assert result.document["summary"] == "Les lieux."
    assert layer_names(result) == ["Ma carte", "Écoles", "Écoles / Maternelles", "Ma carte 2"]
    names = [
        [f["properties"]["name"] for f in layer["features"]] for layer in result.document["layers"]
    ]
    assert names == [["loose"], ["école"], ["maternelle"], ["anonyme"]]
    assert result.document["layers"][3]["description"] == "sans nom"


def test_loose_placemarks_without_a_document_name_take_the_file_name():
    assert layer_names(read_kml(point(), filename="Bureaux de vote.kml")) == ["Bureaux de vote"]


def test_hidden_folder_is_not_shown_on_load():
    result = read_kml(f"<Folder><name>F</name><visibility>0</visibility>{point()}</Folder>")
    assert result.document["layers"][0]["shown_on_load"] is False


def test_placemark_without_geometry_is_skipped_with_a_note():
    result = read_kml(
        "<Document>" + point("ok") + "<Placemark><name>rien</name></Placemark></Document>"
    )
    assert [f["properties"]["name"] for f in features(result)] == ["ok"]
    assert [note.render() for note in result.notes] == [
        'layer 1 "carte", feature 2: placemark "rien" has no geometry: it was skipped'
    ]


def test_unimported_elements_are_noted():
    body = (
        "<Document>"
        + point()
        + "<NetworkLink><Link><href>http://x/y.kml</href></Link></NetworkLink>"
        "<GroundOverlay/><GroundOverlay/></Document>"
    )
    result = read_kml(body)
    assert [note.render() for note in result.notes] == [
        'KML element "NetworkLink" is not imported (1 found)',
        'KML element "GroundOverlay" is not imported (2 found)',
    ]


def test_unsupported_geometry_in_a_multigeometry_is_noted():
    body = (
        "<Placemark><MultiGeometry><Model/><Point><coordinates>1,2</coordinates></Point>"
        "</MultiGeometry></Placemark>"
    )
    result = read_kml(body)
    assert features(result)[0]["geometry"] == {"type": "MultiPoint", "coordinates": [[1.0, 2.0]]}
    assert [note.render() for note in result.notes] == [
        'layer 1 "carte", feature 1: KML geometry "Model" is not supported: it was skipped'
    ]


# --- geometries --------------------------------------------------------------------------------


def test_coordinates_tolerate_newlines_tabs_trailing_commas_and_spaces_after_commas():
    body = (
        "<Placemark><LineString><coordinates>\n\t2.35,48.85,\n\t2.36, 48.86,10\t"
        "2.37,48.87,0,\n</coordinates></LineString></Placemark>"
    )
    geometry = features(read_kml(body))[0]["geometry"]
    assert geometry == {
        "type": "LineString",
        "coordinates": [[2.35, 48.85], [2.36, 48.86, 10.0], [2.37, 48.87, 0.0]],
    }


RING = "0,0 4,0 4,4 0,4 0,0"
HOLE = "1,1 1,2 2,2 2,1 1,1"


def polygon(outer=RING, *holes):
    inner = "".join(
        f"<innerBoundaryIs><LinearRing><coordinates>{hole}</coordinates></LinearRing></innerBoundaryIs>"
        for hole in holes
    )
    return (
        f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{outer}</coordinates></LinearRing>"
        f"</outerBoundaryIs>{inner}</Polygon>"
    )


def test_polygon_with_holes():
    geometry = features(read_kml(f"<Placemark>{polygon(RING, HOLE, HOLE)}</Placemark>"))[0][
        "geometry"
    ]
    assert geometry["type"] == "Polygon"
    assert len(geometry["coordinates"]) == 3
    assert geometry["coordinates"][1][1] == [1.0, 2.0]


def test_linear_ring_alone_is_a_line():
    body = f"<Placemark><LinearRing><coordinates>{RING}</coordinates></LinearRing></Placemark>"
    assert features(read_kml(body))[0]["geometry"]["type"] == "LineString"


@pytest.mark.parametrize(
    ("members", "kind"),
    [
        ("<Point><coordinates>1,2</coordinates></Point>" * 2, "MultiPoint"),
        ("<LineString><coordinates>1,2 3,4</coordinates></LineString>" * 2, "MultiLineString"),
        (polygon() * 2, "MultiPolygon"),
        # a nested homogeneous MultiGeometry merges into the outer one
        (
            "<Point><coordinates>1,2</coordinates></Point><MultiGeometry>"
            "<Point><coordinates>3,4</coordinates></Point></MultiGeometry>",
            "MultiPoint",
        ),
    ],
)
def test_homogeneous_multigeometry(members, kind):
    geometry = features(
        read_kml(f"<Placemark><MultiGeometry>{members}</MultiGeometry></Placemark>")
    )[0]["geometry"]
    assert geometry["type"] == kind
    assert len(geometry["coordinates"]) == 2


def test_mixed_multigeometry_is_flattened_into_features():
    body = (
        "<Placemark><name>mix</name><MultiGeometry><Point><coordinates>1,2</coordinates></Point>"
        f"{polygon()}</MultiGeometry></Placemark>"
    )
    found = features(read_kml(body))
    assert [f["geometry"]["type"] for f in found] == ["Point", "Polygon"]
    assert [f["properties"] for f in found] == [{"name": "mix"}, {"name": "mix"}]


def test_gx_track_is_a_line():
    body = (
        '<Placemark xmlns:gx="http://www.google.com/kml/ext/2.2"><gx:Track>'
        "<when>2024-01-01T10:00:00Z</when><when>2024-01-01T10:01:00Z</when>"
        "<gx:coord>2.35 48.85 35</gx:coord><gx:coord>2.36 48.86 36</gx:coord>"
        "</gx:Track></Placemark>"
    )
    geometry = features(read_kml(body))[0]["geometry"]
    assert geometry == {
        "type": "LineString",
        "coordinates": [[2.35, 48.85, 35.0], [2.36, 48.86, 36.0]],
    }


# --- properties --------------------------------------------------------------------------------


def test_html_description_is_kept_as_text():
    html = "<p>Ouvert <b>lundi</b> &amp; mardi</p>"
    body = point(extra=f"<description><![CDATA[{html}]]></description>")
    assert features(read_kml(body))[0]["properties"]["description"] == html


def test_extended_data_and_typed_schema_data():
    body = (
        "<Document><Schema id='s1' name='s1'><SimpleField name='places' type='int'/>"
        "<SimpleField name='surface' type='double'/><SimpleField name='ouvert' type='bool'/>"
        "<SimpleField name='code' type='string'/><SimpleField name='bad' type='int'/></Schema>"
        + point(
            extra="<ExtendedData><Data name='adresse'><displayName>Adresse</displayName>"
            "<value>1 rue de la Paix</value></Data><Data name='name'><value>ignored</value></Data>"
            "<Data name='_style'><value>hostile</value></Data>"
            "<SchemaData schemaUrl='#s1'><SimpleData name='places'>12</SimpleData>"
            "<SimpleData name='surface'>3.5</SimpleData><SimpleData name='ouvert'>true</SimpleData>"
            "<SimpleData name='code'>01000</SimpleData><SimpleData name='bad'>douze</SimpleData>"
            "</SchemaData></ExtendedData>"
        )
        + "</Document>"
    )
    assert features(read_kml(body))[0]["properties"] == {
        "name": "P",
        "adresse": "1 rue de la Paix",
        "places": 12,
        "surface": 3.5,
        "ouvert": True,
        "code": "01000",
        "bad": "douze",
    }


# --- styles ------------------------------------------------------------------------------------


def test_kml_colours():
    assert kml_to_css("ff0000ff") == ("#ff0000", 1.0)
    assert kml_to_css(" 80FF8000 ") == ("#0080ff", 0.5)
    assert kml_to_css("#7f00ff00") == ("#00ff00", 0.5)
    assert kml_to_css("00ff00") == ("#00ff00", 1.0)
    assert kml_to_css("red") is None
    assert css_to_kml("#ff0000") == "ff0000ff"
    assert css_to_kml("#0080ff", 0.5) == "80ff8000"
    assert css_to_kml("#f00") == "ff0000ff"
    assert css_to_kml("#ff000080") == "800000ff"
    assert css_to_kml("Navy") == "ff800000"
    assert css_to_kml("DarkBlue", 0.5) == "808b0000"
    assert css_to_kml("var(--x)") is None


STYLES = (
    "<Style id='line'><LineStyle><color>800000ff</color><width>4</width></LineStyle>"
    "<PolyStyle><color>4000ff00</color><fill>0</fill></PolyStyle></Style>"
    "<Style id='icon'><IconStyle><color>ffff0000</color><Icon>"
    "<href>https://maps.example/pin.png</href></Icon></IconStyle></Style>"
    "<StyleMap id='map'><Pair><key>normal</key><styleUrl>#icon</styleUrl></Pair>"
    "<Pair><key>highlight</key><styleUrl>#line</styleUrl></Pair></StyleMap>"
)


def test_styles_by_url_stylemap_and_inline():
    body = (
        f"<Document>{STYLES}"
        + point("a", extra="<styleUrl>#line</styleUrl>")
        + point("b", extra="<styleUrl>#map</styleUrl>")
        + point(
            "c",
            extra="<styleUrl>#line</styleUrl><Style><LineStyle><width>60</width></LineStyle></Style>",
        )
        + point("d", extra="<styleUrl>http://elsewhere/styles.kml#line</styleUrl>")
        + "</Document>"
    )
    found = features(read_kml(body))
    line = {
        "color": "#ff0000",
        "opacity": 0.5,
        "weight": 4,
        "fill_color": "#00ff00",
        "fill_opacity": 0.25,
        "fill": False,
    }
    assert found[0]["properties"]["_style"] == line
    assert found[1]["properties"]["_style"] == {"color": "#0000ff"}
    assert found[1]["properties"]["_kml_icon"] == "https://maps.example/pin.png"
    assert found[2]["properties"]["_style"] == {**line, "weight": 50}  # capped at our maximum
    # only the fragment is looked up: nothing is ever fetched
    assert found[3]["properties"]["_style"] == line


def test_a_style_shared_by_a_whole_folder_becomes_the_layer_style():
    body = (
        f"<Document>{STYLES}<Folder><name>F</name>"
        + point("a", extra="<styleUrl>#map</styleUrl>")
        + point(
            "b",
            extra="<styleUrl>#map</styleUrl><Style><LineStyle><width>2</width></LineStyle></Style>",
        )
        + "</Folder></Document>"
    )
    layer = read_kml(body).document["layers"][0]
    assert layer["style"] == {"color": "#0000ff"}
    assert [f["properties"] for f in layer["features"]] == [
        {"name": "a", "_kml_icon": "https://maps.example/pin.png"},
        {"name": "b", "_style": {"weight": 2}, "_kml_icon": "https://maps.example/pin.png"},
    ]


def test_unreadable_style_values_are_noted():
    body = (
        "<Document><Style id='s'><LineStyle><color>rouge</color><width>épais</width></LineStyle>"
        "</Style>" + point(extra="<styleUrl>#s</styleUrl>") + "</Document>"
    )
    result = read_kml(body)
    assert "_style" not in features(result)[0]["properties"]
    assert result.document["layers"][0]["style"] == {}
    assert [note.render() for note in result.notes] == [
        'layer 1 "carte": KML style value "rouge" in "color" cannot be read: it was ignored',
        'layer 1 "carte": KML style value "épais" in "width" cannot be read: it was ignored',
    ]
    assert result.notes[0].location == Location(layer=1, layer_name="carte")


# --- KMZ ---------------------------------------------------------------------------------------


def kmz(*members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def kml_bytes(name):
    return f'<kml xmlns="{KML_NS}">{point(name)}</kml>'.encode()


def test_kmz_reads_doc_kml_first():
    data = kmz(
        ("a.kml", kml_bytes("a")), ("files/icon.png", b"\x89PNG"), ("doc.kml", kml_bytes("doc"))
    )
    result = read_map_file("carte.kmz", data)
    assert features(result)[0]["properties"] == {"name": "doc"}
    assert layer_names(result) == ["carte"]


def test_kmz_reads_the_first_kml_at_the_root():
    data = kmz(
        ("files/z.kml", kml_bytes("deep")), ("b.kml", kml_bytes("b")), ("c.kml", kml_bytes("c"))
    )
    assert features(read_map_file("carte.kmz", data))[0]["properties"] == {"name": "b"}


def test_a_kmz_behind_a_kml_name_is_recognised():
    data = kmz(("doc.kml", kml_bytes("doc")))
    assert features(read_map_file("carte.kml", data))[0]["properties"] == {"name": "doc"}


# --- writing -----------------------------------------------------------------------------------


def every_geometry_document():
    ring = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
    geometries = [
        {"type": "Point", "coordinates": [2.351234, 48.856789, 35.5]},
        {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
        {"type": "LineString", "coordinates": [[1, 2], [3, 4], [5, 6]]},
        {"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]},
        {"type": "Polygon", "coordinates": [ring, hole]},
        {"type": "MultiPolygon", "coordinates": [[ring], [ring, hole]]},
    ]
    features = [
        {
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "name": f"feature {index} <&>",
                "description": "<p>Ouvert <b>lundi</b> &amp; « mardi »</p>",
                "adresse": "1 rue de la Paix",
                "places": index,
                "surface": index + 0.5,
                "ouvert": index % 2 == 0,
                "code": "01000",
            },
        }
        for index, geometry in enumerate(geometries)
    ]
    features[0]["properties"]["_style"] = {"color": "#ff0000", "opacity": 0.5, "weight": 3}
    features[4]["properties"]["_style"] = {
        "fill_color": "#00ff00",
        "fill_opacity": 0.2,
        "fill": True,
    }
    features[1]["properties"]["_kml_icon"] = "https://maps.example/pin.png"
    layers = [
        {
            "name": "Tout",
            "description": "Chaque géométrie",
            "style": {"color": "#0000ff", "weight": 2, "fill": False},
            "features": features[:4],
        },
        {"name": "Polygones", "shown_on_load": False, "features": features[4:]},
    ]
    document = {"title": "Carte & test", "summary": "Résumé <court>", "layers": layers}
    return validate_document(document)


def comparable(document):
    """What a KML round trip keeps: everything but the generated layer ids and empty options."""
    return {
        "title": document["title"],
        "summary": document["summary"],
        "layers": [
            {key: value for key, value in layer.items() if key != "id"}
            for layer in document["layers"]
        ],
    }


def test_round_trip_of_every_geometry_type_properties_and_styles():
    document = every_geometry_document()
    result = read_map_file("export.kml", write(document))
    assert comparable(result.document) == comparable(document)
    assert result.notes == []


def test_written_kml_is_kml_2_2():
    data = write(every_geometry_document())
    assert data.startswith(
        b"<?xml version='1.0' encoding='utf-8'?>\n<kml xmlns=\"" + KML_NS.encode()
    )
    root = ET.fromstring(data)
    document = root.find("k:Document", NS)
    assert document.findtext("k:name", namespaces=NS) == "Carte & test"
    assert document.findtext("k:description", namespaces=NS) == "Résumé <court>"
    assert [f.findtext("k:name", namespaces=NS) for f in document.findall("k:Folder", NS)] == [
        "Tout",
        "Polygones",
    ]
    shared = document.find("k:Style", NS)
    assert shared.get("id").startswith("style-")
    assert shared.findtext("k:LineStyle/k:color", namespaces=NS) == "ffff0000"
    placemark = document.find("k:Folder/k:Placemark", NS)
    assert placemark.findtext("k:styleUrl", namespaces=NS) == "#" + shared.get("id")
    assert placemark.findtext("k:Style/k:LineStyle/k:color", namespaces=NS) == "800000ff"
    assert placemark.findtext("k:Point/k:coordinates", namespaces=NS) == "2.351234,48.856789,35.5"
    # the HTML is escaped text, never markup in the KML
    assert b"&lt;p&gt;Ouvert &lt;b&gt;lundi&lt;/b&gt; &amp;amp;" in data
    assert [
        (field.get("name"), field.get("type"))
        for field in document.findall("k:Schema/k:SimpleField", NS)
    ] == [("places", "int"), ("surface", "double"), ("ouvert", "bool")]
    polygons = document.findall("k:Folder", NS)[1]
    assert polygons.findtext("k:visibility", namespaces=NS) == "0"
    multipolygon = polygons.findall("k:Placemark", NS)[1].find("k:MultiGeometry", NS)
    assert len(multipolygon.findall("k:Polygon", NS)) == 2
    assert len(multipolygon.findall("k:Polygon/k:innerBoundaryIs", NS)) == 1


def test_written_properties_skip_our_private_keys():
    data = write(every_geometry_document())
    names = {d.get("name") for d in ET.fromstring(data).iter(f"{{{KML_NS}}}Data")}
    assert names == {"adresse", "code"}


def test_untyped_values_are_written_as_json_text():
    document = validate_document(
        {
            "layers": [
                {
                    "name": "L",
                    "features": [
                        {
                            "type": "Feature",
                            "geometry": {"type": "Point", "coordinates": [1, 2]},
                            "properties": {"tags": ["a", "b"], "mixed": 1},
                        },
                        {
                            "type": "Feature",
                            "geometry": {"type": "Point", "coordinates": [1, 2]},
                            "properties": {"mixed": "un"},
                        },
                    ],
                }
            ]
        }
    )
    found = features(read_map_file("x.kml", write(document)))
    assert [f["properties"] for f in found] == [
        {"tags": '["a", "b"]', "mixed": "1"},
        {"mixed": "un"},
    ]


def test_named_colours_are_written_as_their_hex_value():
    document = validate_document(
        {
            "layers": [
                {
                    "name": "L",
                    "style": {"color": "Navy", "fill_opacity": 0.5},
                    "features": [
                        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}
                    ],
                }
            ]
        }
    )
    layer = read_map_file("x.kml", write_map_file(document, "kml")).document["layers"][0]
    # uMap fills with the line colour when no fill colour is set: so does the export
    assert layer["style"] == {"color": "#000080", "fill_color": "#000080", "fill_opacity": 0.5}


def test_an_empty_map_writes_a_valid_kml():
    root = ET.fromstring(write(validate_document({})))
    assert root.tag == f"{{{KML_NS}}}kml"
    assert len(root.find("k:Document", NS)) == 0
