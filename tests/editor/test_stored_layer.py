"""A large stored layer reaches the editor from its own address, as the store keeps it (no
parsing on the server, no 14 MB page); small ones stay inside the page."""

from __future__ import annotations

import gzip
import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_map, point
from wagtail_umap.editor.widget import EDITOR_FETCH_MIN_BYTES, editor_start
from wagtail_umap.models import LayerData

pytestmark = pytest.mark.django_db


def big_layer(name: str = "Bornes") -> dict:
    count = EDITOR_FETCH_MIN_BYTES // 60 + 100  # more than the threshold of JSON
    return {"name": name, "features": [point(2 + i / 1e5, 47, f"B {i}") for i in range(count)]}


def small_layer() -> dict:
    return {"name": "Mairie", "features": [point(2.35, 48.85, "Mairie")]}


@pytest.fixture
def editor_client(django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


def test_a_large_layer_is_fetched_a_small_one_stays_inline():
    map_ = make_map(layers=[big_layer(), small_layer()])
    big, small = map_.document["layers"]
    document, refs, sources = editor_start(map_.document)
    assert document["layers"][0]["features"] == []  # not in the page
    assert document["layers"][1]["features"][0]["properties"]["name"] == "Mairie"
    assert refs == {big["id"]: big["data"], small["id"]: small["data"]}
    assert sources == {
        big["id"]: reverse("wagtail_umap_editor_stored_layer", args=[big["data"]["digest"]])
    }
    # The store's size decides, not the size a post claims.
    posted = json.loads(json.dumps(map_.document))
    posted["layers"][0]["data"]["size"] = 10
    posted["layers"][1]["data"]["size"] = 10**9
    assert editor_start(json.dumps(posted))[2] == sources


def test_the_edit_page_is_small_and_names_the_address(editor_client):
    map_ = make_map(layers=[big_layer(), small_layer()])
    url = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    stored = LayerData.objects.get(digest=map_.document["layers"][0]["data"]["digest"])
    assert len(page.content) < stored.size  # the layer is not in it
    assert b"B 17" not in page.content
    assert reverse("wagtail_umap_editor_stored_layer", args=[stored.digest]).encode() in (
        page.content
    )


def test_the_address_answers_the_stored_bytes_to_editors_only(editor_client, django_user_model):
    map_ = make_map(layers=[big_layer()])
    digest = map_.document["layers"][0]["data"]["digest"]
    url = reverse("wagtail_umap_editor_stored_layer", args=[digest])
    answer = editor_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert answer.status_code == 200
    assert answer["Content-Encoding"] == "gzip"
    assert "immutable" in answer["Cache-Control"] and "private" in answer["Cache-Control"]
    features = json.loads(gzip.decompress(answer.content))["features"]
    assert features == LayerData.objects.get(digest=digest).features()
    plain = editor_client.get(url, HTTP_ACCEPT_ENCODING="")
    assert json.loads(plain.content)["features"] == features

    assert editor_client.get(url.replace(digest, "0" * 64)).status_code == 404
    assert editor_client.get(url.replace(digest, "../etc")).status_code == 404
    assert editor_client.post(url).status_code == 405

    visitor = Client()
    assert visitor.get(url).status_code in (302, 403)  # the admin's login first
    nobody = django_user_model.objects.create_user("lecteur", "l@example.org", "pw")
    from django.contrib.auth.models import Permission

    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    reader = Client()
    reader.force_login(nobody)
    refused = reader.get(url)
    assert refused.status_code == 403
    assert "features" not in refused.content.decode() and "B 1" not in refused.content.decode()
