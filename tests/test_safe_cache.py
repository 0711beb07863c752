"""Django's cache as the viewer uses it (``wagtail_umap/safe_cache.py``): with a cache that
processes share (Redis in production; a file cache here), a warm page reads the generations'
two tokens in one round trip and keeps its own copy of what is kept under them; whatever
another process renews is seen at the next request."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from wagtail.models import Page

from tests.factories import document, layer, make_home, make_map, point, publish_page
from wagtail_umap import safe_cache


@pytest.fixture
def shared_cache(tmp_path):
    """A cache that other processes would share, empty, and this process's copies with it."""
    backend = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    with override_settings(CACHES={"default": {**backend, "LOCATION": str(tmp_path)}}):
        safe_cache.process_copies.clear()
        yield caches["default"]
        safe_cache.process_copies.clear()


@pytest.fixture
def reads(shared_cache, monkeypatch):
    """The keys read from the shared cache, one list per round trip."""
    read: list[list[str]] = []
    get, get_many = shared_cache.get, shared_cache.get_many

    nested = []  # the file cache's get_many is a get of each key: one round trip still

    def one(key, *args, **kwargs):
        if not nested:
            read.append([key])
        return get(key, *args, **kwargs)

    def many(keys, *args, **kwargs):
        read.append(list(keys))
        nested.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            nested.pop()

    monkeypatch.setattr(shared_cache, "get", one)
    monkeypatch.setattr(shared_cache, "get_many", many)
    return read


def page_of(map_) -> Page:
    return publish_page(make_home("accueil-cache"), "travaux", map_)


def works(name: str) -> list:
    return [layer("Chantiers", point(2.35, 48.85, name))]


@pytest.mark.django_db
def test_a_warm_page_reads_only_the_two_tokens_in_one_round_trip(client, reads):
    page = page_of(make_map("Travaux", layers=works("Rue des Écoles")))
    assert "Rue des Écoles" in client.get(page.url).content.decode()
    reads.clear()
    assert "Rue des Écoles" in client.get(page.url).content.decode()
    tokens = [safe_cache.GENERATION_KEY + kind for kind in (safe_cache.PAGES, safe_cache.VIEWER)]
    assert reads == [tokens]


@pytest.mark.django_db
def test_what_another_process_renews_is_read_again_at_the_next_request(client, reads):
    map_ = make_map("Travaux", layers=works("Rue des Écoles"))
    page = page_of(map_)
    client.get(page.url)
    # Another process publishes: the new version's rows, and a new token in the shared cache.
    map_.set_document(document(*works("Place de la Mairie")))
    map_.save_revision().publish()
    cache.set(safe_cache.GENERATION_KEY + safe_cache.PAGES, "token-of-another-process", None)
    cache.set(safe_cache.GENERATION_KEY + safe_cache.VIEWER, "token-of-another-process", None)
    reads.clear()
    html = client.get(page.url).content.decode()
    assert "Place de la Mairie" in html and "Rue des Écoles" not in html
    # Under the new tokens, nothing is this process's copy: the facts and the HTML are read.
    read = [key for keys in reads for key in keys]
    assert any(key.endswith(f"token-of-another-process:{page.pk}:fr:{map_.pk}") for key in read)
    assert any(key.startswith("wagtail_umap:viewer:") for key in read)


@pytest.mark.django_db
def test_each_reader_has_its_own_copy(shared_cache):
    key = f"wagtail_umap:test:{safe_cache.generation()}"
    safe_cache.set_generational(key, {"rows": ["Rue des Écoles"]}, 60)
    first = safe_cache.get_generational(key, 60)
    first["rows"].append("changed by one request")
    assert safe_cache.get_generational(key, 60) == {"rows": ["Rue des Écoles"]}


def test_copies_stay_within_their_bytes_and_their_timeout(monkeypatch):
    copies = safe_cache._ProcessCopies(limit=4000)
    now = [1000.0]
    monkeypatch.setattr(safe_cache.time, "monotonic", lambda: now[0])
    for n in range(6):
        copies.put(f"carte-{n}", "x" * 900, 60)
    copies.get("carte-2")  # read: kept over the older ones
    copies.put("carte-6", "x" * 900, 60)
    assert copies.size <= 4000
    kept = {n for n in range(7) if copies.get(f"carte-{n}") is not None}
    assert kept == {2, 4, 5, 6}  # the least recently read went first
    copies.put("pour-toujours", "y", None)
    copies.put("jamais", "z", 0)  # a timeout of 0 keeps nothing, as in Django's caches
    copies.put("trop-gros", "x" * 2000, 60)  # over a quarter of the bytes: not kept
    now[0] += 61
    assert copies.get("carte-6") is None and copies.get("pour-toujours") == "y"
    assert copies.get("jamais") is None and copies.get("trop-gros") is None


@pytest.mark.django_db
def test_a_process_local_cache_is_its_own_copy(client):
    """The tests' and the demo's LocMemCache: nothing copied again, kept a few seconds."""
    safe_cache.process_copies.clear()
    page = page_of(make_map("Travaux", layers=works("Rue des Écoles")))
    client.get(page.url)
    client.get(page.url)
    assert safe_cache.process_copies.size == 0
