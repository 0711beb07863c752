"""A ``.umap`` backup is a backup: document → .umap → document gives the same document, for
uMap's own fixtures, the demo maps, hand-made documents using every option, and documents
generated from the schema; and uMap reads back what its file said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from example_site.home import demo
from wagtail_umap.core import schema
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import Limits, validate_document
from wagtail_umap.formats import read_map_file, umap, write_map_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHARED = Path("/work/shared/fixtures/umap")


def round_trip(document: dict) -> dict:
    return umap.read(umap.write(document)).document


def has_umap_options(path: Path) -> bool:
    """A .umap backup, or a GeoJSON layer exported by uMap (its options beside the features)."""
    if path.suffix == ".umap":
        return True
    if path.suffix not in (".json", ".geojson"):
        return False
    value = json.loads(path.read_bytes())
    return value.get("type") == "umap" or any(
        isinstance(value.get(key), dict) for key in ("properties", "_umap_options", "_storage")
    )


def umap_fixtures() -> list[Path]:
    folders = [FIXTURES, FIXTURES / "umap_modern"]
    if SHARED.is_dir():
        folders.append(SHARED)
    return [
        path for folder in folders for path in sorted(folder.iterdir()) if has_umap_options(path)
    ]


# --- uMap's fixtures and ours ----------------------------------------------------------------


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", umap_fixtures(), ids=fixture_id)
def test_every_umap_fixture_imports_and_round_trips(path):
    document = read_map_file(path.name, path.read_bytes()).document
    assert document["layers"]
    data = write_map_file(document, "umap")
    assert read_map_file("again.umap", data).document == document
    assert write_map_file(read_map_file("again.umap", data).document, "umap") == data


def test_the_shared_fixtures_are_the_tested_ones():
    # uMap's own fixtures are also copied in tests/fixtures: both read the same.
    if not SHARED.is_dir():
        pytest.skip("no shared fixtures on this machine")
    for path in SHARED.iterdir():
        if path.suffix in (".umap", ".json", ".geojson"):
            assert (FIXTURES / path.name).read_bytes() == path.read_bytes(), path.name


# --- the demo maps ---------------------------------------------------------------------------

DEMO_BUILDERS = [*demo.DEMO_MAPS, *(build for _slug, _title, build in demo.VIZ_PAGES)]


@pytest.mark.parametrize("build", DEMO_BUILDERS, ids=lambda build: build.__name__)
def test_every_demo_map_round_trips(build):
    document = validate_document(build(1, 2) if build is demo.heritage_walk else build())
    assert round_trip(document) == document


def charge_points(count: int) -> list[dict]:
    """Points like the demo's large map (example_site/home/demo_large.py, which needs Django
    to import): six short properties each."""
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2 + i % 500 / 100, 45 + i // 500 / 100]},
            "properties": {
                "name": f"Borne n° {i + 1}",
                "operator": "Izivia",
                "power_kw": 22,
                "plugs": "T2 et CCS",
                "access": "public",
                "id": f"FR*{i + 1:07d}",
            },
        }
        for i in range(count)
    ]


def test_a_large_backup_is_compact_and_reimports_under_the_same_limit():
    document = validate_document(
        {"title": "Bornes", "layers": [{"name": "Bornes", "features": charge_points(20_000)}]},
        Limits(max_bytes=50_000_000),
    )
    size = len(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode())
    data = umap.write(document)
    # Compact JSON: no larger than the document itself (the indented writer made it 4.5×), so
    # a document within the size limit gives a backup the same limit imports.
    assert len(data) <= size
    assert read_map_file("b.umap", data, Limits(max_bytes=size)).document == document
    with pytest.raises(MapDocumentError) as caught:
        read_map_file("b.umap", data, Limits(max_bytes=len(data) - 1))
    assert caught.value.messages() == [
        f"the file is too large: {len(data)} bytes, the limit is {len(data) - 1} bytes"
    ]


# --- hand-made documents using every option --------------------------------------------------


def point(lng, lat, **properties):
    geometry = {"type": "Point", "coordinates": [lng, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


FEATURE_STYLE = {
    "color": "Green",
    "marker_size": 20,
    "show_label": "always",
    "marker_shape": "square",
}
CATEGORIES = [
    {"value": "école", "label": "École", "color": "#ff0000", "marker_shape": "square"},
    {"value": "collège", "pictogram": "C"},
]
EVERYTHING = {
    "title": "Tout",
    "summary": "Chaque option",
    "options": {
        "basemap": "osm",
        "center": {"lat": 48.1, "lng": 2.2},
        "zoom": 9,
        "controls": {
            **{name: True for name in schema.keys("controls")},
            "zoom": False,
            "fullscreen": False,
            "locate": True,
            "search": True,
            "permalink": False,
        },
        "credits": "Mairie",
        "licence": {"name": "ODbL", "url": "https://opendatacommons.org/licenses/odbl/"},
        "slideshow": {
            "enabled": True,
            "layer": "l2",
            "sort_field": "ordre",
            "autoplay": True,
            "delay": 7.5,
        },
        "umap": {"miniMap": True},
        "default_view": "latest",
        "style": {
            "color": "Navy",
            "weight": 4,
            "show_label": "hover",
            "label_direction": "top",
            "label_interactive": True,
            "marker_shape": "square",
        },
        "rules": [
            {"field": "type", "operator": "=", "value": "école", "style": {"color": "Red"}},
        ],
    },
    "layers": [
        {
            "id": "l1",
            "name": "Écoles",
            "description": "Les écoles",
            "shown_on_load": False,
            "style": {
                "fill_color": "#abcdef",
                "opacity": 0.5,
                "fill_opacity": 0.2,
                "fill": False,
                "dash_array": "4 2",
                "pictogram": "🏫",
                "marker_size": 40,
                "marker_shape": "circle",
            },
            "popup_template": "# {name}\n**{type}**",
            "popup_layout": "table",
            "label_key": "{name} ({ville})",
            "min_zoom": 5,
            "max_zoom": 18,
            "filters": [
                {"type": "category", "field": "type", "label": "Type"},
                {"type": "range", "field": "places", "label": "Places"},
                {"type": "date_range", "field": "date"},
                {"type": "search", "fields": ["name", "ville"], "label": "Chercher"},
            ],
            "rules": [
                {
                    "field": "places",
                    "operator": ">",
                    "value": "100",
                    "label": "Grandes",
                    "style": {"weight": 8, "marker_shape": "square"},
                },
                {"field": "type", "operator": "!=", "value": ""},
            ],
            "representation": {"type": "categorized", "field": "type", "categories": CATEGORIES},
            "features": [
                point(
                    2.3,
                    48.8,
                    name="A",
                    type="école",
                    places=120,
                    date="2024-01-01",
                    _style=FEATURE_STYLE,
                ),
                point(2.4, 48.9, name="B", type="collège", _style={"label_direction": "left"}),
            ],
        },
        {
            "id": "l2",
            "name": "Chômage",
            "popup_layout": "panel",
            "representation": {
                "type": "choropleth",
                "field": "taux",
                "method": "manual",
                "classes": 3,
                "scheme": "red_blue",
                "unit": "%",
                "breaks": [5, 10],
            },
            "features": [point(1, 45, taux=3)],
        },
        {
            "id": "l3",
            "name": "Vélos",
            "representation": {
                "type": "circles",
                "field": "capacity",
                "min_radius": 3,
                "max_radius": 30,
                "unit": "places",
            },
        },
        {
            "id": "l4",
            "name": "Chaleur",
            "representation": {"type": "heat", "field": "w", "radius": 30, "intensity": 0.4},
        },
        {"id": "l5", "name": "Grappes", "representation": {"type": "cluster", "radius": 80}},
    ],
}


def test_a_document_using_every_option_round_trips():
    document = validate_document(EVERYTHING)
    assert round_trip(document) == document
    assert umap.write(round_trip(document)) == umap.write(document)


def test_umap_reads_what_it_can_in_its_own_words():
    written = json.loads(umap.write(validate_document(EVERYTHING)))
    properties = written["properties"]
    assert properties["defaultView"] == "latest"
    assert properties["slideshow"] == {"active": True, "delay": 7500, "autoplay": True}
    assert properties["rules"] == [{"condition": "type=école", "properties": {"color": "Red"}}]
    assert (properties["showLabel"], properties["labelDirection"]) == (None, "top")
    assert properties["iconClass"] == "Default"  # uMap has no square: its default pin
    # Only what uMap cannot hold goes under our key.
    assert set(properties["wagtail_umap"]["options"]) == {
        "options.basemap",
        "options.slideshow",
        "options.controls.permalink",
        "options.style.marker_shape",
    }
    ecoles, chomage, velos, chaleur, grappes = (layer["properties"] for layer in written["layers"])
    assert (ecoles["fromZoom"], ecoles["toZoom"], ecoles["displayOnLoad"]) == (5, 18, False)
    assert ecoles["labelKey"] == "{name} ({ville})"
    assert ecoles["popupTemplate"] == "Table" and chomage["popupShape"] == "Panel"
    assert ecoles["filters"][1] == {"fieldKey": "places", "widget": "MinMax", "label": "Places"}
    assert {"key": "places", "type": "Number"} in ecoles["fields"]
    assert ecoles["filterKey"] == "name,ville"
    assert ecoles["categorized"] == {
        "property": "type",
        "mode": "manual",
        "categories": "école,collège",
    }
    assert chomage["choropleth"]["breaks"] == "5,10"
    assert velos["circles"]["radius"] == {"min": 3, "max": 30}
    assert chaleur["heat"] == {"radius": 30, "intensityProperty": "w"}
    assert grappes["cluster"] == {"radius": 80}
    assert written["layers"][0]["_umap_options"] == ecoles
    assert set(ecoles["wagtail_umap"]["options"]) == {"representation", "filters", "rules"}
    # uMap's keys carry all of a cluster layer; our key only says we wrote them (an import
    # keeps uMap's own representation settings, not ours).
    assert grappes["wagtail_umap"] == {"options": {}, "check": {"representation": "103a1dfd"}}
    feature = written["layers"][0]["features"][0]["properties"]["_umap_options"]
    assert feature["color"] == "Green" and feature["showLabel"] is True


def test_map_without_centre_opens_on_the_data_in_umap():
    document = validate_document({"title": "Sans centre", "layers": [{"name": "A"}]})
    written = json.loads(umap.write(document))
    assert "geometry" not in written
    assert written["properties"]["defaultView"] == "data"  # what our map does
    assert round_trip(document) == document
    explicit = validate_document({**document, "options": {"default_view": "data"}})
    assert round_trip(explicit) == explicit


def test_an_option_changed_in_umap_wins_over_our_key():
    document = validate_document(EVERYTHING)
    written = json.loads(umap.write(document))
    # Someone edits the layer's filters in uMap, which keeps our key as it was.
    ecoles = written["layers"][0]
    ecoles["properties"]["filters"] = [{"fieldKey": "ville", "widget": "Checkbox"}]
    del ecoles["properties"]["filterKey"]
    del ecoles["_umap_options"]
    layer = umap.read(json.dumps(written).encode()).document["layers"][0]
    assert layer["filters"] == [{"type": "category", "field": "ville", "label": ""}]
    # What uMap did not touch still comes from our key.
    assert layer["representation"]["categories"][0]["label"] == "École"


def test_the_map_wide_filters_go_to_umap_and_come_back_on_the_layers_that_have_the_property():
    document = validate_document(
        {
            "version": 1,
            "title": "Marchés",
            "options": {"filters": [{"type": "category", "field": "commune", "label": "Commune"}]},
            "layers": [
                {"name": "Marchés", "features": [point_with(commune="Lyon")]},
                {"name": "Parkings", "features": [point_with(places=12)]},
            ],
        }
    )
    written = json.loads(umap.write(document))
    # uMap's own keys for a map-level filter: its facet panel filters every layer.
    assert written["properties"]["filters"] == [
        {"fieldKey": "commune", "widget": "Checkbox", "label": "Commune"}
    ]
    layers = round_trip(document)["layers"]
    assert layers[0]["filters"] == [{"type": "category", "field": "commune", "label": "Commune"}]
    assert not layers[1].get("filters")  # no "commune" there: left as it was


def point_with(**properties: object) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [4.85, 45.75]},
        "properties": {"name": "Un lieu", **properties},
    }


def test_a_kept_umap_value_an_editor_overrode_is_dropped():
    path = FIXTURES / "umap_modern" / "map_defaults.umap"
    document = read_map_file(path.name, path.read_bytes()).document
    assert document["layers"][1]["umap"] == {"iconClass": "Ball"}
    document["layers"][1]["style"]["marker_shape"] = "drop"
    cleaned = validate_document(document)
    assert cleaned["layers"][1]["umap"] == {}
    assert json.loads(umap.write(cleaned))["layers"][1]["properties"]["iconClass"] == "Drop"
    assert round_trip(cleaned) == cleaned


# --- documents generated from the schema -----------------------------------------------------

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
words = st.text(max_size=12)
names = st.text(min_size=1, max_size=12).filter(str.strip)
colours = st.sampled_from(["Navy", "crimson", "#abc", "#a1b2c3", "#a1b2c3d4", "#abcd"])


def value_of(item: schema.Option):
    """A valid value of a scalar option, as the schema declares it."""
    if item.type == "boolean":
        return st.booleans()
    if item.type == "choice":
        return st.sampled_from([choice for choice in item.choices if choice != ""])
    if item.type == "colour":
        return colours
    if item.type == "dash":
        return st.sampled_from(["", "4 2", "5,5", "10, 2 1"])
    if item.type == "integer":
        return st.integers(int(item.min), int(item.max))
    if item.type == "number":
        return st.one_of(
            st.integers(int(item.min) if item.min >= 1 else 1, int(item.max))
            if item.max >= 1
            else st.nothing(),
            st.floats(item.min, item.max, allow_nan=False).map(lambda n: round(n, 3)),
        ).filter(lambda n: item.min <= n <= item.max)
    if item.type == "key" and item.scope == "style" and item.key == "icon":
        # A pictogram of the library, or an editor's own icon (core/pictograms.py).
        return st.sampled_from(["", "school", "town-hall", "recycling", "image:12", "document:3"])
    return st.text(max_size=min(item.max_length or 12, 12))


styles = st.fixed_dictionaries(
    {}, optional={item.key: value_of(item) for item in schema.options_in("style")}
)
rules = st.lists(
    st.fixed_dictionaries(
        {"field": names, "operator": st.sampled_from(["=", "!=", "<", ">"]), "value": words},
        optional={"label": words, "style": styles},
    ),
    max_size=3,
)


@st.composite
def filters(draw):
    kind = draw(st.sampled_from(["category", "range", "date_range", "search"]))
    entry = {"type": kind, "label": draw(words)}
    if kind == "search":
        entry["fields"] = draw(st.lists(names, min_size=1, max_size=3))
    else:
        entry["field"] = draw(names)
    return entry


@st.composite
def representations(draw):
    kind = draw(st.sampled_from(schema.REPRESENTATION_TYPES))
    result = {"type": kind}
    for item in schema.options_in("representation", kind)[1:]:
        if item.key == "categories":
            values = draw(st.lists(words, max_size=4, unique=True))
            result["categories"] = [
                {"value": value, "label": draw(words), "color": draw(colours | st.just(""))}
                for value in values
            ]
        elif item.key == "breaks":
            continue
        elif item.key == "field":
            result["field"] = draw(names)
        elif item.key == "method":
            result["method"] = draw(st.sampled_from(["quantiles", "equal", "jenks"]))
        elif draw(st.booleans()):
            result[item.key] = draw(value_of(item))
    if kind == "choropleth" and draw(st.booleans()):
        classes = result.get("classes", 5)
        result["method"] = "manual"
        result["breaks"] = sorted(draw(st.sets(st.integers(-50, 50), min_size=classes - 1,
                                                max_size=classes - 1)))  # fmt: skip
    if kind == "circles" and result.get("min_radius", 4) > result.get("max_radius", 40):
        result["min_radius"], result["max_radius"] = 4, 40
    return result


@st.composite
def layers(draw, position):
    layer = {"id": f"l{position}", "name": draw(names)}
    optional = {
        "description": words,
        "shown_on_load": st.booleans(),
        "style": styles,
        "popup_template": words,
        "representation": representations(),
        "filters": st.lists(filters(), max_size=3),
        "popup_layout": st.sampled_from(["default", "table", "panel"]),
        "label_key": words,
        "rules": rules,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            layer[key] = draw(strategy)
    if draw(st.booleans()):
        low = draw(st.integers(0, 22))
        layer["min_zoom"], layer["max_zoom"] = low, draw(st.integers(low, 22))
    properties = st.fixed_dictionaries(
        {"name": words}, optional={"type": words, "n": st.integers(-5, 5), "_style": styles}
    )
    layer["features"] = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.5, 47.5]},
            "properties": draw(properties),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    return layer


latitudes = st.floats(-90, 90).map(lambda n: round(n, 6))
longitudes = st.floats(-180, 180).map(lambda n: round(n, 6))


@st.composite
def documents(draw):
    count = draw(st.integers(0, 3))
    options = {}
    optional = {
        "basemap": st.sampled_from(["plan_ign", "osm", "ortho"]),
        "center": st.fixed_dictionaries({"lat": latitudes, "lng": longitudes}),
        "zoom": st.integers(0, 22),
        "controls": st.fixed_dictionaries(
            {}, optional={name: st.booleans() for name in schema.keys("controls")}
        ),
        "credits": words,
        "licence": st.fixed_dictionaries(
            {"name": words, "url": st.sampled_from(["", "https://x.fr/l"])}
        ),
        "default_view": st.sampled_from(["center", "data", "latest", "locate"]),
        "style": styles,
        "rules": rules,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            options[key] = draw(strategy)
    if draw(st.booleans()):
        options["slideshow"] = {
            "enabled": draw(st.booleans()),
            "autoplay": draw(st.booleans()),
            "delay": draw(st.sampled_from([1, 5, 7.5, 60])),
            "sort_field": draw(words),
            "layer": draw(st.sampled_from([None, *(f"l{i}" for i in range(count))])),
        }
    return {
        "title": draw(words),
        "summary": draw(words),
        "options": options,
        "layers": [draw(layers(position)) for position in range(count)],
    }


@SETTINGS
@given(documents())
def test_generated_documents_round_trip(value):
    document = validate_document(value)
    data = umap.write(document)
    assert umap.read(data).document == document
    assert umap.write(umap.read(data).document) == data
