"""A data URL named by anything the site served keeps answering through publishes: pages,
embeds and API answers from before a publish still load their layers, for the grace period."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import layer, make_map, point
from wagtail_umap.models import LayerData, Map
from wagtail_umap.models.collect import collect_layer_data
from wagtail_umap.models.layer_data import PublishedLayer
from wagtail_umap.models.store import layer_digests

pytestmark = pytest.mark.django_db

DATA_URL = re.compile(r"/cartes/data/\d+/[0-9a-f]{64}\.geojson")


@pytest.fixture(autouse=True)
def every_layer_from_its_data_url(settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "INLINE_LAYER_MAX_BYTES": 0}


def schools(version: int) -> list[dict]:
    return [layer("Écoles", *(point(2 + i / 100, 47, f"École {i} v{version}") for i in range(5)))]


def publish_version(map_: Map, version: int) -> None:
    map_ = Map.objects.get(pk=map_.pk)
    map_.set_document({"options": map_.options, "layers": schools(version)})
    map_.save_revision().publish()


def named_data_urls(client, map_: Map) -> set[str]:
    """The data URLs a viewer gets from the map's embed and its API answer."""
    embed = client.get(reverse("wagtail_umap:embed", args=[map_.pk])).content.decode()
    api = client.get(f"/api/v2/maps/{map_.pk}/").content.decode()
    urls = set(DATA_URL.findall(embed)) | set(DATA_URL.findall(api))
    assert urls
    return urls


def test_a_viewer_of_the_version_before_a_publish_still_loads_its_layers(client):
    map_ = make_map("Écoles", layers=schools(1))
    before = named_data_urls(client, map_)
    publish_version(map_, 2)
    after = named_data_urls(client, map_)
    assert before.isdisjoint(after)
    for url in before:  # the retired version: answers, cached until its grace ends
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" not in response["Cache-Control"]
        max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
        assert 24 * 3600 - 60 < max_age <= 24 * 3600
        etag = response["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    for url in after:  # the live one: cached for good
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"]


def test_no_404_for_viewers_across_many_publishes(client):
    """The measure: a viewer loads the map between two publishes and fetches its layers after
    the next ones (a slow line, a proxy, a tab restored): zero 404s within the grace period."""
    map_ = make_map("Écoles", layers=schools(0))
    viewers, not_found, fetched = [], 0, 0
    for version in range(1, 21):
        viewers.append(named_data_urls(client, map_))
        publish_version(map_, version)
        for urls in viewers[-5:]:  # the viewers of the last five versions load now
            for url in urls:
                fetched += 1
                not_found += client.get(url).status_code == 404
    assert fetched >= 90
    assert not_found == 0


def test_after_the_grace_period_the_old_version_is_gone(client):
    map_ = make_map("Écoles", layers=schools(1))
    before = named_data_urls(client, map_)
    publish_version(map_, 2)
    PublishedLayer.objects.exclude(retired_at=None).update(
        retired_at=timezone.now() - timedelta(days=1, seconds=1)
    )
    assert all(client.get(url).status_code == 404 for url in before)
    assert all(client.get(url).status_code == 200 for url in named_data_urls(client, map_))


def test_unpublishing_withdraws_every_data_url_at_once(client):
    map_ = make_map("Écoles", layers=schools(1))
    first = named_data_urls(client, map_)
    publish_version(map_, 2)
    second = named_data_urls(client, map_)
    Map.objects.get(pk=map_.pk).unpublish()
    assert all(client.get(url).status_code == 404 for url in first | second)
    assert not PublishedLayer.objects.filter(map=map_).exists()


def test_a_draft_never_has_a_public_data_url(client):
    map_ = make_map("Écoles", layers=schools(1))
    draft = Map.objects.get(pk=map_.pk)
    draft.set_document({"options": draft.options, "layers": schools(2)})
    draft.save_revision()
    (digest,) = layer_digests(draft.document)
    url = reverse("wagtail_umap:layer_data", args=[map_.pk, digest])
    assert client.get(url).status_code == 404


def test_republishing_an_old_version_makes_it_live_again(client):
    map_ = make_map("Écoles", layers=schools(1))
    first = named_data_urls(client, map_)
    publish_version(map_, 2)
    publish_version(map_, 1)
    assert named_data_urls(client, map_) == first
    for url in first:
        assert "immutable" in client.get(url)["Cache-Control"]


def test_a_deleted_map_serves_nothing(client):
    map_ = make_map("Écoles", layers=schools(1))
    urls = named_data_urls(client, map_)
    publish_version(map_, 2)
    urls |= named_data_urls(client, map_)
    Map.objects.get(pk=map_.pk).delete()
    assert all(client.get(url).status_code == 404 for url in urls)


def test_the_collection_keeps_data_in_its_grace_period(client):
    map_ = make_map("Écoles", layers=schools(1))
    old = set(layer_digests(Map.objects.get(pk=map_.pk).document))
    publish_version(map_, 2)
    Map.objects.get(pk=map_.pk).revisions.exclude(
        pk=Map.objects.get(pk=map_.pk).latest_revision_id
    ).delete()  # as purge_revisions would
    LayerData.objects.update(touched_at=timezone.now() - timedelta(days=2))
    assert collect_layer_data().deleted == []  # in its grace period
    PublishedLayer.objects.exclude(retired_at=None).update(
        retired_at=timezone.now() - timedelta(days=2)
    )
    assert set(collect_layer_data().deleted) == old
    assert not PublishedLayer.objects.exclude(retired_at=None).exists()


def test_maps_published_before_the_grace_periods_existed_are_recorded_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    map_ = make_map("Écoles", layers=schools(1))
    PublishedLayer.objects.all().delete()
    migration = import_module("wagtail_umap.migrations.0006_published_layers")
    migration.record_live_versions(apps, None)
    recorded = set(PublishedLayer.objects.filter(map=map_).values_list("digest", flat=True))
    assert recorded == layer_digests(map_.document)
