"""Classes, legends and filter choices of a layer loaded from its data URL: computed from the
stored data once, then served from Django's cache without reading the layer again."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import make_map
from wagtail_umap.models import Map
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.config import template_context

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]
FIXTURES = Path(__file__).parents[1] / "fixtures"

CHOROPLETH = {"type": "choropleth", "field": "taux", "classes": 4, "unit": "%"}
FILTERS = [
    {"type": "category", "field": "nom"},
    {"type": "range", "field": "taux"},
    {"type": "search", "fields": ["nom"]},
]
# A column read only when the layer's GeoJSON is loaded ("geojson_gzip" has another name).
GEOJSON_COLUMN = '"geojson"'


def chomage_layer(name: str = "Chômage", **fields) -> dict:
    data = json.loads((FIXTURES / "choropleth_region_chomage.geojson").read_text())
    return {
        "name": name,
        "features": data["features"],
        "representation": CHOROPLETH,
        "filters": FILTERS,
        **fields,
    }


def render(map_: Map) -> tuple[str, dict]:
    map_ = Map.objects.get(pk=map_.pk)
    html = render_to_string("wagtail_umap/viewer.html", template_context(viewer_map_for(map_)))
    match = re.search(r'type="application/json">(.*?)</script>', html, re.S)
    return html, json.loads(match.group(1))


def legend_of(html: str) -> str:
    return html[html.index("data-umap-legends") : html.index("data-umap-list")]


def viz_of(layer_config: dict) -> tuple[dict, list]:
    return layer_config["representation"], layer_config["filters"]


def test_a_data_url_layer_gets_the_same_classes_legend_and_choices_as_inline(settings):
    map_ = make_map("Chômage", layers=[chomage_layer()])
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10_000_000}
    inline_html, inline = render(map_)
    assert inline["layers"][0]["dataUrl"] is None
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10}
    large_html, large = render(map_)
    assert large["layers"][0]["data"] is None and large["layers"][0]["dataUrl"]

    representation, filters = viz_of(large["layers"][0])
    assert viz_of(large["layers"][0]) == viz_of(inline["layers"][0])
    assert representation["bounds"] == [5.6, 6.2, 6.7, 7.1, 8.9]
    assert [c["count"] for c in representation["classes"]] == [5, 4, 1, 3]
    assert representation["geometry"] == "area"
    category, value_range, search = filters
    assert len(category["options"]) == 13
    assert (value_range["min"], value_range["max"]) == (5.6, 8.9)
    assert search["fields"] == ["nom"]
    assert legend_of(large_html) == legend_of(inline_html)
    assert "5,6 – 6,2 %" in legend_of(large_html)


def test_the_second_render_reads_the_cache_not_the_layer(settings):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map("Chômage", layers=[chomage_layer()])
    with CaptureQueriesContext(connection) as first:
        _, first_config = render(map_)
    assert sum(GEOJSON_COLUMN in q["sql"] for q in first.captured_queries) == 1
    with CaptureQueriesContext(connection) as second:
        _, second_config = render(map_)
    assert not any(GEOJSON_COLUMN in q["sql"] for q in second.captured_queries)
    assert len(second) == len(first) - 1
    assert second_config["layers"] == first_config["layers"]


def test_a_cache_miss_costs_one_query_for_all_the_layers(settings):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10}
    one = make_map("Un", layers=[chomage_layer()])
    many = make_map(
        "Trois",
        layers=[
            chomage_layer("A"),
            chomage_layer("B", representation={"type": "categorized", "field": "nom"}),
            chomage_layer("C", filters=[{"type": "category", "field": "code"}]),
        ],
    )
    counts = []
    for map_ in (one, many):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            _, config = render(map_)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    categories = config["layers"][1]["representation"]["categories"]
    assert sum(c["count"] for c in categories) == 13
    assert len(config["layers"][2]["filters"][0]["options"]) == 13


def test_a_plain_data_url_layer_never_reads_its_data(settings):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map("Chômage", layers=[chomage_layer(representation={"type": "plain"}, filters=[])])
    with CaptureQueriesContext(connection) as queries:
        _, config = render(map_)
    assert not any(GEOJSON_COLUMN in q["sql"] for q in queries.captured_queries)
    assert config["layers"][0]["representation"] == {"type": "plain"}


def test_each_language_and_representation_has_its_own_cache_entry(settings):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map("Chômage", layers=[chomage_layer()])
    with translation.override("fr"):
        html_fr, _ = render(map_)
    with translation.override("en"):
        html_en, _ = render(map_)
    assert "5,6 – 6,2 %" in legend_of(html_fr)
    assert "5.6 – 6.2 %" in legend_of(html_en)
    # The editor changes the number of classes: new classes, not the cached ones.
    document = dict(map_.document)
    document["layers"] = [{**document["layers"][0], "representation": {**CHOROPLETH, "classes": 3}}]
    Map.objects.filter(pk=map_.pk).update(document=document)
    _, config = render(map_)
    assert len(config["layers"][0]["representation"]["classes"]) == 3
