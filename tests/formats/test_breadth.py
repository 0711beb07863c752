"""Import breadth (issue 12, part 5): open data exports, Lambert-93, OSM JSON, GeoRSS.

Accepted files are in ``tests/fixtures/``, refused ones in ``tests/fixtures/bad/``; every
message is asserted in English and in French.
"""

from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_lambert93_declared_over_degrees_is_refused():
    assert refusal("bad/json/lambert93_declared_degrees.geojson") == (
        [
            "the file declares Lambert-93 (EPSG:2154) but holds the position [2.3522, "
            '48.8566], which is not Lambert-93 metres in France: correct its "crs" member, or '
            "export it in WGS 84 (EPSG:4326)"
        ],
        [
            "le fichier déclare Lambert-93 (EPSG:2154) mais contient la position [2.3522, "
            "48.8566], qui n’est pas en mètres Lambert-93 en France : corrigez son membre "
            "« crs », ou exportez-le en WGS 84 (EPSG:4326)"
        ],
    )


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


# --- OpenStreetMap JSON ------------------------------------------------------------------------


def test_overpass_out_geom():
    townhall, school, cycleway, park = features("overpass_out_geom.json")
    assert townhall["geometry"] == {"type": "Point", "coordinates": [-1.5536, 47.2184]}
    assert townhall["properties"] == {
        "amenity": "townhall",
        "name": "Hôtel de Ville de Nantes",
        "townhall:type": "city",
        "@id": "node/2401546012",
    }
    assert school["geometry"]["type"] == "Polygon"  # closed, and a building
    assert school["properties"]["name"] == "École Jean Jaurès"
    assert cycleway["geometry"]["type"] == "LineString"
    # Two outer ways joined end to end into one ring, with the inner ring as its hole.
    outer, inner = park["geometry"]["coordinates"]
    assert park["geometry"]["type"] == "Polygon" and outer[0] == outer[-1] and len(outer) == 5
    assert inner[0] == [-1.574, 47.204]
    assert park["properties"]["@id"] == "relation/9000001"
    assert notes("overpass_out_geom.json") == (
        [
            'layer 1 "overpass_out_geom": OpenStreetMap relation 9000002 has no usable geometry: '
            "it was skipped"
        ],
        [
            "calque 1 « overpass_out_geom » : l’objet OpenStreetMap relation 9000002 n’a pas de "
            "géométrie utilisable : il a été ignoré"
        ],
    )


def test_osm_elements_format_with_node_references():
    townhall, street = features("osm_elements.json")
    assert townhall["properties"]["name"] == "Mairie de Rennes"
    assert street["geometry"]["coordinates"] == [
        [-1.68, 48.11],
        [-1.679, 48.1105],
        [-1.678, 48.111],
    ]
    assert notes("osm_elements.json") == (
        [
            'layer 1 "osm_elements": OpenStreetMap way 22 refers to nodes missing from the file '
            "(1): it was skipped"
        ],
        [
            "calque 1 « osm_elements » : l’objet OpenStreetMap way 22 renvoie à des nœuds absents "
            "du fichier (1) : il a été ignoré"
        ],
    )


def test_osm_without_tagged_elements_is_refused():
    assert refusal("bad/json/osm_no_tagged_element.json") == (
        ["the OpenStreetMap file has no node, way or relation with a position to import"],
        [
            "le fichier OpenStreetMap n’a aucun nœud, chemin ou relation avec une position "
            "à importer"
        ],
    )


def test_osm_out_of_range_is_located():
    assert refusal("bad/json/osm_latitude_95.json") == (
        ['layer 1 "osm_latitude_95", feature 2: latitude 95 is outside -90..90'],
        ["calque 1 « osm_latitude_95 », élément 2 : la latitude 95 est hors de -90..90"],
    )


def test_unclosed_multipolygon_is_skipped_with_a_note():
    from wagtail_umap.formats import osm

    value = {
        "generator": "Overpass API",
        "elements": [
            {"type": "node", "id": 1, "lat": 48.0, "lon": 2.0, "tags": {"name": "A"}},
            {
                "type": "relation",
                "id": 5,
                "tags": {"type": "multipolygon", "name": "Open"},
                "members": [
                    {
                        "type": "way",
                        "role": "outer",
                        "geometry": [{"lat": 48, "lon": 2}, {"lat": 48.1, "lon": 2}],
                    }
                ],
            },
        ],
    }
    result = osm.from_value(value, layer_name="x")
    assert len(result.document["layers"][0]["features"]) == 1
    assert [issue.render() for issue in result.notes] == [
        'layer 1 "x": OpenStreetMap relation 5 has no usable geometry: it was skipped'
    ]


# --- GeoRSS ------------------------------------------------------------------------------------


def test_georss_rss_feed():
    line, point, polygon = features("travaux.rss")
    assert line["geometry"]["coordinates"][0] == [-4.104, 47.996]  # "lat lon" pairs
    assert line["properties"] == {
        "name": "Réfection de la chaussée, rue Kéréon",
        "description": "<p>Circulation alternée du <strong>2 au 20 décembre</strong>.</p>",
        "link": "https://www.quimper.example.fr/travaux/rue-kereon",
    }
    assert point["geometry"] == {"type": "Point", "coordinates": [-4.1022, 47.9957]}
    ring = polygon["geometry"]["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert notes("travaux.rss") == (
        [
            'layer 1 "travaux", feature 1: an image (<img>) was removed from the description: '
            "descriptions hold text and links only",
            'layer 1 "travaux", feature 3: a polygon ring did not end at its first position: '
            "it was closed",
            'layer 1 "travaux": item 4 "Information générale" has no georss or geo position: '
            "it was skipped",
        ],
        [
            "calque 1 « travaux », élément 1 : une image (<img>) a été retirée de la "
            "description : les descriptions ne contiennent que du texte et des liens",
            "calque 1 « travaux », élément 3 : un contour de polygone ne finissait pas à sa "
            "première position : il a été fermé",
            'calque 1 « travaux » : l’article 4 "Information générale" n’a pas de position '
            "georss ou geo : il a été ignoré",
        ],
    )


def test_atom_feed_with_w3c_geo_and_gml():
    conte, atelier = features("agenda.atom")
    assert conte["geometry"]["coordinates"] == [-1.6778, 48.1173]
    assert conte["properties"]["link"] == "https://mediatheque.example.fr/agenda/conte"
    assert conte["properties"]["description"] == "Pour les 3–6 ans, mercredi à 10 h."
    assert atelier["geometry"]["coordinates"] == [-1.68, 48.11]
    assert notes("agenda.atom") == ([], [])


BAD_GEORSS = {
    "not_a_feed.rss": (
        'the file is not a GeoRSS feed: its root element is "html", expected rss or feed',
        'le fichier n’est pas un flux GeoRSS : son élément racine est "html", rss ou feed attendu',
    ),
    "point_not_numbers.rss": (
        'layer 1 "point_not_numbers": item 2: <georss:point> must hold pairs of numbers '
        '(latitude longitude), not "quarante-sept -4.10"',
        "calque 1 « point_not_numbers » : article 2 : <georss:point> doit contenir des paires "
        'de nombres (latitude longitude), pas "quarante-sept -4.10"',
    ),
    "no_position.rss": (
        "the feed has no item with a georss or geo position to import",
        "le flux n’a aucun article avec une position georss ou geo à importer",
    ),
    "external_entity.rss": (
        "the file declares a DTD or entities, which are refused for safety",
        None,  # the GPX and KML message, translated with them
    ),
}


def test_every_bad_georss_file_has_an_expectation():
    on_disk = {path.name for path in (FIXTURES / "bad" / "georss").iterdir()}
    assert on_disk == set(BAD_GEORSS)


@pytest.mark.parametrize("name", sorted(BAD_GEORSS))
def test_bad_georss_is_refused(name):
    english, french = refusal(f"bad/georss/{name}")
    assert english == [BAD_GEORSS[name][0]]
    if BAD_GEORSS[name][1] is not None:
        assert french == [BAD_GEORSS[name][1]]


# --- The same rule in every format: unlocated features skipped, open rings closed ---------------


def test_geojson_null_geometry_is_skipped_and_open_ring_closed_with_notes():
    point, polygon = features("unlocated_and_unclosed.geojson")
    assert point["properties"]["nom"] == "Borne place de la Mairie"
    ring = polygon["geometry"]["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert notes("unlocated_and_unclosed.geojson") == (
        [
            'layer 1 "bornes_recharge", feature 2: the feature has no geometry: it was skipped',
            'layer 1 "bornes_recharge", feature 3: a polygon ring did not end at its first '
            "position: it was closed",
        ],
        [
            "calque 1 « bornes_recharge », élément 2 : l’élément n’a pas de géométrie : il a été "
            "ignoré",
            "calque 1 « bornes_recharge », élément 3 : un contour de polygone ne finissait pas à "
            "sa première position : il a été fermé",
        ],
    )


def test_csv_row_without_position_is_skipped_with_a_note():
    (mairie,) = features("row_without_position.csv")
    assert mairie["properties"]["nom"] == "Mairie"
    assert notes("row_without_position.csv") == (
        [
            'layer 1 "row_without_position", line 3: the row has no position (its position cells '
            "are all empty): it was skipped"
        ],
        [
            "calque 1 « row_without_position », ligne 3 : la ligne n’a pas de position (ses "
            "cellules de position sont toutes vides) : elle a été ignorée"
        ],
    )


def test_the_editor_rule_is_unchanged():
    from wagtail_umap.core.validation import validate_features

    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
    }
    with pytest.raises(MapDocumentError) as caught:
        validate_features([feature, {"type": "Feature", "properties": {}, "geometry": None}])
    assert caught.value.messages() == [
        "feature 1, at coordinates[0]: a polygon ring must end at its first position",
        "feature 2: feature has no geometry",
    ]


def test_the_file_given_is_not_changed():
    from wagtail_umap.formats import geojson

    value = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}
    geojson.from_value(value, layer_name="x")
    assert value["coordinates"][0][-1] == [0, 1]


def test_kml_open_ring_closed_and_image_removed_with_notes():
    jardin, square = features("unclosed_ring_and_image.kml")
    assert jardin["properties"]["description"] == "<p>Ouvert le samedi.</p>"
    ring = square["geometry"]["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert notes("unclosed_ring_and_image.kml") == (
        [
            'layer 1 "Jardins", feature 1: an image (<img>) was removed from the description: '
            "descriptions hold text and links only",
            'layer 1 "Jardins", feature 2: a polygon ring did not end at its first position: '
            "it was closed",
        ],
        [
            "calque 1 « Jardins », élément 1 : une image (<img>) a été retirée de la "
            "description : les descriptions ne contiennent que du texte et des liens",
            "calque 1 « Jardins », élément 2 : un contour de polygone ne finissait pas à sa "
            "première position : il a été fermé",
        ],
    )


# --- Generated input: the new readers raise only located errors --------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(-200, 200),
    st.text(max_size=5),
)
_position = st.fixed_dictionaries({"lat": _scalars, "lon": _scalars})
_element = st.fixed_dictionaries(
    {"type": st.sampled_from(["node", "way", "relation", "area", 3]), "id": st.integers(0, 20)},
    optional={
        "lat": _scalars,
        "lon": _scalars,
        "tags": st.one_of(
            _scalars,
            st.dictionaries(st.sampled_from(["name", "type", "building", "area"]), _scalars),
            st.just({"type": "multipolygon"}),
        ),
        "nodes": st.lists(st.one_of(st.integers(0, 20), _scalars), max_size=6),
        "geometry": st.one_of(_scalars, st.lists(st.one_of(_position, _scalars), max_size=6)),
        "center": st.one_of(_position, _scalars),
        "members": st.lists(
            st.fixed_dictionaries(
                {"type": st.sampled_from(["way", "node"]), "ref": st.integers(0, 20)},
                optional={
                    "role": st.sampled_from(["outer", "inner", "", 1]),
                    "geometry": st.lists(_position, max_size=6),
                },
            ),
            max_size=4,
        ),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_element, _scalars), max_size=12))
def test_osm_reader_raises_only_located_errors(elements):
    from wagtail_umap.formats import osm

    try:
        result = osm.from_value({"generator": "Overpass API", "elements": elements}, layer_name="x")
    except MapDocumentError as error:
        assert all(isinstance(message, str) for message in error.messages())
    else:
        assert result.document["layers"][0]["features"]


_georss_body = st.one_of(
    st.text(alphabet="0123456789 .,-eE", max_size=30), st.text(max_size=10)
).map(lambda text: text.replace("<", "").replace("&", ""))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["georss:point", "georss:line", "georss:polygon", "geo:lat"]),
            _georss_body,
        ),
        max_size=5,
    )
)
def test_georss_reader_raises_only_located_errors(items):
    body = "".join(f"<item><title>t</title><{tag}>{text}</{tag}></item>" for tag, text in items)
    data = (
        '<rss xmlns:georss="http://www.georss.org/georss" '
        'xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#"><channel>'
        f"{body}</channel></rss>"
    ).encode()
    try:
        read_map_file("flux.rss", data)
    except MapDocumentError as error:
        assert all(isinstance(message, str) for message in error.messages())
