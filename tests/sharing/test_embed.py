"""The embed view: live maps only, framing allowed there only, query parameters applied."""

import json
import re

import pytest
from wagtail.models import Page, Site

from example_site.home.models import StandardPage
from tests.factories import layer, make_map, point
from wagtail_umap.models import MapPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_layers():
    return make_map(
        "Écoles et parcs",
        layers=[
            layer("Écoles", point(2.35, 48.85, "École A")),
            layer("Parcs", point(2.36, 48.86, "Parc B")),
        ],
    )


def config_of(response) -> dict:
    html = response.content.decode()
    match = re.search(r'<script id="([^"]+-config)" type="application/json">(.*?)</script>', html)
    assert match, "the viewer's json_script is missing"
    return json.loads(match.group(2))


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(
        part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors")
    )


def test_embed_page_is_a_bare_document_with_the_map_and_its_list(client, two_layers):
    response = client.get(f"/cartes/{two_layers.pk}/embed/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="(fr|en)">', html)
    assert "<title>Écoles et parcs" in html
    assert '<h1 class="umap-viewer__title"' in html
    assert "École A" in html and "Parc B" in html  # the accessible list
    assert "site-header" not in html and "site-footer" not in html  # no site chrome
    assert 'type="application/json+oembed"' in html
    assert "umap-embed--compact" not in html


def test_embed_allows_framing_and_the_rest_of_the_site_denies_it(client, two_layers):
    response = client.get(f"/cartes/{two_layers.pk}/embed/")
    assert "X-Frame-Options" not in response
    assert frame_ancestors(response) == "frame-ancestors 'self' https:"
    # The rest of the policy stays strict.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]

    other = client.get(f"/cartes/{two_layers.pk}/download.geojson")
    assert other["X-Frame-Options"] == "DENY"


def test_pages_of_the_site_refuse_framing(client):
    root = Page.get_first_root_node()
    home = root.add_child(instance=StandardPage(title="Accueil", slug="accueil-embed"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    page = home.add_child(instance=MapPage(title="Vélo", slug="velo", map=make_map()))
    page.save_revision().publish()
    response = client.get(page.url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == "frame-ancestors 'none'"


def test_frame_ancestors_come_from_the_setting(client, settings, two_layers):
    settings.WAGTAIL_UMAP = {
        **settings.WAGTAIL_UMAP,
        "EMBED_FRAME_ANCESTORS": ["'self'", "https://www.partenaire.fr"],
    }
    response = client.get(f"/cartes/{two_layers.pk}/embed/")
    assert frame_ancestors(response) == "frame-ancestors 'self' https://www.partenaire.fr"


def test_without_django_csp_the_view_sets_frame_ancestors_itself(client, settings, two_layers):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "csp.middleware.CSPMiddleware"]
    response = client.get(f"/cartes/{two_layers.pk}/embed/")
    assert response["Content-Security-Policy"] == "frame-ancestors 'self' https:"
    assert "X-Frame-Options" not in response


def test_drafts_and_unknown_maps_have_no_embed(client):
    draft = make_map("Brouillon", publish=False)
    assert client.get(f"/cartes/{draft.pk}/embed/").status_code == 404
    assert client.get("/cartes/999999/embed/").status_code == 404


def test_embed_shows_the_live_version_not_a_newer_draft(client, two_layers):
    two_layers.title = "Titre du brouillon"
    two_layers.save_revision()  # a draft: the row keeps the live version
    html = client.get(f"/cartes/{two_layers.pk}/embed/").content.decode()
    assert "Titre du brouillon" not in html
    assert "Écoles et parcs" in html


def test_query_parameters_set_view_layers_and_controls(client, two_layers):
    schools, parks = (item["id"] for item in two_layers.layers)
    response = client.get(
        f"/cartes/{two_layers.pk}/embed/",
        {
            "lat": "47.5",
            "lng": "2.85",
            "zoom": "14",
            "layers": parks,
            "controls": "zoom,fullscreen",
        },
    )
    config = config_of(response)
    assert config["view"]["center"] == [47.5, 2.85]
    assert config["view"]["zoom"] == 14
    shown = {item["id"]: item["shownOnLoad"] for item in config["layers"]}
    assert shown == {schools: False, parks: True}
    assert config["controls"]["zoom"] is True
    assert config["controls"]["fullscreen"] is True
    assert config["controls"]["scale"] is False
    assert config["controls"]["layers"] is False


def test_bad_query_parameters_are_ignored(client, two_layers):
    response = client.get(
        f"/cartes/{two_layers.pk}/embed/",
        {"lat": "95", "lng": "nan", "zoom": "abc", "layers": "inconnue"},
    )
    assert response.status_code == 200
    config = config_of(response)
    assert config["view"]["center"] is None  # the map's own view (fit to its data)
    assert all(item["shownOnLoad"] for item in config["layers"])


def test_list_0_hides_the_list_visually_but_keeps_it(client, two_layers):
    html = client.get(f"/cartes/{two_layers.pk}/embed/", {"list": "0"}).content.decode()
    assert "umap-embed--compact" in html
    assert "École A" in html  # still there for screen readers


# --- the admin's share screen


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    return client


def share_url(map_) -> str:
    return f"/admin/snippets/wagtail_umap/map/share/{map_.pk}/"


def test_share_screen_writes_the_iframe_code(admin, two_layers):
    response = admin.get(share_url(two_layers))
    assert response.status_code == 200
    html = response.content.decode()
    embed = f"http://testserver/cartes/{two_layers.pk}/embed/"
    assert (
        f"&lt;iframe src=&quot;{embed}&quot; title=&quot;Écoles et parcs&quot; width=&quot;800"
    ) in html
    assert 'data-controller="umap-share"' in html
    assert "wagtail_umap/js/share.js" in html
    for item in two_layers.layers:
        assert f'value="{item["id"]}"' in html
    assert f'<iframe src="{embed}"' in html  # the preview


def test_share_screen_of_an_unpublished_map_asks_to_publish_first(admin):
    draft = make_map("Brouillon", publish=False)
    html = admin.get(share_url(draft)).content.decode()
    assert "/embed/" not in html
    assert "umap-share__code" not in html
    assert 'class="help-block help-warning"' in html


def test_share_is_offered_in_the_edit_view_and_the_listing(admin, two_layers):
    edit = admin.get(f"/admin/snippets/wagtail_umap/map/edit/{two_layers.pk}/").content.decode()
    assert f'href="{share_url(two_layers)}"' in edit
    listing = admin.get("/admin/snippets/wagtail_umap/map/").content.decode()
    assert f'href="{share_url(two_layers)}"' in listing


def test_share_screen_needs_an_admin_login(client, two_layers):
    response = client.get(share_url(two_layers))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
