"""uMap's layer types (Choropleth, Categorized, Circles, Heat, Cluster) read as representations
and written back."""

import json
from pathlib import Path

import pytest

from wagtail_umap.core.validation import Limits
from wagtail_umap.formats import geojson, umap

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def read_fixture(name):
    return geojson.read((FIXTURES / name).read_bytes(), layer_name="Import", limits=Limits())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "choropleth_region_chomage.geojson",
            {
                "type": "choropleth",
                "field": "taux",
                "method": "quantiles",
                "classes": 5,
                "scheme": "blues",
                "unit": "",
                "breaks": [],
            },
        ),
        (
            "categorized_highway.geojson",
            {"type": "categorized", "field": "highway", "categories": []},
        ),
        (
            "test_circles_layer.geojson",
            {"type": "circles", "field": "capacity", "min_radius": 2, "max_radius": 40, "unit": ""},
        ),
        ("heatmap_data.json", {"type": "heat", "field": "", "radius": 25, "intensity": 0.6}),
    ],
)
def test_fixtures_import_with_their_representation(name, expected):
    (layer,) = read_fixture(name).document["layers"]
    assert layer["representation"] == expected


def umap_layer(options, features=()):
    return {
        "type": "umap",
        "layers": [
            {
                "type": "FeatureCollection",
                "features": list(features),
                "_umap_options": {"name": "L", **options},
            }
        ],
    }


def read_umap(value):
    return umap.read(json.dumps(value).encode()).document["layers"][0]


def test_choropleth_options_are_read():
    layer = read_umap(
        umap_layer(
            {
                "type": "Choropleth",
                "choropleth": {"property": "t", "mode": "jenks", "classes": "4", "brewer": "RdBu"},
            }
        )
    )
    assert layer["representation"] == {
        "type": "choropleth",
        "field": "t",
        "method": "jenks",
        "classes": 4,
        "scheme": "red_blue",
        "unit": "",
        "breaks": [],
    }


def test_manual_breaks_with_outer_bounds():
    layer = read_umap(
        umap_layer(
            {
                "type": "Choropleth",
                "choropleth": {
                    "property": "t",
                    "mode": "manual",
                    "classes": 3,
                    "breaks": "0,5,10,20",
                },
            }
        )
    )
    assert layer["representation"]["breaks"] == [5, 10]
    bad = read_umap(
        umap_layer(
            {
                "type": "Choropleth",
                "choropleth": {"property": "t", "mode": "manual", "classes": 3, "breaks": "x"},
            }
        )
    )
    assert bad["representation"]["method"] == "quantiles"


def test_unknown_type_stays_plain_and_kept():
    layer = read_umap(umap_layer({"type": "Wind"}))
    assert layer["representation"] == {"type": "plain"}
    assert layer["umap"]["type"] == "Wind"


def test_an_edited_representation_is_written_for_umap():
    document = umap.read(
        json.dumps(umap_layer({"type": "Choropleth", "choropleth": {"property": "t"}})).encode()
    ).document
    document["layers"][0]["representation"] = {
        "type": "circles",
        "field": "n",
        "min_radius": 3,
        "max_radius": 30,
        "unit": "",
    }
    written = json.loads(umap.write(document))
    options = written["layers"][0]["_umap_options"]
    assert options["type"] == "Circles"
    assert options["circles"] == {"property": "n", "radius": {"min": 3, "max": 30}}
    assert (
        umap.read(umap.write(document)).document["layers"][0]["representation"]["type"] == "circles"
    )
    document["layers"][0]["representation"] = {"type": "plain"}
    options = json.loads(umap.write(document))["layers"][0]["_umap_options"]
    assert "type" not in options and "choropleth" not in options  # uMap's default: plain
    assert umap.read(umap.write(document)).document["layers"][0]["representation"] == {
        "type": "plain"
    }
