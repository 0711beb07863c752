"""The layer endpoint's patches: the features an editor changed, with the stored layer's digest.
Only what is sent is validated (as a whole layer's features are), merged into the stored base
in order, held to the whole layer's limits; an unknown base asks for the whole layer."""

from __future__ import annotations

import gzip
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.users.models import UserProfile

from tests.factories import point
from wagtail_umap.core.content import canonical_json, feature_collection
from wagtail_umap.models import LayerData
from wagtail_umap.models.layer_data import complete_layer_data_task

pytestmark = pytest.mark.django_db

URL = "/admin/wagtail_umap/editor/layer/"


def speak(client, language: str) -> None:
    profile = UserProfile.get_for_user(client.user)
    profile.preferred_language = language
    profile.save()


def points(count: int, name: str = "Point") -> list[dict]:
    return [point(2 + i / 10_000, 47 + i / 100_000, f"{name} {i}") for i in range(count)]


def stored(client, features) -> dict:
    body = gzip.compress(json.dumps(features).encode())
    part = SimpleUploadedFile("features.json.gz", body)
    response = client.post(URL, {"features": part, "encoding": "gzip", "name": "Écoles"})
    assert response.status_code == 200, response.content
    return response.json()["data"]


def send_patch(client, base: str, items: list, *, position=2):
    body = gzip.compress(json.dumps({"base": base, "features": items}).encode())
    data = {
        "patch": SimpleUploadedFile("patch.json.gz", body),
        "encoding": "gzip",
        "name": "Écoles",
        "position": str(position),
    }
    return client.post(URL, data)


def names(reference: dict) -> list[str]:
    row = LayerData.objects.get(digest=reference["digest"])
    return [f["properties"]["name"] for f in row.features()]


def test_a_rename_is_merged_in_place_and_stored_as_a_whole_upload_would(admin):
    base = stored(admin, points(10))
    renamed = point(2 + 4 / 10_000, 47 + 4 / 100_000, "Renommé")
    response = send_patch(admin, base["digest"], [[0, 4], renamed, [5, 10]])
    assert response.status_code == 200, response.content
    reference = response.json()["data"]
    assert names(reference) == [*(f"Point {i}" for i in range(4)), "Renommé"] + [
        f"Point {i}" for i in range(5, 10)
    ]
    # The same bytes, digest, counts and feature index as the whole layer sent.
    whole = points(10)
    whole[4] = renamed
    row = LayerData.objects.get(digest=reference["digest"])
    assert bytes(row.geojson) == canonical_json(feature_collection(row.features()))
    assert reference == stored(admin, whole)
    assert row.feature_count == 10 and row.vertex_count == 10
    assert json.loads(bytes(row.feature_index).split(b"\n")[4]) == ["Renommé", "", True]
    assert row.bbox == LayerData.objects.get(digest=base["digest"]).bbox


def test_deleted_and_added_features_keep_the_layer_order(admin):
    base = stored(admin, points(6))
    added = point(3, 48, "Nouveau")
    response = send_patch(admin, base["digest"], [added, [0, 2], [3, 5]])
    reference = response.json()["data"]
    assert names(reference) == ["Nouveau", "Point 0", "Point 1", "Point 3", "Point 4"]
    row = LayerData.objects.get(digest=reference["digest"])
    assert row.feature_count == 5 and row.vertex_count == 5
    assert row.bbox[2:] == [3, 48]  # the new point widens the box
    lines = bytes(row.feature_index).split(b"\n")
    assert [json.loads(line)[0] for line in lines] == names(reference)


def test_the_compressed_bytes_and_an_exact_box_come_from_the_background_task(admin):
    base = stored(admin, points(5))
    # The last point (the box's north-east corner) deleted: the box may be narrower.
    reference = send_patch(admin, base["digest"], [[0, 4]]).json()["data"]
    row = LayerData.objects.get(digest=reference["digest"])
    assert bytes(row.geojson_gzip) == b""  # the editor's answer did not wait for it
    assert row.bbox == LayerData.objects.get(digest=base["digest"]).bbox
    complete_layer_data_task.call(digest=reference["digest"], summary=True)
    row.refresh_from_db()
    assert gzip.decompress(bytes(row.geojson_gzip)) == bytes(row.geojson)
    assert row.bbox == [2, 47, 2 + 3 / 10_000, 47 + 3 / 100_000]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "calque 2 « Écoles », élément 3"),
        ("en", 'layer 2 "Écoles", feature 3'),
    ],
)
def test_a_bad_changed_feature_is_refused_at_its_place_in_the_layer(admin, language, expected):
    base = stored(admin, points(5))
    bad = point(2, 95, "Hors du monde")
    before = LayerData.objects.count()
    speak(admin, language)
    response = send_patch(admin, base["digest"], [[0, 2], bad, [3, 5]])
    assert response.status_code == 400
    (message,) = response.json()["errors"]
    assert message.startswith(expected), message
    assert "95" in message
    assert LayerData.objects.count() == before


def test_hostile_html_in_a_changed_feature_is_cleaned_as_in_a_whole_upload(admin):
    base = stored(admin, points(2))
    feature = point(2, 47, "Nom")
    feature["properties"]["description"] = '<p onclick="x()">Texte<script>alert(1)</script></p>'
    reference = send_patch(admin, base["digest"], [feature, [1, 2]]).json()["data"]
    whole = [feature, points(2)[1]]
    assert reference == stored(admin, whole)
    text = bytes(LayerData.objects.get(digest=reference["digest"]).geojson).decode()
    assert "onclick" not in text and "<script" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "n’est plus enregistré"),
        ("en", "is not stored any more"),
    ],
)
def test_an_unknown_base_asks_for_the_whole_layer(admin, language, expected):
    speak(admin, language)
    response = send_patch(admin, "0" * 64, [point(2, 47, "A")])
    assert response.status_code == 409
    payload = response.json()
    assert payload["fallback"] is True
    (message,) = payload["errors"]
    assert expected in message and ("calque 2" in message or "layer 2" in message)
    assert not LayerData.objects.exists()


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([[0, 7]], "qui en a 5"),
        ([[0, 3], [2, 5]], "deux fois l’élément 3"),
        ([[1, 1]], "qui en a 5"),
        (["texte"], "'texte'"),
    ],
)
def test_runs_outside_the_base_or_named_twice_are_refused(admin, items, expected):
    base = stored(admin, points(5))
    before = LayerData.objects.count()
    response = send_patch(admin, base["digest"], items)
    assert response.status_code == 400
    (message,) = response.json()["errors"]
    assert message.startswith("calque 2 « Écoles »") and expected in message, message
    assert LayerData.objects.count() == before


def test_the_merged_layer_is_held_to_the_layer_limits(admin, settings):
    base = stored(admin, points(5))
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "MAX_LAYER_FEATURES": 5}
    response = send_patch(admin, base["digest"], [[0, 5], point(3, 48, "Sixième")])
    assert response.status_code == 400
    (message,) = response.json()["errors"]
    assert message.startswith("calque 2 « Écoles » : trop d’éléments dans ce calque : 6")

    size = LayerData.objects.get(digest=base["digest"]).size
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "MAX_LAYER_BYTES": size + 20}
    bigger = point(3, 48, "Un nom bien plus long que les autres, qui dépasse la limite")
    response = send_patch(admin, base["digest"], [[0, 4], bigger])
    assert response.status_code == 400
    (message,) = response.json()["errors"]
    assert "trop volumineux" in message

    settings.WAGTAIL_UMAP = {
        **settings.WAGTAIL_UMAP,
        "MAX_LAYER_BYTES": 10_000_000,
        "MAX_LAYER_VERTICES": 6,
    }
    line = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[2, 47], [2.1, 47], [2.2, 47]]},
        "properties": {"name": "Ligne"},
    }
    response = send_patch(admin, base["digest"], [[0, 4], line])
    assert response.status_code == 400
    (message,) = response.json()["errors"]
    assert "trop de points" in message and ": 7," in message, message
    assert LayerData.objects.count() == 1


def test_a_patch_too_large_to_check_at_once_asks_for_the_whole_layer(admin, settings):
    base = stored(admin, points(5))
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "BACKGROUND_MIN_BYTES": 200}
    response = send_patch(admin, base["digest"], points(5, "Autre"))
    assert response.status_code == 409 and response.json()["fallback"] is True


def test_a_base_whose_bytes_cannot_be_split_is_merged_on_parsed_features(admin):
    # A property holding a list of objects with a "geometry" key: the byte scan gives up.
    features = points(3)
    features[1]["properties"]["liste"] = [{"a": 1}, {"geometry": 2}]
    base = stored(admin, features)
    reference = send_patch(admin, base["digest"], [[0, 2], point(3, 48, "Fin")]).json()["data"]
    assert names(reference) == ["Point 0", "Point 1", "Fin"]
    row = LayerData.objects.get(digest=reference["digest"])
    assert row.features()[1]["properties"]["liste"] == [{"a": 1}, {"geometry": 2}]


def test_only_map_editors_may_send_patches(client, django_user_model):
    user = django_user_model.objects.create_user("visitor", "v@example.org", "pw")
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = send_patch(client, "0" * 64, [])
    assert response.status_code in (302, 403)
