"""Downloads served like data: computed once per version and format, kept compressed in the
storage, served immutable with ETags, one computation at a time."""

from __future__ import annotations

import gzip
import json
import threading
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import connections
from django.test import Client
from django.utils import timezone

from tests.factories import layer, make_map, point
from wagtail_umap.models import Map
from wagtail_umap.models.collect import collect_layer_data
from wagtail_umap.models.layer_data import StoredDownload
from wagtail_umap.sharing import downloads

pytestmark = pytest.mark.django_db


def schools(version: int = 1, count: int = 40) -> list[dict]:
    return [
        layer("Écoles", *(point(2 + i / 100, 47, f"École {i} v{version}") for i in range(count)))
    ]


@pytest.fixture
def published():
    return make_map("Écoles", layers=schools())


@pytest.fixture
def builds(monkeypatch):
    """How many times a file was computed."""
    count = {"n": 0}
    original = downloads.build_file

    def counted(map_, stored):
        count["n"] += 1
        return original(map_, stored)

    monkeypatch.setattr(downloads, "build_file", counted)
    return count


def publish(map_: Map, version: int) -> None:
    map_ = Map.objects.get(pk=map_.pk)
    map_.set_document({"options": map_.options, "layers": schools(version)})
    map_.save_revision().publish()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_map_url_redirects_to_the_file_of_its_version(client, published, builds):
    response = client.get(f"/cartes/{published.pk}/download.kml")
    assert response.status_code == 302
    assert response["Cache-Control"] == "public, max-age=300"
    key = StoredDownload.key_for(published, None, "kml")
    assert response["ETag"] == f'"{key}"'
    assert response["Location"] == f"/cartes/{published.pk}/downloads/{key}/ecoles.kml"
    stored = StoredDownload.objects.get(key=key)
    assert stored.state == "ready" and default_storage.exists(stored.name)
    assert stored.name.endswith(".kml.gz")
    assert builds["n"] == 1


def test_the_file_is_immutable_streamed_and_compressed_as_stored(client, published):
    location = client.get(f"/cartes/{published.pk}/download.csv")["Location"]
    plain = client.get(location)
    assert plain.streaming
    assert plain["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in plain["Vary"]
    assert plain["Content-Disposition"] == 'attachment; filename="ecoles.csv"'
    assert plain["Content-Type"] == "text/csv; charset=utf-8"
    text = body(plain)
    assert int(plain["Content-Length"]) == len(text)
    assert text.decode("utf-8-sig").splitlines()[1].startswith("Écoles,École 0 v1,")
    packed = client.get(location, headers={"Accept-Encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert packed["ETag"] == plain["ETag"][:-1] + '-gzip"'
    assert gzip.decompress(body(packed)) == text
    for etag in (plain["ETag"], packed["ETag"]):
        assert client.get(location, headers={"If-None-Match": etag}).status_code == 304


def test_computed_once_per_version_and_format(client, published, builds):
    for _ in range(3):
        for name in ("geojson", "kml"):
            body(client.get(f"/cartes/{published.pk}/download.{name}", follow=True))
    assert builds["n"] == 2
    publish(published, 2)
    new = body(client.get(f"/cartes/{published.pk}/download.geojson", follow=True))
    assert builds["n"] == 3
    assert "École 0 v2" in new.decode()


def test_each_layer_has_its_file(client, published, builds):
    layer_id = Map.objects.get(pk=published.pk).layers[0]["id"]
    response = client.get(f"/cartes/{published.pk}/layers/{layer_id}.geojson", follow=True)
    collection = json.loads(body(response))
    assert collection["name"] == "Écoles" and len(collection["features"]) == 40
    assert response.redirect_chain[0][0].endswith("/ecoles-ecoles.geojson")


def test_the_file_of_a_map_no_longer_live_is_gone(client, published):
    location = client.get(f"/cartes/{published.pk}/download.gpx")["Location"]
    Map.objects.get(pk=published.pk).unpublish()
    assert client.get(location).status_code == 404
    assert client.get(f"/cartes/{published.pk}/download.gpx").status_code == 404


def test_a_wrong_key_or_name_is_not_found(client, published):
    location = client.get(f"/cartes/{published.pk}/download.gpx")["Location"]
    assert client.get(location.replace("ecoles.gpx", "autre.gpx")).status_code == 404
    other = make_map("Autre", layers=schools())
    assert client.get(location.replace(f"/{published.pk}/", f"/{other.pk}/")).status_code == 404


def test_another_request_computing_the_file_is_waited_for_then_busy(client, published, settings):
    """A request that finds the file being computed by another waits for it, and after
    DOWNLOAD_BUILD_WAIT answers 503 with Retry-After (never computes it a second time)."""
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "DOWNLOAD_BUILD_WAIT": 0.3}
    key = StoredDownload.key_for(published, None, "kml")
    StoredDownload.objects.create(key=key, map=published, format_name="kml")  # in progress
    response = client.get(f"/cartes/{published.pk}/download.kml")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.content.decode() == (
        "Ce fichier est en cours de préparation ; réessayez dans quelques secondes."
    )
    assert StoredDownload.objects.get(key=key).state == "building"


def test_a_computation_a_killed_worker_left_is_taken_over(client, published, builds):
    key = StoredDownload.key_for(published, None, "kml")
    StoredDownload.objects.create(
        key=key,
        map=published,
        format_name="kml",
        started_at=timezone.now() - timedelta(hours=1),
    )
    assert client.get(f"/cartes/{published.pk}/download.kml").status_code == 302
    assert builds["n"] == 1
    assert StoredDownload.objects.get(key=key).state == "ready"


def test_the_site_computes_at_most_a_few_files_at_once(client, published, settings):
    settings.WAGTAIL_UMAP = {
        **settings.WAGTAIL_UMAP,
        "DOWNLOAD_BUILD_WAIT": 0.2,
        "DOWNLOAD_MAX_BUILDS": 2,
    }
    for name in ("csv", "gpx"):  # two other files in progress
        key = StoredDownload.key_for(published, None, name)
        StoredDownload.objects.create(key=key, map=published, format_name=name)
    assert client.get(f"/cartes/{published.pk}/download.kml").status_code == 503
    StoredDownload.objects.filter(format_name="gpx").delete()
    assert client.get(f"/cartes/{published.pk}/download.kml").status_code == 302


def test_a_failed_computation_leaves_no_lock(client, published, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(downloads, "stream_map_file", broken)
    with pytest.raises(OSError):
        client.get(f"/cartes/{published.pk}/download.kml")
    assert not StoredDownload.objects.exists()


def test_a_file_removed_from_the_storage_is_computed_again(client, published, builds):
    location = client.get(f"/cartes/{published.pk}/download.kml")["Location"]
    default_storage.delete(StoredDownload.objects.get().name)
    assert client.get(location).status_code == 404
    assert client.get(f"/cartes/{published.pk}/download.kml", follow=True).status_code == 200
    assert builds["n"] == 2


def test_the_collection_deletes_the_files_of_replaced_versions(
    client, published, django_capture_on_commit_callbacks
):
    client.get(f"/cartes/{published.pk}/download.kml")
    old = StoredDownload.objects.get()
    publish(published, 2)
    client.get(f"/cartes/{published.pk}/download.kml")
    assert StoredDownload.objects.count() == 2
    collect_layer_data()
    assert StoredDownload.objects.count() == 2  # replaced less than the grace period ago
    Map.objects.filter(pk=published.pk).update(last_published_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):  # files go once the delete commits
        collect_layer_data()
    (kept,) = StoredDownload.objects.all()
    assert kept.key == StoredDownload.key_for(Map.objects.get(pk=published.pk), None, "kml")
    assert not default_storage.exists(old.name) and default_storage.exists(kept.name)


@pytest.mark.django_db(transaction=True)
def test_four_clients_at_once_compute_the_file_once(live_server, builds, settings):
    """Four clients ask for the same new file together: one computes it, the others wait
    for it; all get it."""
    from tests.factories import root_page

    root_page()
    map_ = make_map("Écoles", layers=schools(count=3000))
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "DOWNLOAD_BUILD_WAIT": 60}
    results, start = [], threading.Barrier(4)

    def fetch():
        start.wait()
        try:
            response = Client().get(f"/cartes/{map_.pk}/download.kml", follow=True)
            results.append((response.status_code, len(body(response))))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _size in results] == [200] * 4
    assert len({size for _status, size in results}) == 1
    assert builds["n"] == 1
