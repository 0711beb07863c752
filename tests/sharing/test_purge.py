"""Publishing, unpublishing or deleting a map purges the frontend cache: a real HTTP server
receives the PURGE requests."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from example_site.home.models import StandardPage
from tests.factories import document, layer, make_home, make_map, point
from wagtail_umap.formats import EXPORT_FORMATS
from wagtail_umap.models import MapPage
from wagtail_umap.sharing.purge import urls_to_purge

pytestmark = pytest.mark.django_db


class PurgeServer:
    """A cache stand-in on 127.0.0.1 that records each request it receives."""

    def __init__(self):
        self.requests = []
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                received.append((self.command, self.path, self.headers["Host"]))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def location(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self):
        return {path for _method, path, _host in self.requests}

    def clear(self):
        self.requests.clear()


@pytest.fixture
def cache(settings):
    server = PurgeServer()
    server.thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": server.location,
        }
    }
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def home():
    return make_home("accueil-purge")


@pytest.fixture
def map_on_two_pages(home, django_capture_on_commit_callbacks):
    """A published map shown by a MapBlock on one page and as the map of a MapPage."""
    map_ = make_map("Travaux", layers=[layer("Chantiers", point(2.35, 48.85, "Rue A"))])
    with django_capture_on_commit_callbacks(execute=True):
        block_page = home.add_child(
            instance=StandardPage(
                title="Travaux en cours",
                slug="travaux",
                body=[{"type": "map", "value": {"map": map_.pk, "height": 400, "caption": ""}}],
            )
        )
        block_page.save_revision().publish()
        map_page = home.add_child(
            instance=MapPage(title="Carte des travaux", slug="carte", map=map_)
        )
        map_page.save_revision().publish()
        # A draft page that uses the map: nothing public to purge.
        draft = home.add_child(
            instance=MapPage(title="Brouillon", slug="brouillon", map=map_, live=False)
        )
        draft.save_revision()
    return map_, block_page, map_page


def own_paths(map_, layer_ids, digests):
    paths = {f"/cartes/{map_.pk}/embed/", f"/cartes/{map_.pk}/print/"}
    paths |= {f"/cartes/data/{map_.pk}/{digest}.geojson" for digest in digests}
    paths |= {f"/cartes/data/{map_.pk}/{digest}.pmtiles" for digest in digests}  # vector tiles
    for name in EXPORT_FORMATS:
        paths.add(f"/cartes/{map_.pk}/download.{name}")
        paths |= {f"/cartes/{map_.pk}/layers/{layer_id}.{name}" for layer_id in layer_ids}
    return paths


def test_publishing_purges_pages_embed_data_and_downloads(
    cache, map_on_two_pages, django_capture_on_commit_callbacks
):
    map_, block_page, map_page = map_on_two_pages
    old_digest = map_.layers[0]["data"]["digest"]
    old_layer_id = map_.layers[0]["id"]
    cache.clear()

    # A new version with other data: its layer data URL, and the old one, go from the cache.
    draft = map_.get_latest_revision_as_object()
    draft.set_document(document(layer("Chantiers", point(2.36, 48.86, "Rue B")), **map_.options))
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    map_.refresh_from_db()
    new_digest = map_.layers[0]["data"]["digest"]
    assert new_digest != old_digest

    assert {method for method, _path, _host in cache.requests} == {"PURGE"}
    assert {host for _method, _path, host in cache.requests} == {"localhost"}
    # The layer the new version replaced: its downloads go too.
    expected = {block_page.url, map_page.url} | own_paths(
        map_, [old_layer_id, map_.layers[0]["id"]], [old_digest, new_digest]
    )
    assert reverse("wagtail_umap:embed", kwargs={"map_id": map_.pk}) in expected
    assert cache.paths() == expected
    assert "/brouillon/" not in cache.paths()
    assert len(cache.requests) == len(expected)  # each URL once


def test_unpublishing_purges(cache, map_on_two_pages, django_capture_on_commit_callbacks):
    map_, _block_page, _map_page = map_on_two_pages
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _unpublish(map_)
    digest = map_.layers[0]["data"]["digest"]
    assert cache.paths() == {"/travaux/", "/carte/"} | own_paths(
        map_, [map_.layers[0]["id"]], [digest]
    )


def _unpublish(map_):
    from wagtail.actions.unpublish import UnpublishAction

    UnpublishAction(map_).execute(skip_permission_checks=True)


def test_deleting_purges(cache, map_on_two_pages, django_capture_on_commit_callbacks):
    map_, _block_page, _map_page = map_on_two_pages
    expected = {"/travaux/", "/carte/"} | own_paths(
        map_, [map_.layers[0]["id"]], [map_.layers[0]["data"]["digest"]]
    )
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        map_.delete()
    assert cache.paths() == expected


def test_nothing_is_sent_without_a_frontend_cache(
    settings, map_on_two_pages, django_capture_on_commit_callbacks
):
    server = PurgeServer()
    server.thread.start()
    try:
        settings.WAGTAILFRONTENDCACHE = None
        map_, _block_page, _map_page = map_on_two_pages
        with django_capture_on_commit_callbacks(execute=True):
            map_.save_revision().publish()
        assert server.requests == []
    finally:
        server.server.shutdown()
        server.server.server_close()


def test_full_urls_use_the_sites_hosts(map_on_two_pages):
    map_, _block_page, _map_page = map_on_two_pages
    urls = urls_to_purge(map_)
    assert "http://localhost/travaux/" in urls
    assert f"http://localhost/cartes/{map_.pk}/embed/" in urls


def test_usage_lists_pages_using_the_map_by_block_and_by_map_page(admin_client, map_on_two_pages):
    """The Map's "Usage" screen (Wagtail's reference index): the StreamField MapBlock and the
    MapPage's map field, which are also the pages a publication purges."""
    map_, block_page, map_page = map_on_two_pages
    html = admin_client.get(f"/admin/snippets/wagtail_umap/map/usage/{map_.pk}/").content.decode()
    assert block_page.title in html
    assert map_page.title in html


# Who may see the map changes: a page gains or loses a restriction, is unpublished, moved,
# deleted, or a new version of it shows the map no more (docs/sharing.md).


def map_paths_of(map_):
    return own_paths(
        map_, [item["id"] for item in map_.layers], [item["data"]["digest"] for item in map_.layers]
    )


@pytest.fixture
def unshared_map_page(home, django_capture_on_commit_callbacks):
    """An unshared map that a public MapPage shows, in a section."""
    map_ = make_map("Plan communal", shared=False)
    with django_capture_on_commit_callbacks(execute=True):
        section = home.add_child(instance=StandardPage(title="Services", slug="services"))
        section.save_revision().publish()
        page = section.add_child(instance=MapPage(title="Plan", slug="plan", map=map_))
        page.save_revision().publish()
    return map_, section, page


def test_a_restriction_on_a_section_purges_the_maps_of_the_pages_below(
    cache, unshared_map_page, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    map_, section, _page = unshared_map_page
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert map_paths_of(map_) <= cache.paths()
    assert "/services/plan/" in cache.paths()

    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()  # public again: nothing private may stay in the cache either
    assert map_paths_of(map_) <= cache.paths()


def test_unpublishing_the_page_purges_its_map(
    cache, unshared_map_page, django_capture_on_commit_callbacks
):
    map_, _section, page = unshared_map_page
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert map_paths_of(map_) <= cache.paths()


def test_a_new_version_of_the_page_without_the_map_purges_it(
    cache, unshared_map_page, django_capture_on_commit_callbacks
):
    map_, _section, page = unshared_map_page
    cache.clear()
    page.map = None
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert map_paths_of(map_) <= cache.paths()


def test_moving_the_page_under_a_restricted_section_purges_its_map(
    cache, home, unshared_map_page, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    map_, _section, page = unshared_map_page
    intranet = home.add_child(instance=StandardPage(title="Intranet", slug="intranet"))
    PageViewRestriction.objects.create(page=intranet, restriction_type="login")
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.move(intranet, pos="last-child")
    assert map_paths_of(map_) <= cache.paths()


def test_deleting_the_page_purges_its_map(
    cache, unshared_map_page, django_capture_on_commit_callbacks
):
    map_, section, _page = unshared_map_page
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        section.delete()  # the page below goes with it
    assert map_paths_of(map_) <= cache.paths()


def test_the_translations_of_the_map_are_purged_too(
    cache, unshared_map_page, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale, PageViewRestriction

    map_, section, _page = unshared_map_page
    english = map_.copy_for_translation(Locale.objects.get_or_create(language_code="en")[0])
    english.save()
    english.save_revision().publish()
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert f"/cartes/{english.pk}/embed/" in cache.paths()
