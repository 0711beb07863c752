"""The map editor: its import endpoint, the document it writes, and the form accepting it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import loaded_revision, make_map, point
from wagtail_umap.editor.widget import editor_document
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/wagtail_umap/editor/import/"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_url_is_the_one_the_editor_is_given():
    assert reverse("wagtail_umap_editor_import") == IMPORT_URL


@pytest.mark.parametrize(
    ("name", "layers", "features"),
    [
        ("test_upload_data.json", 1, 5),
        ("test_upload_data.umap", 2, None),
        ("test_upload_data.csv", 1, None),
        ("test_upload_data.gpx", None, None),
        ("test_upload_data.kml", None, None),
    ],
)
def test_every_reader_answers_a_full_document(admin, fixture_bytes, name, layers, features):
    response = admin.post(IMPORT_URL, {"file": upload(name, fixture_bytes(name))})
    assert response.status_code == 200, response.content
    document = response.json()["document"]
    assert document["layers"]
    assert all("features" in layer and "data" not in layer for layer in document["layers"])
    if layers is not None:
        assert len(document["layers"]) == layers
    if features is not None:
        assert sum(len(layer["features"]) for layer in document["layers"]) == features


def test_a_bad_file_answers_its_located_errors_in_french_and_stores_nothing(admin):
    bad = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Point", "coordinates": [2.35, 95]},
                }
            ],
        }
    ).encode()
    response = admin.post(IMPORT_URL, {"file": upload("ecoles.geojson", bad)})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors and all(error.startswith("ecoles.geojson: ") for error in errors)
    assert "95" in errors[0]
    assert "latitude" in errors[0].lower()
    assert Map.objects.count() == 0


def test_an_unknown_extension_and_a_missing_file_are_refused(admin):
    response = admin.post(IMPORT_URL, {"file": upload("photo.png", b"\x89PNG")})
    assert response.status_code == 400
    assert "photo.png" in response.json()["errors"][0]
    response = admin.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert response.json()["errors"] == ["Choisissez un fichier à importer."]


def test_a_file_over_the_limit_is_refused(admin, settings, fixture_bytes):
    settings.WAGTAIL_UMAP = {**getattr(settings, "WAGTAIL_UMAP", {}), "MAX_IMPORT_BYTES": 10}
    response = admin.post(
        IMPORT_URL, {"file": upload("a.json", fixture_bytes("test_upload_data.json"))}
    )
    assert response.status_code == 413
    assert "10" in response.json()["errors"][0]


def test_get_is_not_allowed(admin):
    assert admin.get(IMPORT_URL).status_code == 405


def test_anonymous_visitors_are_sent_to_the_login(client, fixture_bytes):
    response = client.post(
        IMPORT_URL, {"file": upload("a.json", fixture_bytes("test_upload_data.json"))}
    )
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_admin_user_without_map_permissions_is_refused(client, django_user_model, fixture_bytes):
    user = django_user_model.objects.create_user("lecteur", "l@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.post(
        IMPORT_URL, {"file": upload("a.json", fixture_bytes("test_upload_data.json"))}
    )
    assert response.status_code == 403
    assert response.json()["errors"]


def test_a_map_editor_may_import(client, django_user_model, fixture_bytes):
    user = django_user_model.objects.create_user("redac", "r@example.org", "pw")
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_map"),
    )
    user.groups.add(group)
    client.force_login(user)
    response = client.post(
        IMPORT_URL, {"file": upload("a.json", fixture_bytes("test_upload_data.json"))}
    )
    assert response.status_code == 200


def test_a_post_without_the_csrf_token_is_refused(django_user_model, fixture_bytes):
    user = django_user_model.objects.create_superuser("csrf", "c@example.org", "pw")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        IMPORT_URL, {"file": upload("a.json", fixture_bytes("test_upload_data.json"))}
    )
    assert response.status_code == 403


# The document the editor sends back


def edit_url(map_: Map) -> str:
    return reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])


def editor_post(map_: Map, document: dict, **extra) -> dict:
    """What the edit form posts with the editor: title, summary, texts and the document, on
    the map's latest revision (as an edit form opened now)."""
    return {
        **loaded_revision(Map.objects.get(pk=map_.pk)),
        "title": map_.title,
        "summary": map_.summary,
        "credits": "",
        "licence_name": "",
        "licence_url": "",
        "document": json.dumps(document),
        "action-publish": "action-publish",
        **extra,
    }


def test_the_widget_gives_the_editor_full_layers_and_their_references():
    map_ = make_map(layers=[{"name": "Écoles", "features": [point(2.35, 48.85, "École A")]}])
    full, refs = editor_document(map_.document)
    layer = full["layers"][0]
    assert layer["features"][0]["properties"]["name"] == "École A"
    assert "data" not in layer
    assert refs == {layer["id"]: map_.document["layers"][0]["data"]}


def test_an_unchanged_layer_travels_as_its_reference_and_keeps_its_data(admin):
    map_ = make_map(layers=[{"name": "Écoles", "features": [point(2.35, 48.85, "École A")]}])
    stored = map_.document
    edited = json.loads(json.dumps(stored))
    edited["options"]["basemap"] = (
        "osm_fr" if "osm_fr" in _basemaps() else stored["options"]["basemap"]
    )
    edited["options"]["zoom"] = 12
    edited["options"]["center"] = {"lat": 48.85, "lng": 2.35}
    edited["layers"].append(
        {"id": "nouveau", "name": "Parcs", "features": [point(2.36, 48.86, "Parc")]}
    )
    response = admin.post(edit_url(map_), editor_post(map_, edited))
    assert response.status_code == 302, response.content.decode()[:2000]
    map_.refresh_from_db()
    assert map_.document["layers"][0]["data"] == stored["layers"][0]["data"]
    assert [layer["name"] for layer in map_.layers] == ["Écoles", "Parcs"]
    assert map_.options["zoom"] == 12
    assert map_.options["center"] == {"lat": 48.85, "lng": 2.35}
    names = [
        [f["properties"]["name"] for f in layer["features"]]
        for layer in map_.full_document()["layers"]
    ]
    assert names == [["École A"], ["Parc"]]


def test_forged_counts_are_replaced_by_the_store_and_unknown_digests_refused(admin):
    map_ = make_map()
    forged = json.loads(json.dumps(map_.document))
    forged["layers"][0]["data"]["feature_count"] = 0
    assert admin.post(edit_url(map_), editor_post(map_, forged)).status_code == 302
    map_.refresh_from_db()
    assert map_.document["layers"][0]["data"]["feature_count"] == 1

    missing = json.loads(json.dumps(map_.document))
    missing["layers"][0]["data"]["digest"] = "0" * 64
    response = admin.post(edit_url(map_), editor_post(map_, missing))
    assert response.status_code == 200
    assert "sont introuvables" in response.content.decode()
    map_.refresh_from_db()
    assert map_.document["layers"][0]["data"]["feature_count"] == 1


def test_a_bad_feature_from_the_editor_is_refused_with_its_place(admin):
    map_ = make_map()
    document = json.loads(json.dumps(map_.document))
    document["layers"][0] = {
        "id": document["layers"][0]["id"],
        "name": "Écoles",
        "features": [point(2.35, 95, "Trop au nord")],
    }
    response = admin.post(edit_url(map_), editor_post(map_, document))
    assert response.status_code == 200
    assert "95" in response.content.decode()
    map_.refresh_from_db()
    assert map_.document["layers"][0]["data"]["feature_count"] == 1


def test_the_edit_view_mounts_the_editor_without_the_old_fields(admin):
    map_ = make_map()
    html = admin.get(edit_url(map_)).content.decode()
    assert 'data-controller="umap-editor"' in html
    assert "js/editor/state.js" in html and "js/editor/controller.js" in html
    for old in ("basemap", "center_lat", "import_file", "remove_layers"):
        assert f'name="{old}"' not in html
    assert 'name="credits"' in html


def _basemaps() -> dict:
    from wagtail_umap.models.basemaps import get_basemaps

    return get_basemaps()


def test_a_huge_integer_in_the_posted_document_is_a_located_error(admin):
    """Django's JSON form field would let Python's integer-conversion ValueError through."""
    map_ = make_map()
    data = editor_post(map_, {})
    data["document"] = '{"options": {}, "layers": [{"name": "A", "zoom": ' + "9" * 5000 + "}]}"
    response = admin.post(edit_url(map_), data)
    assert response.status_code == 200
    assert "5000" in response.content.decode()  # the message names the number's length
    map_.refresh_from_db()
    assert map_.document["layers"][0]["data"]["feature_count"] == 1


def test_a_lone_surrogate_in_a_posted_name_is_a_located_error(admin):
    map_ = make_map()
    document = json.loads(json.dumps(map_.document))
    document["layers"][0] = {
        "id": document["layers"][0]["id"],
        "name": "Écoles",
        "features": [point(2.35, 48.85, "\ud800cole")],
    }
    response = admin.post(edit_url(map_), editor_post(map_, document))
    assert response.status_code == 200
    page = response.content.decode()
    assert "\\ud800" in page and "calque 1 « Écoles », élément 1" in page
    map_.refresh_from_db()
    assert map_.document["layers"][0]["data"]["feature_count"] == 1
