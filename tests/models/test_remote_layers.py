"""Live layers: each fetch stored as layer data, the live version's reference replaced (no
revision), a failing source keeping its last good data with a located error in French and
English, the periodic command, and the import of a uMap layer with remote data."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.factories import layer, make_map, point
from tests.remote_server import collection, serve
from wagtail_umap.formats import read_map_file
from wagtail_umap.models import LayerData, Map, RemoteLayer
from wagtail_umap.models.layer_data import PublishedLayer
from wagtail_umap.models.remote import due_states, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote_server(settings, monkeypatch):
    yield from serve(settings, monkeypatch)


def live_map(server, path="/good.geojson", refresh_period=300) -> Map:
    remote = {"url": server.url(path), "format": "geojson", "refresh": refresh_period}
    return make_map(
        "Bornes", layers=[layer("Bornes", point(2.3, 48.8, "Ancienne"), remote_data=remote)]
    )


def live_layer(map_: Map) -> dict:
    return Map.objects.get(pk=map_.pk).document["layers"][0]


def names(reference: dict) -> list[str]:
    features = LayerData.objects.get(digest=reference["digest"]).features()
    return [feature["properties"]["name"] for feature in features]


def test_saving_a_live_layer_fetches_it_into_the_live_version(
    remote_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        map_ = live_map(remote_server)
    revisions = map_.revisions.count()
    data = live_layer(map_)["data"]
    assert names(data) == ["Borne A", "Borne B"]
    assert live_layer(map_)["remote_data"]["url"].endswith("/good.geojson")
    state = RemoteLayer.objects.get(map=map_)
    assert state.reference == data and state.error == {} and state.last_success_at
    # The live data URL is the new one; no revision was written for the fetch.
    assert PublishedLayer.objects.get(map=map_, retired_at=None).digest == data["digest"]
    assert map_.revisions.count() == revisions


def test_new_remote_content_reaches_the_live_version_and_the_old_url_gets_its_grace(
    remote_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        map_ = live_map(remote_server)
    first = live_layer(map_)["data"]["digest"]
    remote_server.files["/good.geojson"] = collection("Borne A", "Borne B", "Borne C")
    assert refresh(RemoteLayer.objects.get(map=map_))
    assert names(live_layer(map_)["data"]) == ["Borne A", "Borne B", "Borne C"]
    old = PublishedLayer.objects.get(map=map_, digest=first)
    assert old.retired_at is not None and old.grace_left() > 0


def test_invalid_data_is_refused_and_the_last_good_data_kept(
    remote_server, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGES = [("fr", "Français"), ("en", "English")]
    with django_capture_on_commit_callbacks(execute=True):
        map_ = live_map(remote_server)
    good = live_layer(map_)["data"]
    bad = {"type": "FeatureCollection", "features": [point(2.3, 95, "Hors limites")]}
    remote_server.files["/good.geojson"] = json.dumps(bad).encode()
    state = RemoteLayer.objects.get(map=map_)
    assert not refresh(state)
    state.refresh_from_db()
    assert live_layer(map_)["data"] == good and state.reference == good
    assert "95" in state.error["en"] and "Bornes" in state.error["en"]
    assert "latitude" in state.error["en"]
    assert state.error["fr"] != state.error["en"]
    with translation.override("fr"):
        assert state.error_text() == state.error["fr"]
        assert "Données en direct du calque « Bornes »" in state.error_text()
    # A source that went away: the same.
    remote_server.files.pop("/good.geojson")
    assert not refresh(state)
    state.refresh_from_db()
    assert "404" in state.error["en"] and live_layer(map_)["data"] == good


def test_a_url_only_a_draft_names_never_reaches_the_live_version(
    remote_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        map_ = make_map("Bornes", layers=[layer("Bornes", point(2.3, 48.8, "Ancienne"))])
        live_digest = live_layer(map_)["data"]["digest"]
        draft = Map.objects.get(pk=map_.pk)
        document = draft.full_document()
        document["layers"][0]["remote_data"] = {
            "url": remote_server.url("/good.geojson"),
            "format": "geojson",
            "refresh": 300,
        }
        draft.set_document(document)
        draft.save_revision()
    state = RemoteLayer.objects.get(map=map_)
    assert names(state.reference) == ["Borne A", "Borne B"]  # fetched for the editor
    assert live_layer(map_)["data"]["digest"] == live_digest  # not published
    assert "remote_data" not in live_layer(map_)


def test_the_command_fetches_the_due_layers_of_live_maps(
    remote_server, django_capture_on_commit_callbacks
):
    map_ = live_map(remote_server)  # on_commit not run: never fetched
    assert [state.map_id for state in due_states()] == [map_.pk]
    call_command("umap_refresh_remote")  # the immediate backend runs the task here
    assert names(live_layer(map_)["data"]) == ["Borne A", "Borne B"]
    assert due_states() == []  # the next is in 5 minutes
    unpublished = live_map(remote_server)
    Map.objects.get(pk=unpublished.pk).unpublish()
    assert unpublished.pk not in [state.map_id for state in due_states()]


def test_a_umap_layer_with_remote_data_imports_with_it_kept():
    backup = {
        "type": "umap",
        "properties": {"name": "Vélos"},
        "layers": [
            {
                "type": "FeatureCollection",
                "features": [],
                "_umap_options": {
                    "name": "Stations",
                    "remoteData": {
                        "url": "https://opendata.example.fr/stations.csv",
                        "format": "csv",
                        "ttl": "300",
                        "dynamic": True,
                    },
                },
            }
        ],
    }
    result = read_map_file("velos.umap", json.dumps(backup).encode())
    imported = result.document["layers"][0]
    assert imported["remote_data"] == {
        "url": "https://opendata.example.fr/stations.csv",
        "format": "csv",
        "refresh": 300,
    }
    map_ = Map(title="Vélos")
    map_.set_document(result.document)
    assert map_.document["layers"][0]["remote_data"]["format"] == "csv"
