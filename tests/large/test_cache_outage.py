"""The cache is an optimisation: with the cache server stopped every page still renders.

The cache points at a port where nothing listens (127.0.0.1:6390): every cache call fails at
once with a connection error. The demo's pages, and every public URL of each published map
(embed, oEmbed, data URLs, feature lists, downloads, API), must answer as usual; our own cache
errors are logged.
"""

from __future__ import annotations

import io
import logging

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Page

from tests.factories import root_page
from wagtail_umap import safe_cache
from wagtail_umap.formats import EXPORT_FORMATS
from wagtail_umap.models import Map
from wagtail_umap.models.store import layer_digests

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:6390/7"
DJANGO_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CLOSED_PORT,
    }
}
# What docs/large-data.md recommends in production: django-redis ignoring (and logging) its
# errors, so that Wagtail's own cache reads (site root paths) survive an outage too.
TOLERANT_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": CLOSED_PORT,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
    }
}


@pytest.fixture
def demo():
    root_page()
    call_command("load_demo", no_large=True, stdout=io.StringIO())


def map_urls(map_: Map) -> list[str]:
    """Every public URL of a published map."""
    urls = [
        reverse("wagtail_umap:embed", args=[map_.pk]),
        reverse("wagtail_umap:oembed") + f"?url=http://testserver/cartes/{map_.pk}/embed/",
        f"/api/v2/maps/{map_.pk}/",
    ]
    urls += [
        reverse("wagtail_umap:layer_data", args=[map_.pk, digest])
        for digest in layer_digests(map_.document)
    ]
    for layer in map_.layers:
        urls.append(reverse("wagtail_umap:feature_list", args=[map_.pk, layer["id"]]))
        urls.append(f"/api/v2/maps/{map_.pk}/layers/{layer['id']}/")
        urls += [
            reverse("wagtail_umap:download_layer", args=[map_.pk, layer["id"], name])
            for name in EXPORT_FORMATS
        ]
    urls += [reverse("wagtail_umap:download_map", args=[map_.pk, name]) for name in EXPORT_FORMATS]
    return urls


def page_urls() -> list[str]:
    return [page.url for page in Page.objects.live().specific() if page.url and page.depth > 1]


def public_map_urls() -> list[str]:
    return ["/api/v2/maps/", *(url for map_ in Map.objects.live() for url in map_urls(map_))]


def assert_all_answer(client, urls: list[str]) -> None:
    failed = {}
    for url in urls:
        response = client.get(url, follow=True)
        if response.status_code != 200:
            failed[url] = response.status_code
    assert failed == {}


def test_maps_render_with_django_redis_cache_stopped(client, demo, caplog):
    """Django's own RedisCache raises on every call: each map's embed (the viewer's HTML,
    cached), its representations' classes (cached), data URLs, lists, downloads and API
    answer, and the errors are logged, once."""
    urls = public_map_urls()
    assert len(urls) > 50
    with override_settings(CACHES=DJANGO_REDIS):
        with pytest.raises(Exception):  # noqa: B017 - the backend's own error
            caches["default"].get("anything")
        caplog.set_level(logging.WARNING, logger="wagtail_umap.cache")
        safe_cache.errors.last = -safe_cache.LOG_INTERVAL  # a fresh outage for this test
        assert_all_answer(client, urls)
    logged = [r for r in caplog.records if r.name == "wagtail_umap.cache"]
    assert len(logged) == 1
    assert "ConnectionError" in logged[0].getMessage()


def test_every_page_renders_with_the_cache_server_stopped(client, demo):
    """The production setting (django-redis ignoring its errors): Wagtail's own cache reads
    (the site root paths behind every page URL) survive too, so every page of the demo and
    every public URL of its maps answers."""
    urls = [*page_urls(), *public_map_urls()]
    with override_settings(CACHES=TOLERANT_REDIS):
        assert caches["default"].get("anything") is None  # the server is really unreachable
        assert_all_answer(client, urls)
