"""The editor's "Update now" endpoint of a live layer: editors only, the layer's settings
validated, the fetch's features and state answered in the editor's language."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import layer, make_map, point
from tests.remote_server import serve
from wagtail_umap.models import Map, RemoteLayer

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote_server(settings, monkeypatch):
    yield from serve(settings, monkeypatch)


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))
    return client


def post(client, map_, source, layer_id="bornes"):
    url = reverse("wagtail_umap_editor_remote", args=[map_.pk, layer_id])
    return client.post(
        url, json.dumps(source), content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr"
    )


def test_update_now_fetches_and_answers_the_features(admin, remote_server):
    map_ = make_map("Bornes", layers=[layer("Bornes", point(2.3, 48.8, "Ancienne"))])
    answer = post(admin, map_, {"url": remote_server.url("/good.geojson"), "name": "Bornes"})
    assert answer.status_code == 202
    state = answer.json()["state"]
    assert [f["properties"]["name"] for f in state["features"]] == ["Borne A", "Borne B"]
    assert state["error"] == "" and state["data"]["feature_count"] == 2
    # Nothing published: the live version keeps its own data and settings.
    assert "remote_data" not in Map.objects.get(pk=map_.pk).document["layers"][0]
    got = admin.get(reverse("wagtail_umap_editor_remote", args=[map_.pk, "bornes"]))
    assert got.json()["state"]["last_success_at"] == state["last_success_at"]


def test_a_refused_fetch_answers_its_located_error_in_french(admin, remote_server, settings):
    settings.LANGUAGE_CODE = "fr"
    map_ = make_map("Bornes")
    answer = post(admin, map_, {"url": remote_server.url("/redirect-other"), "name": "Bornes"})
    state = answer.json()["state"]
    assert "features" not in state and state["data"] is None
    assert "calque « Bornes »" in state["error"]
    assert "redirigé vers un autre hôte (elsewhere.test)" in state["error"]


def test_bad_settings_are_refused_before_any_fetch(admin, remote_server):
    map_ = make_map("Bornes")
    answer = post(admin, map_, {"url": "javascript:alert(1)", "format": "geojson"})
    assert answer.status_code == 400
    assert "remote_data.url" in answer.json()["errors"][0]
    answer = post(admin, map_, {"url": remote_server.url("/good.geojson"), "refresh": 7})
    assert answer.status_code == 400
    assert remote_server.hosts_seen == [] and not RemoteLayer.objects.exists()


def test_only_editors_of_maps_may_ask(client, django_user_model, remote_server):
    user = django_user_model.objects.create_user("lecteur", "l@example.org", "x")
    user.groups.add(Group.objects.get(name="Moderators"))
    user.user_permissions.clear()
    client.force_login(user)
    map_ = make_map("Bornes")
    answer = post(client, map_, {"url": remote_server.url("/good.geojson")})
    assert answer.status_code in (302, 403)
    assert remote_server.hosts_seen == []
