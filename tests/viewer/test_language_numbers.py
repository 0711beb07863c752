"""The language of the data and numbers in the page's language (RGAA 8.7): a layer's values
carry its "language of the data" as ``lang`` wherever they are shown, and numbers are written
as the page's language writes them ("12 345,6" on a French page)."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.factories import document, layer, make_map, point
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import validate_document
from wagtail_umap.models import Map
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.config import template_context
from wagtail_umap.viewer.viz import value_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def render(map_: Map) -> tuple[str, dict]:
    context = template_context(viewer_map_for(Map.objects.get(pk=map_.pk)))
    return render_to_string("wagtail_umap/viewer.html", context), context["config"]


def item(html: str, index: int) -> str:
    match = re.search(rf'<li [^>]*id="[^"]*-feature-{index}".*?</li>', html, re.S)
    assert match, index
    return match.group(0)


def spaces(text: str) -> str:
    """One space for the no-break spaces French puts between digit groups."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("fr", 12345.6, "12 345,6"),
        ("en", 12345.6, "12,345.6"),
        ("fr", 100000, "100 000"),
        ("fr", 6.7, "6,7"),
        ("fr", 2024, "2024"),  # a year stays a year: groups from five digits on
        ("fr", -12345, "-12 345"),
        ("fr", 5.0, "5"),
        ("fr", "12345.6", "12345.6"),  # text is never reformatted
        ("fr", True, "true"),
        ("fr", None, ""),
    ],
)
def test_a_value_is_written_in_the_page_language(language, value, shown):
    with translation.override(language):
        assert spaces(value_text(value)) == shown


def test_a_layer_in_english_on_a_french_page_marks_its_values():
    english = layer(
        "Roads",
        point(2.35, 48.85, "Main street", highway="secondary", length=12345.6),
        point(2.36, 48.86, ""),
        language="en",
        popup_layout="table",
    )
    french = layer("Rues", point(2.35, 48.85, "Grande rue", longueur=12345.6), language="fr")
    plain = layer("Places", point(2.35, 48.85, "Place", surface=2024))
    map_ = make_map("Carte", layers=[english, french, plain])
    with translation.override("fr"):
        html, config = render(map_)
    # The English layer's name and fields carry lang="en"; the button's own words do not.
    assert '-feature-0-name" lang="en">Main street</span>' in item(html, 0)
    assert '<dl class="umap-viewer__feature-fields" lang="en">' in item(html, 0)
    assert "<dd>secondary</dd>" in item(html, 0)
    assert "<dd>12 345,6</dd>" in spaces(item(html, 0))
    assert 'hidden>Voir sur la carte<span class="umap-visually-hidden"> – ' in item(html, 0)
    assert '<span lang="en">Main street</span></span></button>' in item(html, 0)
    # "Élément sans nom n° 2" is written in the page's language: no lang on it.
    unnamed = re.search(r'<span class="umap-viewer__feature-name[^"]*"[^>]*>', item(html, 1))
    assert "lang=" not in unnamed.group(0)
    # A layer in the page's language, or without one, adds nothing.
    rues = html.split('data-umap-layer="')[2]
    assert "lang=" not in rues.split("</ul>")[0]
    assert [entry["language"] for entry in config["layers"]] == ["en", "", ""]


def test_numbers_of_popup_templates_and_names_follow_the_page_language():
    template = "{length} m – {year}"
    roads = layer(
        "Roads", point(2.35, 48.85, "A", length=12345.6, year=2024), popup_template=template
    )
    map_ = make_map("Carte", layers=[roads])
    with translation.override("fr"):
        html, _ = render(map_)
    assert "12 345,6 m – 2024" in spaces(item(html, 0))
    with translation.override("en"):
        html, _ = render(map_)
    assert "12,345.6 m – 2024" in item(html, 0)


def test_a_popup_in_umap_markup_writes_numbers_as_text_but_addresses_as_they_are():
    template = "**{length}** m\n[[https://example.org/?id={ref}|fiche]]"
    roads = layer(
        "Roads", point(2.35, 48.85, "A", length=12345.6, ref=123456), popup_template=template
    )
    map_ = make_map("Carte", layers=[roads])
    with translation.override("fr"):
        html, config = render(map_)
    assert "<strong>12 345,6</strong> m" in spaces(item(html, 0))
    assert 'href="https://example.org/?id=123456"' in item(html, 0)
    assert "<strong>12 345,6</strong>" in spaces(config["layers"][0]["popupHtml"][0])


def test_category_labels_of_the_legend_carry_the_data_language():
    categorized = layer(
        "Roads",
        point(2.35, 48.85, "A", highway="primary"),
        point(2.36, 48.86, "B", highway="track"),
        language="en",
        representation={"type": "categorized", "field": "highway"},
    )
    map_ = make_map("Carte", layers=[categorized])
    with translation.override("fr"):
        html, _ = render(map_)
    legend = html.split("data-umap-legends")[1].split("</ul>")[0]
    assert '<span class="umap-legend__label" lang="en">primary</span>' in legend
    assert "(1 élément)" in legend  # the count is the page's words


@pytest.mark.parametrize("tag", ["en", "pt-BR", "oc-aranes", "zh-Hant-TW", ""])
def test_a_language_tag_is_kept(tag):
    cleaned = validate_document(document(layer("A", language=tag)))
    assert cleaned["layers"][0].get("language", "") == tag


@pytest.mark.parametrize("tag", ["en_US", "english", "e", 3, "fr-"])
def test_a_bad_language_tag_is_refused_with_its_place(tag):
    with pytest.raises(MapDocumentError) as error:
        validate_document(document(layer("Routes", language=tag)))
    assert 'layer 1 "Routes": "language" must be a language tag' in str(error.value)
