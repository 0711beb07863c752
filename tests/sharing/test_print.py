"""The print view: live maps only, the sheet the query asks for, the view passed on, strict CSP,
and the viewer's link to it."""

import re

import pytest

from tests.factories import layer, make_map, point
from tests.sharing.test_embed import config_of
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.config import viewer_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    map_ = make_map(
        "Écoles et parcs",
        layers=[
            layer("Écoles", point(2.35, 48.85, "École A")),
            layer("Parcs", point(2.36, 48.86, "Parc B")),
        ],
    )
    licence = {
        "name": "Licence Ouverte 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    }
    options = {**map_.options, "licence": licence, "credits": "Service SIG de la commune"}
    map_.set_document({**map_.document, "options": options})
    map_.save_revision().publish()
    return map_


def test_print_view_is_a_sheet_with_title_map_legend_credits_and_licence(client, schools):
    response = client.get(f"/cartes/{schools.pk}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Impression : Écoles et parcs" in html or "<title>Print: Écoles et parcs" in html
    assert 'class="umap-print umap-print--a4-portrait"' in html  # the default sheet
    assert '<h1 class="umap-viewer__title"' in html
    assert re.search(r"<h[1-6]", html).group() == "<h1"  # the title comes first (RGAA 9.1)
    assert "Service SIG de la commune" in html
    assert "Licence Ouverte 2.0" in html and "etalab.gouv.fr/licence-ouverte" in html
    assert "École A" in html  # the list is in the page (shown on paper when asked for)
    assert "css/print.css" in html and "js/viewer/image-export.js" in html
    assert re.search(r'<select id="umap-print-paper" name="paper">', html)
    # Works without JavaScript: the buttons that need it are hidden until the script shows them.
    assert re.search(r"<button[^>]*data-umap-print-button hidden", html)
    # Strict CSP: no inline script but JSON, no style attribute.
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert " style=" not in html
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts and all('type="application/json"' in attributes for attributes in scripts)


def test_the_query_chooses_paper_orientation_list_and_view(client, schools):
    parks = schools.layers[1]["id"]
    response = client.get(
        f"/cartes/{schools.pk}/print/",
        {
            "paper": "a3",
            "orientation": "landscape",
            "list": "1",
            "lat": "48.8",
            "lng": "2.3",
            "zoom": "14",
            "layers": parks,
        },
    )
    html = response.content.decode()
    assert 'class="umap-print umap-print--a3-landscape umap-print--list"' in html
    assert '<option value="a3" selected>' in html
    assert '<option value="landscape" selected>' in html
    assert 'name="list" value="1" checked' in html
    config = config_of(response)
    assert config["view"]["center"] == [48.8, 2.3] and config["view"]["zoom"] == 14
    assert {item["name"]: item["shownOnLoad"] for item in config["layers"]} == {
        "Écoles": False,
        "Parcs": True,
    }
    # The view travels on when the reader changes the paper.
    assert 'name="lat" value="48.8"' in html and 'name="zoom" value="14"' in html
    # On paper: the scale, no search, no position, no link to the print view itself.
    assert config["controls"]["scale"] is True
    assert config["controls"]["search"] is False and config["controls"]["locate"] is False
    assert config["printUrl"] is None


def test_unknown_sheet_values_fall_back_to_a4_portrait(client, schools):
    html = client.get(
        f"/cartes/{schools.pk}/print/", {"paper": "letter", "orientation": "sideways<script>"}
    ).content.decode()
    assert 'class="umap-print umap-print--a4-portrait"' in html
    assert "sideways" not in html


def test_drafts_and_unknown_maps_have_no_print_view(client):
    draft = make_map("Brouillon", publish=False)
    assert client.get(f"/cartes/{draft.pk}/print/").status_code == 404
    assert client.get("/cartes/999999/print/").status_code == 404


def test_a_private_map_prints_for_no_stranger(client):
    private = make_map("Carte interne", shared=False)
    response = client.get(f"/cartes/{private.pk}/print/")
    assert response.status_code == 404


def test_the_viewer_links_to_the_print_view_of_a_live_map_only(schools):
    config = viewer_config(viewer_map_for(schools))
    assert config["printUrl"] == f"/cartes/{schools.pk}/print/"
    assert config["controls"]["print"] is True
    # A preview draws the draft: no public print URL for it.
    assert viewer_config(viewer_map_for(schools, inline_data=True))["printUrl"] is None


def test_ign_basemaps_are_fetched_with_cors_and_osm_not(schools, settings):
    assert viewer_config(viewer_map_for(schools))["basemap"]["crossOrigin"] is True
    options = {**schools.options, "basemap": "osm"}
    schools.set_document({**schools.document, "options": options})
    assert viewer_config(viewer_map_for(schools))["basemap"]["crossOrigin"] is False


def test_the_share_screen_links_to_the_print_view(client, django_user_model, schools):
    client.force_login(django_user_model.objects.create_superuser("agent", "a@example.org", "pw"))
    html = client.get(f"/admin/snippets/wagtail_umap/map/share/{schools.pk}/").content.decode()
    assert f'<a href="/cartes/{schools.pk}/print/" target="_blank" rel="noopener">' in html


def grouped_map():
    """Écoles › (Publiques › Maternelles, Élémentaires), and the town hall in no group."""
    map_ = make_map(
        "Services",
        layers=[
            layer("Maternelles", point(2.35, 48.85, "École A"), id="mat"),
            layer("Élémentaires", point(2.36, 48.86, "École B"), id="elem"),
            layer("Mairie", point(2.37, 48.87, "Hôtel de ville"), id="mairie"),
        ],
    )
    groups = {"mat": "publiques", "elem": "ecoles"}
    document = {
        **map_.document,
        "groups": [
            {"id": "ecoles", "name": "Écoles", "parent": None},
            {"id": "publiques", "name": "Publiques", "parent": "ecoles"},
        ],
        "layers": [
            {**item, **({"group": groups[item["id"]]} if item["id"] in groups else {})}
            for item in map_.document["layers"]
        ],
    }
    map_.set_document(document)
    map_.save_revision().publish()
    return map_


def key_of(html: str) -> str:
    """The key's list, tags and text only (swatches left out), as one line."""
    key = html.split('<ul class="umap-print__key-entries">', 1)[1].split("</div>", 1)[0]
    key = re.sub(r"<svg.*?</svg>", "", key, flags=re.S)
    key = re.sub(r'\s(class|data-umap-key-layer|data-umap-key-group)="[^"]*"', "", key)
    return re.sub(r"\s+", " ", key).replace("> ", ">").strip()


def test_the_key_puts_layers_under_their_groups_headings(client):
    map_ = grouped_map()
    html = client.get(f"/cartes/{map_.pk}/print/").content.decode()
    # The viewer's legend's order and nesting: the sheet's title h1, the key's title h2, the
    # groups h3 and h4, their layers in their own lists.
    assert key_of(html) == (
        "<li><h3>Écoles</h3><ul>"
        "<li><h4>Publiques</h4><ul><li>Maternelles</li></ul></li>"
        "<li>Élémentaires</li></ul></li>"
        "<li>Mairie</li>"
        "</ul>"
    )
    assert re.search(r'data-umap-key-group="ecoles"(?! hidden)>', html)
    # The layers asked for only: a group with no layer shown keeps its place, hidden.
    html = client.get(f"/cartes/{map_.pk}/print/?layers=mairie,elem").content.decode()
    assert 'data-umap-key-group="ecoles">' in html
    assert 'data-umap-key-group="publiques" hidden>' in html
    assert 'data-umap-key-layer="mat" hidden>' in html


def test_a_map_without_groups_has_the_flat_key(client, schools):
    html = client.get(f"/cartes/{schools.pk}/print/").content.decode()
    assert "data-umap-key-group" not in html
    assert key_of(html) == "<li>Écoles</li><li>Parcs</li></ul>"
