"""Groups of layers in what the public sees: the list and the legend follow the tree, the
script gets the groups for its layer switcher, and a map without groups is unchanged."""

from __future__ import annotations

import json
import re

import pytest
from django.template.loader import render_to_string

from tests.factories import document, layer, point
from wagtail_umap.models import Map
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.config import template_context

pytestmark = pytest.mark.django_db


def grouped_map() -> Map:
    doc = document(
        layer("Mairie", point(2.35, 48.85, "Hôtel de ville"), id="mairie"),
        layer(
            "Maternelles",
            point(2.351, 48.851, "Jean-Jaurès"),
            id="mat",
            group="ecoles",
            representation={"type": "categorized", "field": "name"},
        ),
        layer("Élémentaires", point(2.352, 48.852, "Victor-Hugo"), id="elem", group="ecoles"),
    )
    doc["groups"] = [{"id": "ecoles", "name": "Écoles", "parent": None, "description": "Publiques"}]
    map_ = Map(title="Services", summary="Les services")
    map_.set_document(doc)
    map_.full_clean()
    map_.save()
    map_.save_revision().publish()
    return Map.objects.get(pk=map_.pk)


def render(map_: Map) -> tuple[str, dict]:
    context = template_context(viewer_map_for(map_))
    return render_to_string("wagtail_umap/viewer.html", context), context["config"]


def test_the_list_nests_layers_under_their_group_heading():
    html, _config = render(grouped_map())
    listing = html[html.index('<div class="umap-viewer__list') :]
    headings = re.findall(r"<h(\d) class=\"umap-viewer__(group|layer)-title\">([^<]+)<", listing)
    # The map's title is h2: the group h3, its layers h4; the layer outside any group h3.
    assert headings == [
        ("3", "layer", "Mairie"),
        ("3", "group", "Écoles"),
        ("4", "layer", "Maternelles"),
        ("4", "layer", "Élémentaires"),
    ]
    group = re.search(r'<div class="umap-viewer__group" data-umap-group="ecoles">', listing)
    assert group
    assert '<p class="umap-viewer__group-description">Publiques</p>' in listing
    assert listing.count("<div") == listing.count("</div>")  # every group is closed


def test_the_script_gets_the_groups_and_each_layer_its_group():
    _html, config = render(grouped_map())
    assert config["groups"] == [{"id": "ecoles", "name": "Écoles", "parent": None}]
    assert [layer.get("group") for layer in config["layers"]] == [None, "ecoles", "ecoles"]


def test_the_legend_follows_the_grouping():
    html, _config = render(grouped_map())
    legend = html[html.index("data-umap-legends") : html.index("data-umap-list")]
    assert re.search(r'data-umap-legend-group="ecoles"><h4 class="umap-legend__group-title">'
                     r"Écoles</h4>", legend)  # fmt: skip
    assert legend.index("Écoles</h4>") < legend.index('data-umap-legend="mat"')


def test_a_map_without_groups_has_no_group_markup():
    doc = document(layer("A", point(2.35, 48.85, "a")), layer("B", point(2.36, 48.86, "b")))
    map_ = Map(title="Sans groupes", summary="Deux calques")
    map_.set_document(doc)
    map_.full_clean()
    map_.save()
    html, config = render(map_)
    assert "data-umap-group" not in html and "groups" not in config
    assert "group" not in json.dumps([layer.keys() for layer in config["layers"]], default=list)


def test_the_demo_map_of_services_is_a_valid_grouped_map():
    from example_site.home.demo_groups import services
    from wagtail_umap.core.validation import validate_document

    cleaned = validate_document(services())
    assert [group["name"] for group in cleaned["groups"]] == ["Écoles", "Sport"]
    assert cleaned["options"]["basemap_choice"] == ["plan_ign_gris", "ign_orthophotos"]
    assert [layer.get("group") for layer in cleaned["layers"]] == [
        "ecoles",
        "ecoles",
        "sport",
        None,
    ]
