"""Editors are told who may see a map: the "Who may see it" panel of the edit view, the share
screen, and a warning when a map shared publicly is also shown on restricted pages."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import loaded_revision, make_home, make_map
from wagtail_umap.models import MapPage

pytestmark = pytest.mark.django_db

EDIT_URL = "/admin/snippets/wagtail_umap/map/edit/{}/"
SHARE_URL = "/admin/snippets/wagtail_umap/map/share/{}/"


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@b.fr", "pw"))
    return client


@pytest.fixture
def home():
    return make_home("accueil-admin")


def restricted_page(home, map_):
    page = home.add_child(instance=MapPage(title="Cellule de crise", slug="crise", map=map_))
    page.save_revision().publish()
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    return page


def test_the_edit_view_says_who_may_see_the_map(admin, home):
    map_ = make_map(shared=False)
    page = restricted_page(home, map_)
    html = admin.get(EDIT_URL.format(map_.pk)).content.decode()
    assert "Qui peut la voir" in html
    assert "Privée : seules des pages à accès restreint la montrent" in html
    assert "Cellule de crise" in html and "mot de passe partagé" in html
    assert f"/admin/pages/{page.pk}/edit/" in html
    assert 'name="shared_publicly"' in html
    assert "Partager publiquement" in html


def test_a_map_on_no_page_and_not_shared_is_said_private(admin):
    map_ = make_map(shared=False)
    html = admin.get(EDIT_URL.format(map_.pk)).content.decode()
    assert "aucune page publiée ne la montre" in html


def test_a_shared_map_on_a_restricted_page_gets_a_warning(admin, home):
    map_ = make_map(shared=True)
    restricted_page(home, map_)
    html = admin.get(EDIT_URL.format(map_.pk)).content.decode()
    assert "partagée publiquement et montrée aussi sur des pages à accès restreint" in html
    share = admin.get(SHARE_URL.format(map_.pk)).content.decode()
    assert "partagée publiquement et montrée aussi sur des pages à accès restreint" in share


def test_the_share_screen_says_a_private_map_cannot_be_embedded_elsewhere(admin, home):
    map_ = make_map(shared=False)
    restricted_page(home, map_)
    html = admin.get(SHARE_URL.format(map_.pk)).content.decode()
    assert "cochez « Partager publiquement »" in html


def test_sharing_is_saved_with_the_form_and_takes_effect_when_published(admin, client):
    import json

    map_ = make_map(shared=False)
    data = {
        "title": map_.title,
        "summary": map_.summary,
        "document": json.dumps(map_.document),
        "credits": "",
        "shared_publicly": "on",
    }
    response = admin.post(EDIT_URL.format(map_.pk), {**data, **loaded_revision(map_)})
    assert response.status_code == 302
    map_.refresh_from_db()
    assert map_.shared_publicly is False  # a draft: the published map is not shared yet
    assert map_.get_latest_revision_as_object().shared_publicly is True
    publish = {**data, **loaded_revision(map_), "action-publish": "action-publish"}
    assert admin.post(EDIT_URL.format(map_.pk), publish).status_code == 302
    map_.refresh_from_db()
    assert map_.shared_publicly is True
