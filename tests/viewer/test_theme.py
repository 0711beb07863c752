"""Themes of the public viewer (docs/themes.md): the default one leaves the HTML as it was; the
DSFR one adds DSFR's classes, accordions and assets, from django-dsfr's static files only."""

import re
from pathlib import Path

import pytest

from tests.factories import layer, make_map, point
from tests.viewer.test_viewer import config_of, render
from tests.viewer.test_viewer import make_map as make_viewer_map
from wagtail_umap.checks import check_theme
from wagtail_umap.viewer.theme import CLASS_KEYS, DEFAULT, DSFR, current_theme

PACKAGE = Path(__file__).resolve().parents[2] / "wagtail_umap"


@pytest.fixture
def dsfr(settings):
    settings.WAGTAIL_UMAP = {**getattr(settings, "WAGTAIL_UMAP", {}), "THEME": "dsfr"}
    return settings


def test_default_theme_is_off_and_adds_nothing():
    assert current_theme() is DEFAULT
    html = render("{% umap_viewer m %}", m=make_viewer_map())
    assert " fr-" not in html and "theme-dsfr.css" not in html and "theme.js" not in html
    assert '<h3 class="umap-viewer__layer-title">Écoles</h3>' in html
    assert config_of(html)[1]["theme"] is None


def test_dsfr_theme_classes_accordions_and_assets(dsfr):
    assert current_theme() is DSFR
    html = render("{% umap_viewer m %}", m=make_viewer_map())
    assert 'class="umap-viewer umap-viewer--dsfr"' in html
    assert '<a class="umap-viewer__skip fr-link" href="#umap-1-1-list">' in html
    # Independent accordions, not a DSFR group (which keeps one open at a time).
    assert 'class="umap-viewer__list" id="umap-1-1-list"' in html
    # Each titled layer is an accordion, open on load (the list is the text alternative).
    assert re.search(
        r'<div class="umap-viewer__layer fr-accordion" id="umap-1-1-layer-0" data-umap-layer="L1">'
        r'\s*<h3 class="umap-viewer__layer-title fr-accordion__title"><button type="button" '
        r'class="fr-accordion__btn" aria-expanded="true" aria-controls="umap-1-1-layer-0-content" '
        r"data-umap-accordion>Écoles</button></h3>\s*"
        r'<div class="umap-viewer__layer-content" id="umap-1-1-layer-0-content">',
        html,
    )
    assert html.count('class="umap-viewer__layer-content"') == 2
    assert html.count("<div") == html.count("</div>")
    # "Voir sur la carte": a DSFR secondary button with an icon, its name completed by fr-sr-only.
    assert 'class="umap-viewer__locate fr-btn fr-btn--sm fr-btn--secondary' in html
    assert 'class="umap-visually-hidden fr-sr-only"> – ' in html
    # The viewer's own classes and data attributes stay: the script finds elements by them.
    for kept in ("data-umap-list", "data-umap-feature-item=", 'data-umap-feature="L1:0"'):
        assert kept in html
    assert 'href="/static/wagtail_umap/css/theme-dsfr.css"' in html
    assert html.index("viewer/theme.js") < html.index("js/viewer.js")
    theme = config_of(html)[1]["theme"]
    assert theme["name"] == "dsfr"
    assert theme["classes"][".umap-slideshow__button"].startswith("fr-btn")
    assert " style=" not in html and "<script>" not in html  # strict CSP


def test_dsfr_theme_lone_layer_named_like_its_map_has_no_accordion(dsfr):
    viewer_map = make_viewer_map()
    viewer_map.layers = viewer_map.layers[:1]
    viewer_map.layers[0].name = viewer_map.title
    html = render("{% umap_viewer m %}", m=viewer_map)
    assert "fr-accordion__btn" not in html and "umap-viewer__layer-content" not in html
    assert html.count("<div") == html.count("</div>")


@pytest.mark.django_db
def test_embed_page_loads_dsfr_from_django_dsfr_static_files(client, dsfr):
    map_ = make_map("Écoles", layers=[layer("Écoles", point(2.35, 48.85, "École A"))])
    html = client.get(f"/cartes/{map_.pk}/embed/").content.decode()
    assert '<link rel="stylesheet" href="/static/dsfr/dist/dsfr/dsfr.min.css">' in html
    assert "dsfr.module" not in html  # the viewer needs no DSFR script
    assert 'class="umap-embed umap-embed--dsfr"' in html
    assert "umap-viewer--dsfr" in html


@pytest.mark.django_db
def test_embed_page_default_theme_loads_no_dsfr(client):
    map_ = make_map("Écoles", layers=[layer("Écoles", point(2.35, 48.85, "École A"))])
    html = client.get(f"/cartes/{map_.pk}/embed/").content.decode()
    assert "dsfr" not in html


def test_template_lookup_of_class_keys_and_attributes():
    assert DSFR["locate"].startswith(" fr-btn") and DEFAULT["locate"] == ""
    assert set(DSFR.classes) <= set(CLASS_KEYS)
    with pytest.raises(KeyError):
        DSFR["accordion"]  # so that {{ theme.accordion }} reads the attribute


def test_checks_unknown_theme_and_missing_django_dsfr(settings):
    settings.WAGTAIL_UMAP = {"THEME": "marianne"}
    assert [m.id for m in check_theme()] == ["wagtail_umap.E002"]
    settings.WAGTAIL_UMAP = {"THEME": "dsfr"}
    assert [m.id for m in check_theme()] == ["wagtail_umap.E003"]
    settings.WAGTAIL_UMAP = {}
    assert check_theme() == []


def test_no_dsfr_file_nor_marianne_font_in_the_package():
    """DSFR's files come from django-dsfr at run time; its licence forbids shipping Marianne."""
    names = [path.name.lower() for path in PACKAGE.rglob("*")]
    assert not [name for name in names if "marianne" in name or name.startswith("dsfr.")]
    assert not [name for name in names if name.endswith((".woff", ".woff2"))]
