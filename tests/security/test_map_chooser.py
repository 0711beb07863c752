"""The map chooser (MapBlock, MapPage's map) lists maps to users with a permission on maps
only: a page editor without one sees no title, not even of a map never published."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from tests.factories import make_map

pytestmark = pytest.mark.django_db

CHOOSE = "/admin/snippets/choose/wagtail_umap/map/"
RESULTS = "/admin/snippets/choose/wagtail_umap/map/results/"
CHOSEN = "/admin/snippets/choose/wagtail_umap/map/chosen/{}/"


@pytest.fixture
def maps():
    return make_map("Carte publiée"), make_map("Projet de déviation secret", publish=False)


def log_in(client, django_user_model, *codenames):
    user = django_user_model.objects.create_user("redactrice", password="x")
    editors = Group.objects.get(name="Editors")  # Wagtail's page editors: no map permission
    user.groups.add(editors)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def test_a_page_editor_without_map_permission_sees_no_map(client, django_user_model, maps):
    log_in(client, django_user_model)
    for url in (CHOOSE, RESULTS, RESULTS + "?q=secret"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Projet de déviation secret" not in body, url
        assert "Carte publiée" not in body, url
    assert client.get(CHOSEN.format(maps[1].pk)).status_code == 404


def test_a_user_who_may_view_maps_chooses_among_all(client, django_user_model, maps):
    log_in(client, django_user_model, "view_map")
    body = client.get(RESULTS).content.decode()
    assert "Projet de déviation secret" in body and "Carte publiée" in body
    assert client.get(CHOSEN.format(maps[0].pk)).status_code == 200
