"""The editor's layer endpoint: a changed layer sent once, compressed, validated and stored;
the form then posts references only. Every refusal is a message located on the layer."""

from __future__ import annotations

import gzip
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import layer, loaded_revision, make_map, point
from wagtail_umap.models import LayerData, Map

pytestmark = pytest.mark.django_db

URL = "/admin/wagtail_umap/editor/layer/"


def points(count: int, name: str = "Point") -> list[dict]:
    return [point(2 + i / 10_000, 47, f"{name} {i}") for i in range(count)]


def send(client, features, *, position=2, name="Écoles", encoding="gzip", **extra):
    data = json.dumps(features).encode()
    body = gzip.compress(data) if encoding == "gzip" else data
    return client.post(
        URL,
        {
            "features": SimpleUploadedFile("features.json.gz", body),
            "encoding": encoding,
            "name": name,
            "position": str(position),
            **extra,
        },
    )


def test_a_layer_is_stored_and_its_reference_returned(admin):
    response = send(admin, points(3))
    assert response.status_code == 200
    reference = response.json()["data"]
    assert reference["feature_count"] == 3 and reference["vertex_count"] == 3
    stored = LayerData.objects.get(digest=reference["digest"])
    assert [f["properties"]["name"] for f in stored.features()] == ["Point 0", "Point 1", "Point 2"]
    assert send(admin, points(3), encoding="identity").json()["data"] == reference


def test_a_bad_feature_is_refused_with_its_place_on_the_layer(admin):
    features = points(2)
    features[1]["geometry"]["coordinates"] = [2, 95]
    response = send(admin, features, position=3, name="Écoles")
    assert response.status_code == 400
    (message,) = response.json()["errors"]
    assert message.startswith("calque 3 « Écoles », élément 2")
    assert "95" in message
    assert not LayerData.objects.exists()


def test_the_per_layer_caps_are_located(admin, settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "MAX_LAYER_FEATURES": 5}
    (message,) = send(admin, points(6), position=1, name="Bornes").json()["errors"]
    assert message.startswith("calque 1 « Bornes » : trop d’éléments dans ce calque : 6")


def test_too_large_on_the_wire_or_once_decompressed(admin, settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "MAX_UPLOAD_BYTES": 100}
    response = send(admin, points(50), name="Bornes")
    assert response.status_code == 413
    (message,) = response.json()["errors"]
    assert message.startswith("calque 2 « Bornes » : le calque envoyé est trop volumineux")
    # A small gzip that inflates beyond MAX_LAYER_BYTES is stopped there (a zip bomb).
    settings.WAGTAIL_UMAP = {
        **settings.WAGTAIL_UMAP,
        "MAX_UPLOAD_BYTES": 20_000,
        "MAX_LAYER_BYTES": 1000,
    }
    bomb = gzip.compress(b"[" + b" " * 10_000_000 + b"]")
    assert len(bomb) < 20_000
    response = admin.post(
        URL, {"features": SimpleUploadedFile("f.gz", bomb), "encoding": "gzip", "name": "X"}
    )
    (message,) = response.json()["errors"]
    assert "le calque est trop volumineux : plus de 1000 octets" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"not gzip at all", "n’a pas pu être décompressé"),
        (gzip.compress(b'{"type": "FeatureCollection"}'), "doivent être une liste JSON"),
        (gzip.compress(b"[{"), "calque 2 « Écoles »"),
    ],
)
def test_unreadable_parts_are_located_refusals(admin, body, expected):
    response = admin.post(
        URL,
        {
            "features": SimpleUploadedFile("f.gz", body),
            "encoding": "gzip",
            "name": "Écoles",
            "position": "2",
        },
    )
    assert response.status_code == 400
    assert expected in response.json()["errors"][0]


def test_only_map_editors_may_send_layers(client, django_user_model):
    assert send(client, points(1)).status_code == 302  # to the admin's login
    user = django_user_model.objects.create_user("lecteur", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert send(client, points(1)).status_code == 403
    group = Group.objects.create(name="Cartographes")
    group.permissions.add(Permission.objects.get(codename="change_map"))
    user.groups.add(group)
    assert send(client, points(1)).status_code == 200


def test_csrf_is_required(django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert send(client, points(1)).status_code == 403


def edit_post(map_: Map, layers: list[dict], **extra) -> dict:
    stored = Map.objects.get(pk=map_.pk)
    return {
        "title": stored.title,
        "summary": stored.summary,
        "credits": "",
        "licence_name": "",
        "licence_url": "",
        "document": json.dumps({"options": stored.options, "layers": layers}),
        **loaded_revision(stored),
        **extra,
    }


def test_the_form_posts_references_only_for_a_layer_larger_than_the_document_limit(admin, settings):
    """A layer above MAX_DOCUMENT_BYTES (the limit of a document posted inline) travels
    through the layer endpoint, and the form that names it is a few hundred bytes."""
    map_ = make_map("Bornes", layers=[layer("Bornes", *points(10))])
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "MAX_DOCUMENT_BYTES": 50_000}
    features = points(600)
    features[0]["properties"]["name"] = "Borne renommée"
    assert len(json.dumps(features)) > 50_000
    reference = send(admin, features, position=1, name="Bornes").json()["data"]
    meta = {k: v for k, v in map_.layers[0].items() if k != "data"}
    data = edit_post(map_, [{**meta, "data": reference}], **{"action-publish": "1"})
    assert len(data["document"]) < 1000
    response = admin.post(reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk]), data)
    assert response.status_code == 302
    live = Map.objects.get(pk=map_.pk)
    assert live.layers[0]["data"] == reference
    assert live.full_document()["layers"][0]["features"][0]["properties"]["name"] == (
        "Borne renommée"
    )


def test_a_layer_still_being_sent_is_refused_with_its_place(admin):
    map_ = make_map("Bornes", layers=[layer("Bornes", *points(3))])
    before = Map.objects.get(pk=map_.pk).latest_revision_id
    layer_ = {**map_.layers[0], "pending": True}
    response = admin.post(
        reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk]),
        edit_post(map_, [layer_]),
    )
    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.startswith("calque 1 « Bornes » : ses modifications étaient encore en cours")
    assert Map.objects.get(pk=map_.pk).latest_revision_id == before


def test_the_map_totals_still_hold_with_references(admin, settings):
    """Each layer within its caps, the map over MAX_FEATURES: refused when the form is saved."""
    map_ = make_map("Bornes", layers=[layer("A", *points(3))])
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "MAX_FEATURES": 10}
    first = send(admin, points(6, "A"), position=1, name="A").json()["data"]
    second = send(admin, points(6, "B"), position=2, name="B").json()["data"]
    meta = {k: v for k, v in map_.layers[0].items() if k != "data"}
    layers = [{**meta, "data": first}, {**meta, "id": "b", "name": "B", "data": second}]
    response = admin.post(
        reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk]), edit_post(map_, layers)
    )
    assert response.status_code == 200
    assert "12" in " ".join(response.context["form"].non_field_errors())


def test_the_editor_shown_again_after_a_pending_refusal_holds_no_mark():
    """The refused post's layers come back to the editor without their ``pending`` mark (else
    every later save would carry it)."""
    from wagtail_umap.editor.widget import editor_document

    map_ = make_map("Bornes", layers=[layer("Bornes", *points(3))])
    posted = {**map_.document, "layers": [{**map_.layers[0], "pending": True}]}
    document, refs = editor_document(posted)
    assert "pending" not in document["layers"][0]
    assert len(document["layers"][0]["features"]) == 3
    assert refs[map_.layers[0]["id"]]["feature_count"] == 3
