"""Starting points of a new map, the site's default view, and “New map” in the map chooser."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Site

from tests.factories import make_home
from wagtail_umap.conf import get_limits
from wagtail_umap.core.validation import validate_document
from wagtail_umap.editor.starting_points import STARTING_POINTS, starting_document
from wagtail_umap.models import Map, MapSiteSettings

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/wagtail_umap/map/add/"
CHOOSE_URL = "/admin/snippets/choose/wagtail_umap/map/"
CREATE_URL = "/admin/snippets/choose/wagtail_umap/map/create/"


@pytest.fixture
def commune():
    """A site whose new maps open on Gien (Loiret)."""
    make_home()
    return MapSiteSettings.objects.create(
        site=Site.objects.get(), default_latitude=47.6875, default_longitude=2.6306, default_zoom=14
    )


def initial_document(response) -> dict:
    return json.loads(response.context["form"]["document"].value())


@pytest.mark.parametrize("point", STARTING_POINTS, ids=lambda p: p.key)
def test_every_starting_point_is_a_valid_document(point):
    document = starting_document(point.key)
    validate_document(document, get_limits())
    assert len(document["layers"]) == (0 if point.key == "blank" else 1)


def test_the_event_starting_point_names_its_layer_in_french(admin):
    response = admin.get(ADD_URL + "?start=event")
    document = initial_document(response)
    [layer] = document["layers"]
    assert layer["name"] == "Lieux de l’événement"
    assert document["options"]["controls"]["fullscreen"] is True


def test_a_new_map_opens_on_the_sites_default_view(admin, commune):
    document = initial_document(admin.get(ADD_URL))
    assert document["options"]["center"] == {"lat": 47.6875, "lng": 2.6306}
    assert document["options"]["zoom"] == 14
    assert document["layers"] == []


def test_the_add_view_offers_the_starting_points_and_the_edit_view_does_not(admin):
    html = admin.get(ADD_URL).content.decode()
    for label in ("Événement : lieux avec photo", "Travaux", "Bureaux de vote", "Carte vierge"):
        assert label in html
    assert 'href="/admin/snippets/wagtail_umap/map/add/?start=polling"' in html
    map_ = Map.objects.create(title="T", summary="S")
    edit = admin.get(reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk]))
    assert "data-umap-starting-points" not in edit.content.decode()


def test_the_chooser_offers_a_new_map_tab(admin):
    response = admin.get(CHOOSE_URL)
    html = json.loads(response.content)["html"]
    assert "Nouvelle carte" in html and 'name="umap-new-map-start"' in html
    assert "Choisir une carte" in html


def test_a_map_made_in_the_chooser_comes_back_chosen(admin, commune):
    response = admin.post(
        CREATE_URL,
        {
            "umap-new-map-title": "Fête de la musique",
            "umap-new-map-summary": "Les scènes de la ville.",
            "umap-new-map-start": "event",
        },
    )
    answer = json.loads(response.content)
    assert answer["step"] == "chosen"
    map_ = Map.objects.get(title="Fête de la musique")
    assert answer["result"]["id"] == str(map_.pk) or answer["result"]["id"] == map_.pk
    assert not map_.live and map_.latest_revision is not None
    assert map_.layers[0]["name"] == "Lieux de l’événement"
    assert map_.options["center"] == {"lat": 47.6875, "lng": 2.6306}


def test_the_chooser_form_says_what_is_missing(admin):
    response = admin.post(CREATE_URL, {"umap-new-map-title": "", "umap-new-map-start": "event"})
    answer = json.loads(response.content)
    assert answer["step"] == "reshow_creation_form"
    assert "Ce champ est obligatoire" in answer["htmlFragment"]
    assert not Map.objects.exists()


def test_the_dashboard_offers_to_create_a_map(admin):
    html = admin.get("/admin/").content.decode()
    assert "Créer une carte" in html
    assert 'href="/admin/snippets/wagtail_umap/map/add/?start=event"' in html


def test_page_editors_without_map_permissions_see_no_create_panel(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("pages", "p@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert "data-umap-new-map" not in client.get("/admin/").content.decode()


def test_the_new_maps_settings_screen_saves_the_commune(admin):
    make_home()
    site = Site.objects.get()
    url = reverse("wagtailsettings:edit", args=["wagtail_umap", "mapsitesettings", site.pk])
    response = admin.get(url)
    assert response.status_code == 200 and "Où s’ouvrent les nouvelles cartes" in (
        response.content.decode()
    )
    data = {"default_latitude": "47.6875", "default_longitude": "2.6306", "default_zoom": "14"}
    response = admin.post(url, {**data, "map_page_parent": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MapSiteSettings.for_site(site).default_view()["zoom"] == 14
    # Half a view is refused, with the reason.
    response = admin.post(url, {"default_latitude": "47.6", "default_zoom": "14"})
    assert "Indiquez la latitude, la longitude et le zoom" in response.content.decode()
